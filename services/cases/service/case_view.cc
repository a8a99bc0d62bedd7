#include "services/cases/service/case_view.h"

#include "absl/strings/str_cat.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/domain/evolve.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

v1::ReferralStatus ToProto(cases::ReferralStatus status) {
  switch (status) {
    case cases::ReferralStatus::kMade:
      return v1::REFERRAL_STATUS_MADE;
    case cases::ReferralStatus::kAccepted:
      return v1::REFERRAL_STATUS_ACCEPTED;
    case cases::ReferralStatus::kDeclined:
      return v1::REFERRAL_STATUS_DECLINED;
    case cases::ReferralStatus::kClosed:
      return v1::REFERRAL_STATUS_CLOSED;
  }
  return v1::REFERRAL_STATUS_UNSPECIFIED;
}

v1::ProtectionOrderStatus ToProto(cases::ProtectionOrderStatus status) {
  switch (status) {
    case cases::ProtectionOrderStatus::kApplied:
      return v1::PROTECTION_ORDER_STATUS_APPLIED;
    case cases::ProtectionOrderStatus::kGranted:
      return v1::PROTECTION_ORDER_STATUS_GRANTED;
    case cases::ProtectionOrderStatus::kDenied:
      return v1::PROTECTION_ORDER_STATUS_DENIED;
  }
  return v1::PROTECTION_ORDER_STATUS_UNSPECIFIED;
}

void ToProto(const std::string& id, const cases::ReferralState& r, v1::ReferralView* out) {
  out->set_referral_id(id);
  out->set_partner_id(r.partner_id);
  out->set_partner_type(r.partner_type);
  out->set_status(ToProto(r.status));
  out->set_referred_at_us(r.referred_at_us);
  out->set_accepted_at_us(r.accepted_at_us);
  out->set_last_progress(r.last_progress);
  out->set_outcome(r.outcome);
}

}  // namespace

absl::StatusOr<FoldedCase> FoldRecorded(const std::vector<storage::RecordedEvent>& history) {
  FoldedCase folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = cases::DecodeCaseEvent(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    if (event->has_opened()) folded.opened = event->opened();
    cases::Evolve(folded.state, *event);
    folded.position = recorded.position;
    folded.updated_at_us = recorded.recorded_time_us;
  }
  return folded;
}

v1::CaseView ToCaseView(const FoldedCase& folded) {
  const cases::CaseState& s = folded.state;
  v1::CaseView view;
  view.set_case_id(s.case_id);
  view.set_status(s.status == cases::CaseStatus::kClosed ? v1::CASE_STATUS_CLOSED
                                                         : v1::CASE_STATUS_OPEN);
  view.set_assignee_operator_id(s.assignee);
  view.set_channel(s.channel);
  view.set_category(s.category);
  view.set_subcategory(s.subcategory);
  view.set_urgency(s.urgency);
  view.set_priority(s.priority);
  *view.mutable_vulnerability_tags() = folded.opened.vulnerability_tags();
  view.set_org_unit_id(s.org_unit_id);
  view.set_risk(s.risk);
  view.set_received_at_us(s.received_at_us);
  view.set_opened_at_us(s.opened_at_us);
  view.set_closed_at_us(s.closed_at_us);
  view.set_resolution(s.resolution);
  view.set_satisfaction(s.satisfaction);
  view.set_reopen_count(s.reopen_count);
  if (auto due = s.NextFollowUpDueUs()) view.set_next_follow_up_due_at_us(*due);
  for (const auto& [id, referral] : s.referrals) {
    ToProto(id, referral, view.add_referrals());
    if (referral.open()) ToProto(id, referral, view.add_open_referrals());
  }
  for (const auto& [id, m] : s.mediations) {
    v1::MediationView* out = view.add_mediations();
    out->set_mediation_id(id);
    out->set_scheduled_at_us(m.scheduled_at_us);
    out->set_outcome(m.outcome);
    out->set_held_at_us(m.held_at_us);
    out->set_compliance(m.compliance);
    out->set_pending(!m.decided());
  }
  for (const auto& [id, order] : s.protection_orders) {
    v1::ProtectionOrderView* out = view.add_protection_orders();
    out->set_order_id(id);
    out->set_status(ToProto(order.status));
    out->set_applied_at_us(order.applied_at_us);
    out->set_decided_at_us(order.decided_at_us);
    out->set_expires_at_us(order.expires_at_us);
  }
  for (const auto& [id, f] : s.follow_ups) {
    v1::FollowUpView* out = view.add_follow_ups();
    out->set_follow_up_id(id);
    out->set_due_at_us(f.due_at_us);
    out->set_done(f.done);
    out->set_done_at_us(f.done_at_us);
  }
  v1::ShelterView* shelter = view.mutable_shelter();
  shelter->set_admitted(s.shelter.admitted);
  shelter->set_shelter_id(s.shelter.shelter_id);
  shelter->set_admitted_at_us(s.shelter.admitted_at_us);
  shelter->set_discharged_at_us(s.shelter.discharged_at_us);
  shelter->set_admissions(s.shelter.admissions);
  for (v1::PartnerType type : s.consent) view.add_consent_scope(type);
  view.set_dv_alarms(s.dv_alarms);
  view.set_warning_letters(s.warning_letters);
  view.set_injury_assessments(s.injury_assessments);
  view.set_assistance_total_fen(s.assistance_total_fen);
  for (int year : s.two_cancers_relief_years) view.add_two_cancers_relief_years(year);
  *view.mutable_seeker() = folded.opened.seeker();
  view.set_version(s.version < 0 ? 0 : static_cast<uint64_t>(s.version));
  view.set_position(folded.position);
  view.set_updated_at_us(folded.updated_at_us);
  return view;
}

}  // namespace haven::services
