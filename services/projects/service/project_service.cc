#include "services/projects/service/project_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/aggregate_ids.h"
#include "services/common/command_rpc.h"
#include "services/common/directory_units.h"
#include "services/common/request_metadata.h"
#include "services/common/small_cells.h"
#include "services/common/stats/calendar.h"
#include "services/common/stream_queries.h"
#include "services/projects/domain/project_event_types.h"
#include "services/projects/projections/project_projections.h"
#include "services/projects/service/project_view.h"

namespace haven::services {
namespace {

namespace v1 = projects::v1;

template <typename Request>
ProjectCommandEnvelope EnvelopeOf(const Request& request) {
  ProjectCommandEnvelope envelope{request.request_id(), request.project_id(), std::nullopt};
  if (request.has_expected_version()) envelope.expected_version = request.expected_version();
  return envelope;
}

ProjectCommandEnvelope EnvelopeOf(const v1::RegisterProjectRequest& request) {
  return {request.request_id(), request.project_id(), std::nullopt};
}

absl::Status NoProject(const std::string& project_id) {
  return absl::NotFoundError(
      absl::StrCat("project_not_found: there is no project ", project_id));
}

}  // namespace

ProjectService::ProjectService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                               std::shared_ptr<storage::Clock> clock,
                               const storage::ReadModelStore* read_models,
                               storage::ProjectionRunner* projections,
                               std::shared_ptr<access::Authoriser> authoriser)
    : log_(log),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      read_models_(read_models),
      projections_(projections),
      authoriser_(std::move(authoriser)) {}

absl::Status ProjectService::AuthorizeRead(const grpc::ServerContext& context,
                                           const std::string& project_id) {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadProgrammes);
  if (!caller.ok()) return caller.status();
  auto unit = ProjectUnit(project_id);
  if (!unit.ok()) return unit.status();
  return authoriser_->CheckRecord(*caller, absl::StrCat("project ", project_id), *unit);
}

absl::StatusOr<std::optional<std::string>> ProjectService::ProjectUnit(
    const std::string& project_id) const {
  auto current = ReadStreamAsOf(log_, project_id, std::nullopt, std::nullopt);
  if (!current.ok()) return current.status();
  auto now = FoldProject(*current);
  if (!now.ok()) return now.status();
  if (!now->state.exists) return std::optional<std::string>();
  return std::optional<std::string>(now->state.unit_id);
}

grpc::Status ProjectService::Run(grpc::ServerContext& context, const char* rpc,
                                 const ProjectCommandEnvelope& envelope,
                                 const v1::ProjectCommand& command,
                                 v1::CommandResponse* response) {
  absl::StatusOr<ProjectCommandResult> result = [&]() -> absl::StatusOr<ProjectCommandResult> {
    auto caller = authoriser_->Authorize(context, access::Permission::kWorkProgrammes);
    if (!caller.ok()) return caller.status();
    // The project's unit (for a registration the unit it names) must be in
    // her reach; a project out of reach answers like a missing one.
    if (command.has_register_project()) {
      if (auto s = authoriser_->CheckUnit(*caller, command.register_project().unit_id());
          !s.ok()) {
        return s;
      }
    } else if (ValidateProjectId(envelope.project_id).ok()) {
      auto unit = ProjectUnit(envelope.project_id);
      if (!unit.ok()) return unit.status();
      if (auto s = authoriser_->CheckRecord(*caller, absl::StrCat("project ", envelope.project_id),
                                            *unit);
          !s.ok()) {
        return s;
      }
    }
    return RunProjectCommand(log_, *directory_, *clock_, envelope, command, caller->user_id);
  }();
  const CommandRpcLabel label{
      "projects", rpc, "project_id",
      result.ok() ? result->project_id
                  : LoggablePrefixedId(envelope.project_id, projects::kProjectIdPrefix)};
  if (!result.ok()) return FinishCommandRpc(context, label, result.status());
  FinishCommandRpc(context, label, result->outcome);
  response->set_project_id(result->project_id);
  response->set_version(result->outcome.version);
  response->set_position(result->outcome.position);
  response->set_replayed(result->outcome.replayed);
  return grpc::Status::OK;
}

