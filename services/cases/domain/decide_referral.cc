// Referrals to partners: made (with consent), accepted or declined,
// progress reported, outcome reported.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases::internal {
namespace {

// What a command needs of the referral it names.
enum class Needs { kAwaitingAnswer, kAccepted };

// The referral `id` if it is in the state `needs`; otherwise the rule it
// breaks: referral_not_found, referral_already_accepted, referral_declined,
// referral_closed or referral_not_accepted.
absl::StatusOr<const ReferralState*> FindReferral(const CaseState& s, const std::string& id,
                                                  Needs needs) {
  auto it = s.referrals.find(id);
  if (it == s.referrals.end()) {
    return Refuse("referral_not_found", absl::StrCat("no referral ", id, " on this case"));
  }
  const ReferralState& r = it->second;
  switch (r.status) {
    case ReferralStatus::kDeclined:
      return Refuse("referral_declined",
                    absl::StrCat("referral ", id, " was declined; make a new referral"));
    case ReferralStatus::kClosed:
      return Refuse("referral_closed", absl::StrCat("referral ", id, " already has its outcome"));
    case ReferralStatus::kAccepted:
      if (needs == Needs::kAwaitingAnswer) {
        return Refuse("referral_already_accepted",
                      absl::StrCat("referral ", id, " was already accepted"));
      }
      break;
    case ReferralStatus::kMade:
      if (needs == Needs::kAccepted) {
        return Refuse("referral_not_accepted",
                      absl::StrCat("referral ", id, " has not been accepted yet"));
      }
      break;
  }
  return &r;
}

// The answer's time: 0 means now; not in the future, not before the referral.
absl::Status CheckAfterReferral(absl::string_view path, int64_t given_us, const ReferralState& r,
                                const DecideContext& ctx, int64_t* resolved_us) {
  *resolved_us = TimeOrNow(given_us, ctx.now_us);
  return CheckPastTime(path, *resolved_us, ctx.now_us, r.referred_at_us, "the referral was made");
}

}  // namespace

Decision DecideMakeReferral(const CaseState& s, const v1::MakeReferral& c,
                            const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("make_referral.partner_id", c.partner_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("make_referral.partner_type", c.partner_type(),
                                        v1::PartnerType_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("make_referral.partner_name", c.partner_name(),
                                        kMaxShortTextChars, Presence::kOptional));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("make_referral.reason", c.reason(), kMaxReasonChars, Presence::kRequired));
  const bool transfer = c.partner_type() == v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE;
  if (transfer && c.external_reference().empty()) {
    return InvalidField("make_referral.external_reference",
                        "is required for a transfer to the dispute-resolution centre");
  }
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("make_referral.external_reference", c.external_reference(), Presence::kOptional));
  if (s.consent.count(c.partner_type()) == 0) {
    return Refuse("referral_requires_consent",
                  absl::StrCat("the survivor has not consented to referral to ",
                               v1::PartnerType_Name(c.partner_type()), "; record_consent first"));
  }
  for (const auto& [id, r] : s.referrals) {
    if (r.open() && r.partner_id == c.partner_id()) {
      return Refuse("referral_already_open", absl::StrCat("referral ", id, " to partner ",
                                                          c.partner_id(), " is still open"));
    }
  }
  HAVEN_CASES_RETURN_IF_ERROR(CheckNewId(ctx, s.referrals, "referral"));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ReferralMade* e = event.mutable_referral_made();
  e->set_referral_id(ctx.new_id);
  e->set_partner_id(c.partner_id());
  e->set_partner_type(c.partner_type());
  e->set_partner_name(c.partner_name());
  e->set_reason(c.reason());
  e->set_external_reference(c.external_reference());
  e->set_referred_at_us(ctx.now_us);
  return Events{std::move(event)};
}

Decision DecideAcceptReferral(const CaseState& s, const v1::AcceptReferral& c,
                              const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("accept_referral.referral_id", c.referral_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("accept_referral.handler_name", c.handler_name(),
                                        kMaxNameChars, Presence::kOptional));
  absl::StatusOr<const ReferralState*> r = FindReferral(s, c.referral_id(), Needs::kAwaitingAnswer);
  if (!r.ok()) return r.status();
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckAfterReferral("accept_referral.accepted_at_us", c.accepted_at_us(), **r, ctx, &at_us));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ReferralAccepted* e = event.mutable_referral_accepted();
  e->set_referral_id(c.referral_id());
  e->set_handler_name(c.handler_name());
  e->set_accepted_at_us(at_us);
  return Events{std::move(event)};
}

Decision DecideDeclineReferral(const CaseState& s, const v1::DeclineReferral& c,
                               const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("decline_referral.referral_id", c.referral_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("decline_referral.reason", c.reason(), kMaxReasonChars, Presence::kRequired));
  absl::StatusOr<const ReferralState*> r = FindReferral(s, c.referral_id(), Needs::kAwaitingAnswer);
  if (!r.ok()) return r.status();
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckAfterReferral("decline_referral.declined_at_us", c.declined_at_us(), **r, ctx, &at_us));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ReferralDeclined* e = event.mutable_referral_declined();
  e->set_referral_id(c.referral_id());
  e->set_reason(c.reason());
  e->set_declined_at_us(at_us);
  return Events{std::move(event)};
}

Decision DecideReportReferralProgress(const CaseState& s, const v1::ReportReferralProgress& c,
                                      const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("report_referral_progress.referral_id", c.referral_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("report_referral_progress.kind", c.kind(),
                                        v1::ReferralProgressKind_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("report_referral_progress.note", c.note(),
                                            kMaxFreeTextChars, Presence::kOptional));
  absl::StatusOr<const ReferralState*> r = FindReferral(s, c.referral_id(), Needs::kAccepted);
  if (!r.ok()) return r.status();
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckAfterReferral("report_referral_progress.occurred_at_us",
                                                 c.occurred_at_us(), **r, ctx, &at_us));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ReferralProgressReported* e = event.mutable_referral_progress_reported();
  e->set_referral_id(c.referral_id());
  e->set_kind(c.kind());
  e->set_occurred_at_us(at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

Decision DecideReportReferralOutcome(const CaseState& s, const v1::ReportReferralOutcome& c,
                                     const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("report_referral_outcome.referral_id", c.referral_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("report_referral_outcome.outcome", c.outcome(),
                                        v1::ReferralOutcome_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("report_referral_outcome.summary", c.summary(),
                                            kMaxFreeTextChars, Presence::kOptional));
  absl::StatusOr<const ReferralState*> r = FindReferral(s, c.referral_id(), Needs::kAccepted);
  if (!r.ok()) return r.status();
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckAfterReferral("report_referral_outcome.reported_at_us",
                                                 c.reported_at_us(), **r, ctx, &at_us));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ReferralOutcomeReported* e = event.mutable_referral_outcome_reported();
  e->set_referral_id(c.referral_id());
  e->set_outcome(c.outcome());
  e->set_reported_at_us(at_us);
  e->set_summary(c.summary());
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
