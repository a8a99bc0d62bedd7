// How a loan command becomes events: the envelope checked, the units it
// involves looked up in the directory, the loan aggregate's Decide run on
// the loan's stream through RunAggregateCommand (request-id idempotency,
// expected version, "loan_exists" / "loan_not_found").
#ifndef HAVEN_SERVICES_LOANS_SERVICE_LOAN_COMMANDS_H_
#define HAVEN_SERVICES_LOANS_SERVICE_LOAN_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/loans/v1/loan_commands.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

struct LoanCommandEnvelope {
  std::string request_id;
  // For apply_for_loan, empty means "derive one from request_id".
  std::string loan_id;
  // Required for every command but apply_for_loan, which must not have one.
  std::optional<uint64_t> expected_version;
};

struct LoanCommandResult {
  std::string loan_id;
  CommandOutcome outcome;
};

// The unit `command` acts for: its acting_unit_id, or for apply_for_loan
// the applicant's village; empty if it names none.
std::string ActingUnitOf(const loans::v1::LoanCommand& command);

// Runs `command` for `actor`: request_id, loan_id and expected_version
// checked (INVALID_ARGUMENT naming them), then as RunAggregateCommand with
// loans::Decide.  Events are stamped with `clock`'s time.
absl::StatusOr<LoanCommandResult> RunLoanCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const LoanCommandEnvelope& envelope,
                                                 const loans::v1::LoanCommand& command,
                                                 const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_LOANS_SERVICE_LOAN_COMMANDS_H_
