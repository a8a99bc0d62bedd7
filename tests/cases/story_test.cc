// Whole cases, from the first contact to closure, as the federation works
// them: each command at its own time, each event in order.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/domain/evolve.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

class StoryTest : public CaseTest {
 protected:
  // Runs `command` `after_us` later than the previous one.
  void At(int64_t after_us, const v1::CaseCommand& command, const std::string& new_id = "") {
    clock_ += after_us;
    DecideContext ctx = Ctx(clock_, new_id);
    ctx.actor = actor_;
    MustRun(command, ctx);
  }

  std::vector<std::string> Types() const {
    std::vector<std::string> types;
    for (const v1::CaseEvent& e : history_) types.emplace_back(EventTypeOf(e));
    return types;
  }

  int64_t clock_ = Now();
  std::string actor_ = "李华";
};

TEST_F(StoryTest, DomesticViolenceFromHotlineCallToClosure) {
  v1::CaseCommand open = OpenCaseCommand();
  open.mutable_open_case()->set_assignee_operator_id("op-lihua");
  open.mutable_open_case()->set_urgency(v1::URGENCY_EMERGENCY);
  At(0, open);

  v1::CaseCommand c;
  c.mutable_assess_risk()->set_level(v1::RISK_LEVEL_HIGH);
  c.mutable_assess_risk()->set_basis("近一月暴力升级，有掐脖行为。");
  At(10 * kMinuteUs, c);

  c.Clear();
  c.mutable_record_dv_alarm()->set_alarm_point_id("alarm-wensan-pcs");
  c.mutable_record_dv_alarm()->set_alarmed_at_us(clock_ - 8 * kHourUs + 30 * kMinuteUs);
  At(5 * kMinuteUs, c);

  c.Clear();
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER);
  c.mutable_record_consent()->set_form(v1::CONSENT_FORM_ORAL);
  c.mutable_record_consent()->set_note("电话中口头同意，次日来访补签书面同意书。");
  At(5 * kMinuteUs, c);

  c.Clear();
  c.mutable_admit_to_shelter()->set_shelter_id("shelter-xihu");
  c.mutable_admit_to_shelter()->set_accompanying_children(1);
  At(3 * kHourUs, c);

  c.Clear();
  c.mutable_request_injury_assessment()->set_assessment_centre_id("assess-xihu");
  At(kHourUs, c);

  c.Clear();
  c.mutable_make_referral()->set_partner_id("legal-aid-1");
  c.mutable_make_referral()->set_partner_type(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  c.mutable_make_referral()->set_partner_name("西湖区法律援助中心");
  c.mutable_make_referral()->set_reason("申请人身安全保护令并提起离婚诉讼");
  At(kHourUs, c, "ref-1");

  c.Clear();
  c.mutable_accept_referral()->set_referral_id("ref-1");
  c.mutable_accept_referral()->set_handler_name("陈静");
  actor_ = "legal-aid-1";
  At(kDayUs, c);

  c.Clear();
  c.mutable_apply_protection_order()->set_court_name("杭州市西湖区人民法院");
  c.mutable_apply_protection_order()->set_emergency(true);
  At(2 * kHourUs, c, "po-1");

  c.Clear();
  c.mutable_record_protection_order_decision()->set_order_id("po-1");
  c.mutable_record_protection_order_decision()->set_decision(v1::PROTECTION_ORDER_DECISION_GRANTED);
  c.mutable_record_protection_order_decision()->set_expires_at_us(clock_ + 20 * kHourUs +
                                                                  180 * kDayUs);
  At(20 * kHourUs, c);

  actor_ = "李华";
  c.Clear();
  c.mutable_issue_warning_letter()->set_police_station("西湖区公安分局文新派出所");
  At(kDayUs, c);

  actor_ = "legal-aid-1";
  c.Clear();
  c.mutable_report_referral_progress()->set_referral_id("ref-1");
  c.mutable_report_referral_progress()->set_kind(v1::REFERRAL_PROGRESS_KIND_SUIT_FILED);
  At(7 * kDayUs, c);
  c.mutable_report_referral_progress()->set_kind(v1::REFERRAL_PROGRESS_KIND_JUDGMENT);
  At(60 * kDayUs, c);
  c.Clear();
  c.mutable_report_referral_outcome()->set_referral_id("ref-1");
  c.mutable_report_referral_outcome()->set_outcome(v1::REFERRAL_OUTCOME_RESOLVED);
  c.mutable_report_referral_outcome()->set_summary(
      "判决离婚，女儿由王秀兰抚养，男方每月支付抚养费1500元。");
  At(kDayUs, c);

  actor_ = "李华";
  c.Clear();
  c.mutable_discharge_from_shelter()->set_note("已租房安置");
  At(kDayUs, c);

  c.Clear();
  c.mutable_schedule_follow_up()->set_due_at_us(clock_ + 30 * kDayUs);
  At(kHourUs, c, "fu-1");
  c.Clear();
  c.mutable_complete_follow_up()->set_follow_up_id("fu-1");
  c.mutable_complete_follow_up()->set_method(v1::CONTACT_METHOD_PHONE);
  At(29 * kDayUs, c);

  c.Clear();
  c.mutable_close_case()->set_resolution(v1::RESOLUTION_VIOLENCE_STOPPED);
  c.mutable_close_case()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  At(kHourUs, c);

  EXPECT_EQ(Types(), (std::vector<std::string>{
                         "case.opened", "case.assigned", "case.risk_assessed",
                         "case.dv_alarm_recorded", "case.consent_recorded", "case.shelter_admitted",
                         "case.injury_assessment_requested", "case.referral_made",
                         "case.referral_accepted", "case.protection_order_applied",
                         "case.protection_order_granted", "case.warning_letter_issued",
                         "case.referral_progress_reported", "case.referral_progress_reported",
                         "case.referral_outcome_reported", "case.shelter_discharged",
                         "case.follow_up_scheduled", "case.follow_up_done", "case.closed"}));
  EXPECT_EQ(state_.status, CaseStatus::kClosed);
  EXPECT_EQ(state_.risk, v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(state_.referrals.at("ref-1").outcome, v1::REFERRAL_OUTCOME_RESOLVED);
  EXPECT_EQ(state_.protection_orders.at("po-1").status, ProtectionOrderStatus::kGranted);
  EXPECT_FALSE(state_.shelter.admitted);
  EXPECT_FALSE(state_.NextFollowUpDueUs().has_value());
  EXPECT_EQ(state_.closed_at_us, clock_);
  EXPECT_EQ(history_[8].actor(), "legal-aid-1");

  const CaseState folded = Fold(history_);
  EXPECT_EQ(folded.version, 18);
  EXPECT_EQ(folded.status, state_.status);
  EXPECT_EQ(folded.closed_at_us, state_.closed_at_us);
}

TEST_F(StoryTest, InLawDisputeMediatedThenReopenedWhenTheAgreementBreaks) {
  v1::CaseCommand open = OpenCaseCommand();
  v1::OpenCase* o = open.mutable_open_case();
  o->set_channel(v1::CHANNEL_VISIT);
  o->set_category(v1::CATEGORY_MARRIAGE_FAMILY);
  o->set_subcategory(v1::SUBCATEGORY_IN_LAW);
  o->set_urgency(v1::URGENCY_ROUTINE);
  o->set_priority(false);
  o->mutable_respondent()->set_name("李桂香");
  o->set_respondent_relationship(v1::RELATIONSHIP_IN_LAW);
  o->set_account("婆婆长期辱骂，不让我管家里的钱，丈夫在外打工不管。");
  At(0, open);

  v1::CaseCommand c;
  v1::ScheduleMediation* m = c.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_VILLAGE);
  m->set_committee_name("龙坞村人民调解委员会");
  m->set_mediator_name("周凤英");
  m->set_invited_mediator(true);
  v1::Party* p = m->add_parties();
  p->set_role(v1::PARTY_ROLE_APPLICANT);
  p->mutable_person()->set_name("王秀兰");
  p = m->add_parties();
  p->set_role(v1::PARTY_ROLE_RESPONDENT);
  p->mutable_person()->set_name("李桂香");
  m->set_scheduled_at_us(clock_ + 3 * kDayUs);
  At(kHourUs, c, "med-1");

  c.Clear();
  c.mutable_record_mediation_outcome()->set_mediation_id("med-1");
  c.mutable_record_mediation_outcome()->set_outcome(v1::MEDIATION_OUTCOME_AGREEMENT);
  c.mutable_record_mediation_outcome()->set_summary("婆媳分灶吃饭，家庭收支由夫妻共同管理。");
  At(3 * kDayUs, c);

  c.Clear();
  c.mutable_close_case()->set_resolution(v1::RESOLUTION_MEDIATED);
  c.mutable_close_case()->set_satisfaction(v1::SATISFACTION_BASICALLY_SATISFIED);
  At(kDayUs, c);
  EXPECT_EQ(state_.status, CaseStatus::kClosed);

  c.Clear();
  c.mutable_reopen_case()->set_reason("回访发现婆婆仍每日辱骂，调解协议未履行。");
  At(30 * kDayUs, c);
  c.Clear();
  c.mutable_record_agreement_follow_up()->set_mediation_id("med-1");
  c.mutable_record_agreement_follow_up()->set_compliance(v1::AGREEMENT_COMPLIANCE_BROKEN);
  At(kMinuteUs, c);
  c.Clear();
  c.mutable_close_case()->set_resolution(v1::RESOLUTION_NOT_RESOLVED);
  c.mutable_close_case()->set_satisfaction(v1::SATISFACTION_UNSATISFIED);
  At(10 * kDayUs, c);

  EXPECT_EQ(state_.reopen_count, 1);
  EXPECT_EQ(state_.mediations.at("med-1").compliance, v1::AGREEMENT_COMPLIANCE_BROKEN);
  EXPECT_EQ(state_.satisfaction, v1::SATISFACTION_UNSATISFIED);
}

