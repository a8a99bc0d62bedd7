// The haven.projects.v1.ProjectService gRPC service: each command rpc
// becomes a ProjectCommand run by RunProjectCommand; GetProject and
// GetProjectHistory read the project's own stream; ListProjects and
// GetProjectStatistics read the project projections
// (services/projects/projections) kept by the server's runner.
//
// Thread safety: all methods may be called concurrently.  The log, store
// and runner must outlive the service.
#ifndef HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_SERVICE_H_
#define HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_SERVICE_H_

#include <memory>
#include <optional>
#include <string>

#include "haven/projects/v1/project_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/directory/service/directory_view.h"
#include "services/projects/service/project_commands.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

class ProjectService final : public projects::v1::ProjectService::Service {
 public:
  // `read_models` and `projections` keep the project projections
  // (projects::MakeProjectProjections()); without them ListProjects and
  // GetProjectStatistics answer UNAVAILABLE.  Every rpc asks `authoriser`
  // first.
  ProjectService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                 std::shared_ptr<storage::Clock> clock, const storage::ReadModelStore* read_models,
                 storage::ProjectionRunner* projections,
                 std::shared_ptr<access::Authoriser> authoriser);

#define HAVEN_PROJECT_COMMAND_RPC_DECL(Rpc)                                               \
  grpc::Status Rpc(grpc::ServerContext* context, const projects::v1::Rpc##Request* request, \
                   projects::v1::CommandResponse* response) override;
  HAVEN_PROJECT_COMMAND_RPC_DECL(RegisterProject)
  HAVEN_PROJECT_COMMAND_RPC_DECL(StartProject)
  HAVEN_PROJECT_COMMAND_RPC_DECL(RecordSpending)
  HAVEN_PROJECT_COMMAND_RPC_DECL(ReportBeneficiaries)
  HAVEN_PROJECT_COMMAND_RPC_DECL(RecordEvaluation)
  HAVEN_PROJECT_COMMAND_RPC_DECL(AcceptProject)
#undef HAVEN_PROJECT_COMMAND_RPC_DECL

  grpc::Status GetProject(grpc::ServerContext* context,
                          const projects::v1::GetProjectRequest* request,
                          projects::v1::GetProjectResponse* response) override;
  grpc::Status GetProjectHistory(grpc::ServerContext* context,
                                 const projects::v1::GetProjectHistoryRequest* request,
                                 projects::v1::GetProjectHistoryResponse* response) override;
  grpc::Status ListProjects(grpc::ServerContext* context,
                            const projects::v1::ListProjectsRequest* request,
                            projects::v1::ListProjectsResponse* response) override;
  grpc::Status GetProjectStatistics(grpc::ServerContext* context,
                                    const projects::v1::GetProjectStatisticsRequest* request,
                                    projects::v1::GetProjectStatisticsResponse* response) override;

 private:
  grpc::Status Run(grpc::ServerContext& context, const char* rpc,
                   const ProjectCommandEnvelope& envelope,
                   const projects::v1::ProjectCommand& command,
                   projects::v1::CommandResponse* response);
  // The caller, if she may read the project (which need not exist).
  absl::Status AuthorizeRead(const grpc::ServerContext& context, const std::string& project_id);
  // The project's unit as it is now; nullopt if there is no such project.
  absl::StatusOr<std::optional<std::string>> ProjectUnit(const std::string& project_id) const;

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore* const read_models_;
  storage::ProjectionRunner* const projections_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_SERVICE_H_
