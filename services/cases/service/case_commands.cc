#include "services/cases/service/case_commands.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/service/case_ids.h"
#include "services/cases/service/case_view.h"
#include "services/common/request_ids.h"
#include "services/common/request_metadata.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

absl::Status CheckEnvelope(const CaseCommandEnvelope& envelope, bool opens) {
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (!(opens && envelope.case_id.empty())) {
    if (auto s = ValidateCaseId(envelope.case_id); !s.ok()) return s;
  }
  if (opens && envelope.expected_version) {
    return absl::InvalidArgumentError(
        "expected_version: must not be set for open_case (a new case has no version)");
  }
  if (!opens && !envelope.expected_version) {
    return absl::InvalidArgumentError(
        "expected_version: is required (the case version the decision was based on)");
  }
  return absl::OkStatus();
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

// The executor's and the domain's answers in the words of this service.
absl::Status Reword(const absl::Status& status, const std::string& case_id, bool opens) {
  if (opens && status.code() == absl::StatusCode::kAborted) {
    // The stream exists: another request opened a case with this id.
    return absl::AlreadyExistsError(absl::StrCat("case_exists: case ", case_id,
                                                 " already exists; open_case creates a new case"));
  }
  if (!opens && status.code() == absl::StatusCode::kNotFound &&
      !absl::StartsWith(status.message(), "case_not_found")) {
    return absl::NotFoundError(
        absl::StrCat("case_not_found: there is no case ", case_id, "; open_case first"));
  }
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      absl::StartsWith(status.message(), "context.actor")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata ", kActorMetadataKey, status.message().substr(sizeof("context.actor") - 1)));
  }
  return status;
}

}  // namespace

absl::StatusOr<CaseCommandResult> RunCaseCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const CaseCommandEnvelope& envelope,
                                                 const v1::CaseCommand& command,
                                                 const std::string& actor) {
  const bool opens = command.has_open_case();
  if (auto s = CheckEnvelope(envelope, opens); !s.ok()) return s;
  CaseCommandResult result;
  result.case_id =
      envelope.case_id.empty() ? CaseIdForRequest(envelope.request_id) : envelope.case_id;
  result.created_id = CreatedIdFor(command, envelope.request_id, result.case_id);

  auto decide = [&](const std::vector<storage::RecordedEvent>& history)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    auto folded = FoldRecorded(history);
    if (!folded.ok()) return folded.status();
    cases::DecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.case_id = result.case_id;
    ctx.new_id = result.created_id;
    auto events = cases::Decide(folded->state, command, ctx);
    if (!events.ok()) return events.status();
    if (opens) {
      if (auto s = CheckOrgUnit(directory, command.open_case().org_unit_id()); !s.ok()) return s;
    }
    std::vector<ProposedEvent> proposed;
    for (const v1::CaseEvent& event : *events) {
      proposed.push_back(ProposedEvent{std::string(cases::EventTypeOf(event)),
                                       cases::EncodeCaseEvent(event),
                                       std::string(cases::kCaseEventContentType)});
    }
    return proposed;
  };
  const CommandContext context{CaseStream(result.case_id), envelope.expected_version,
                               envelope.request_id, actor, envelope.request_id};
  auto outcome = ExecuteCommand(log, context, decide);
  if (!outcome.ok()) return Reword(outcome.status(), result.case_id, opens);
  result.outcome = *outcome;
  return result;
}

}  // namespace haven::services
