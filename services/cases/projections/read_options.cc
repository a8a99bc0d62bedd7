#include "services/cases/projections/read_options.h"

#include "absl/strings/str_cat.h"

namespace haven::cases {

absl::Status AwaitPosition(const storage::ProjectionRunner* runner,
                           const storage::ReadModelStore& store, std::string_view ns,
                           const ReadOptions& read) {
  if (read.min_position == 0) return absl::OkStatus();
  if (runner != nullptr) {
    const auto deadline =
        read.deadline.value_or(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    return runner->WaitForPosition(ns, read.min_position, deadline);
  }
  absl::StatusOr<uint64_t> checkpoint = store.Checkpoint(ns);
  if (!checkpoint.ok()) return checkpoint.status();
  if (*checkpoint < read.min_position) {
    return absl::UnavailableError(absl::StrCat("projection ", std::string(ns),
                                               " has applied the log up to position ", *checkpoint,
                                               ", not yet ", read.min_position));
  }
  return absl::OkStatus();
}

}  // namespace haven::cases
