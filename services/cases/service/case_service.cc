#include "services/cases/service/case_service.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/cases/service/case_access.h"
#include "services/access/authoriser/access_record.h"
#include "services/audit/access_log.h"
#include "services/cases/service/case_ids.h"
#include "services/cases/service/case_queries.h"
#include "services/common/command_rpc.h"
#include "services/common/request_metadata.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

template <typename Request>
CaseCommandEnvelope EnvelopeOf(const Request& request) {
  CaseCommandEnvelope envelope{request.request_id(), request.case_id(), std::nullopt};
  if (request.has_expected_version()) envelope.expected_version = request.expected_version();
  return envelope;
}

// OpenCaseRequest has no expected_version.
CaseCommandEnvelope EnvelopeOf(const v1::OpenCaseRequest& request) {
  return {request.request_id(), request.case_id(), std::nullopt};
}

// The case id for logs: only a well-formed one, never arbitrary input.
std::string Loggable(const std::string& case_id) {
  return ValidateCaseId(case_id).ok() ? case_id : "-";
}

// Converts `status` where it leaves the server; logs what is our fault.
grpc::Status Finish(const absl::Status& status, grpc::ServerContext& context, const char* rpc) {
  return FinishQueryRpc(context, "cases", rpc, status);
}

}  // namespace

CaseService::CaseService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                         std::shared_ptr<storage::Clock> clock,
                         std::shared_ptr<access::Authoriser> authoriser)
    : CaseService(log, std::move(directory), std::move(clock), nullptr, nullptr,
                  std::move(authoriser)) {}

CaseService::CaseService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
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

absl::StatusOr<access::Principal> CaseService::AuthorizeCaseRead(
    const grpc::ServerContext& context, const std::string& case_id) const {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadCases);
  if (!caller.ok() || !authoriser_->enforced()) return caller;
  if (auto s = ValidateCaseId(case_id); !s.ok()) return s;
  auto unit = CaseUnitOf(log_, case_id);
  if (!unit.ok()) return unit.status();
  if (auto s = authoriser_->CheckCase(*caller, case_id, *unit); !s.ok()) return s;
  return caller;
}

absl::Status CaseService::AwaitProjections(const grpc::ServerContext& context,
                                           uint64_t min_position) const {
  if (read_models_ == nullptr || projections_ == nullptr) {
    return absl::UnavailableError("read_models: this server runs no case projections");
  }
  if (min_position == 0) return absl::OkStatus();
  using std::chrono::steady_clock;
  using std::chrono::system_clock;
  // Compare before subtracting: a call without a deadline has the largest
  // time point, and `deadline - now` would overflow.
  const system_clock::time_point now = system_clock::now();
  const system_clock::time_point deadline = context.deadline();
  system_clock::duration wait = kMaxMinPositionWait;
  if (deadline < now + kMaxMinPositionWait) wait = std::max(deadline - now, wait.zero());
  absl::Status status = projections_->WaitForPosition(
      min_position,
      steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wait));
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::DeadlineExceededError(
        absl::StrCat("min_position: the case projections did not reach position ", min_position,
                     " within the call's deadline (log head ", log_.HeadPosition(), ")"));
  }
  return status;
}

grpc::Status CaseService::Run(grpc::ServerContext& context, const char* rpc,
                              const CaseCommandEnvelope& envelope, const v1::CaseCommand& command,
                              v1::CommandResponse* response) {
  absl::StatusOr<CaseCommandResult> result = [&]() -> absl::StatusOr<CaseCommandResult> {
    auto caller = authoriser_->Authorize(context, access::Permission::kWorkCases);
    if (!caller.ok()) return caller.status();
    if (!authoriser_->enforced()) {
      return RunCaseCommand(log_, *directory_, *clock_, envelope, command, caller->user_id);
    }
    const std::string case_id =
        envelope.case_id.empty() ? CaseIdForRequest(envelope.request_id) : envelope.case_id;
    auto gate = [&](const cases::CaseState& state, const v1::CaseCommand& c) -> absl::Status {
      if (state.exists) return authoriser_->CheckCase(*caller, case_id, state.org_unit_id);
      if (c.has_open_case()) return authoriser_->CheckUnit(*caller, c.open_case().org_unit_id());
      return authoriser_->CheckCase(*caller, case_id, std::nullopt);
    };
    return RunCaseCommand(log_, *directory_, *clock_, envelope, command, caller->user_id, gate);
  }();
  const std::string case_id = result.ok() ? result->case_id : Loggable(envelope.case_id);
  const CommandRpcLabel label{"cases", rpc, "case_id", case_id};
  if (!result.ok()) return FinishCommandRpc(context, label, result.status());
  FinishCommandRpc(context, label, result->outcome);
  response->set_case_id(result->case_id);
  response->set_version(result->outcome.version);
  response->set_position(result->outcome.position);
  response->set_replayed(result->outcome.replayed);
  response->set_created_id(result->created_id);
  return grpc::Status::OK;
}

