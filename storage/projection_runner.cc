#include "storage/projection_runner.h"

#include <algorithm>
#include <future>
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

// One projection's share of a batch of events.
struct ProjectionRunner::Fold {
  Slot* slot;
  uint64_t checkpoint;
  std::unique_ptr<ReadModelBatch> batch;
  std::unique_ptr<NamespaceBatch> rows;           // Over batch, for folding.
  std::unique_ptr<Projection::Batch> folding;     // Until FinishFold.
  // Where its rows now stand: the last position folded, or just before
  // the event whose Apply failed.
  uint64_t reached = 0;
  // That event, without its payload, and Apply's error.
  std::optional<RecordedEvent> failed_event;
  absl::Status failure;
  absl::Status finish;  // Save points' or Finish's: fails the whole commit.
};

// A full batch, committed on a thread of its own.
struct ProjectionRunner::InFlight {
  std::vector<Fold> folds;
  std::vector<std::unique_ptr<ReadModelBatch>> batches;  // folds[i]'s is batches[i].
  Checkpoints checkpoints;
  // The batch committed before this one, stacked under it until its
  // commit: freed on the commit's thread.
  std::unique_ptr<InFlight> retired;
  std::future<absl::Status> committed;
  std::optional<absl::Status> result;  // committed's, once taken.
  bool recorded = false;
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
      if (stopping_) break;
    }
    if (absl::Status s = StartRequestedRebuilds(); !s.ok()) {
      ReportHealth(std::move(s));
      pause(options_.retry_interval);
      continue;
    }
    Pass pass = NextPass();
    if (pass.entries.empty()) {
      if (in_flight_ != nullptr) {  // Its projections all stopped.
        if (absl::Status s = FinishInFlight(); !s.ok()) ReportHealth(std::move(s));
        continue;
      }
      // Every projection has stopped: wait for a rebuild.
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait_for(lock, options_.poll_interval, [this] {
        if (stopping_) return true;
        return std::any_of(slots_.begin(), slots_.end(), [](const auto& slot) {
          return slot->rebuild_requested > slot->rebuild_started;
        });
      });
      continue;
    }
    const bool far_behind = pass.from + options_.batch_events <= log_.HeadPosition();
    const size_t most = pass.rebuilding || far_behind ? options_.rebuild_batch_events
                                                      : options_.batch_events;
    if (absl::Status s = FoldAndCommit(pass, most); !s.ok()) {
      ReportHealth(std::move(s));
      pause(options_.retry_interval);
    }
  }
  FinishInFlight().IgnoreError();  // Stopping: it is recorded if it landed.
}

ProjectionRunner::Pass ProjectionRunner::NextPass() {
  Pass pass;
  uint64_t lowest = UINT64_MAX;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& slot : slots_) {
    if (!slot->error.ok()) continue;
    Pass::Entry entry{slot.get(), slot->checkpoint};
    if (in_flight_ != nullptr) {
      auto fold = std::find_if(in_flight_->folds.begin(), in_flight_->folds.end(),
                               [&](const Fold& f) { return f.slot == slot.get(); });
      if (fold != in_flight_->folds.end()) {
        if (fold->failed_event.has_value()) continue;  // It stops there.
        entry.checkpoint = fold->reached;
      }
    }
    pass.entries.push_back(entry);
    pass.rebuilding = pass.rebuilding || slot->rebuilding;
    lowest = std::min(lowest, entry.checkpoint);
  }
  if (!pass.entries.empty()) pass.from = lowest + 1;
  return pass;
}

absl::Status ProjectionRunner::StartRequestedRebuilds() {
  std::vector<std::pair<Slot*, uint64_t>> requested;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& slot : slots_) {
      if (slot->rebuild_requested > slot->rebuild_started) {
        requested.emplace_back(slot.get(), slot->rebuild_requested);
      }
    }
  }
  if (requested.empty()) return absl::OkStatus();
  // Its rows must land before the namespace is dropped, not after.
  if (absl::Status s = FinishInFlight(); !s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Waiters must not take the old checkpoint for the rebuilt rows'.
    for (auto [slot, ticket] : requested) slot->checkpoint = 0;
  }
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

