// How an access command becomes events: the common executor's request-id
// idempotency and version check (services/common/command_executor.h),
// deciding on an AccessView's state, with the org units checked against
// the directory.
#ifndef HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_COMMANDS_H_
#define HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/access/domain/commands.h"
#include "services/access/service/access_view.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/event_log.h"

namespace haven::services {

// How often a command without an expected version is decided again when
// another command lands between its decision and its append.
inline constexpr int kAccessCommandAttempts = 5;

// Decides `command` and appends its events to the "principals" stream of `log`,
// recording `actor`.  With `expected_version` the stream must be at that
// version (ABORTED carrying the current version otherwise; NOT_FOUND if it
// is empty).  Without it the command is decided on the current state and
// retried up to kAccessCommandAttempts times on a conflict.  Errors:
// INVALID_ARGUMENT for a bad request id or field (before anything is
// read), or "org_unit_id: no unit X"; FAILED_PRECONDITION "rule unit_open:
// ..." for a closed unit; those of access::Decide; ABORTED; the log's.
absl::StatusOr<CommandOutcome> RunAccessCommand(storage::EventLog& log, AccessView& view,
                                                DirectoryView& directory,
                                                const access::Command& command,
                                                std::optional<uint64_t> expected_version,
                                                const std::string& request_id,
                                                const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_COMMANDS_H_
