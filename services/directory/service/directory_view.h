// DirectoryView: the directory folded from the "directory" stream of an
// event log and kept current.  It is the read side other bounded contexts
// use (does a unit exist, which units make up a subtree) and the state the
// directory service decides on and answers queries from.
//
// Every call first folds in the events appended since the last call, so an
// answer reflects every directory command acknowledged before the call.
// When the log has not moved that costs one atomic read; the tree (about 600
// units for a city) is small enough to keep whole in memory.
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the view.
#ifndef HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_VIEW_H_
#define HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/directory/domain/directory.h"
#include "storage/event_log.h"

namespace haven::services {

class DirectoryView {
 public:
  explicit DirectoryView(const storage::EventLog& log) : log_(log) {}

  DirectoryView(const DirectoryView&) = delete;
  DirectoryView& operator=(const DirectoryView&) = delete;

  // Folds in the events appended since the last refresh.  Errors: the log's
  // read errors; INTERNAL or DATA_LOSS if the stream holds an event that
  // does not fit (the state then stays at the last good event).
  absl::Status Refresh();

  // Refreshes, then runs `fn` on the state while holding the view's lock:
  // `fn` must be quick and must not call back into the view.  Errors: those
  // of Refresh (then `fn` does not run).
  absl::Status Read(absl::FunctionRef<void(const directory::Directory&)> fn);

  // The ids of `unit_id` and all its descendants, open and closed, depth
  // first.  NOT_FOUND if there is no such unit; errors of Refresh.
  absl::StatusOr<std::vector<std::string>> Subtree(const std::string& unit_id);

  // True if a unit with this id was ever created (it may be closed).  When
  // the log cannot be read, answers from the last state read (units are
  // never deleted, so a true answer stays true).
  bool Exists(const std::string& unit_id);

  // True if the unit exists and is open; like Exists when the log fails.
  bool IsOpen(const std::string& unit_id);

  // A copy of the unit.  NOT_FOUND if there is none; errors of Refresh.
  absl::StatusOr<directory::Unit> Get(const std::string& unit_id);

  // True if `unit_id` is `root_id` or lies below it (for "unit subtree"
  // filters one case at a time); false if either is unknown.
  bool IsInSubtree(const std::string& unit_id, const std::string& root_id);

  // How many events of the stream the view has folded: the version the
  // next directory event gets.  Errors of Refresh.
  absl::StatusOr<uint64_t> NextVersion();

 private:
  absl::Status RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Refreshes, logging a failure, for the answers that cannot carry one.
  void RefreshOrWarnLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const storage::EventLog& log_;
  absl::Mutex mu_;
  directory::Directory state_ ABSL_GUARDED_BY(mu_);
  // The log's head position when the stream was last read to its end.
  uint64_t checked_head_ ABSL_GUARDED_BY(mu_) = 0;
};

// Applies one recorded event of the "directory" stream to `state`: it must
// be the next version.  DATA_LOSS if its payload is no DirectoryEvent;
// INTERNAL if it is out of order or does not fit (see directory::Evolve).
absl::Status ApplyRecorded(directory::Directory& state, const storage::RecordedEvent& event);

// The state after `events`, the stream's first events in order.
absl::StatusOr<directory::Directory> FoldDirectory(
    const std::vector<storage::RecordedEvent>& events);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_VIEW_H_
