// The haven.loans.v1.LoanService gRPC service: each command rpc becomes a
// LoanCommand run by RunLoanCommand; GetLoan and GetLoanHistory read the
// loan's own stream; ListLoans and GetLoanStatistics read the loan
// projections (services/loans/projections) kept by the server's runner.
//
// Thread safety: all methods may be called concurrently.  The log, store
// and runner must outlive the service.
#ifndef HAVEN_SERVICES_LOANS_SERVICE_LOAN_SERVICE_H_
#define HAVEN_SERVICES_LOANS_SERVICE_LOAN_SERVICE_H_

#include <memory>

#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/directory/service/directory_view.h"
#include "services/loans/service/loan_commands.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

class LoanService final : public loans::v1::LoanService::Service {
 public:
  // `read_models` and `projections` keep the loan projections
  // (loans::MakeLoanProjections()); without them ListLoans and
  // GetLoanStatistics answer UNAVAILABLE.  Every rpc asks `authoriser`
  // (services/access/RULES.md: programme_work, programme_read,
  // statistics_read): commands for units of her subtree, loans of villages
  // in it, statistics of any unit with small cells withheld outside it.
  LoanService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
              std::shared_ptr<storage::Clock> clock, const storage::ReadModelStore* read_models,
              storage::ProjectionRunner* projections,
              std::shared_ptr<access::Authoriser> authoriser);

#define HAVEN_LOAN_COMMAND_RPC_DECL(Rpc)                                                       \
  grpc::Status Rpc(grpc::ServerContext* context, const loans::v1::Rpc##Request* request, \
                   loans::v1::CommandResponse* response) override;
  HAVEN_LOAN_COMMAND_RPC_DECL(ApplyForLoan)
  HAVEN_LOAN_COMMAND_RPC_DECL(CertifyLoan)
  HAVEN_LOAN_COMMAND_RPC_DECL(SubmitLoan)
  HAVEN_LOAN_COMMAND_RPC_DECL(GiveCountyOpinion)
  HAVEN_LOAN_COMMAND_RPC_DECL(RecordLenderDecision)
  HAVEN_LOAN_COMMAND_RPC_DECL(DisburseLoan)
  HAVEN_LOAN_COMMAND_RPC_DECL(PaySubsidy)
  HAVEN_LOAN_COMMAND_RPC_DECL(RecordRepayment)
  HAVEN_LOAN_COMMAND_RPC_DECL(MarkOverdue)
  HAVEN_LOAN_COMMAND_RPC_DECL(SettleLoan)
  HAVEN_LOAN_COMMAND_RPC_DECL(ReportJobsCreated)
  HAVEN_LOAN_COMMAND_RPC_DECL(WithdrawLoan)
#undef HAVEN_LOAN_COMMAND_RPC_DECL

  grpc::Status GetLoan(grpc::ServerContext* context, const loans::v1::GetLoanRequest* request,
                       loans::v1::GetLoanResponse* response) override;
  grpc::Status GetLoanHistory(grpc::ServerContext* context,
                              const loans::v1::GetLoanHistoryRequest* request,
                              loans::v1::GetLoanHistoryResponse* response) override;
  grpc::Status ListLoans(grpc::ServerContext* context, const loans::v1::ListLoansRequest* request,
                         loans::v1::ListLoansResponse* response) override;
  grpc::Status GetLoanStatistics(grpc::ServerContext* context,
                                 const loans::v1::GetLoanStatisticsRequest* request,
                                 loans::v1::GetLoanStatisticsResponse* response) override;

 private:
  grpc::Status Run(grpc::ServerContext& context, const char* rpc,
                   const LoanCommandEnvelope& envelope, const loans::v1::LoanCommand& command,
                   loans::v1::CommandResponse* response);
  // The units of the subtree `unit_id` names, after waiting for the
  // projections to reach `min_position`.  INVALID_ARGUMENT "unit_subtree:
  // ..."; UNAVAILABLE without projections; DEADLINE_EXCEEDED.
  absl::StatusOr<std::vector<std::string>> SubtreeForQuery(const grpc::ServerContext& context,
                                                           const std::string& unit_id,
                                                           uint64_t min_position);

  // The caller, if she may read loan `loan_id` (of village `village`,
  // nullopt: no such loan) with `permission`.
  absl::StatusOr<access::Principal> AuthorizeLoan(const grpc::ServerContext& context,
                                                  const std::string& loan_id,
                                                  const std::optional<std::string>& village) const;

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore* const read_models_;
  storage::ProjectionRunner* const projections_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_LOANS_SERVICE_LOAN_SERVICE_H_
