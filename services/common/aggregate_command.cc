#include "services/common/aggregate_command.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/request_metadata.h"

namespace haven::services {

absl::Status CheckExpectedVersionGiven(absl::string_view name, absl::string_view create_command,
                                       bool creates, const std::optional<uint64_t>& expected) {
  if (creates && expected) {
    return absl::InvalidArgumentError(absl::StrCat("expected_version: must not be set for ",
                                                   create_command, " (a new ", name,
                                                   " has no version)"));
  }
  if (!creates && !expected) {
    return absl::InvalidArgumentError(absl::StrCat("expected_version: is required (the ", name,
                                                   " version the decision was based on)"));
  }
  return absl::OkStatus();
}

absl::Status RewordCommandError(const absl::Status& status, absl::string_view name,
                                absl::string_view create_command, const std::string& id,
                                bool creates) {
  if (creates && status.code() == absl::StatusCode::kAborted) {
    // The stream exists: another request created an aggregate with this id.
    return absl::AlreadyExistsError(absl::StrCat(name, "_exists: ", name, " ", id,
                                                 " already exists; ", create_command,
                                                 " creates a new ", name));
  }
  if (!creates && status.code() == absl::StatusCode::kNotFound &&
      !absl::StartsWith(status.message(), absl::StrCat(name, "_not_found"))) {
    return absl::NotFoundError(absl::StrCat(name, "_not_found: there is no ", name, " ", id, "; ",
                                            create_command, " first"));
  }
  constexpr absl::string_view kActorPath = "context.actor";
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      absl::StartsWith(status.message(), kActorPath)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metadata ", kActorMetadataKey, status.message().substr(kActorPath.size())));
  }
  return status;
}

}  // namespace haven::services
