// The haven.children.v1.ChildrenService gRPC service: each command rpc
// becomes a ChildCommand (or MentorCommand) run by RunChildCommand;
// GetChild, GetChildHistory and GetMentor read the aggregate's own stream;
// ListChildren and GetChildrenStatistics read the children projections
// (services/children/projections) kept by the server's runner.
//
// Who may call what (services/access/RULES.md), and on which unit:
// - Commands (programme_work, operators): the unit of the record the
//   command addresses, as registered: the child's for every child command
//   (PairChild included: the pairing rules then require the mentor's area
//   to hold the child's unit, mentor_out_of_area), the mentor's for
//   RegisterMentor.  A registration: the unit it names, and when the id is
//   taken, the unit of the record that holds it.  A record out of reach
//   and one that does not exist answer alike (PERMISSION_DENIED "rule
//   operator_unit_subtree: child X is outside ..."); a client-chosen id
//   taken out of reach gets that denial too.
// - GetChild, GetChildHistory, GetMentor (programme_read, operators and
//   supervisors): the record's unit, the same way.
// - ListChildren (programme_read): the subtree asked for, her own unit's
//   when none is given; one outside her subtree is denied.
// - GetChildrenStatistics (statistics_read): any unit (her own when none is
//   given); outside her subtree small cells are withheld and listed in
//   suppressed_cells.
//
// Thread safety: all methods may be called concurrently.  The log, store
// and runner must outlive the service.
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_SERVICE_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_SERVICE_H_

#include <memory>
#include <optional>
#include <string>

#include "haven/children/v1/children_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/children/service/children_commands.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

class ChildrenService final : public children::v1::ChildrenService::Service {
 public:
  // `read_models` and `projections` keep the children projections
  // (children::MakeChildrenProjections()); without them ListChildren and
  // GetChildrenStatistics answer UNAVAILABLE.  Every rpc asks `authoriser`
  // first (see above).
  ChildrenService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                  std::shared_ptr<storage::Clock> clock,
                  const storage::ReadModelStore* read_models,
                  storage::ProjectionRunner* projections,
                  std::shared_ptr<access::Authoriser> authoriser);

#define HAVEN_CHILDREN_COMMAND_RPC_DECL(Rpc)                                                   \
  grpc::Status Rpc(grpc::ServerContext* context, const children::v1::Rpc##Request* request, \
                   children::v1::CommandResponse* response) override;
  HAVEN_CHILDREN_COMMAND_RPC_DECL(RegisterChild)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(RegisterMentor)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(PairChild)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(RecordVisit)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(DeliverSupport)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(PayStipend)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(CheckStatus)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(ReferCounselling)
  HAVEN_CHILDREN_COMMAND_RPC_DECL(EndPairing)
#undef HAVEN_CHILDREN_COMMAND_RPC_DECL

  grpc::Status GetChild(grpc::ServerContext* context, const children::v1::GetChildRequest* request,
                        children::v1::GetChildResponse* response) override;
  grpc::Status GetChildHistory(grpc::ServerContext* context,
                               const children::v1::GetChildHistoryRequest* request,
                               children::v1::GetChildHistoryResponse* response) override;
  grpc::Status GetMentor(grpc::ServerContext* context,
                         const children::v1::GetMentorRequest* request,
                         children::v1::GetMentorResponse* response) override;
  grpc::Status ListChildren(grpc::ServerContext* context,
                            const children::v1::ListChildrenRequest* request,
                            children::v1::ListChildrenResponse* response) override;
  grpc::Status GetChildrenStatistics(grpc::ServerContext* context,
                                     const children::v1::GetChildrenStatisticsRequest* request,
                                     children::v1::GetChildrenStatisticsResponse* response) override;

 private:
  grpc::Status Run(grpc::ServerContext& context, const char* rpc,
                   const ChildrenCommandEnvelope& envelope,
                   const children::v1::ChildCommand& command,
                   children::v1::CommandResponse* response);
  // The gate of a command by `caller` (see above): `what` is "child" or
  // "mentor", `registers_in` the unit a registration names (nullopt for
  // the other commands).
  ChildrenCommandGate GateFor(const access::Principal& caller, const char* what,
                              std::optional<std::string> registers_in) const;
  // OK if `caller` may see the record `id` (`what`: "child" or "mentor")
  // whose unit `unit_of` reads; the denial otherwise, the same for a record
  // that does not exist (see above).
  using UnitOf = absl::StatusOr<std::optional<std::string>> (*)(const storage::EventLog& log,
                                                                const std::string& id);
  absl::Status CheckInReach(const access::Principal& caller, const char* what,
                            const std::string& id, UnitOf unit_of) const;
  grpc::Status Finish(grpc::ServerContext& context, const char* rpc, const char* id_key,
                      const std::string& loggable_id,
                      const absl::StatusOr<ChildrenCommandResult>& result,
                      children::v1::CommandResponse* response);

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore* const read_models_;
  storage::ProjectionRunner* const projections_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_SERVICE_H_
