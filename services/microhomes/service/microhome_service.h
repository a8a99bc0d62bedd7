// The haven.microhomes.v1.MicroHomeService gRPC service: each command rpc
// becomes a MicroHomeCommand run by RunMicroHomeCommand; GetMicroHome and
// GetMicroHomeHistory read the micro-home's own stream; ListMicroHomes,
// GetMicroHomeCompliance and GetMicroHomeStatistics read the micro-home
// projections (services/microhomes/projections) kept by the server's
// runner.
//
// Thread safety: all methods may be called concurrently.  The log, store
// and runner must outlive the service.
#ifndef HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_SERVICE_H_
#define HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_SERVICE_H_

#include <memory>

#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/directory/service/directory_view.h"
#include "services/microhomes/service/microhome_commands.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

class MicroHomeService final : public microhomes::v1::MicroHomeService::Service {
 public:
  // `read_models` and `projections` keep the micro-home projections
  // (microhomes::MakeMicroHomeProjections()); without them the list,
  // compliance and statistics rpcs answer UNAVAILABLE.  Every rpc asks
  // `authoriser` first.
  MicroHomeService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                   std::shared_ptr<storage::Clock> clock,
                   const storage::ReadModelStore* read_models,
                   storage::ProjectionRunner* projections,
                   std::shared_ptr<access::Authoriser> authoriser);

#define HAVEN_MICROHOME_COMMAND_RPC_DECL(Rpc)                                               \
  grpc::Status Rpc(grpc::ServerContext* context, const microhomes::v1::Rpc##Request* request, \
                   microhomes::v1::CommandResponse* response) override;
  HAVEN_MICROHOME_COMMAND_RPC_DECL(RegisterMicroHome)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(ChangeHost)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(PairExecutive)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(UnpairExecutive)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(DesignateDemonstration)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(WithdrawDemonstration)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(RecordActivity)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(GrantTitle)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(RecertifyTitle)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(RevokeTitle)
  HAVEN_MICROHOME_COMMAND_RPC_DECL(CloseMicroHome)
#undef HAVEN_MICROHOME_COMMAND_RPC_DECL

  grpc::Status GetMicroHome(grpc::ServerContext* context,
                            const microhomes::v1::GetMicroHomeRequest* request,
                            microhomes::v1::GetMicroHomeResponse* response) override;
  grpc::Status GetMicroHomeHistory(grpc::ServerContext* context,
                                   const microhomes::v1::GetMicroHomeHistoryRequest* request,
                                   microhomes::v1::GetMicroHomeHistoryResponse* response) override;
  grpc::Status ListMicroHomes(grpc::ServerContext* context,
                              const microhomes::v1::ListMicroHomesRequest* request,
                              microhomes::v1::ListMicroHomesResponse* response) override;
  grpc::Status GetMicroHomeCompliance(
      grpc::ServerContext* context, const microhomes::v1::GetMicroHomeComplianceRequest* request,
      microhomes::v1::GetMicroHomeComplianceResponse* response) override;
  grpc::Status GetMicroHomeStatistics(
      grpc::ServerContext* context, const microhomes::v1::GetMicroHomeStatisticsRequest* request,
      microhomes::v1::GetMicroHomeStatisticsResponse* response) override;

 private:
  grpc::Status Run(grpc::ServerContext& context, const char* rpc,
                   const MicroHomeCommandEnvelope& envelope,
                   const microhomes::v1::MicroHomeCommand& command,
                   microhomes::v1::CommandResponse* response);
  // The caller, if she may read the micro-home of `unit_id`.
  absl::StatusOr<access::Principal> AuthorizeRead(const grpc::ServerContext& context,
                                                  const std::string& unit_id) const;
  // The units of a list or compliance query within the caller's reach.
  absl::StatusOr<std::vector<std::string>> ReadableSubtree(const grpc::ServerContext& context,
                                                           const std::string& requested,
                                                           uint64_t min_position);

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore* const read_models_;
  storage::ProjectionRunner* const projections_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_SERVICE_H_
