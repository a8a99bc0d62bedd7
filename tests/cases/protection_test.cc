// Domestic-violence protection: alarms, injury assessment, shelter,
// protection orders and warning letters.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

v1::CaseCommand Admit(int64_t at_us = 0) {
  v1::CaseCommand c;
  c.mutable_admit_to_shelter()->set_shelter_id("shelter-xihu");
  c.mutable_admit_to_shelter()->set_admitted_at_us(at_us);
  c.mutable_admit_to_shelter()->set_accompanying_children(1);
  return c;
}

v1::CaseCommand Discharge(int64_t at_us = 0) {
  v1::CaseCommand c;
  c.mutable_discharge_from_shelter()->set_discharged_at_us(at_us);
  c.mutable_discharge_from_shelter()->set_note("已在城西租房，孩子转学完成。");
  return c;
}

v1::CaseCommand Apply() {
  v1::CaseCommand c;
  c.mutable_apply_protection_order()->set_court_name("杭州市西湖区人民法院");
  c.mutable_apply_protection_order()->set_emergency(true);
  return c;
}

v1::CaseCommand Grant(const std::string& id, int64_t expires_at_us) {
  v1::CaseCommand c;
  v1::RecordProtectionOrderDecision* d = c.mutable_record_protection_order_decision();
  d->set_order_id(id);
  d->set_decision(v1::PROTECTION_ORDER_DECISION_GRANTED);
  d->set_expires_at_us(expires_at_us);
  d->set_court_reference("(2024)浙0106民保令3号");
  return c;
}

v1::CaseCommand Deny(const std::string& id, const std::string& reason) {
  v1::CaseCommand c;
  v1::RecordProtectionOrderDecision* d = c.mutable_record_protection_order_decision();
  d->set_order_id(id);
  d->set_decision(v1::PROTECTION_ORDER_DECISION_DENIED);
  d->set_reason(reason);
  return c;
}

class ProtectionTest : public CaseTest {
 protected:
  void SetUp() override { Open(); }
};

TEST_F(ProtectionTest, AlarmIsRecordedAtAPoliceAlarmPoint) {
  v1::CaseCommand c;
  c.mutable_record_dv_alarm()->set_alarm_point_id("alarm-wensan-pcs");
  c.mutable_record_dv_alarm()->set_police_reference("浙公西转警[2024]0519号");
  c.mutable_record_dv_alarm()->set_account("凌晨两点报警，民警出警制止。");
  MustRun(c);
  EXPECT_EQ(state_.dv_alarms, 1);
}

TEST_F(ProtectionTest, AlarmNeedsAlarmPoint) {
  v1::CaseCommand c;
  c.mutable_record_dv_alarm()->set_account("报警");
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_dv_alarm.alarm_point_id"));
}

TEST_F(ProtectionTest, AlarmBeforeTheCaseWasReceivedIsAccepted) {
  v1::CaseCommand c;
  c.mutable_record_dv_alarm()->set_alarm_point_id("alarm-wensan-pcs");
  c.mutable_record_dv_alarm()->set_alarmed_at_us(Now() - 30 * kDayUs);
  EXPECT_TRUE(Run(c).ok());
}

TEST_F(ProtectionTest, AlarmMoreThanAYearBeforeTheCaseIsInvalid) {
  v1::CaseCommand c;
  c.mutable_record_dv_alarm()->set_alarm_point_id("alarm-wensan-pcs");
  c.mutable_record_dv_alarm()->set_alarmed_at_us(Now() - 400 * kDayUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_dv_alarm.alarmed_at_us"));
}

TEST_F(ProtectionTest, AlarmInTheFutureIsInvalid) {
  v1::CaseCommand c;
  c.mutable_record_dv_alarm()->set_alarm_point_id("alarm-wensan-pcs");
  c.mutable_record_dv_alarm()->set_alarmed_at_us(Now() + kHourUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_dv_alarm.alarmed_at_us"));
}

TEST_F(ProtectionTest, InjuryAssessmentIsRequested) {
  v1::CaseCommand c;
  c.mutable_request_injury_assessment()->set_assessment_centre_id("assess-xihu");
  c.mutable_request_injury_assessment()->set_note("左臂淤青，头部轻微外伤");
  MustRun(c);
  EXPECT_EQ(state_.injury_assessments, 1);
}

TEST_F(ProtectionTest, InjuryAssessmentNeedsCentre) {
  v1::CaseCommand c;
  c.mutable_request_injury_assessment()->set_note("伤情鉴定");
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument,
                    "request_injury_assessment.assessment_centre_id"));
}

