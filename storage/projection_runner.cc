#include "storage/projection_runner.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"
#include "storage/subscription.h"

namespace haven::storage {

using SteadyClock = std::chrono::steady_clock;

struct ProjectionRunner::Slot {
  std::unique_ptr<Projection> projection;
  std::string name;

  // The rest is GUARDED_BY(mu_).
  uint64_t checkpoint = 0;
  absl::Status error;
  uint64_t failed_position = 0;
  // Rebuild tickets: Rebuild() takes rebuild_requested + 1; the thread starts
  // the latest request (rebuild_started) and, when it reaches
  // rebuild_target, sets rebuild_done to it.
  uint64_t rebuild_requested = 0;
  uint64_t rebuild_started = 0;
  uint64_t rebuild_done = 0;
  bool rebuilding = false;
  uint64_t rebuild_target = 0;
  absl::Status rebuild_result;
  SteadyClock::time_point rebuild_began;
  SteadyClock::time_point last_progress_log;

  // Ends the rebuild in progress, releasing its waiters.  Caller holds mu_.
  void EndRebuild(absl::Status result) {
    rebuilding = false;
    rebuild_done = rebuild_started;
    rebuild_result = std::move(result);
    if (!rebuild_result.ok()) return;
    const double seconds =
        std::chrono::duration<double>(SteadyClock::now() - rebuild_began).count();
    spdlog::info("projection rebuild name={} events={} seconds={:.3f} events_per_s={:.0f}", name,
                 checkpoint, seconds, seconds > 0 ? checkpoint / seconds : 0.0);
  }
};

// The projections one read of the log is for, with their checkpoints.
struct ProjectionRunner::Pass {
  struct Entry {
    Slot* slot;
    uint64_t checkpoint;
  };
  std::vector<Entry> entries;
  uint64_t from = 1;
  bool rebuilding = false;
};

absl::StatusOr<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Create(
    const EventLog& log, ReadModelStore& store,
    std::vector<std::unique_ptr<Projection>> projections, ProjectionRunnerOptions options) {
  std::vector<std::unique_ptr<Slot>> slots;
  std::set<std::string> names;
  const uint64_t head = log.HeadPosition();
  for (auto& projection : projections) {
    if (projection == nullptr) return absl::InvalidArgumentError("projections: null projection");
    auto slot = std::make_unique<Slot>();
    slot->name = projection->name();
    slot->projection = std::move(projection);
    if (auto s = ValidateNamespace(slot->name); !s.ok()) return s;
    if (!names.insert(slot->name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("projections: two are named \"", slot->name, "\""));
    }
    absl::StatusOr<uint64_t> checkpoint = store.Checkpoint(slot->name);
    if (!checkpoint.ok()) return checkpoint.status();
    slot->checkpoint = *checkpoint;
    if (slot->checkpoint > head) {
      spdlog::warn("projection {} is at position {} past the log head {}; it will be rebuilt",
                   slot->name, slot->checkpoint, head);
      slot->rebuild_requested = 1;
      slot->checkpoint = 0;  // Its rows are not to be trusted by waiters.
    }
    slots.push_back(std::move(slot));
  }
  return std::unique_ptr<ProjectionRunner>(
      new ProjectionRunner(log, store, options, std::move(slots)));
}

ProjectionRunner::ProjectionRunner(const EventLog& log, ReadModelStore& store,
                                   ProjectionRunnerOptions options,
                                   std::vector<std::unique_ptr<Slot>> slots)
    : log_(log), store_(store), options_(options), slots_(std::move(slots)) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

absl::Status ProjectionRunner::Start() {
  if (started_) return absl::FailedPreconditionError("the projection runner was started before");
  started_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void ProjectionRunner::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
  }
  changed_.notify_all();
}

