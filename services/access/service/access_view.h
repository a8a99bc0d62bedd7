// AccessView: the access aggregate folded from the "principals" stream of an
// event log and kept current, the way DirectoryView keeps the directory:
// every call first folds in the events appended since the last one, so an
// answer reflects every access command acknowledged before the call (a
// user registered or disabled is known to the very next rpc).  When the
// log has not moved that costs one atomic read.
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the view.
#ifndef HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_VIEW_H_
#define HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/access/domain/access_state.h"
#include "storage/event_log.h"

namespace haven::services {

class AccessView {
 public:
  explicit AccessView(const storage::EventLog& log) : log_(log) {}

  AccessView(const AccessView&) = delete;
  AccessView& operator=(const AccessView&) = delete;

  // Folds in the events appended since the last refresh.  Errors: the log's
  // read errors; INTERNAL or DATA_LOSS if the stream holds an event that
  // does not fit (the state then stays at the last good event).
  absl::Status Refresh();

  // Refreshes, then runs `fn` on the state under the view's lock: `fn` must
  // be quick and must not call back into the view.
  absl::Status Read(absl::FunctionRef<void(const access::AccessState&)> fn);

  // A copy of the user, or nullopt if there is none.  Errors of Refresh.
  absl::StatusOr<std::optional<access::User>> FindUser(const std::string& user_id);

  // How many events of the stream the view has folded.  Errors of Refresh.
  absl::StatusOr<uint64_t> NextVersion();

 private:
  absl::Status RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const storage::EventLog& log_;
  absl::Mutex mu_;
  access::AccessState state_ ABSL_GUARDED_BY(mu_);
  // The log's head position when the stream was last read to its end.
  uint64_t checked_head_ ABSL_GUARDED_BY(mu_) = 0;
};

// Applies one recorded event of the "principals" stream to `state`: it must be
// the next version.  DATA_LOSS if its payload is no AccessEvent; INTERNAL
// if it is out of order or does not fit (see access::Evolve).
absl::Status ApplyRecorded(access::AccessState& state, const storage::RecordedEvent& event);

// The state after `events`, the stream's first events in order.
absl::StatusOr<access::AccessState> FoldAccess(const std::vector<storage::RecordedEvent>& events);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_VIEW_H_
