#include "services/cases/domain/decide.h"

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases {
namespace internal {

v1::CaseEvent NewEvent(const DecideContext& ctx) {
  v1::CaseEvent event;
  event.set_occurred_at_us(ctx.now_us);
  event.set_actor(ctx.actor);
  return event;
}

absl::Status Refuse(absl::string_view rule, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(rule, ": ", detail));
}

absl::Status CheckEventTime(absl::string_view path, int64_t given_us, const CaseState& state,
                            const DecideContext& ctx, int64_t* resolved_us) {
  *resolved_us = TimeOrNow(given_us, ctx.now_us);
  return CheckPastTime(path, *resolved_us, ctx.now_us, state.received_at_us,
                       "the case was received");
}

absl::Status CheckPriorFactTime(absl::string_view path, int64_t given_us, const CaseState& state,
                                const DecideContext& ctx, int64_t* resolved_us) {
  *resolved_us = TimeOrNow(given_us, ctx.now_us);
  return CheckPastTime(path, *resolved_us, ctx.now_us, state.received_at_us - kMaxPriorFactAgeUs,
                       "366 days before the case was received");
}

}  // namespace internal

namespace {

using internal::Decision;
using Cmd = v1::CaseCommand;

absl::Status CheckContext(const v1::CaseCommand& command, const DecideContext& ctx) {
  if (ctx.now_us <= 0) return absl::InternalError("context.now_us: must be positive");
  if (command.command_case() == Cmd::kOpenCase && ctx.case_id.empty()) {
    return absl::InternalError("context.case_id: required for open_case");
  }
  return CheckLine("context.actor", ctx.actor, kMaxNameChars, Presence::kRequired);
}

// Whether the case may take this kind of command at all.
absl::Status CheckLifecycle(const CaseState& state, const v1::CaseCommand& command,
                            const DecideContext& ctx) {
  const auto kind = command.command_case();
  if (kind == Cmd::kOpenCase) {
    if (!state.exists) return absl::OkStatus();
    return absl::AlreadyExistsError(absl::StrCat("case_exists: case ", state.case_id,
                                                 " was opened at ", FormatCst(state.opened_at_us),
                                                 "; open_case creates a new case"));
  }
  if (!state.exists) {
    return absl::NotFoundError(
        absl::StrCat("case_not_found: there is no case ", ctx.case_id, "; open_case first"));
  }
  if (state.status == CaseStatus::kClosed && kind != Cmd::kReopenCase) {
    return internal::Refuse("case_closed", "a closed case accepts only reopen_case");
  }
  if (state.status == CaseStatus::kOpen && kind == Cmd::kReopenCase) {
    return internal::Refuse("case_not_closed", "only a closed case can be reopened");
  }
  return absl::OkStatus();
}

Decision Dispatch(const CaseState& s, const v1::CaseCommand& c, const DecideContext& ctx) {
  using namespace internal;  // NOLINT(build/namespaces): the Decide* family
  switch (c.command_case()) {
    case Cmd::kOpenCase:
      return DecideOpenCase(s, c.open_case(), ctx);
    case Cmd::kAssignCase:
      return DecideAssignCase(s, c.assign_case(), ctx);
    case Cmd::kRecordContact:
      return DecideRecordContact(s, c.record_contact(), ctx);
    case Cmd::kAddNote:
      return DecideAddNote(s, c.add_note(), ctx);
    case Cmd::kAssessRisk:
      return DecideAssessRisk(s, c.assess_risk(), ctx);
    case Cmd::kScheduleMediation:
      return DecideScheduleMediation(s, c.schedule_mediation(), ctx);
    case Cmd::kRecordMediationOutcome:
      return DecideRecordMediationOutcome(s, c.record_mediation_outcome(), ctx);
    case Cmd::kRecordAgreementFollowUp:
      return DecideRecordAgreementFollowUp(s, c.record_agreement_follow_up(), ctx);
    case Cmd::kRecordConsent:
      return DecideRecordConsent(s, c.record_consent(), ctx);
    case Cmd::kWithdrawConsent:
      return DecideWithdrawConsent(s, c.withdraw_consent(), ctx);
    case Cmd::kMakeReferral:
      return DecideMakeReferral(s, c.make_referral(), ctx);
    case Cmd::kAcceptReferral:
      return DecideAcceptReferral(s, c.accept_referral(), ctx);
    case Cmd::kDeclineReferral:
      return DecideDeclineReferral(s, c.decline_referral(), ctx);
    case Cmd::kReportReferralProgress:
      return DecideReportReferralProgress(s, c.report_referral_progress(), ctx);
    case Cmd::kReportReferralOutcome:
      return DecideReportReferralOutcome(s, c.report_referral_outcome(), ctx);
    case Cmd::kRecordDvAlarm:
      return DecideRecordDvAlarm(s, c.record_dv_alarm(), ctx);
    case Cmd::kRequestInjuryAssessment:
      return DecideRequestInjuryAssessment(s, c.request_injury_assessment(), ctx);
    case Cmd::kAdmitToShelter:
      return DecideAdmitToShelter(s, c.admit_to_shelter(), ctx);
    case Cmd::kDischargeFromShelter:
      return DecideDischargeFromShelter(s, c.discharge_from_shelter(), ctx);
    case Cmd::kApplyProtectionOrder:
      return DecideApplyProtectionOrder(s, c.apply_protection_order(), ctx);
    case Cmd::kRecordProtectionOrderDecision:
      return DecideRecordProtectionOrderDecision(s, c.record_protection_order_decision(), ctx);
    case Cmd::kIssueWarningLetter:
      return DecideIssueWarningLetter(s, c.issue_warning_letter(), ctx);
    case Cmd::kGrantAssistance:
      return DecideGrantAssistance(s, c.grant_assistance(), ctx);
    case Cmd::kScheduleFollowUp:
      return DecideScheduleFollowUp(s, c.schedule_follow_up(), ctx);
    case Cmd::kCompleteFollowUp:
      return DecideCompleteFollowUp(s, c.complete_follow_up(), ctx);
    case Cmd::kCloseCase:
      return DecideCloseCase(s, c.close_case(), ctx);
    case Cmd::kReopenCase:
      return DecideReopenCase(s, c.reopen_case(), ctx);
    case Cmd::COMMAND_NOT_SET:
      break;
  }
  return InvalidField("command", "no command is set");
}

}  // namespace

absl::StatusOr<std::vector<v1::CaseEvent>> Decide(const CaseState& state,
                                                  const v1::CaseCommand& command,
                                                  const DecideContext& ctx) {
  if (command.command_case() == Cmd::COMMAND_NOT_SET) {
    return InvalidField("command", "no command is set");
  }
  HAVEN_CASES_RETURN_IF_ERROR(CheckContext(command, ctx));
  HAVEN_CASES_RETURN_IF_ERROR(CheckLifecycle(state, command, ctx));
  return Dispatch(state, command, ctx);
}

}  // namespace haven::cases
