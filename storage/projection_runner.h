// Keeps a set of projections up to date with the event log.
#ifndef HAVEN_STORAGE_PROJECTION_RUNNER_H_
#define HAVEN_STORAGE_PROJECTION_RUNNER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/event_log.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"
#include "storage/task_pool.h"

namespace haven::storage {

struct ProjectionRunnerOptions {
  // Most events applied per commit while following the log; fewer when
  // caught up, so a new event is visible as soon as it is applied.
  // Default: 1000.
  size_t batch_events = 1000;
  // Most events per commit while any projection is rebuilding or further
  // behind the log's head than batch_events (a new projection, a restart).
  // Longer batches write a hot row (a unit's counters, a case's record)
  // fewer times, and hold more rows in memory.  Such a batch is read and
  // folded kChunkEvents at a time, reading the next chunk while folding one,
  // and committed while the next batch is folded.  Default: 250000.
  size_t rebuild_batch_events = 250000;
  // Longest wait for new events before the runner looks at Stop() and
  // Rebuild() requests again.  Default: 100 ms.
  std::chrono::milliseconds poll_interval{100};
  // Wait after the log or the store fails before trying again.
  // Default: 1 s.
  std::chrono::milliseconds retry_interval{1000};
  // How often a running rebuild logs its progress.  Default: 10 s.
  std::chrono::milliseconds progress_interval{10000};
  // Threads that fold a batch's events into the projections, each
  // projection on one of them (the runner's own thread among them).
  // 0: one per core.  Default: 0.
  size_t fold_threads = 0;
};

// One projection's state, as Lag() reports it.
struct ProjectionStatus {
  std::string name;
  // The last log position its rows reflect.
  uint64_t checkpoint = 0;
  // The log's head when Lag() was called, and head - checkpoint.
  uint64_t head = 0;
  uint64_t lag = 0;
  // True from a rebuild's start until it reaches rebuild_target, the log's
  // head when it started.
  bool rebuilding = false;
  uint64_t rebuild_target = 0;
  // Not OK when the projection has stopped: Apply failed at
  // failed_position (the checkpoint is failed_position - 1).
  absl::Status error;
  uint64_t failed_position = 0;
};

// Owns projections over one EventLog and one ReadModelStore, and applies the
// log to them from a background thread: it follows the log from the lowest
// checkpoint, gives each event to every projection that has not seen it, and
// commits each batch of events (rows and every checkpoint) in one
// ReadModelStore::Commit.  Projections are independent: one whose Apply fails
// stops at that event; the others go on.  So they are folded in parallel,
// each into a ReadModelBatch of its own, on fold_threads threads.
//
// Far behind the log (a rebuild, a restart), the runner keeps both cores
// busy: it reads the next chunk of events while the projections fold one,
// and commits a full batch on a thread of its own while the next batch is
// folded, on batches stacked on those being committed (ReadModelStore::
// NewBatch).  A batch's checkpoints move once its commit is done.
//
// Readers query the store directly; WaitForPosition gives them their own
// writes.  During a rebuild they see the projection's rows as of its
// checkpoint, which restarts at 0: partial data until the rebuild finishes.
//
// Thread safety: every method except Start and Stop may be called from any
// thread; Start and Stop from one thread.  The log and the store must outlive
// the runner.
class ProjectionRunner {
 public:
  // Reads each projection's checkpoint.  INVALID_ARGUMENT for an invalid or
  // repeated name; store errors.  A projection whose checkpoint is past the
  // log's head (the log was restored from an older backup) is rebuilt when
  // the runner starts.
  static absl::StatusOr<std::unique_ptr<ProjectionRunner>> Create(
      const EventLog& log, ReadModelStore& store,
      std::vector<std::unique_ptr<Projection>> projections, ProjectionRunnerOptions options = {});

  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;
  // Stops.
  ~ProjectionRunner();

  // Events read and folded at a time within a batch.
  static constexpr size_t kChunkEvents = 10000;

  // Starts following the log.  FAILED_PRECONDITION if it was started before.
  absl::Status Start();
  // Finishes the chunk in hand and the commit in flight, then joins the
  // thread; events folded since the last commit are folded again at the next
  // Start.  Waiters return.
  void Stop();