TEST_F(ProtectionTest, ShelterAdmissionAndDischarge) {
  MustRun(Admit());
  EXPECT_TRUE(state_.shelter.admitted);
  MustRun(Discharge(), Ctx(Now() + 10 * kDayUs));
  EXPECT_FALSE(state_.shelter.admitted);
  EXPECT_EQ(history_.back().shelter_discharged().shelter_id(), "shelter-xihu");
  EXPECT_EQ(state_.shelter.admissions, 1);
}

TEST_F(ProtectionTest, AdmissionNeedsShelter) {
  v1::CaseCommand c = Admit();
  c.mutable_admit_to_shelter()->clear_shelter_id();
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "admit_to_shelter.shelter_id"));
}

TEST_F(ProtectionTest, AccompanyingChildrenOutOfRangeIsInvalid) {
  v1::CaseCommand c = Admit();
  c.mutable_admit_to_shelter()->set_accompanying_children(-1);
  EXPECT_TRUE(
      Fails(Run(c), StatusCode::kInvalidArgument, "admit_to_shelter.accompanying_children"));
}

TEST_F(ProtectionTest, AdmissionWhileInShelterIsRefused) {
  MustRun(Admit());
  EXPECT_TRUE(Fails(Run(Admit()), StatusCode::kFailedPrecondition, "already_in_shelter"));
}

TEST_F(ProtectionTest, DischargeOfSomeoneNotAdmittedIsRefused) {
  EXPECT_TRUE(Fails(Run(Discharge()), StatusCode::kFailedPrecondition, "not_in_shelter"));
}

TEST_F(ProtectionTest, DischargeBeforeAdmissionIsInvalid) {
  MustRun(Admit());
  EXPECT_TRUE(Fails(Run(Discharge(Now() - 10 * kMinuteUs), Ctx(Now() + kDayUs)),
                    StatusCode::kInvalidArgument, "discharge_from_shelter.discharged_at_us"));
}

TEST_F(ProtectionTest, ReadmissionAfterDischargeIsAllowed) {
  MustRun(Admit());
  MustRun(Discharge(), Ctx(Now() + 5 * kDayUs));
  MustRun(Admit(), Ctx(Now() + 20 * kDayUs));
  EXPECT_EQ(state_.shelter.admissions, 2);
}

TEST_F(ProtectionTest, ReadmissionDatedBeforeTheLastDischargeIsInvalid) {
  MustRun(Admit());
  MustRun(Discharge(), Ctx(Now() + 5 * kDayUs));
  EXPECT_TRUE(Fails(Run(Admit(Now() + 2 * kDayUs), Ctx(Now() + 6 * kDayUs)),
                    StatusCode::kInvalidArgument, "admit_to_shelter.admitted_at_us"));
}

TEST_F(ProtectionTest, ProtectionOrderIsGrantedWithExpiry) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  const int64_t decided = Now() + 20 * kHourUs;
  MustRun(Grant("po-1", decided + 180 * kDayUs), Ctx(decided));
  const ProtectionOrderState& order = state_.protection_orders.at("po-1");
  EXPECT_EQ(order.status, ProtectionOrderStatus::kGranted);
  EXPECT_EQ(order.expires_at_us, decided + 180 * kDayUs);
  EXPECT_EQ(history_.back().protection_order_granted().court_reference(), "(2024)浙0106民保令3号");
}

