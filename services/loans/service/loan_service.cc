#include "services/loans/service/loan_service.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/command_rpc.h"
#include "services/common/projection_wait.h"
#include "services/common/request_metadata.h"
#include "services/common/small_cells.h"
#include "services/common/stats/calendar.h"
#include "services/common/stream_queries.h"
#include "services/loans/domain/loan_event_types.h"
#include "services/loans/projections/loan_projections.h"
#include "services/loans/service/loan_ids.h"
#include "services/loans/service/loan_view.h"

namespace haven::services {
namespace {

namespace v1 = loans::v1;

template <typename Request>
LoanCommandEnvelope EnvelopeOf(const Request& request) {
  LoanCommandEnvelope envelope{request.request_id(), request.loan_id(), std::nullopt};
  if (request.has_expected_version()) envelope.expected_version = request.expected_version();
  return envelope;
}

LoanCommandEnvelope EnvelopeOf(const v1::ApplyForLoanRequest& request) {
  return {request.request_id(), request.loan_id(), std::nullopt};
}

std::string Loggable(const std::string& loan_id) {
  return ValidateLoanId(loan_id).ok() ? loan_id : "-";
}

absl::Status NoLoan(const std::string& loan_id) {
  return absl::NotFoundError(absl::StrCat("loan_not_found: there is no loan ", loan_id));
}

}  // namespace

LoanService::LoanService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
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

absl::StatusOr<access::Principal> LoanService::AuthorizeLoan(
    const grpc::ServerContext& context, const std::string& loan_id,
    const std::optional<std::string>& village) const {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadProgrammes);
  if (!caller.ok()) return caller;
  if (auto s = authoriser_->CheckRecord(*caller, absl::StrCat("loan ", loan_id), village);
      !s.ok()) {
    return s;
  }
  return caller;
}

grpc::Status LoanService::Run(grpc::ServerContext& context, const char* rpc,
                              const LoanCommandEnvelope& envelope, const v1::LoanCommand& command,
                              v1::CommandResponse* response) {
  absl::StatusOr<LoanCommandResult> result = [&]() -> absl::StatusOr<LoanCommandResult> {
    auto caller = authoriser_->Authorize(context, access::Permission::kWorkProgrammes);
    if (!caller.ok()) return caller.status();
    // The unit she acts for must be hers; the loan's rules then require it
    // to be the right level over the loan's village.
    const std::string unit = ActingUnitOf(command);
    if (unit.empty()) {
      if (!caller->development) {
        return absl::InvalidArgumentError("acting_unit_id: required");
      }
    } else if (auto s = authoriser_->CheckUnit(*caller, unit); !s.ok()) {
      return s;
    }
    // And the loan must be in her reach: otherwise a stale version or a
    // refusal by the loan's rules would tell her it exists.  A loan's
    // village never changes, so checking it before the command runs is as
    // good as checking it when it is decided.
    if (!envelope.loan_id.empty() && !caller->development) {
      if (auto s = ValidateLoanId(envelope.loan_id); !s.ok()) return s;
      auto history = ReadStreamAsOf(log_, envelope.loan_id, std::nullopt, std::nullopt);
      if (!history.ok()) return history.status();
      std::optional<std::string> village;
      if (!history->empty()) {
        auto folded = FoldLoan(*history);
        if (!folded.ok()) return folded.status();
        village = folded->state.village_unit_id;
      }
      // A new application's village was checked as the unit it acts for.
      const bool new_application = command.has_apply_for_loan() && !village;
      if (auto s = authoriser_->CheckRecord(*caller, absl::StrCat("loan ", envelope.loan_id),
                                            village);
          !new_application && !s.ok()) {
        return s;
      }
    }
    return RunLoanCommand(log_, *directory_, *clock_, envelope, command, caller->user_id);
  }();
  const CommandRpcLabel label{"loans", rpc, "loan_id",
                              result.ok() ? result->loan_id : Loggable(envelope.loan_id)};
  if (!result.ok()) return FinishCommandRpc(context, label, result.status());
  FinishCommandRpc(context, label, result->outcome);
  response->set_loan_id(result->loan_id);
  response->set_version(result->outcome.version);
  response->set_position(result->outcome.position);
  response->set_replayed(result->outcome.replayed);
  return grpc::Status::OK;
}

