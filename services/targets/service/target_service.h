// The haven.targets.v1.TargetService gRPC service: SetTarget and
// WithdrawTarget on a unit's target stream; ListTargets folds that stream
// (now or as of a position or time); GetTargetReport holds the targets
// against each context's statistics, asked through StatisticsSources with
// the caller's own context.
//
// Thread safety: all methods may be called concurrently.  The log and the
// services behind the sources must outlive the service.
#ifndef HAVEN_SERVICES_TARGETS_SERVICE_TARGET_SERVICE_H_
#define HAVEN_SERVICES_TARGETS_SERVICE_TARGET_SERVICE_H_

#include <memory>

#include "haven/targets/v1/target_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/directory/service/directory_view.h"
#include "services/targets/service/statistics_sources.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

class TargetService final : public targets::v1::TargetService::Service {
 public:
  // `sources` answers each context's statistics (targets::SourceOf over
  // the server's services); a context without one answers UNAVAILABLE in
  // a report that needs it.  Every rpc asks `authoriser`
  // (services/access/RULES.md: target_plan, statistics_read).
  TargetService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                std::shared_ptr<storage::Clock> clock,
                std::shared_ptr<access::Authoriser> authoriser,
                targets::StatisticsSources sources);

  grpc::Status SetTarget(grpc::ServerContext* context, const targets::v1::SetTargetRequest* request,
                         targets::v1::CommandResponse* response) override;
  grpc::Status WithdrawTarget(grpc::ServerContext* context,
                              const targets::v1::WithdrawTargetRequest* request,
                              targets::v1::CommandResponse* response) override;
  grpc::Status ListTargets(grpc::ServerContext* context,
                           const targets::v1::ListTargetsRequest* request,
                           targets::v1::ListTargetsResponse* response) override;
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const targets::v1::ListIndicatorsRequest* request,
                              targets::v1::ListIndicatorsResponse* response) override;
  grpc::Status GetTargetReport(grpc::ServerContext* context,
                               const targets::v1::GetTargetReportRequest* request,
                               targets::v1::GetTargetReportResponse* response) override;

 private:
  // The unit a query is about: `requested`, or the caller's own unit when
  // empty (statistics_read; any unit may be asked about).  INVALID_ARGUMENT
  // "unit_id: ..." for a malformed or unknown unit.
  absl::StatusOr<std::string> ScopeQuery(const grpc::ServerContext& context,
                                         const std::string& requested) const;

  // Authorises a command on the request's unit (target_plan, the unit in
  // her subtree), runs it and fills `response`.
  template <typename Request, typename Run>
  grpc::Status RunCommand(grpc::ServerContext& context, const char* rpc, const Request& request,
                          const Run& run, targets::v1::CommandResponse* response);

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const std::shared_ptr<access::Authoriser> authoriser_;
  const targets::StatisticsSources sources_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_TARGETS_SERVICE_TARGET_SERVICE_H_
