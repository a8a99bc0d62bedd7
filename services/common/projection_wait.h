// Read-your-writes for queries answered by projections: wait, within the
// call's deadline, until they have applied the log up to a position.
#ifndef HAVEN_SERVICES_COMMON_PROJECTION_WAIT_H_
#define HAVEN_SERVICES_COMMON_PROJECTION_WAIT_H_

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "storage/projection_runner.h"

namespace haven::services {

// The longest a query waits for min_position, whatever its deadline.
inline constexpr std::chrono::seconds kMaxProjectionWait{30};

// OK at once for min_position 0, or once every projection of `runner` has
// applied the log up to min_position; DEADLINE_EXCEEDED "min_position: ..."
// when the call's deadline (or kMaxProjectionWait) passes first.
absl::Status WaitForProjections(storage::ProjectionRunner& runner,
                                const grpc::ServerContextBase& context, uint64_t min_position);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_PROJECTION_WAIT_H_
