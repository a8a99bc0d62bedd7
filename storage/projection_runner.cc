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
  // Seconds its last batch took to fold: heavier projections start first.
  // Touched by the runner's thread and the fold that has the slot only.
  double fold_seconds = 0;

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
  size_t threads = options_.fold_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  fold_pool_ = std::make_unique<TaskPool>(threads - 1);
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
  fold_pool_.reset();
  committed_.clear();
  read_ahead_.reset();
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
    const size_t most = pass.rebuilding || far_behind ? options_.rebuild_batch_events
                                                      : options_.batch_events;
    absl::StatusOr<std::vector<RecordedEvent>> events;
    if (read_ahead_.has_value() && read_ahead_->from == pass.from && read_ahead_->most == most) {
      events = std::move(read_ahead_->events);
    } else {
      events = Subscription(log_, pass.from, Filter{})
                   .Next(most, SteadyClock::now() + options_.poll_interval);
    }
    read_ahead_.reset();
    absl::Status status = events.status();
    if (status.ok() && !events->empty()) status = ApplyAndCommit(pass, *events, most);
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

// One projection's share of a batch of events.
struct ProjectionRunner::Fold {
  Slot* slot;
  uint64_t checkpoint;
  std::unique_ptr<ReadModelBatch> batch;
  // Where its rows now stand: the batch's last position, or just before
  // the event whose Apply failed.
  uint64_t reached = 0;
  const RecordedEvent* failed_event = nullptr;
  absl::Status failure;  // Apply's, at failed_event.
  absl::Status finish;   // Finish's: fails the whole commit.
};

void ProjectionRunner::FoldEvents(Fold& fold, const std::vector<RecordedEvent>& events) {
  const SteadyClock::time_point began = SteadyClock::now();
  const Projection& projection = *fold.slot->projection;
  NamespaceBatch rows(*fold.batch, fold.slot->name);
  std::unique_ptr<Projection::Batch> folding = projection.StartBatch(rows);
  fold.reached = events.back().position;
  for (const RecordedEvent& event : events) {
    if (event.position <= fold.checkpoint || !projection.Wants(event)) continue;
    fold.batch->SetSavePoint();
    absl::Status applied = folding->Apply(event);
    if (applied.ok()) {
      fold.finish = fold.batch->PopSavePoint();
      if (!fold.finish.ok()) return;
      continue;
    }
    fold.finish = fold.batch->RollbackToSavePoint();
    if (!fold.finish.ok()) return;
    fold.failed_event = &event;
    fold.failure = std::move(applied);
    fold.reached = event.position - 1;
    break;
  }
  // A Finish error is the commit's: nothing is written, and the next
  // pass retries from the old checkpoints.
  if (absl::Status s = folding->Finish(); !s.ok()) {
    fold.finish = absl::Status(s.code(), absl::StrCat("projection ", fold.slot->name,
                                                      " finishing a batch: ", s.message()));
  }
  fold.slot->fold_seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
}

absl::Status ProjectionRunner::ApplyAndCommit(const Pass& pass,
                                              const std::vector<RecordedEvent>& events,
                                              size_t most) {
  const uint64_t last = events.back().position;
  std::vector<Fold> folds;
  for (const Pass::Entry& entry : pass.entries) {
    if (entry.checkpoint >= last) continue;
    folds.push_back(Fold{entry.slot, entry.checkpoint, store_.NewBatch()});
  }
  std::sort(folds.begin(), folds.end(), [](const Fold& a, const Fold& b) {
    return a.slot->fold_seconds > b.slot->fold_seconds;
  });
  // The last commit's batches are freed beside the folds (a rebuild's hold
  // millions of rows), by whichever thread is free first.
  std::vector<std::unique_ptr<ReadModelBatch>> retired = std::move(committed_);
  committed_.clear();
  fold_pool_->Run(folds.size() + 1, [&](size_t i) {
    if (i < folds.size()) return FoldEvents(folds[i], events);
    retired.clear();
  });

  Checkpoints checkpoints;
  for (Fold& fold : folds) {
    if (!fold.finish.ok()) return fold.finish;
    checkpoints.emplace(fold.slot->name, fold.reached);
    committed_.push_back(std::move(fold.batch));
  }
  // A full batch means the log goes on: the next events are read while
  // this batch is written.
  const bool more = events.size() == most;
  absl::Status committed;
  fold_pool_->Run(more ? 2 : 1, [&](size_t i) {
    if (i == 0) {
      committed = store_.Commit(committed_, checkpoints);
      return;
    }
    const uint64_t next = events.back().position + 1;
    read_ahead_ =
        ReadAhead{next, most, Subscription(log_, next, Filter{}).Next(most, SteadyClock::now())};
  });
  if (!committed.ok()) return committed;

  std::lock_guard<std::mutex> lock(mu_);
  const SteadyClock::time_point now = SteadyClock::now();
  for (const Pass::Entry& entry : pass.entries) {
    auto it = checkpoints.find(entry.slot->name);
    if (it != checkpoints.end()) entry.slot->checkpoint = it->second;
  }
  for (const Fold& fold : folds) {
    if (fold.failed_event == nullptr) continue;
    Slot& slot = *fold.slot;
    const RecordedEvent& event = *fold.failed_event;
    // Logged once: the projection applies nothing more until rebuilt.  The
    // payload and stream stay out of the log (personal data).
    spdlog::error("projection stopped name={} position={} event_type={} event_id={}: {}", slot.name,
                  event.position, event.type, event.event_id, fold.failure.ToString());
    slot.error =
        absl::Status(fold.failure.code(),
                     absl::StrCat("projection ", slot.name, " stopped at position ", event.position,
                                  " (", event.type, "): ", fold.failure.message()));
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
