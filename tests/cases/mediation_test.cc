// Marriage and family mediation: scheduling, outcome, agreement follow-up.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

v1::CaseCommand Schedule() {
  v1::CaseCommand c;
  v1::ScheduleMediation* m = c.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_VILLAGE);
  m->set_committee_name("龙坞村人民调解委员会");
  m->set_mediator_name("周凤英");
  v1::Party* party = m->add_parties();
  party->set_role(v1::PARTY_ROLE_APPLICANT);
  party->mutable_person()->set_name("王秀兰");
  party = m->add_parties();
  party->set_role(v1::PARTY_ROLE_RESPONDENT);
  party->mutable_person()->set_name("李桂香");  // the mother-in-law
  m->set_scheduled_at_us(Now() + 2 * kDayUs);
  return c;
}

v1::CaseCommand Outcome(const std::string& id, v1::MediationOutcome outcome) {
  v1::CaseCommand c;
  c.mutable_record_mediation_outcome()->set_mediation_id(id);
  c.mutable_record_mediation_outcome()->set_outcome(outcome);
  return c;
}

v1::CaseCommand FollowUp(const std::string& id, v1::AgreementCompliance compliance) {
  v1::CaseCommand c;
  c.mutable_record_agreement_follow_up()->set_mediation_id(id);
  c.mutable_record_agreement_follow_up()->set_compliance(compliance);
  return c;
}

const int64_t kLater = Now() + 3 * kDayUs;

class MediationTest : public CaseTest {
 protected:
  void SetUp() override { Open(); }
};

TEST_F(MediationTest, SchedulingRecordsCommitteeMediatorAndParties) {
  absl::StatusOr<Events> events = Run(Schedule(), Ctx(Now(), "med-1"));
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::MediationScheduled& e = events->front().mediation_scheduled();
  EXPECT_EQ(e.mediation_id(), "med-1");
  EXPECT_EQ(e.committee_level(), v1::COMMITTEE_LEVEL_VILLAGE);
  EXPECT_EQ(e.mediator_name(), "周凤英");
  ASSERT_EQ(e.parties_size(), 2);
  EXPECT_EQ(e.parties(1).person().name(), "李桂香");
  EXPECT_EQ(state_.PendingMediationId(), "med-1");
}

TEST_F(MediationTest, MediationNeedsCommitteeLevel) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->clear_committee_level();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.committee_level"));
}

TEST_F(MediationTest, MediationNeedsCommitteeName) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->clear_committee_name();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.committee_name"));
}

TEST_F(MediationTest, MediationNeedsMediator) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->clear_mediator_name();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.mediator_name"));
}

TEST_F(MediationTest, MediationNeedsParties) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->clear_parties();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.parties"));
}

TEST_F(MediationTest, PartyNeedsRole) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->mutable_parties(1)->clear_role();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.parties[1].role"));
}

TEST_F(MediationTest, PartyPhoneIsValidated) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->mutable_parties(0)->mutable_person()->set_phone("12345");
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.parties[0].person.phone"));
}

TEST_F(MediationTest, MediationNeedsScheduledTime) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->clear_scheduled_at_us();
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.scheduled_at_us"));
}

TEST_F(MediationTest, MediationScheduledInTheFarPastIsInvalid) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->set_scheduled_at_us(Now() - 2 * kDayUs);
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.scheduled_at_us"));
}

TEST_F(MediationTest, MediationScheduledEarlierTodayIsAccepted) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->set_scheduled_at_us(Now() - 30 * kMinuteUs);
  EXPECT_TRUE(Run(c, Ctx(Now(), "med-1")).ok());
}

TEST_F(MediationTest, MediationMoreThanAYearAheadIsInvalid) {
  v1::CaseCommand c = Schedule();
  c.mutable_schedule_mediation()->set_scheduled_at_us(Now() + 400 * kDayUs);
  EXPECT_TRUE(Fails(Run(c, Ctx(Now(), "med-1")), StatusCode::kInvalidArgument,
                    "schedule_mediation.scheduled_at_us"));
}

TEST_F(MediationTest, SchedulingWithoutANewIdIsInternal) {
  EXPECT_TRUE(Fails(Run(Schedule(), Ctx()), StatusCode::kInternal, "context.new_id"));
}

TEST_F(MediationTest, ReusingAMediationIdIsInternal) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  EXPECT_TRUE(Fails(Run(Schedule(), Ctx(Now(), "med-1")), StatusCode::kInternal, "context.new_id"));
}

TEST_F(MediationTest, OutcomeForUnscheduledMediationIsRefused) {
  EXPECT_TRUE(Fails(Run(Outcome("med-9", v1::MEDIATION_OUTCOME_AGREEMENT)),
                    StatusCode::kFailedPrecondition, "mediation_not_scheduled"));
}

