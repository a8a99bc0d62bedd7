// How a case command becomes events: the envelope checked, the case's
// stream folded and decided on (services/cases/domain/decide.h), the events
// appended through the common executor (request-id idempotency, expected
// version), and an open_case's org unit checked against the directory.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "services/cases/domain/case_state.h"
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

// Authorises a command on the case as it is now (state.exists false when
// there is none, as always for open_case), before anything is decided or
// written; its error is the command's answer.
using CaseCommandGate = std::function<absl::Status(const cases::CaseState& state,
                                                   const cases::v1::CaseCommand& command)>;

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
//
// With a `gate`, it runs after the envelope is checked: for open_case
// before anything is read, and for every command on the folded case right
// before it is decided.  The answers the executor gives without deciding
// (the case does not exist, its version moved on, it exists already, a
// retry's first result) would tell whether a case exists and how far it
// has come, so they are given only if the gate, asked again on the case as
// it is, lets the caller see it; otherwise the gate's refusal is.
absl::StatusOr<CaseCommandResult> RunCaseCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const CaseCommandEnvelope& envelope,
                                                 const cases::v1::CaseCommand& command,
                                                 const std::string& actor,
                                                 const CaseCommandGate& gate = nullptr);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_COMMANDS_H_