void ProjectionRunner::FoldEvents(Fold& fold, const std::vector<RecordedEvent>& events) {
  if (fold.failed_event.has_value() || !fold.finish.ok()) return;
  const SteadyClock::time_point began = SteadyClock::now();
  const Projection& projection = *fold.slot->projection;
  for (const RecordedEvent& event : events) {
    if (event.position <= fold.checkpoint || !projection.Wants(event)) continue;
    fold.batch->SetSavePoint();
    absl::Status applied = fold.folding->Apply(event);
    if (applied.ok()) {
      fold.finish = fold.batch->PopSavePoint();
      if (!fold.finish.ok()) return;
      continue;
    }
    fold.finish = fold.batch->RollbackToSavePoint();
    if (!fold.finish.ok()) return;
    fold.failed_event = event;
    fold.failed_event->payload.clear();
    fold.failure = std::move(applied);
    fold.reached = std::max(fold.reached, event.position - 1);
    break;
  }
  if (!fold.failed_event.has_value()) {
    fold.reached = std::max(fold.reached, events.back().position);
  }
  fold.slot->fold_seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
}

void ProjectionRunner::FinishFold(Fold& fold) {
  // A Finish error is the commit's: nothing is written, and the next pass
  // retries from the old checkpoints.
  if (fold.finish.ok()) {
    if (absl::Status s = fold.folding->Finish(); !s.ok()) {
      fold.finish = absl::Status(s.code(), absl::StrCat("projection ", fold.slot->name,
                                                        " finishing a batch: ", s.message()));
    }
  }
  fold.folding.reset();
  fold.rows.reset();
}

absl::StatusOr<std::vector<RecordedEvent>> ProjectionRunner::ReadChunk(uint64_t from,
                                                                       size_t count) {
  std::optional<ReadAhead> ahead = std::move(read_ahead_);
  read_ahead_.reset();
  if (ahead.has_value() && ahead->from == from && ahead->count == count &&
      !(ahead->events.ok() && ahead->events->empty())) {
    return std::move(ahead->events);
  }
  // With a commit in flight, an empty log must not hold up its recording.
  const SteadyClock::time_point deadline =
      in_flight_ != nullptr ? SteadyClock::now() : SteadyClock::now() + options_.poll_interval;
  return Subscription(log_, from, Filter{}).Next(count, deadline);
}

const ReadModelBatch* ProjectionRunner::InFlightBatch(const Slot* slot) const {
  if (in_flight_ == nullptr) return nullptr;
  for (size_t i = 0; i < in_flight_->folds.size(); ++i) {
    if (in_flight_->folds[i].slot == slot) return in_flight_->batches[i].get();
  }
  return nullptr;
}