TEST_F(StoryTest, FourPeriodsDismissalTransferredToTheDisputeResolutionCentre) {
  v1::CaseCommand open = OpenCaseCommand();
  v1::OpenCase* o = open.mutable_open_case();
  o->set_channel(v1::CHANNEL_ONLINE);
  o->set_category(v1::CATEGORY_LABOUR_RIGHTS);
  o->set_subcategory(v1::SUBCATEGORY_FOUR_PERIODS_DISMISSAL);
  o->set_urgency(v1::URGENCY_ROUTINE);
  o->mutable_respondent()->set_name("杭州某服装有限公司");
  o->set_respondent_relationship(v1::RELATIONSHIP_EMPLOYER);
  o->set_account("怀孕五个月被公司以“岗位调整”为由辞退，未支付任何补偿。");
  At(0, open);

  v1::CaseCommand c;
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE);
  c.mutable_record_consent()->set_form(v1::CONSENT_FORM_WRITTEN);
  At(kHourUs, c);
  c.Clear();
  c.mutable_make_referral()->set_partner_id("zongzhi-xihu");
  c.mutable_make_referral()->set_partner_type(v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE);
  c.mutable_make_referral()->set_reason("涉及劳动仲裁，转区综治中心矛盾大调解");
  c.mutable_make_referral()->set_external_reference("XH-DDJ-2024-1187");
  At(kHourUs, c, "ref-1");
  c.Clear();
  c.mutable_close_case()->set_resolution(v1::RESOLUTION_TRANSFERRED);
  c.mutable_close_case()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  c.mutable_close_case()->set_pending_referral_reason("已移交综治中心，由其办理并反馈。");
  At(kDayUs, c);

  EXPECT_EQ(state_.status, CaseStatus::kClosed);
  EXPECT_EQ(history_.back().closed().pending_referral_ids(0), "ref-1");
  EXPECT_EQ(state_.OpenReferralIds(), std::vector<std::string>{"ref-1"});
}

}  // namespace
}  // namespace haven::cases::testing
