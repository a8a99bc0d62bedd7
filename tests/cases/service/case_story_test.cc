// A whole domestic-violence case worked through every command rpc of the
// CaseService, each at its own time: every rpc records its own event, the
// case read back shows what happened, and the history lists it in order.
#include <string>
#include <vector>

#include "tests/cases/service/case_service_fixture.h"

namespace haven::services {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class CaseStoryTest : public CaseServiceTest {
 protected:
  // Runs a command ten minutes after the previous one.
  template <typename Request>
  v1::CommandResponse Next(Rpc<Request> rpc, Request request,
                           const std::string& actor = kOperator) {
    clock_->Advance(10 * kMinuteUs);
    return MustDo(case_, rpc, std::move(request), actor);
  }

  CaseRef case_;
};

TEST_F(CaseStoryTest, EveryCommandRpcRecordsItsEvent) {
  case_ = Open();
  ASSERT_FALSE(case_.id.empty());

  v1::AssignCaseRequest assign;
  assign.mutable_assign_case()->set_operator_id("op-wangfang");
  Next(&Stub::AssignCase, assign);

  v1::RecordContactRequest contact;
  contact.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
  contact.mutable_record_contact()->set_inbound(false);
  contact.mutable_record_contact()->set_summary("回访电话，她暂住娘家，情绪稳定。");
  Next(&Stub::RecordContact, contact);

  v1::AddNoteRequest note;
  note.mutable_add_note()->set_text("男方曾在单位门口堵截，需提醒社区民警。");
  note.mutable_add_note()->set_internal(true);
  Next(&Stub::AddNote, note);

  v1::AssessRiskRequest risk;
  risk.mutable_assess_risk()->set_level(v1::RISK_LEVEL_HIGH);
  risk.mutable_assess_risk()->set_community_early_warning(true);
  risk.mutable_assess_risk()->set_basis("近一月暴力升级。");
  Next(&Stub::AssessRisk, risk);

  v1::ScheduleMediationRequest schedule;
  v1::ScheduleMediation* m = schedule.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_TOWNSHIP);
  m->set_committee_name("梅园新村街道人民调解委员会");
  m->set_mediator_name("刘桂芳");
  v1::Party* applicant = m->add_parties();
  applicant->set_role(v1::PARTY_ROLE_APPLICANT);
  applicant->mutable_person()->set_name("王秀兰");
  m->set_scheduled_at_us(clock_->NowMicros() + kHourUs);
  m->set_location("长江路社区妇女之家");
  const std::string mediation = Next(&Stub::ScheduleMediation, schedule).created_id();
  EXPECT_THAT(mediation, StartsWith("mediation-"));

  clock_->Advance(2 * kHourUs);
  v1::RecordMediationOutcomeRequest held;
  held.mutable_record_mediation_outcome()->set_mediation_id(mediation);
  held.mutable_record_mediation_outcome()->set_outcome(v1::MEDIATION_OUTCOME_AGREEMENT);
  held.mutable_record_mediation_outcome()->set_summary("男方承诺戒酒，分居三个月。");
  Next(&Stub::RecordMediationOutcome, held);

  v1::RecordAgreementFollowUpRequest kept;
  kept.mutable_record_agreement_follow_up()->set_mediation_id(mediation);
  kept.mutable_record_agreement_follow_up()->set_compliance(v1::AGREEMENT_COMPLIANCE_KEPT);
  Next(&Stub::RecordAgreementFollowUp, kept);