TEST_F(MediationTest, OutcomeNeedsOutcome) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  EXPECT_TRUE(Fails(Run(Outcome("med-1", v1::MEDIATION_OUTCOME_UNSPECIFIED)),
                    StatusCode::kInvalidArgument, "record_mediation_outcome.outcome"));
}

TEST_F(MediationTest, OutcomeNeedsMediationId) {
  EXPECT_TRUE(Fails(Run(Outcome("", v1::MEDIATION_OUTCOME_FAILED)), StatusCode::kInvalidArgument,
                    "record_mediation_outcome.mediation_id"));
}

TEST_F(MediationTest, OutcomeIsRecordedWithPartiesPresent) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  v1::CaseCommand c = Outcome("med-1", v1::MEDIATION_OUTCOME_PARTIAL);
  v1::Party* present = c.mutable_record_mediation_outcome()->add_parties_present();
  present->set_role(v1::PARTY_ROLE_APPLICANT);
  present->mutable_person()->set_name("王秀兰");
  c.mutable_record_mediation_outcome()->set_summary("婆媳同意分开居住，赡养费问题未谈拢。");
  absl::StatusOr<Events> events = Run(c, Ctx(kLater));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().mediation_held().held_at_us(), kLater);
  EXPECT_EQ(events->front().mediation_held().parties_present_size(), 1);
  EXPECT_EQ(state_.mediations.at("med-1").outcome, v1::MEDIATION_OUTCOME_PARTIAL);
  EXPECT_FALSE(state_.PendingMediationId().has_value());
}

TEST_F(MediationTest, SecondOutcomeIsRefused) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_FAILED), Ctx(kLater));
  EXPECT_TRUE(Fails(Run(Outcome("med-1", v1::MEDIATION_OUTCOME_AGREEMENT), Ctx(kLater)),
                    StatusCode::kFailedPrecondition, "mediation_already_decided"));
}

TEST_F(MediationTest, AdjournedMediationTakesAnotherOutcome) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_ADJOURNED), Ctx(kLater));
  EXPECT_EQ(state_.PendingMediationId(), "med-1");
  EXPECT_TRUE(Run(Outcome("med-1", v1::MEDIATION_OUTCOME_AGREEMENT), Ctx(kLater + kDayUs)).ok());
}

TEST_F(MediationTest, AgreementFollowUpRecordsABrokenAgreement) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_AGREEMENT), Ctx(kLater));
  v1::CaseCommand c = FollowUp("med-1", v1::AGREEMENT_COMPLIANCE_BROKEN);
  c.mutable_record_agreement_follow_up()->set_note("男方未按协议支付抚养费。");
  MustRun(c, Ctx(kLater + 30 * kDayUs));
  EXPECT_EQ(state_.mediations.at("med-1").compliance, v1::AGREEMENT_COMPLIANCE_BROKEN);
}

TEST_F(MediationTest, AgreementFollowUpWithoutAgreementIsRefused) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_FAILED), Ctx(kLater));
  EXPECT_TRUE(Fails(Run(FollowUp("med-1", v1::AGREEMENT_COMPLIANCE_KEPT), Ctx(kLater)),
                    StatusCode::kFailedPrecondition, "no_agreement"));
}

TEST_F(MediationTest, AgreementFollowUpBeforeTheMediationWasHeldIsRefused) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  EXPECT_TRUE(Fails(Run(FollowUp("med-1", v1::AGREEMENT_COMPLIANCE_KEPT)),
                    StatusCode::kFailedPrecondition, "no_agreement"));
}

TEST_F(MediationTest, AgreementFollowUpDatedBeforeTheMediationIsInvalid) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_AGREEMENT), Ctx(kLater));
  v1::CaseCommand c = FollowUp("med-1", v1::AGREEMENT_COMPLIANCE_KEPT);
  c.mutable_record_agreement_follow_up()->set_checked_at_us(kLater - kDayUs);
  EXPECT_TRUE(Fails(Run(c, Ctx(kLater + kDayUs)), StatusCode::kInvalidArgument,
                    "record_agreement_follow_up.checked_at_us"));
}

TEST_F(MediationTest, AgreementFollowUpOfUnknownMediationIsRefused) {
  EXPECT_TRUE(Fails(Run(FollowUp("med-5", v1::AGREEMENT_COMPLIANCE_KEPT)),
                    StatusCode::kFailedPrecondition, "mediation_not_scheduled"));
}

TEST_F(MediationTest, AgreementFollowUpNeedsCompliance) {
  MustRun(Schedule(), Ctx(Now(), "med-1"));
  MustRun(Outcome("med-1", v1::MEDIATION_OUTCOME_AGREEMENT), Ctx(kLater));
  EXPECT_TRUE(Fails(Run(FollowUp("med-1", v1::AGREEMENT_COMPLIANCE_UNSPECIFIED), Ctx(kLater)),
                    StatusCode::kInvalidArgument, "record_agreement_follow_up.compliance"));
}

}  // namespace
}  // namespace haven::cases::testing