// Each command rpc: the request's command as a ProjectCommand, run by Run.
#define HAVEN_PROJECT_COMMAND_RPC(Rpc, member)                                                 \
  grpc::Status ProjectService::Rpc(grpc::ServerContext* context, const v1::Rpc##Request* request, \
                                   v1::CommandResponse* response) {                            \
    v1::ProjectCommand command;                                                                \
    *command.mutable_##member() = request->member();                                           \
    return Run(*context, #Rpc, EnvelopeOf(*request), command, response);                       \
  }

HAVEN_PROJECT_COMMAND_RPC(RegisterProject, register_project)
HAVEN_PROJECT_COMMAND_RPC(StartProject, start_project)
HAVEN_PROJECT_COMMAND_RPC(RecordSpending, record_spending)
HAVEN_PROJECT_COMMAND_RPC(ReportBeneficiaries, report_beneficiaries)
HAVEN_PROJECT_COMMAND_RPC(RecordEvaluation, record_evaluation)
HAVEN_PROJECT_COMMAND_RPC(AcceptProject, accept_project)

#undef HAVEN_PROJECT_COMMAND_RPC

grpc::Status ProjectService::GetProject(grpc::ServerContext* context,
                                        const v1::GetProjectRequest* request,
                                        v1::GetProjectResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateProjectId(request->project_id()); !s.ok()) return s;
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    if (auto s = AuthorizeRead(*context, request->project_id()); !s.ok()) return s;
    std::optional<uint64_t> position;
    std::optional<int64_t> time;
    if (request->has_as_of_position()) position = request->as_of_position();
    if (request->has_as_of_time_us()) time = request->as_of_time_us();
    auto history = ReadStreamAsOf(log_, request->project_id(), position, time);
    if (!history.ok()) return history.status();
    if (history->empty()) return NoProject(request->project_id());
    auto folded = FoldProject(*history);
    if (!folded.ok()) return folded.status();
    *response->mutable_project() = std::move(folded->view);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "projects", "GetProject", status);
}

grpc::Status ProjectService::GetProjectHistory(grpc::ServerContext* context,
                                               const v1::GetProjectHistoryRequest* request,
                                               v1::GetProjectHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateProjectId(request->project_id()); !s.ok()) return s;
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    if (auto s = AuthorizeRead(*context, request->project_id()); !s.ok()) return s;
    auto page = ReadHistoryPage(log_, request->project_id(), request->page_size(),
                                request->page_token());
    if (page.status().code() == absl::StatusCode::kNotFound) {
      return NoProject(request->project_id());
    }
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& recorded : page->events) {
      auto event = projects::ProjectEventTypes().Decode(recorded.type, recorded.payload);
      if (!event.ok()) return event.status();
      v1::ProjectHistoryEntry* entry = response->add_entries();
      entry->set_version(recorded.version);
      entry->set_position(recorded.position);
      entry->set_recorded_at_us(recorded.recorded_time_us);
      entry->set_actor(recorded.actor);
      entry->set_event_type(recorded.type);
      *entry->mutable_event() = std::move(*event);
      entry->set_event_id(recorded.event_id);
      entry->set_request_id(recorded.causation_id);
    }
    response->set_next_page_token(page->next_page_token);
    response->set_project_version(page->stream_version);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "projects", "GetProjectHistory", status);
}

grpc::Status ProjectService::ListProjects(grpc::ServerContext* context,
                                          const v1::ListProjectsRequest* request,
                                          v1::ListProjectsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeUnit(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context, *scope,
                                 request->min_position());
    if (!units.ok()) return units.status();
    auto answer = projects::ListProjects(*read_models_, *units, *request);
    if (!answer.ok()) return answer.status();
    *response = std::move(*answer);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "projects", "ListProjects", status);
}

grpc::Status ProjectService::GetProjectStatistics(grpc::ServerContext* context,
                                                  const v1::GetProjectStatisticsRequest* request,
                                                  v1::GetProjectStatisticsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto period = stats::ParseStatsPeriod(request->from_day(), request->to_day(),
                                          request->has_as_of_day() ? &request->as_of_day()
                                                                   : nullptr);
    if (!period.ok()) return period.status();
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeStatistics(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context, scope->unit,
                                 request->min_position());
    if (!units.ok()) return units.status();
    auto answer = projects::ProjectStatistics(*read_models_, *units, *period);
    if (!answer.ok()) return answer.status();
    *response->mutable_statistics() = std::move(*answer);
    if (!scope->exact) {
      SmallCellRules rules;
      rules.rate_message = "";
      for (std::string& path : SuppressSmallCells(*response->mutable_statistics(), rules)) {
        response->mutable_suppressed_cells()->Add(std::move(path));
      }
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "projects", "GetProjectStatistics", status);
}

}  // namespace haven::services