void ProjectionRunner::Run() {
  auto pause = [this](std::chrono::milliseconds how_long) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, how_long, [this] { return stopping_; });
  };
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (absl::Status s = StartRequestedRebuilds(); !s.ok()) {
      ReportHealth(std::move(s));
      pause(options_.retry_interval);
      continue;
    }
    Pass pass;
    {
      std::unique_lock<std::mutex> lock(mu_);
      uint64_t lowest = UINT64_MAX;
      for (const auto& slot : slots_) {
        if (!slot->error.ok()) continue;
        pass.entries.push_back({slot.get(), slot->checkpoint});
        pass.rebuilding = pass.rebuilding || slot->rebuilding;
        lowest = std::min(lowest, slot->checkpoint);
      }
      if (pass.entries.empty()) {  // Every projection has stopped: wait for a rebuild.
        changed_.wait_for(lock, options_.poll_interval, [this] {
          if (stopping_) return true;
          return std::any_of(slots_.begin(), slots_.end(), [](const auto& slot) {
            return slot->rebuild_requested > slot->rebuild_started;
          });
        });
        continue;
      }
      pass.from = lowest + 1;
    }
    const bool far_behind = pass.from + options_.batch_events <= log_.HeadPosition();
    Subscription subscription(log_, pass.from, Filter{});
    absl::StatusOr<std::vector<RecordedEvent>> events = subscription.Next(
        pass.rebuilding || far_behind ? options_.rebuild_batch_events : options_.batch_events,
        SteadyClock::now() + options_.poll_interval);
    absl::Status status = events.status();
    if (status.ok() && !events->empty()) status = ApplyAndCommit(pass, *events);
    if (!status.ok()) {
      ReportHealth(std::move(status));
      pause(options_.retry_interval);
    }
  }
}

absl::Status ProjectionRunner::StartRequestedRebuilds() {
  std::vector<std::pair<Slot*, uint64_t>> requested;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& slot : slots_) {
      if (slot->rebuild_requested > slot->rebuild_started) {
        requested.emplace_back(slot.get(), slot->rebuild_requested);
        // Waiters must not take the old checkpoint for the rebuilt rows'.
        slot->checkpoint = 0;
      }
    }
  }
  if (requested.empty()) return absl::OkStatus();
  const uint64_t head = log_.HeadPosition();
  for (auto [slot, ticket] : requested) {
    if (absl::Status s = store_.DropNamespace(slot->name); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    slot->rebuild_started = ticket;
    slot->error = absl::OkStatus();
    slot->failed_position = 0;
    slot->rebuilding = true;
    slot->rebuild_target = head;
    slot->rebuild_began = slot->last_progress_log = SteadyClock::now();
    spdlog::info("projection rebuild started name={} target={}", slot->name, head);
    if (head == 0) slot->EndRebuild(absl::OkStatus());
  }
  changed_.notify_all();
  return absl::OkStatus();
}

absl::Status ProjectionRunner::ApplyAndCommit(const Pass& pass,
                                              const std::vector<RecordedEvent>& events) {
  struct Failure {
    Slot* slot;
    const RecordedEvent* event;
    absl::Status status;
  };
  const uint64_t last = events.back().position;
  std::unique_ptr<ReadModelBatch> batch = store_.NewBatch();
  Checkpoints checkpoints;
  std::vector<Failure> failures;
  for (const Pass::Entry& entry : pass.entries) {
    if (entry.checkpoint >= last) continue;
    const Projection& projection = *entry.slot->projection;
    NamespaceBatch rows(*batch, entry.slot->name);
    std::unique_ptr<Projection::Batch> folding = projection.StartBatch(rows);
    uint64_t reached = last;
    for (const RecordedEvent& event : events) {
      if (event.position <= entry.checkpoint || !projection.Wants(event)) continue;
      batch->SetSavePoint();
      absl::Status applied = folding->Apply(event);
      if (applied.ok()) {
        if (absl::Status s = batch->PopSavePoint(); !s.ok()) return s;
        continue;
      }
      if (absl::Status s = batch->RollbackToSavePoint(); !s.ok()) return s;
      failures.push_back({entry.slot, &event, std::move(applied)});
      reached = event.position - 1;
      break;
    }
    // A Finish error is the commit's: nothing is written, and the next
    // pass retries from the old checkpoints.
    if (absl::Status s = folding->Finish(); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("projection ", entry.slot->name,
                                                 " finishing a batch: ", s.message()));
    }
    checkpoints.emplace(entry.slot->name, reached);
  }
  if (absl::Status s = store_.Commit(std::move(batch), checkpoints); !s.ok()) return s;

  std::lock_guard<std::mutex> lock(mu_);
  const SteadyClock::time_point now = SteadyClock::now();
  for (const Pass::Entry& entry : pass.entries) {
    auto it = checkpoints.find(entry.slot->name);
    if (it != checkpoints.end()) entry.slot->checkpoint = it->second;
  }
  for (Failure& failure : failures) {
    Slot& slot = *failure.slot;
    const RecordedEvent& event = *failure.event;
    // Logged once: the projection applies nothing more until rebuilt.  The
    // payload and stream stay out of the log (personal data).
    spdlog::error("projection stopped name={} position={} event_type={} event_id={}: {}", slot.name,
                  event.position, event.type, event.event_id, failure.status.ToString());
    slot.error =
        absl::Status(failure.status.code(),
                     absl::StrCat("projection ", slot.name, " stopped at position ", event.position,
                                  " (", event.type, "): ", failure.status.message()));
    slot.failed_position = event.position;
    if (slot.rebuilding) slot.EndRebuild(slot.error);
  }
  for (const auto& slot : slots_) {
    if (!slot->rebuilding) continue;
    if (slot->checkpoint >= slot->rebuild_target) {
      slot->EndRebuild(absl::OkStatus());
    } else if (now - slot->last_progress_log >= options_.progress_interval) {
      slot->last_progress_log = now;
      spdlog::info("projection rebuild progress name={} position={} target={}", slot->name,
                   slot->checkpoint, slot->rebuild_target);
    }
  }
  if (!health_.ok()) spdlog::info("projection runner recovered");
  health_ = absl::OkStatus();
  changed_.notify_all();
  return absl::OkStatus();
}