absl::Status ProjectionRunner::FoldAndCommit(const Pass& pass, size_t most) {
  const size_t chunk_events = std::min(kChunkEvents, most);
  absl::StatusOr<std::vector<RecordedEvent>> chunk = ReadChunk(pass.from, chunk_events);
  if (!chunk.ok()) return chunk.status();
  if (chunk->empty()) return FinishInFlight();

  std::vector<Fold> folds;
  for (const Pass::Entry& entry : pass.entries) {
    Fold fold{entry.slot, entry.checkpoint};
    fold.batch = store_.NewBatch(InFlightBatch(entry.slot));
    fold.rows = std::make_unique<NamespaceBatch>(*fold.batch, entry.slot->name);
    fold.folding = entry.slot->projection->StartBatch(*fold.rows);
    fold.reached = entry.checkpoint;
    folds.push_back(std::move(fold));
  }
  size_t folded = 0;
  size_t asked = chunk_events;
  while (true) {
    folded += chunk->size();
    // A full chunk means the log goes on: the next one is read beside the
    // folds, for this batch or the next.
    const bool full = chunk->size() == asked;
    const uint64_t next = chunk->back().position + 1;
    asked = folded < most ? std::min(chunk_events, most - folded) : chunk_events;
    std::sort(folds.begin(), folds.end(), [](const Fold& a, const Fold& b) {
      return a.slot->fold_seconds > b.slot->fold_seconds;  // Heaviest first.
    });
    const size_t readers = full ? 1 : 0;
    absl::StatusOr<std::vector<RecordedEvent>> next_chunk;
    fold_pool_->Run(folds.size() + readers, [&](size_t i) {
      if (i < readers) {
        next_chunk = Subscription(log_, next, Filter{}).Next(asked, SteadyClock::now());
      } else {
        FoldEvents(folds[i - readers], *chunk);
      }
    });
    RecordInFlightIfDone();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;  // The batch is dropped below.
    }
    if (!full) break;
    if (folded >= most || !next_chunk.ok() || next_chunk->empty()) {
      read_ahead_ = ReadAhead{next, asked, std::move(next_chunk)};
      break;
    }
    chunk = std::move(next_chunk);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return absl::OkStatus();
  }
  fold_pool_->Run(folds.size(), [&](size_t i) { FinishFold(folds[i]); });

  auto commit = std::make_unique<InFlight>();
  for (Fold& fold : folds) {
    if (!fold.finish.ok()) return fold.finish;
    if (fold.reached > fold.checkpoint) commit->checkpoints.emplace(fold.slot->name, fold.reached);
    commit->batches.push_back(std::move(fold.batch));
  }
  commit->folds = std::move(folds);
  // The batch below must land first; this one now reads nothing of it.
  if (absl::Status s = FinishInFlight(&commit->retired); !s.ok()) return s;
  if (folded < most) {  // At the log's head: visible now.
    commit->retired.reset();
    if (absl::Status s = store_.Commit(commit->batches, commit->checkpoints); !s.ok()) return s;
    Record(commit->folds, commit->checkpoints);
    return absl::OkStatus();
  }
  InFlight* batch = commit.get();
  batch->committed = std::async(std::launch::async, [this, batch] {
    absl::Status s = store_.Commit(batch->batches, batch->checkpoints);
    batch->retired.reset();
    return s;
  });
  in_flight_ = std::move(commit);
  return absl::OkStatus();
}

void ProjectionRunner::RecordInFlightIfDone() {
  if (in_flight_ == nullptr || in_flight_->result.has_value()) return;
  if (in_flight_->committed.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  in_flight_->result = in_flight_->committed.get();
  if (!in_flight_->result->ok()) return;
  Record(in_flight_->folds, in_flight_->checkpoints);
  in_flight_->recorded = true;
}

absl::Status ProjectionRunner::FinishInFlight(std::unique_ptr<InFlight>* finished) {
  if (in_flight_ == nullptr) return absl::OkStatus();
  std::unique_ptr<InFlight> done = std::move(in_flight_);
  if (!done->result.has_value()) done->result = done->committed.get();
  absl::Status result = *done->result;
  if (result.ok() && !done->recorded) Record(done->folds, done->checkpoints);
  // A failed commit's rows are lost, and so are those of any batch folded
  // on them: the caller drops its batch, and the next pass starts from the
  // checkpoints again.
  if (result.ok() && finished != nullptr) *finished = std::move(done);
  return result;
}

void ProjectionRunner::Record(const std::vector<Fold>& folds, const Checkpoints& checkpoints) {
  std::lock_guard<std::mutex> lock(mu_);
  const SteadyClock::time_point now = SteadyClock::now();
  for (const Fold& fold : folds) {
    auto it = checkpoints.find(fold.slot->name);
    if (it != checkpoints.end()) fold.slot->checkpoint = it->second;
  }
  for (const Fold& fold : folds) {
    if (!fold.failed_event.has_value()) continue;
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
