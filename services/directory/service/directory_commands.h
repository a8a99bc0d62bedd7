// How a directory command becomes an event: the common executor's request-id
// idempotency and version check (services/common/command_executor.h),
// deciding on a DirectoryView's state.
#ifndef HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_COMMANDS_H_
#define HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/command_executor.h"
#include "services/directory/domain/commands.h"
#include "services/directory/service/directory_view.h"
#include "storage/event_log.h"

namespace haven::services {

// How often a command without an expected version is decided again when
// another command lands between its decision and its append.
inline constexpr int kDirectoryCommandAttempts = 5;

// Decides `command` and appends its event to the "directory" stream of
// `log`, recording `actor`.  With `expected_version` the directory must be
// at that version (ABORTED carrying the current version otherwise; NOT_FOUND
// if the directory is empty).  Without it the command is decided on the
// current directory and retried up to kDirectoryCommandAttempts times on a
// conflict.  A request id seen before returns its first outcome and writes
// nothing.  Errors: INVALID_ARGUMENT for a bad request id or field (before
// anything is read); those of directory::Decide; ABORTED; the log's.
absl::StatusOr<CommandOutcome> RunDirectoryCommand(storage::EventLog& log, DirectoryView& view,
                                                   const directory::Command& command,
                                                   std::optional<uint64_t> expected_version,
                                                   const std::string& request_id,
                                                   const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_COMMANDS_H_
