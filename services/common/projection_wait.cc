#include "services/common/projection_wait.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace haven::services {

absl::Status WaitForProjections(storage::ProjectionRunner& runner,
                                const grpc::ServerContextBase& context, uint64_t min_position) {
  if (min_position == 0) return absl::OkStatus();
  using std::chrono::steady_clock;
  using std::chrono::system_clock;
  // Compare before subtracting: a call without a deadline has the largest
  // time point, and `deadline - now` would overflow.
  const system_clock::time_point now = system_clock::now();
  const system_clock::time_point deadline = context.deadline();
  system_clock::duration wait = kMaxProjectionWait;
  if (deadline < now + kMaxProjectionWait) wait = std::max(deadline - now, wait.zero());
  absl::Status status = runner.WaitForPosition(
      min_position,
      steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wait));
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::DeadlineExceededError(absl::StrCat(
        "min_position: the read models did not reach position ", min_position,
        " within the call's deadline"));
  }
  return status;
}

}  // namespace haven::services