// Each command rpc: the request's command as a LoanCommand, run by Run.
#define HAVEN_LOAN_COMMAND_RPC(Rpc, member)                                                    \
  grpc::Status LoanService::Rpc(grpc::ServerContext* context, const v1::Rpc##Request* request, \
                                v1::CommandResponse* response) {                               \
    v1::LoanCommand command;                                                                   \
    *command.mutable_##member() = request->member();                                           \
    return Run(*context, #Rpc, EnvelopeOf(*request), command, response);                       \
  }

HAVEN_LOAN_COMMAND_RPC(ApplyForLoan, apply_for_loan)
HAVEN_LOAN_COMMAND_RPC(CertifyLoan, certify_loan)
HAVEN_LOAN_COMMAND_RPC(SubmitLoan, submit_loan)
HAVEN_LOAN_COMMAND_RPC(GiveCountyOpinion, give_county_opinion)
HAVEN_LOAN_COMMAND_RPC(RecordLenderDecision, record_lender_decision)
HAVEN_LOAN_COMMAND_RPC(DisburseLoan, disburse_loan)
HAVEN_LOAN_COMMAND_RPC(PaySubsidy, pay_subsidy)
HAVEN_LOAN_COMMAND_RPC(RecordRepayment, record_repayment)
HAVEN_LOAN_COMMAND_RPC(MarkOverdue, mark_overdue)
HAVEN_LOAN_COMMAND_RPC(SettleLoan, settle_loan)
HAVEN_LOAN_COMMAND_RPC(ReportJobsCreated, report_jobs_created)
HAVEN_LOAN_COMMAND_RPC(WithdrawLoan, withdraw_loan)

#undef HAVEN_LOAN_COMMAND_RPC

grpc::Status LoanService::GetLoan(grpc::ServerContext* context, const v1::GetLoanRequest* request,
                                  v1::GetLoanResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateLoanId(request->loan_id()); !s.ok()) return s;
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    std::optional<uint64_t> position;
    std::optional<int64_t> time;
    if (request->has_as_of_position()) position = request->as_of_position();
    if (request->has_as_of_time_us()) time = request->as_of_time_us();
    auto current = ReadStreamAsOf(log_, request->loan_id(), std::nullopt, std::nullopt);
    if (!current.ok()) return current.status();
    auto now = FoldLoan(*current);
    if (!now.ok()) return now.status();
    std::optional<std::string> village;
    if (!current->empty()) village = now->state.village_unit_id;
    if (auto caller = AuthorizeLoan(*context, request->loan_id(), village); !caller.ok()) {
      return caller.status();
    }
    auto history = ReadStreamAsOf(log_, request->loan_id(), position, time);
    if (!history.ok()) return history.status();
    if (history->empty()) return NoLoan(request->loan_id());
    auto folded = FoldLoan(*history);
    if (!folded.ok()) return folded.status();
    *response->mutable_loan() = ToLoanView(*folded);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "loans", "GetLoan", status);
}

grpc::Status LoanService::GetLoanHistory(grpc::ServerContext* context,
                                         const v1::GetLoanHistoryRequest* request,
                                         v1::GetLoanHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateLoanId(request->loan_id()); !s.ok()) return s;
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    {
      auto current = ReadStreamAsOf(log_, request->loan_id(), std::nullopt, std::nullopt);
      if (!current.ok()) return current.status();
      auto now = FoldLoan(*current);
      if (!now.ok()) return now.status();
      std::optional<std::string> village;
      if (!current->empty()) village = now->state.village_unit_id;
      if (auto caller = AuthorizeLoan(*context, request->loan_id(), village); !caller.ok()) {
        return caller.status();
      }
    }
    auto page =
        ReadHistoryPage(log_, request->loan_id(), request->page_size(), request->page_token());
    if (page.status().code() == absl::StatusCode::kNotFound) return NoLoan(request->loan_id());
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& recorded : page->events) {
      auto event = loans::DecodeLoanEvent(recorded.type, recorded.payload);
      if (!event.ok()) return event.status();
      v1::LoanHistoryEntry* entry = response->add_entries();
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
    response->set_loan_version(page->stream_version);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "loans", "GetLoanHistory", status);
}

absl::StatusOr<std::vector<std::string>> LoanService::SubtreeForQuery(
    const grpc::ServerContext& context, const std::string& unit_id, uint64_t min_position) {
  if (unit_id.empty()) return absl::InvalidArgumentError("unit_subtree: is required");
  auto units = directory_->Subtree(unit_id);
  if (units.status().code() == absl::StatusCode::kNotFound) {
    return absl::InvalidArgumentError(absl::StrCat("unit_subtree: no unit ", unit_id));
  }
  if (!units.ok()) return units.status();
  if (read_models_ == nullptr || projections_ == nullptr) {
    return absl::UnavailableError("read_models: this server runs no loan projections");
  }
  if (auto s = WaitForProjections(*projections_, context, min_position); !s.ok()) return s;
  return units;
}

grpc::Status LoanService::ListLoans(grpc::ServerContext* context,
                                    const v1::ListLoansRequest* request,
                                    v1::ListLoansResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeUnit(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*context, *scope, request->min_position());
    if (!units.ok()) return units.status();
    auto answer = loans::ListLoans(*read_models_, *units, *request);
    if (!answer.ok()) return answer.status();
    *response = std::move(*answer);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "loans", "ListLoans", status);
}

grpc::Status LoanService::GetLoanStatistics(grpc::ServerContext* context,
                                            const v1::GetLoanStatisticsRequest* request,
                                            v1::GetLoanStatisticsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto from = stats::ParseDay(request->from_day(), "from_day");
    if (!from.ok()) return from.status();
    auto to = stats::ParseDay(request->to_day(), "to_day");
    if (!to.ok()) return to.status();
    if (*to < *from) return absl::InvalidArgumentError("to_day: before from_day");
    stats::DayNumber as_of = *to;
    if (request->has_as_of_day()) {
      auto day = stats::ParseDay(request->as_of_day(), "as_of_day");
      if (!day.ok()) return day.status();
      as_of = *day;
    }
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeStatistics(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*context, scope->unit, request->min_position());
    if (!units.ok()) return units.status();
    auto statistics = loans::LoanStatistics(*read_models_, *units, *from, *to, as_of);
    if (!statistics.ok()) return statistics.status();
    *response->mutable_statistics() = std::move(*statistics);
    if (!scope->exact) {
      SmallCellRules rules;
      rules.rate_message = "";
      for (std::string& path : SuppressSmallCells(*response->mutable_statistics(), rules)) {
        response->mutable_suppressed_cells()->Add(std::move(path));
      }
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "loans", "GetLoanStatistics", status);
}

}  // namespace haven::services
