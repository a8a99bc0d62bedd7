#include "services/legalaid/legal_aid_service.h"

#include <chrono>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/audit/access_log.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/service/case_commands.h"
#include "services/cases/service/case_ids.h"
#include "services/common/command_executor.h"
#include "services/common/projection_wait.h"
#include "services/common/status_convert.h"
#include "services/legalaid/partner_referrals.h"
#include "services/legalaid/referral_view.h"
#include "spdlog/spdlog.h"
#include "storage/subscription.h"

namespace haven::legalaid {
namespace {

using cases::v1::CaseEvent;

constexpr size_t kMaxIdBytes = 128;
constexpr size_t kSubscribeBatch = 256;
constexpr auto kSubscribePoll = std::chrono::milliseconds(500);

// The same answer whether the referral is another partner's, closed, or
// does not exist: a partner learns nothing about what is not hers.
absl::Status NotYourReferral(const std::string& referral_id) {
  return absl::PermissionDeniedError(absl::StrCat(
      "rule partner_referral: referral ", referral_id.size() <= kMaxIdBytes ? referral_id : "-",
      " is not an open or active referral of your organisation"));
}

absl::Status ValidateReferralId(const std::string& referral_id, const std::string& field) {
  if (referral_id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (referral_id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": at most 128 bytes"));
  }
  return absl::OkStatus();
}

grpc::Status Finish(grpc::ServerContext& context, const char* rpc, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss ||
      status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("legal_aid {} code={} status=\"{}\"", rpc,
                  absl::StatusCodeToString(status.code()), status.ToString());
  } else if (!status.ok()) {
    spdlog::info("legal_aid {} code={}", rpc, absl::StatusCodeToString(status.code()));
  }
  return services::ToGrpcStatus(status, context);
}

// The referral an event is about and what happened to it; kind UNSPECIFIED
// for other events.
struct ReferralChange {
  std::string referral_id;
  v1::ReferralUpdate::Kind kind = v1::ReferralUpdate::KIND_UNSPECIFIED;
  int64_t occurred_at_us = 0;
  std::string partner_id;  // only for KIND_REFERRED
};

ReferralChange ChangeOf(const CaseEvent& e) {
  switch (e.event_case()) {
    case CaseEvent::kReferralMade:
      return {e.referral_made().referral_id(), v1::ReferralUpdate::KIND_REFERRED,
              e.referral_made().referred_at_us(), e.referral_made().partner_id()};
    case CaseEvent::kReferralAccepted:
      return {e.referral_accepted().referral_id(), v1::ReferralUpdate::KIND_ACCEPTED,
              e.referral_accepted().accepted_at_us(), {}};
    case CaseEvent::kReferralDeclined:
      return {e.referral_declined().referral_id(), v1::ReferralUpdate::KIND_DECLINED,
              e.referral_declined().declined_at_us(), {}};
    case CaseEvent::kReferralProgressReported:
      return {e.referral_progress_reported().referral_id(), v1::ReferralUpdate::KIND_PROGRESS,
              e.referral_progress_reported().occurred_at_us(), {}};
    case CaseEvent::kReferralOutcomeReported:
      return {e.referral_outcome_reported().referral_id(), v1::ReferralUpdate::KIND_OUTCOME,
              e.referral_outcome_reported().reported_at_us(), {}};
    default:
      return {};
  }
}

}  // namespace

LegalAidService::LegalAidService(storage::EventLog& log,
                                 std::shared_ptr<services::DirectoryView> directory,
                                 std::shared_ptr<storage::Clock> clock,
                                 const storage::ReadModelStore& read_models,
                                 storage::ProjectionRunner& projections,
                                 std::shared_ptr<const PartnerCallers> callers)
    : log_(log),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      read_models_(read_models),
      projections_(projections),
      callers_(std::move(callers)) {}