  v1::RecordConsentRequest consent;
  consent.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  consent.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER);
  consent.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LAWYER);
  consent.mutable_record_consent()->set_form(v1::CONSENT_FORM_WRITTEN);
  Next(&Stub::RecordConsent, consent);

  v1::WithdrawConsentRequest withdraw;
  withdraw.mutable_withdraw_consent()->add_scope(v1::PARTNER_TYPE_LAWYER);
  withdraw.mutable_withdraw_consent()->set_reason("她希望由法律援助中心代理。");
  Next(&Stub::WithdrawConsent, withdraw);

  v1::MakeReferralRequest refer;
  refer.mutable_make_referral()->set_partner_id("legal-aid-xw");
  refer.mutable_make_referral()->set_partner_type(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  refer.mutable_make_referral()->set_partner_name("玄武区法律援助中心");
  refer.mutable_make_referral()->set_reason("申请离婚诉讼代理。");
  const std::string referral = Next(&Stub::MakeReferral, refer).created_id();
  EXPECT_THAT(referral, StartsWith("referral-"));

  v1::AcceptReferralRequest accept;
  accept.mutable_accept_referral()->set_referral_id(referral);
  accept.mutable_accept_referral()->set_handler_name("陈律师");
  Next(&Stub::AcceptReferral, accept, "律师-陈明");

  v1::ReportReferralProgressRequest progress;
  progress.mutable_report_referral_progress()->set_referral_id(referral);
  progress.mutable_report_referral_progress()->set_kind(v1::REFERRAL_PROGRESS_KIND_SUIT_FILED);
  Next(&Stub::ReportReferralProgress, progress, "律师-陈明");

  v1::ReportReferralOutcomeRequest outcome;
  outcome.mutable_report_referral_outcome()->set_referral_id(referral);
  outcome.mutable_report_referral_outcome()->set_outcome(v1::REFERRAL_OUTCOME_RESOLVED);
  Next(&Stub::ReportReferralOutcome, outcome, "律师-陈明");

  v1::MakeReferralRequest to_shelter;
  to_shelter.mutable_make_referral()->set_partner_id("shelter-nj");
  to_shelter.mutable_make_referral()->set_partner_type(v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER);
  to_shelter.mutable_make_referral()->set_reason("需要临时庇护。");
  const std::string shelter_referral = Next(&Stub::MakeReferral, to_shelter).created_id();
  EXPECT_NE(shelter_referral, referral);

  v1::DeclineReferralRequest decline;
  decline.mutable_decline_referral()->set_referral_id(shelter_referral);
  decline.mutable_decline_referral()->set_reason("床位已满。");
  Next(&Stub::DeclineReferral, decline);

  v1::RecordDvAlarmRequest alarm;
  alarm.mutable_record_dv_alarm()->set_alarm_point_id("alarm-xw-pcs");
  alarm.mutable_record_dv_alarm()->set_police_reference("XW-110-0520");
  Next(&Stub::RecordDvAlarm, alarm);

  v1::RequestInjuryAssessmentRequest injury;
  injury.mutable_request_injury_assessment()->set_assessment_centre_id("assess-nj");
  Next(&Stub::RequestInjuryAssessment, injury);

  v1::AdmitToShelterRequest admit;
  admit.mutable_admit_to_shelter()->set_shelter_id("shelter-xw");
  admit.mutable_admit_to_shelter()->set_accompanying_children(1);
  Next(&Stub::AdmitToShelter, admit);

  v1::DischargeFromShelterRequest discharge;
  discharge.mutable_discharge_from_shelter()->set_note("回娘家居住。");
  Next(&Stub::DischargeFromShelter, discharge);

  v1::ApplyProtectionOrderRequest apply;
  apply.mutable_apply_protection_order()->set_court_name("玄武区人民法院");
  apply.mutable_apply_protection_order()->set_emergency(true);
  const std::string order = Next(&Stub::ApplyProtectionOrder, apply).created_id();
  EXPECT_THAT(order, StartsWith("order-"));

  v1::RecordProtectionOrderDecisionRequest grant;
  grant.mutable_record_protection_order_decision()->set_order_id(order);
  grant.mutable_record_protection_order_decision()->set_decision(
      v1::PROTECTION_ORDER_DECISION_GRANTED);
  const int64_t expires = clock_->NowMicros() + 90 * kDayUs;
  grant.mutable_record_protection_order_decision()->set_expires_at_us(expires);
  Next(&Stub::RecordProtectionOrderDecision, grant);

  v1::IssueWarningLetterRequest letter;
  letter.mutable_issue_warning_letter()->set_police_station("梅园新村派出所");
  Next(&Stub::IssueWarningLetter, letter);

  v1::GrantAssistanceRequest relief;
  relief.mutable_grant_assistance()->set_kind(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF);
  relief.mutable_grant_assistance()->set_amount_fen(200000);
  Next(&Stub::GrantAssistance, relief);

  v1::ScheduleFollowUpRequest follow_up;
  const int64_t due = clock_->NowMicros() + 7 * kDayUs;
  follow_up.mutable_schedule_follow_up()->set_due_at_us(due);
  const std::string follow_up_id = Next(&Stub::ScheduleFollowUp, follow_up).created_id();
  EXPECT_THAT(follow_up_id, StartsWith("follow-up-"));
  EXPECT_EQ(GetCase(case_.id).next_follow_up_due_at_us(), due);

  v1::CompleteFollowUpRequest done;
  done.mutable_complete_follow_up()->set_follow_up_id(follow_up_id);
  done.mutable_complete_follow_up()->set_method(v1::CONTACT_METHOD_HOME_VISIT);
  Next(&Stub::CompleteFollowUp, done);

  v1::CaseView before_close = GetCase(case_.id);
  EXPECT_EQ(before_close.assignee_operator_id(), "op-wangfang");
  EXPECT_EQ(before_close.risk(), v1::RISK_LEVEL_HIGH);
  EXPECT_THAT(before_close.consent_scope(),
              ElementsAreArray(
                  {v1::PARTNER_TYPE_LEGAL_AID_CENTRE, v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER}));
  ASSERT_EQ(before_close.referrals_size(), 2);
  EXPECT_THAT(before_close.open_referrals(), IsEmpty());
  ASSERT_EQ(before_close.mediations_size(), 1);
  EXPECT_FALSE(before_close.mediations(0).pending());
  EXPECT_EQ(before_close.mediations(0).compliance(), v1::AGREEMENT_COMPLIANCE_KEPT);
  ASSERT_EQ(before_close.protection_orders_size(), 1);
  EXPECT_EQ(before_close.protection_orders(0).status(), v1::PROTECTION_ORDER_STATUS_GRANTED);
  EXPECT_EQ(before_close.protection_orders(0).expires_at_us(), expires);
  EXPECT_FALSE(before_close.shelter().admitted());
  EXPECT_EQ(before_close.shelter().admissions(), 1);
  EXPECT_EQ(before_close.dv_alarms(), 1);
  EXPECT_EQ(before_close.injury_assessments(), 1);
  EXPECT_EQ(before_close.warning_letters(), 1);
  EXPECT_EQ(before_close.assistance_total_fen(), 200000);
  EXPECT_FALSE(before_close.has_next_follow_up_due_at_us());

  v1::CloseCaseRequest close;
  close.mutable_close_case()->set_resolution(v1::RESOLUTION_VIOLENCE_STOPPED);
  close.mutable_close_case()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  Next(&Stub::CloseCase, close);
  EXPECT_EQ(GetCase(case_.id).status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(GetCase(case_.id).closed_at_us(), clock_->NowMicros());

  v1::ReopenCaseRequest reopen;
  reopen.mutable_reopen_case()->set_reason("男方违反保护令再次骚扰。");
  v1::CommandResponse last = Next(&Stub::ReopenCase, reopen);
  EXPECT_EQ(last.version(), 27u);
  EXPECT_EQ(last.position(), log_->HeadPosition());

  v1::CaseView reopened = GetCase(case_.id);
  EXPECT_EQ(reopened.status(), v1::CASE_STATUS_OPEN);
  EXPECT_EQ(reopened.reopen_count(), 1);
  EXPECT_EQ(reopened.resolution(), v1::RESOLUTION_VIOLENCE_STOPPED);
  EXPECT_EQ(reopened.version(), 27u);
  EXPECT_EQ(reopened.position(), last.position());

  std::vector<std::string> types;
  for (const v1::CaseHistoryEntry& e : History(case_.id)) types.push_back(e.event_type());
  EXPECT_THAT(types, ElementsAreArray({"case.opened",
                                       "case.assigned",
                                       "case.contact_recorded",
                                       "case.note_added",
                                       "case.risk_assessed",
                                       "case.mediation_scheduled",
                                       "case.mediation_held",
                                       "case.mediation_agreement_followed_up",
                                       "case.consent_recorded",
                                       "case.consent_withdrawn",
                                       "case.referral_made",
                                       "case.referral_accepted",
                                       "case.referral_progress_reported",
                                       "case.referral_outcome_reported",
                                       "case.referral_made",
                                       "case.referral_declined",
                                       "case.dv_alarm_recorded",
                                       "case.injury_assessment_requested",
                                       "case.shelter_admitted",
                                       "case.shelter_discharged",
                                       "case.protection_order_applied",
                                       "case.protection_order_granted",
                                       "case.warning_letter_issued",
                                       "case.assistance_granted",
                                       "case.follow_up_scheduled",
                                       "case.follow_up_done",
                                       "case.closed",
                                       "case.reopened"}));
}

}  // namespace
}  // namespace haven::services