TEST_F(ProtectionTest, ApplicationNeedsCourt) {
  v1::CaseCommand c = Apply();
  c.mutable_apply_protection_order()->clear_court_name();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "po-1")), StatusCode::kInvalidArgument,
                    "apply_protection_order.court_name"));
}

TEST_F(ProtectionTest, DecisionOnAnUnknownApplicationIsRefused) {
  EXPECT_TRUE(Fails(Run(Grant("po-9", Now() + 30 * kDayUs)), StatusCode::kFailedPrecondition,
                    "protection_order_not_applied"));
}

TEST_F(ProtectionTest, SecondDecisionIsRefused) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  MustRun(Deny("po-1", "证据不足"));
  EXPECT_TRUE(Fails(Run(Grant("po-1", Now() + 30 * kDayUs)), StatusCode::kFailedPrecondition,
                    "protection_order_already_decided"));
}

TEST_F(ProtectionTest, DecisionNeedsDecision) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  v1::CaseCommand c = Grant("po-1", Now() + 30 * kDayUs);
  c.mutable_record_protection_order_decision()->clear_decision();
  EXPECT_TRUE(
      Fails(Run(c), StatusCode::kInvalidArgument, "record_protection_order_decision.decision"));
}

TEST_F(ProtectionTest, GrantNeedsExpiry) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  EXPECT_TRUE(Fails(Run(Grant("po-1", 0)), StatusCode::kInvalidArgument,
                    "record_protection_order_decision.expires_at_us"));
}

TEST_F(ProtectionTest, ExpiryBeforeTheGrantIsInvalid) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  EXPECT_TRUE(Fails(Run(Grant("po-1", Now() - kHourUs)), StatusCode::kInvalidArgument,
                    "record_protection_order_decision.expires_at_us"));
}

TEST_F(ProtectionTest, ExpiryBeyondSixMonthsIsInvalid) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  absl::StatusOr<Events> result = Run(Grant("po-1", Now() + 200 * kDayUs));
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument,
                    "record_protection_order_decision.expires_at_us"));
  EXPECT_NE(result.status().message().find("six months"), std::string::npos);
}

TEST_F(ProtectionTest, DenialNeedsReason) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  EXPECT_TRUE(Fails(Run(Deny("po-1", "")), StatusCode::kInvalidArgument,
                    "record_protection_order_decision.reason"));
}

TEST_F(ProtectionTest, DenialWithExpiryIsInvalid) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  v1::CaseCommand c = Deny("po-1", "证据不足");
  c.mutable_record_protection_order_decision()->set_expires_at_us(Now() + kDayUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument,
                    "record_protection_order_decision.expires_at_us"));
}

TEST_F(ProtectionTest, DecisionDatedBeforeTheApplicationIsInvalid) {
  MustRun(Apply(), Ctx(Now(), "po-1"));
  v1::CaseCommand c = Grant("po-1", Now() + 30 * kDayUs);
  c.mutable_record_protection_order_decision()->set_decided_at_us(Now() - 30 * kMinuteUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument,
                    "record_protection_order_decision.decided_at_us"));
}

TEST_F(ProtectionTest, WarningLetterIsIssued) {
  v1::CaseCommand c;
  c.mutable_issue_warning_letter()->set_police_station("西湖区公安分局文新派出所");
  c.mutable_issue_warning_letter()->set_reference("西公(文)告字[2024]12号");
  MustRun(c);
  EXPECT_EQ(state_.warning_letters, 1);
}

TEST_F(ProtectionTest, WarningLetterNeedsPoliceStation) {
  v1::CaseCommand c;
  c.mutable_issue_warning_letter()->set_reference("告字12号");
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "issue_warning_letter.police_station"));
}

}  // namespace
}  // namespace haven::cases::testing
