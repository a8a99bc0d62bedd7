#include "services/projects/service/project_commands.h"

#include <vector>

#include "services/common/aggregate_command.h"
#include "services/common/aggregate_ids.h"
#include "services/common/directory_units.h"
#include "services/common/request_ids.h"
#include "services/projects/domain/project_decide.h"
#include "services/projects/domain/project_event_types.h"
#include "services/projects/service/project_view.h"

namespace haven::services {
namespace {

namespace v1 = projects::v1;

ProposedEvent EncodeForLog(const v1::ProjectEvent& event) {
  const auto& types = projects::ProjectEventTypes();
  return ProposedEvent{std::string(types.TypeOf(event)), types.Encode(event),
                       std::string(projects::kProjectEventContentType)};
}

const Aggregate<FoldedProject, v1::ProjectEvent> kProjectAggregate{
    "project", "register_project", &FoldProject, &EncodeForLog};

}  // namespace

absl::Status ValidateProjectId(const std::string& project_id, const std::string& field) {
  return ValidatePrefixedId(project_id, projects::kProjectIdPrefix, field);
}

absl::StatusOr<ProjectCommandResult> RunProjectCommand(
    storage::EventLog& log, DirectoryView& directory, const storage::Clock& clock,
    const ProjectCommandEnvelope& envelope, const v1::ProjectCommand& command,
    const std::string& actor) {
  const bool registers = command.has_register_project();
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (!(registers && envelope.project_id.empty())) {
    if (auto s = ValidateProjectId(envelope.project_id); !s.ok()) return s;
  }
  if (auto s = CheckExpectedVersionGiven("project", "register_project", registers,
                                         envelope.expected_version);
      !s.ok()) {
    return s;
  }
  ProjectCommandResult result;
  result.project_id = envelope.project_id.empty()
                          ? PrefixedIdForRequest(projects::kProjectIdPrefix, envelope.request_id,
                                                 "haven.projects/project-id")
                          : envelope.project_id;
  auto decide = [&](const FoldedProject& folded) {
    projects::DecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.project_id = result.project_id;
    ctx.unit = LookUpUnit(directory, registers ? command.register_project().unit_id()
                                               : folded.state.unit_id);
    if (command.has_report_beneficiaries()) {
      ctx.township = LookUpUnit(directory, command.report_beneficiaries().township_unit_id());
    }
    return projects::Decide(folded.state, command, ctx);
  };
  const CommandContext context{result.project_id, envelope.expected_version, envelope.request_id,
                               actor, envelope.request_id};
  auto outcome = RunAggregateCommand(log, kProjectAggregate, result.project_id, context, decide);
  if (!outcome.ok()) return outcome.status();
  result.outcome = *outcome;
  return result;
}

}  // namespace haven::services
