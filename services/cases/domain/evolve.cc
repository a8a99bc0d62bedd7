#include "services/cases/domain/evolve.h"

namespace haven::cases {
namespace {

void ApplyOpened(CaseState& s, const v1::CaseOpened& e, int64_t occurred_at_us) {
  s.exists = true;
  s.case_id = e.case_id();
  s.status = CaseStatus::kOpen;
  s.channel = e.channel();
  s.category = e.category();
  s.subcategory = e.subcategory();
  s.urgency = e.urgency();
  s.priority = e.priority();
  s.org_unit_id = e.org_unit_id();
  s.received_at_us = e.received_at_us();
  s.opened_at_us = occurred_at_us;
}

void ApplyMediation(CaseState& s, const v1::CaseEvent& event) {
  switch (event.event_case()) {
    case v1::CaseEvent::kMediationScheduled: {
      const auto& e = event.mediation_scheduled();
      s.mediations[e.mediation_id()].scheduled_at_us = e.scheduled_at_us();
      break;
    }
    case v1::CaseEvent::kMediationHeld: {
      const auto& e = event.mediation_held();
      MediationState& m = s.mediations[e.mediation_id()];
      m.outcome = e.outcome();
      m.held_at_us = e.held_at_us();
      break;
    }
    case v1::CaseEvent::kMediationAgreementFollowedUp: {
      const auto& e = event.mediation_agreement_followed_up();
      s.mediations[e.mediation_id()].compliance = e.compliance();
      break;
    }
    default:
      break;
  }
}

void ApplyReferral(CaseState& s, const v1::CaseEvent& event) {
  switch (event.event_case()) {
    case v1::CaseEvent::kConsentRecorded:
      for (int type : event.consent_recorded().scope()) {
        s.consent.insert(static_cast<v1::PartnerType>(type));
      }
      break;
    case v1::CaseEvent::kConsentWithdrawn:
      for (int type : event.consent_withdrawn().scope()) {
        s.consent.erase(static_cast<v1::PartnerType>(type));
      }
      break;
    case v1::CaseEvent::kReferralMade: {
      const auto& e = event.referral_made();
      ReferralState& r = s.referrals[e.referral_id()];
      r.partner_id = e.partner_id();
      r.partner_type = e.partner_type();
      r.status = ReferralStatus::kMade;
      r.referred_at_us = e.referred_at_us();
      break;
    }
    case v1::CaseEvent::kReferralAccepted: {
      ReferralState& r = s.referrals[event.referral_accepted().referral_id()];
      r.status = ReferralStatus::kAccepted;
      r.accepted_at_us = event.referral_accepted().accepted_at_us();
      break;
    }
    case v1::CaseEvent::kReferralDeclined:
      s.referrals[event.referral_declined().referral_id()].status = ReferralStatus::kDeclined;
      break;
    case v1::CaseEvent::kReferralProgressReported: {
      const auto& e = event.referral_progress_reported();
      s.referrals[e.referral_id()].last_progress = e.kind();
      break;
    }
    case v1::CaseEvent::kReferralOutcomeReported: {
      const auto& e = event.referral_outcome_reported();
      ReferralState& r = s.referrals[e.referral_id()];
      r.status = ReferralStatus::kClosed;
      r.outcome = e.outcome();
      break;
    }
    default:
      break;
  }
}

void ApplyProtection(CaseState& s, const v1::CaseEvent& event) {
  switch (event.event_case()) {
    case v1::CaseEvent::kDvAlarmRecorded:
      ++s.dv_alarms;
      break;
    case v1::CaseEvent::kInjuryAssessmentRequested:
      ++s.injury_assessments;
      break;
    case v1::CaseEvent::kShelterAdmitted:
      s.shelter.admitted = true;
      s.shelter.shelter_id = event.shelter_admitted().shelter_id();
      s.shelter.admitted_at_us = event.shelter_admitted().admitted_at_us();
      ++s.shelter.admissions;
      break;
    case v1::CaseEvent::kShelterDischarged:
      s.shelter.admitted = false;
      s.shelter.discharged_at_us = event.shelter_discharged().discharged_at_us();
      break;
    case v1::CaseEvent::kProtectionOrderApplied: {
      const auto& e = event.protection_order_applied();
      ProtectionOrderState& o = s.protection_orders[e.order_id()];
      o.status = ProtectionOrderStatus::kApplied;
      o.applied_at_us = e.applied_at_us();
      break;
    }
    case v1::CaseEvent::kProtectionOrderGranted: {
      const auto& e = event.protection_order_granted();
      ProtectionOrderState& o = s.protection_orders[e.order_id()];
      o.status = ProtectionOrderStatus::kGranted;
      o.decided_at_us = e.granted_at_us();
      o.expires_at_us = e.expires_at_us();
      break;
    }
    case v1::CaseEvent::kProtectionOrderDenied: {
      const auto& e = event.protection_order_denied();
      ProtectionOrderState& o = s.protection_orders[e.order_id()];
      o.status = ProtectionOrderStatus::kDenied;
      o.decided_at_us = e.decided_at_us();
      break;
    }
    case v1::CaseEvent::kWarningLetterIssued:
      ++s.warning_letters;
      break;
    default:
      break;
  }
}

void ApplySupport(CaseState& s, const v1::CaseEvent& event) {
  switch (event.event_case()) {
    case v1::CaseEvent::kAssistanceGranted: {
      const auto& e = event.assistance_granted();
      s.assistance_total_fen += e.amount_fen();
      if (e.kind() == v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF) {
        s.two_cancers_relief_years.insert(e.fund_year());
      }
      break;
    }
    case v1::CaseEvent::kFollowUpScheduled: {
      const auto& e = event.follow_up_scheduled();
      s.follow_ups[e.follow_up_id()].due_at_us = e.due_at_us();
      break;
    }
    case v1::CaseEvent::kFollowUpDone: {
      const auto& e = event.follow_up_done();
      FollowUpState& f = s.follow_ups[e.follow_up_id()];
      f.done = true;
      f.done_at_us = e.done_at_us();
      break;
    }
    default:
      break;
  }
}

}  // namespace

void Evolve(CaseState& state, const v1::CaseEvent& event) {
  ++state.version;
  switch (event.event_case()) {
    case v1::CaseEvent::kOpened:
      ApplyOpened(state, event.opened(), event.occurred_at_us());
      break;
    case v1::CaseEvent::kAssigned:
      state.assignee = event.assigned().operator_id();
      break;
    case v1::CaseEvent::kRiskAssessed:
      state.risk = event.risk_assessed().level();
      break;
    case v1::CaseEvent::kClosed:
      state.status = CaseStatus::kClosed;
      state.closed_at_us = event.occurred_at_us();
      state.resolution = event.closed().resolution();
      state.satisfaction = event.closed().satisfaction();
      break;
    case v1::CaseEvent::kReopened:
      state.status = CaseStatus::kOpen;
      ++state.reopen_count;
      break;
    case v1::CaseEvent::kContactRecorded:
    case v1::CaseEvent::kNoteAdded:
    case v1::CaseEvent::EVENT_NOT_SET:
      break;
    default:
      ApplyMediation(state, event);
      ApplyReferral(state, event);
      ApplyProtection(state, event);
      ApplySupport(state, event);
      break;
  }
}

CaseState Fold(const std::vector<v1::CaseEvent>& events) {
  CaseState state;
  for (const v1::CaseEvent& event : events) Evolve(state, event);
  return state;
}

}  // namespace haven::cases