grpc::Status LegalAidService::ListMyReferrals(grpc::ServerContext* context,
                                              const v1::ListMyReferralsRequest* request,
                                              v1::ListMyReferralsResponse* response) {
  auto caller = callers_->PartnerOf(*context);
  if (!caller.ok()) return Finish(*context, "ListMyReferrals", caller.status());
  std::set<v1::ReferralStatus> statuses;
  for (int status : request->statuses()) {
    if (!v1::ReferralStatus_IsValid(status) || status == v1::REFERRAL_STATUS_UNSPECIFIED) {
      return Finish(*context, "ListMyReferrals",
                    absl::InvalidArgumentError("statuses: not a ReferralStatus"));
    }
    statuses.insert(static_cast<v1::ReferralStatus>(status));
  }
  if (auto s = services::WaitForProjections(projections_, *context, request->min_position());
      !s.ok()) {
    return Finish(*context, "ListMyReferrals", s);
  }
  auto page = ListPartnerReferrals(read_models_, caller->partner_id, statuses,
                                   request->page_size(), request->page_token());
  if (!page.ok()) return Finish(*context, "ListMyReferrals", page.status());
  for (v1::ReferralSummary& r : page->referrals) *response->add_referrals() = std::move(r);
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status LegalAidService::GetReferral(grpc::ServerContext* context,
                                          const v1::GetReferralRequest* request,
                                          v1::GetReferralResponse* response) {
  const char* rpc = "GetReferral";
  auto caller = callers_->PartnerOf(*context);
  if (!caller.ok()) return Finish(*context, rpc, caller.status());
  if (auto s = ValidateReferralId(request->referral_id(), "referral_id"); !s.ok()) {
    return Finish(*context, rpc, s);
  }
  auto purpose = audit::DeclaredPurpose(*context, callers_->purpose_required());
  if (!purpose.ok()) return Finish(*context, rpc, purpose.status());

  // The read model finds the case; a referral made a moment ago may not be
  // in it yet, so look again once it has caught up with the log.
  auto summary = FindReferral(read_models_, request->referral_id());
  if (summary.ok() && !summary->has_value()) {
    if (auto s = services::WaitForProjections(projections_, *context, log_.HeadPosition());
        !s.ok()) {
      return Finish(*context, rpc, s);
    }
    summary = FindReferral(read_models_, request->referral_id());
  }
  if (!summary.ok()) return Finish(*context, rpc, summary.status());
  if (!summary->has_value()) return Finish(*context, rpc, NotYourReferral(request->referral_id()));

  auto history = services::ReadWholeStream(log_, services::CaseStream((*summary)->case_id()));
  if (!history.ok()) return Finish(*context, rpc, history.status());
  auto view = PartnerReferralView(*history, request->referral_id(), caller->partner_id);
  if (!view.ok()) return Finish(*context, rpc, view.status());
  if (!view->has_value() || !IsOpenOrActive((*view)->referral().status())) {
    return Finish(*context, rpc, NotYourReferral(request->referral_id()));
  }

  audit::v1::AccessRecorded record;
  record.set_user_id(caller->user_id);
  record.set_role(caller->role);
  record.set_partner_id(caller->partner_id);
  record.set_case_id((*view)->referral().case_id());
  record.set_referral_id(request->referral_id());
  record.set_rpc("/haven.legalaid.v1.LegalAidService/GetReferral");
  record.set_purpose(*purpose);
  record.set_auth_method(caller->auth_method);
  auto recorded = audit::RecordAccess(log_, *clock_, std::move(record));
  if (!recorded.ok()) {
    spdlog::error("legal_aid GetReferral access record not written, read refused code={}",
                  absl::StatusCodeToString(recorded.status().code()));
    return Finish(*context, rpc,
                  absl::UnavailableError("the access record could not be written; try again"));
  }
  *response = std::move(**view);
  return grpc::Status::OK;
}

grpc::Status LegalAidService::RunPartnerCommand(grpc::ServerContext& context, const char* rpc,
                                                const std::string& request_id,
                                                const std::string& case_id,
                                                uint64_t expected_version,
                                                const std::string& referral_id,
                                                const cases::v1::CaseCommand& command,
                                                cases::v1::CommandResponse* response) {
  absl::StatusOr<services::CaseCommandResult> result =
      [&]() -> absl::StatusOr<services::CaseCommandResult> {
    auto caller = callers_->PartnerOf(context);
    if (!caller.ok()) return caller.status();
    if (auto s = services::ValidateCaseId(case_id); !s.ok()) return s;
    if (auto s = ValidateReferralId(referral_id, "referral_id"); !s.ok()) return s;
    // Hers, in any state: the case's rules answer for the state (and a
    // retry of a command that closed the referral still gets its answer).
    auto history = services::ReadWholeStream(log_, services::CaseStream(case_id));
    if (!history.ok()) return history.status();
    auto view = PartnerReferralView(*history, referral_id, caller->partner_id);
    if (!view.ok()) return view.status();
    if (!view->has_value()) return NotYourReferral(referral_id);
    services::CaseCommandEnvelope envelope{request_id, case_id, expected_version};
    return services::RunCaseCommand(log_, *directory_, *clock_, envelope, command,
                                    caller->user_id);
  }();
  if (!result.ok()) return Finish(context, rpc, result.status());
  spdlog::info("legal_aid {} case_id={} version={} position={} replayed={}", rpc, case_id,
               result->outcome.version, result->outcome.position, result->outcome.replayed);
  response->set_case_id(result->case_id);
  response->set_version(result->outcome.version);
  response->set_position(result->outcome.position);
  response->set_replayed(result->outcome.replayed);
  return grpc::Status::OK;
}

grpc::Status LegalAidService::AcceptReferral(grpc::ServerContext* context,
                                             const v1::AcceptReferralRequest* request,
                                             cases::v1::CommandResponse* response) {
  cases::v1::CaseCommand command;
  *command.mutable_accept_referral() = request->accept();
  return RunPartnerCommand(*context, "AcceptReferral", request->request_id(), request->case_id(),
                           request->expected_version(), request->accept().referral_id(), command,
                           response);
}

grpc::Status LegalAidService::DeclineReferral(grpc::ServerContext* context,
                                              const v1::DeclineReferralRequest* request,
                                              cases::v1::CommandResponse* response) {
  cases::v1::CaseCommand command;
  *command.mutable_decline_referral() = request->decline();
  return RunPartnerCommand(*context, "DeclineReferral", request->request_id(),
                           request->case_id(), request->expected_version(),
                           request->decline().referral_id(), command, response);
}

grpc::Status LegalAidService::ReportProgress(grpc::ServerContext* context,
                                             const v1::ReportProgressRequest* request,
                                             cases::v1::CommandResponse* response) {
  cases::v1::CaseCommand command;
  *command.mutable_report_referral_progress() = request->progress();
  return RunPartnerCommand(*context, "ReportProgress", request->request_id(), request->case_id(),
                           request->expected_version(), request->progress().referral_id(),
                           command, response);
}

grpc::Status LegalAidService::ReportOutcome(grpc::ServerContext* context,
                                            const v1::ReportOutcomeRequest* request,
                                            cases::v1::CommandResponse* response) {
  cases::v1::CaseCommand command;
  *command.mutable_report_referral_outcome() = request->outcome();
  return RunPartnerCommand(*context, "ReportOutcome", request->request_id(), request->case_id(),
                           request->expected_version(), request->outcome().referral_id(),
                           command, response);
}

grpc::Status LegalAidService::SubscribeMyReferrals(
    grpc::ServerContext* context, const v1::SubscribeMyReferralsRequest* request,
    grpc::ServerWriter<v1::ReferralUpdate>* writer) {
  const char* rpc = "SubscribeMyReferrals";
  auto caller = callers_->PartnerOf(*context);
  if (!caller.ok()) return Finish(*context, rpc, caller.status());
  // Referrals made before from_position are found in the read model, so it
  // must have reached that far.
  const uint64_t from = request->from_position();
  if (from > 1) {
    if (auto s = projections_.WaitForPosition(
            from - 1, std::chrono::steady_clock::now() + services::kMaxProjectionWait);
        !s.ok()) {
      return Finish(*context, rpc,
                    absl::UnavailableError("the referral read model is behind; try again"));
    }
  }
  auto mine = PartnerReferralIds(read_models_, caller->partner_id);
  if (!mine.ok()) return Finish(*context, rpc, mine.status());

  storage::Filter filter;
  filter.event_type_prefix = "case.referral_";
  storage::Subscription subscription(log_, from, filter);
  spdlog::info("legal_aid subscription started partner_id={} from_position={}",
               caller->partner_id, subscription.next_position());
  bool announced_caught_up = false;
  while (true) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    if (shutting_down_.load()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("server shutting down; resubscribe from position ",
                                       subscription.next_position()));
    }
    auto events =
        subscription.Next(kSubscribeBatch, std::chrono::steady_clock::now() + kSubscribePoll);
    if (!events.ok()) return Finish(*context, rpc, events.status());
    for (const storage::RecordedEvent& event : *events) {
      auto decoded = cases::DecodeCaseEvent(event.type, event.payload);
      if (!decoded.ok()) return Finish(*context, rpc, decoded.status());
      ReferralChange change = ChangeOf(*decoded);
      if (change.kind == v1::ReferralUpdate::KIND_REFERRED &&
          change.partner_id == caller->partner_id) {
        mine->insert(change.referral_id);
      }
      if (change.kind == v1::ReferralUpdate::KIND_UNSPECIFIED ||
          mine->count(change.referral_id) == 0) {
        continue;
      }
      v1::ReferralUpdate update;
      update.set_position(event.position);
      update.set_referral_id(change.referral_id);
      update.set_case_id(event.stream);
      update.set_kind(change.kind);
      update.set_occurred_at_us(change.occurred_at_us);
      if (!writer->Write(update)) return grpc::Status::CANCELLED;
    }
    if (subscription.caught_up() && !announced_caught_up) {
      v1::ReferralUpdate keep_alive;
      keep_alive.set_caught_up_at(subscription.next_position() - 1);
      if (!writer->Write(keep_alive)) return grpc::Status::CANCELLED;
      announced_caught_up = true;
    }
  }
}

}  // namespace haven::legalaid