// Each command rpc: the request's command as a CaseCommand, run by Run.
#define HAVEN_CASE_COMMAND_RPC(Rpc, member)                                                    \
  grpc::Status CaseService::Rpc(grpc::ServerContext* context, const v1::Rpc##Request* request, \
                                v1::CommandResponse* response) {                               \
    v1::CaseCommand command;                                                                   \
    *command.mutable_##member() = request->member();                                           \
    return Run(*context, #Rpc, EnvelopeOf(*request), command, response);                       \
  }

HAVEN_CASE_COMMAND_RPC(OpenCase, open_case)
HAVEN_CASE_COMMAND_RPC(AssignCase, assign_case)
HAVEN_CASE_COMMAND_RPC(RecordContact, record_contact)
HAVEN_CASE_COMMAND_RPC(AddNote, add_note)
HAVEN_CASE_COMMAND_RPC(AssessRisk, assess_risk)
HAVEN_CASE_COMMAND_RPC(ScheduleMediation, schedule_mediation)
HAVEN_CASE_COMMAND_RPC(RecordMediationOutcome, record_mediation_outcome)
HAVEN_CASE_COMMAND_RPC(RecordAgreementFollowUp, record_agreement_follow_up)
HAVEN_CASE_COMMAND_RPC(RecordConsent, record_consent)
HAVEN_CASE_COMMAND_RPC(WithdrawConsent, withdraw_consent)
HAVEN_CASE_COMMAND_RPC(MakeReferral, make_referral)
HAVEN_CASE_COMMAND_RPC(AcceptReferral, accept_referral)
HAVEN_CASE_COMMAND_RPC(DeclineReferral, decline_referral)
HAVEN_CASE_COMMAND_RPC(ReportReferralProgress, report_referral_progress)
HAVEN_CASE_COMMAND_RPC(ReportReferralOutcome, report_referral_outcome)
HAVEN_CASE_COMMAND_RPC(RecordDvAlarm, record_dv_alarm)
HAVEN_CASE_COMMAND_RPC(RequestInjuryAssessment, request_injury_assessment)
HAVEN_CASE_COMMAND_RPC(AdmitToShelter, admit_to_shelter)
HAVEN_CASE_COMMAND_RPC(DischargeFromShelter, discharge_from_shelter)
HAVEN_CASE_COMMAND_RPC(ApplyProtectionOrder, apply_protection_order)
HAVEN_CASE_COMMAND_RPC(RecordProtectionOrderDecision, record_protection_order_decision)
HAVEN_CASE_COMMAND_RPC(IssueWarningLetter, issue_warning_letter)
HAVEN_CASE_COMMAND_RPC(GrantAssistance, grant_assistance)
HAVEN_CASE_COMMAND_RPC(ScheduleFollowUp, schedule_follow_up)
HAVEN_CASE_COMMAND_RPC(CompleteFollowUp, complete_follow_up)
HAVEN_CASE_COMMAND_RPC(CloseCase, close_case)
HAVEN_CASE_COMMAND_RPC(ReopenCase, reopen_case)

#undef HAVEN_CASE_COMMAND_RPC

absl::StatusOr<std::string> CaseService::DeclaredPurpose(const grpc::ServerContext& context) const {
  return audit::DeclaredPurpose(context, /*required=*/authoriser_->enforced());
}

absl::Status CaseService::RecordRead(const grpc::ServerContext& context,
                                     const access::Principal& caller, const std::string& case_id,
                                     const char* rpc, std::string purpose) {
  audit::v1::AccessRecorded record = access::AccessRecordOf(caller, context);
  record.set_case_id(case_id);
  record.set_rpc(absl::StrCat("/haven.cases.v1.CaseService/", rpc));
  record.set_purpose(std::move(purpose));
  auto recorded = audit::RecordAccess(log_, *clock_, std::move(record));
  if (recorded.ok()) return absl::OkStatus();
  spdlog::error("cases {} access record not written, read refused case_id={} code={}", rpc,
                case_id, absl::StatusCodeToString(recorded.status().code()));
  return absl::UnavailableError("the access record of this read could not be written; try again");
}

grpc::Status CaseService::GetCase(grpc::ServerContext* context, const v1::GetCaseRequest* request,
                                  v1::GetCaseResponse* response) {
  auto caller = AuthorizeCaseRead(*context, request->case_id());
  if (!caller.ok()) return Finish(caller.status(), *context, "GetCase");
  auto purpose = DeclaredPurpose(*context);
  if (!purpose.ok()) return Finish(purpose.status(), *context, "GetCase");
  if (auto s = WaitForPosition(log_, request->min_position(), context->deadline()); !s.ok()) {
    return Finish(s, *context, "GetCase");
  }
  auto answer = services::GetCase(log_, *request);
  if (!answer.ok()) return Finish(answer.status(), *context, "GetCase");
  if (auto s = RecordRead(*context, *caller, request->case_id(), "GetCase", *std::move(purpose));
      !s.ok()) {
    return Finish(s, *context, "GetCase");
  }
  *response = std::move(*answer);
  return grpc::Status::OK;
}

grpc::Status CaseService::GetCaseHistory(grpc::ServerContext* context,
                                         const v1::GetCaseHistoryRequest* request,
                                         v1::GetCaseHistoryResponse* response) {
  auto caller = AuthorizeCaseRead(*context, request->case_id());
  if (!caller.ok()) return Finish(caller.status(), *context, "GetCaseHistory");
  auto purpose = DeclaredPurpose(*context);
  if (!purpose.ok()) return Finish(purpose.status(), *context, "GetCaseHistory");
  if (auto s = WaitForPosition(log_, request->min_position(), context->deadline()); !s.ok()) {
    return Finish(s, *context, "GetCaseHistory");
  }
  auto answer = services::GetCaseHistory(log_, *request);
  if (!answer.ok()) return Finish(answer.status(), *context, "GetCaseHistory");
  if (auto s = RecordRead(*context, *caller, request->case_id(), "GetCaseHistory",
                          *std::move(purpose));
      !s.ok()) {
    return Finish(s, *context, "GetCaseHistory");
  }
  *response = std::move(*answer);
  return grpc::Status::OK;
}

}  // namespace haven::services
