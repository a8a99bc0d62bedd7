#include "services/legalaid/referral_view.h"

#include "services/cases/domain/event_types.h"

namespace haven::legalaid {

using cases::v1::CaseEvent;

absl::StatusOr<std::optional<v1::GetReferralResponse>> PartnerReferralView(
    const std::vector<storage::RecordedEvent>& history, const std::string& referral_id,
    const std::string& partner_id) {
  v1::GetReferralResponse view;
  bool found = false;
  for (const storage::RecordedEvent& event : history) {
    auto decoded = cases::DecodeCaseEvent(event.type, event.payload);
    if (!decoded.ok()) return decoded.status();
    const CaseEvent& e = *decoded;
    v1::ReferralSummary& r = *view.mutable_referral();
    switch (e.event_case()) {
      case CaseEvent::kOpened: {
        const cases::v1::CaseOpened& opened = e.opened();
        r.set_case_id(event.stream);
        r.set_category(opened.category());
        view.set_subcategory(opened.subcategory());
        view.set_urgency(opened.urgency());
        view.set_seeker_name(opened.seeker().name());
        view.set_seeker_phone(opened.seeker().phone());
        view.set_account(opened.account());
        break;
      }
      case CaseEvent::kReferralMade:
        if (e.referral_made().referral_id() != referral_id) break;
        if (e.referral_made().partner_id() != partner_id) return std::nullopt;
        found = true;
        r.set_referral_id(referral_id);
        r.set_status(v1::REFERRAL_STATUS_AWAITING_ANSWER);
        r.set_partner_type(e.referral_made().partner_type());
        r.set_referred_at_us(e.referral_made().referred_at_us());
        view.set_reason(e.referral_made().reason());
        break;
      case CaseEvent::kReferralAccepted:
        if (e.referral_accepted().referral_id() != referral_id) break;
        r.set_status(v1::REFERRAL_STATUS_ACTIVE);
        r.set_answered_at_us(e.referral_accepted().accepted_at_us());
        view.set_handler_name(e.referral_accepted().handler_name());
        break;
      case CaseEvent::kReferralDeclined:
        if (e.referral_declined().referral_id() != referral_id) break;
        r.set_status(v1::REFERRAL_STATUS_DECLINED);
        r.set_answered_at_us(e.referral_declined().declined_at_us());
        break;
      case CaseEvent::kReferralProgressReported: {
        const auto& progress = e.referral_progress_reported();
        if (progress.referral_id() != referral_id) break;
        v1::ProgressEntry* entry = view.add_progress();
        entry->set_kind(progress.kind());
        entry->set_occurred_at_us(progress.occurred_at_us());
        entry->set_note(progress.note());
        break;
      }
      case CaseEvent::kReferralOutcomeReported:
        if (e.referral_outcome_reported().referral_id() != referral_id) break;
        r.set_status(v1::REFERRAL_STATUS_CLOSED);
        r.set_closed_at_us(e.referral_outcome_reported().reported_at_us());
        r.set_outcome(e.referral_outcome_reported().outcome());
        break;
      default:
        break;
    }
    view.set_case_version(event.version);
    view.set_position(event.position);
  }
  if (!found) return std::nullopt;
  return view;
}

}  // namespace haven::legalaid
