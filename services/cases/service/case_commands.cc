#include "services/cases/service/case_commands.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/service/case_ids.h"
#include "services/cases/service/case_view.h"
#include "services/common/aggregate_command.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

absl::Status CheckEnvelope(const CaseCommandEnvelope& envelope, bool opens) {
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (!(opens && envelope.case_id.empty())) {
    if (auto s = ValidateCaseId(envelope.case_id); !s.ok()) return s;
  }
  return CheckExpectedVersionGiven("case", "open_case", opens, envelope.expected_version);
}

absl::Status CheckOrgUnit(DirectoryView& directory, const std::string& unit_id) {
  if (!directory.Exists(unit_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("open_case.org_unit_id: unit ", unit_id, " does not exist"));
  }
  if (!directory.IsOpen(unit_id)) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit_closed: unit ", unit_id, " is closed and takes no new cases"));
  }
  return absl::OkStatus();
}

ProposedEvent EncodeForLog(const v1::CaseEvent& event) {
  return ProposedEvent{std::string(cases::EventTypeOf(event)), cases::EncodeCaseEvent(event),
                       std::string(cases::kCaseEventContentType)};
}

const Aggregate<FoldedCase, v1::CaseEvent> kCaseAggregate{"case", "open_case", &FoldRecorded,
                                                          &EncodeForLog};

// True for the answers the executor gives without deciding, which tell
// whether the case exists and how far it has come.
bool TellsOfTheCase(const absl::StatusOr<CommandOutcome>& outcome) {
  if (outcome.ok()) return outcome->replayed;
  const absl::StatusCode code = outcome.status().code();
  return code == absl::StatusCode::kNotFound || code == absl::StatusCode::kAborted ||
         code == absl::StatusCode::kAlreadyExists;
}

// The gate's answer on the case as it is now.
absl::Status GateOnCurrentCase(const storage::EventLog& log, const std::string& case_id,
                               const v1::CaseCommand& command, const CaseCommandGate& gate) {
  auto history = ReadWholeStream(log, CaseStream(case_id));
  if (!history.ok()) return history.status();
  auto folded = FoldRecorded(*history);
  if (!folded.ok()) return folded.status();
  return gate(folded->state, command);
}

}  // namespace

absl::StatusOr<CaseCommandResult> RunCaseCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const CaseCommandEnvelope& envelope,
                                                 const v1::CaseCommand& command,
                                                 const std::string& actor,
                                                 const CaseCommandGate& gate) {
  const bool opens = command.has_open_case();
  if (auto s = CheckEnvelope(envelope, opens); !s.ok()) return s;
  if (gate && opens) {
    if (auto s = gate(cases::CaseState(), command); !s.ok()) return s;
  }
  CaseCommandResult result;
  result.case_id =
      envelope.case_id.empty() ? CaseIdForRequest(envelope.request_id) : envelope.case_id;
  result.created_id = CreatedIdFor(command, envelope.request_id, result.case_id);

  auto decide = [&](const FoldedCase& folded) -> absl::StatusOr<std::vector<v1::CaseEvent>> {
    if (gate) {
      if (auto s = gate(folded.state, command); !s.ok()) return s;
    }
    cases::DecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.case_id = result.case_id;
    ctx.new_id = result.created_id;
    auto events = cases::Decide(folded.state, command, ctx);
    if (!events.ok()) return events.status();
    if (opens) {
      if (auto s = CheckOrgUnit(directory, command.open_case().org_unit_id()); !s.ok()) return s;
    }
    return events;
  };
  const CommandContext context{CaseStream(result.case_id), envelope.expected_version,
                               envelope.request_id, actor, envelope.request_id};
  auto outcome = RunAggregateCommand(log, kCaseAggregate, result.case_id, context, decide);
  if (gate && TellsOfTheCase(outcome)) {
    if (auto s = GateOnCurrentCase(log, result.case_id, command, gate); !s.ok()) return s;
  }
  if (!outcome.ok()) return outcome.status();
  result.outcome = *outcome;
  return result;
}

}  // namespace haven::services