void ProjectionRunner::ReportHealth(absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (health_ != status) spdlog::error("projection runner: {}", status.ToString());
  health_ = std::move(status);
}

absl::Status ProjectionRunner::Health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return health_;
}

std::vector<ProjectionStatus> ProjectionRunner::Lag() const {
  std::vector<ProjectionStatus> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& slot : slots_) {
      ProjectionStatus status;
      status.name = slot->name;
      status.checkpoint = slot->checkpoint;
      status.rebuilding = slot->rebuilding;
      status.rebuild_target = slot->rebuild_target;
      status.error = slot->error;
      status.failed_position = slot->failed_position;
      out.push_back(std::move(status));
    }
  }
  // Read after the checkpoints, so that head >= checkpoint.
  const uint64_t head = log_.HeadPosition();
  for (ProjectionStatus& status : out) {
    status.head = head;
    status.lag = head > status.checkpoint ? head - status.checkpoint : 0;
  }
  return out;
}

absl::Status ProjectionRunner::WaitForPosition(uint64_t position,
                                               SteadyClock::time_point deadline) const {
  std::vector<const Slot*> slots;
  for (const auto& slot : slots_) slots.push_back(slot.get());
  return WaitFor(slots, position, deadline);
}

absl::Status ProjectionRunner::WaitForPosition(std::string_view name, uint64_t position,
                                               SteadyClock::time_point deadline) const {
  for (const auto& slot : slots_) {
    if (slot->name == name) return WaitFor({slot.get()}, position, deadline);
  }
  return absl::NotFoundError(
      absl::StrCat("projection \"", std::string(name), "\" is not run here"));
}

absl::Status ProjectionRunner::WaitFor(const std::vector<const Slot*>& slots, uint64_t position,
                                       SteadyClock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    bool reached = true;
    for (const Slot* slot : slots) {
      if (slot->checkpoint >= position) continue;
      if (!slot->error.ok()) return absl::UnavailableError(slot->error.message());
      reached = false;
    }
    if (reached) return absl::OkStatus();
    if (!running_ || stopping_) {
      return absl::UnavailableError("the projection runner is not running");
    }
    if (SteadyClock::now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("projections have not reached position ", position));
    }
    changed_.wait_until(lock, deadline);
  }
}

absl::Status ProjectionRunner::Rebuild(std::string_view name) {
  for (const auto& slot : slots_) {
    if (slot->name == name) return RequestRebuilds({slot.get()});
  }
  return absl::NotFoundError(
      absl::StrCat("projection \"", std::string(name), "\" is not run here"));
}

absl::Status ProjectionRunner::RebuildAll() {
  std::vector<Slot*> slots;
  for (const auto& slot : slots_) slots.push_back(slot.get());
  return RequestRebuilds(slots);
}

absl::Status ProjectionRunner::RequestRebuilds(const std::vector<Slot*>& slots) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!running_ || stopping_) {
    return absl::FailedPreconditionError("the projection runner is not running");
  }
  std::vector<uint64_t> tickets;
  for (Slot* slot : slots) tickets.push_back(++slot->rebuild_requested);
  changed_.notify_all();
  auto done = [&] {
    for (size_t i = 0; i < slots.size(); ++i) {
      if (slots[i]->rebuild_done < tickets[i]) return false;
    }
    return true;
  };
  changed_.wait(lock, [&] { return stopping_ || done(); });
  if (!done()) return absl::AbortedError("the projection runner stopped before the rebuild ended");
  for (Slot* slot : slots) {
    if (!slot->rebuild_result.ok()) return slot->rebuild_result;
  }
  return absl::OkStatus();
}

}  // namespace haven::storage
