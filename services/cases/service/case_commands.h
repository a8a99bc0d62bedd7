// How a case command becomes events: the envelope checked, the case's
// stream folded and decided on (services/cases/domain/decide.h), the events
// appended through the common executor (request-id idempotency, expected
// version), and an open_case's org unit checked against the directory.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

// What every command request carries besides the command.
struct CaseCommandEnvelope {
  std::string request_id;
  // For open_case, empty means "derive one from request_id".
  std::string case_id;
  // Required for every command but open_case, which must not have one.
  std::optional<uint64_t> expected_version;
};

struct CaseCommandResult {
  std::string case_id;
  CommandOutcome outcome;
  // See CreatedIdFor (case_ids.h); also on a replayed retry.
  std::string created_id;
};

// Runs `command` for `actor`.  Checked in this order: request_id, case_id,
// expected_version (INVALID_ARGUMENT naming them); a retry of an earlier
// request answers with its first result; the case's version (ABORTED
// carrying the current version; NOT_FOUND case_not_found if there is no
// case); cases::Decide's rules (INVALID_ARGUMENT "<command>.<field>: ...",
// FAILED_PRECONDITION "<rule>: ...", with "metadata haven-actor" for a
// refused actor); for open_case, ALREADY_EXISTS case_exists if the case id
// is taken, then its org unit (INVALID_ARGUMENT
// "open_case.org_unit_id: unit X does not exist", FAILED_PRECONDITION
// "unit_closed: ..."); then the log's errors (UNAVAILABLE...).
// Events are stamped with `clock`'s time when they are decided.
absl::StatusOr<CaseCommandResult> RunCaseCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const CaseCommandEnvelope& envelope,
                                                 const cases::v1::CaseCommand& command,
                                                 const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_