  // Blocks until every projection's checkpoint (or that of `name`) is at
  // least `position`.  OK then; DEADLINE_EXCEEDED when `deadline` passes
  // first; UNAVAILABLE when a projection waited on has stopped before
  // `position` or the runner is not running; NOT_FOUND for an unknown name.
  absl::Status WaitForPosition(uint64_t position,
                               std::chrono::steady_clock::time_point deadline) const;
  absl::Status WaitForPosition(std::string_view name, uint64_t position,
                               std::chrono::steady_clock::time_point deadline) const;

  // Every projection's status, in the order given to Create.
  std::vector<ProjectionStatus> Lag() const;
  // OK, or the last error reading the log or writing the store (the runner
  // retries every retry_interval); cleared by the next successful commit.
  absl::Status Health() const;

  // Drops the projection's namespace and replays the whole log into it
  // (clearing a failure), then resumes following; blocks until the replay
  // reaches the head as of its start.  Other projections pause meanwhile.
  // Logs the rate.  OK when done; NOT_FOUND for an unknown name;
  // FAILED_PRECONDITION if the runner is not running; ABORTED if it stops
  // first; the projection's Apply error if it fails during the replay.
  absl::Status Rebuild(std::string_view name);
  // Rebuilds every projection in one replay.
  absl::Status RebuildAll();

 private:
  struct Slot;
  struct Pass;
  struct Fold;
  struct InFlight;

  ProjectionRunner(const EventLog& log, ReadModelStore& store, ProjectionRunnerOptions options,
                   std::vector<std::unique_ptr<Slot>> slots);

  void Run();
  // The projections to fold next, from their checkpoints or, for those in
  // the commit in flight, from where it leaves them.
  Pass NextPass();
  // Drops and resets the projections whose rebuild was requested, once the
  // commit in flight is done.
  absl::Status StartRequestedRebuilds();
  // Folds the log from pass.from into the projections of `pass`, a chunk at
  // a time, until `most` events are folded or the log's head is reached,
  // and commits them: in the background if the batch is full (the log goes
  // on), else before returning.
  absl::Status FoldAndCommit(const Pass& pass, size_t most);
  // The chunk of `count` events from `from`: the one read ahead, or read
  // now (waiting up to poll_interval for new events, unless a commit is in
  // flight).
  absl::StatusOr<std::vector<RecordedEvent>> ReadChunk(uint64_t from, size_t count);
  // Folds the events past its checkpoint into one projection's batch, unless
  // it stopped at an earlier event.
  static void FoldEvents(Fold& fold, const std::vector<RecordedEvent>& events);
  // Ends a projection's batch (Projection::Batch::Finish).
  static void FinishFold(Fold& fold);
  // The batch of `slot` in the commit in flight; nullptr if none.
  const ReadModelBatch* InFlightBatch(const Slot* slot) const;
  // Records the commit in flight if its write is done.
  void RecordInFlightIfDone();
  // Waits for the commit in flight, if any, records it and hands it to
  // `finished` (its batches are large: the caller frees them where it
  // suits).  The commit's error, if it failed.
  absl::Status FinishInFlight(std::unique_ptr<InFlight>* finished = nullptr);
  // Moves the checkpoints of a committed batch's projections, stops those
  // whose Apply failed, ends the rebuilds it completes.
  void Record(const std::vector<Fold>& folds, const Checkpoints& checkpoints);
  absl::Status RequestRebuilds(const std::vector<Slot*>& slots);
  void ReportHealth(absl::Status status);
  absl::Status WaitFor(const std::vector<const Slot*>& slots, uint64_t position,
                       std::chrono::steady_clock::time_point deadline) const;

  const EventLog& log_;
  ReadModelStore& store_;
  const ProjectionRunnerOptions options_;
  // The set is fixed at Create; each Slot's mutable fields are GUARDED_BY(mu_).
  const std::vector<std::unique_ptr<Slot>> slots_;

  mutable std::mutex mu_;
  // Signalled when checkpoints or failures change, on Stop, and on a
  // rebuild request.
  mutable std::condition_variable changed_;
  bool running_ = false;   // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool started_ = false;   // Start and Stop's thread only.
  absl::Status health_;    // GUARDED_BY(mu_)
  std::thread thread_;
  std::unique_ptr<TaskPool> fold_pool_;  // Made by Start.

  // The runner's thread only.
  // The chunk read while the last one was folded: `count` events from
  // `from`.
  struct ReadAhead {
    uint64_t from;
    size_t count;
    absl::StatusOr<std::vector<RecordedEvent>> events;
  };
  std::optional<ReadAhead> read_ahead_;
  std::unique_ptr<InFlight> in_flight_;  // The batch being committed.
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_PROJECTION_RUNNER_H_
