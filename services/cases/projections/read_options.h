// How a case query waits for its own writes: a command returns the log
// position of its last event, and a query given that position answers only
// once the projection it reads has applied the log up to it.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_READ_OPTIONS_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_READ_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::cases {

struct ReadOptions {
  // Answer only once the projection has applied every event up to this log
  // position.  Default: 0 (answer from whatever it has applied).
  uint64_t min_position = 0;
  // How long to wait for min_position.  Default: 10 seconds from the call.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// OK once namespace `ns` has reached read.min_position.  With a runner it
// waits (ProjectionRunner::WaitForPosition: DEADLINE_EXCEEDED,
// UNAVAILABLE); without one it only checks the stored checkpoint
// (UNAVAILABLE if it is behind).
absl::Status AwaitPosition(const storage::ProjectionRunner* runner,
                           const storage::ReadModelStore& store, std::string_view ns,
                           const ReadOptions& read);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_READ_OPTIONS_H_
