// A case's lifecycle: existence, assignment, contacts, notes, risk, closing
// and reopening.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

v1::CaseCommand Note(const std::string& text) {
  v1::CaseCommand c;
  c.mutable_add_note()->set_text(text);
  return c;
}

v1::CaseCommand Close(v1::Resolution resolution = v1::RESOLUTION_VIOLENCE_STOPPED,
                      v1::Satisfaction satisfaction = v1::SATISFACTION_SATISFIED) {
  v1::CaseCommand c;
  c.mutable_close_case()->set_resolution(resolution);
  c.mutable_close_case()->set_satisfaction(satisfaction);
  c.mutable_close_case()->set_closure_note("男方出具保证书，已三个月无家暴。");
  return c;
}

v1::CaseCommand Reopen(const std::string& reason) {
  v1::CaseCommand c;
  c.mutable_reopen_case()->set_reason(reason);
  return c;
}

v1::CaseCommand Assign(const std::string& operator_id) {
  v1::CaseCommand c;
  c.mutable_assign_case()->set_operator_id(operator_id);
  return c;
}

class LifecycleTest : public CaseTest {};

TEST_F(LifecycleTest, CommandOnMissingCaseIsNotFound) {
  EXPECT_TRUE(Fails(Run(Note("无")), StatusCode::kNotFound, "case_not_found"));
}

TEST_F(LifecycleTest, ClosedCaseAcceptsOnlyReopen) {
  Open();
  MustRun(Close());
  absl::StatusOr<Events> result = Run(Note("结案后又来电"));
  EXPECT_TRUE(Fails(result, StatusCode::kFailedPrecondition, "case_closed"));
  EXPECT_NE(result.status().message().find("reopen_case"), std::string::npos);
  EXPECT_TRUE(Fails(Run(Assign("op-zhaomin")), StatusCode::kFailedPrecondition, "case_closed"));
  EXPECT_TRUE(Fails(Run(Close()), StatusCode::kFailedPrecondition, "case_closed"));
}

TEST_F(LifecycleTest, ReopeningAnOpenCaseIsRefused) {
  Open();
  EXPECT_TRUE(
      Fails(Run(Reopen("再次遭受家暴")), StatusCode::kFailedPrecondition, "case_not_closed"));
}

TEST_F(LifecycleTest, ReopenNeedsReason) {
  Open();
  MustRun(Close());
  EXPECT_TRUE(Fails(Run(Reopen("")), StatusCode::kInvalidArgument, "reopen_case.reason"));
}

TEST_F(LifecycleTest, ReopenedCaseTakesCommandsAgain) {
  Open();
  MustRun(Close());
  MustRun(Reopen("男方违反保证书，再次动手。"));
  EXPECT_EQ(state_.status, CaseStatus::kOpen);
  EXPECT_EQ(state_.reopen_count, 1);
  EXPECT_TRUE(Run(Note("已通知社区民警")).ok());
}

TEST_F(LifecycleTest, AssignmentRecordsThePreviousOperator) {
  Open();
  MustRun(Assign("op-lihua"));
  absl::StatusOr<Events> events = Run(Assign("op-zhaomin"));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().assigned().operator_id(), "op-zhaomin");
  EXPECT_EQ(events->front().assigned().previous_operator_id(), "op-lihua");
  EXPECT_EQ(state_.assignee, "op-zhaomin");
}

TEST_F(LifecycleTest, AssigningToTheCurrentAssigneeIsRefused) {
  Open();
  MustRun(Assign("op-lihua"));
  EXPECT_TRUE(Fails(Run(Assign("op-lihua")), StatusCode::kFailedPrecondition, "already_assigned"));
}

TEST_F(LifecycleTest, AssignNeedsOperator) {
  Open();
  EXPECT_TRUE(Fails(Run(Assign("")), StatusCode::kInvalidArgument, "assign_case.operator_id"));
}

TEST_F(LifecycleTest, ContactIsRecordedWithMethodAndTime) {
  Open();
  v1::CaseCommand c;
  c.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
  c.mutable_record_contact()->set_contacted_at_us(Now() - 10 * kMinuteUs);
  c.mutable_record_contact()->set_summary("回电确认安全，已搬到娘家暂住。");
  absl::StatusOr<Events> events = Run(c);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().contact_recorded().contacted_at_us(), Now() - 10 * kMinuteUs);
  EXPECT_EQ(events->front().contact_recorded().summary(), "回电确认安全，已搬到娘家暂住。");
}

TEST_F(LifecycleTest, ContactNeedsMethod) {
  Open();
  v1::CaseCommand c;
  c.mutable_record_contact()->set_summary("来访");
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_contact.method"));
}

TEST_F(LifecycleTest, ContactNeedsSummary) {
  Open();
  v1::CaseCommand c;
  c.mutable_record_contact()->set_method(v1::CONTACT_METHOD_IN_PERSON);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_contact.summary"));
}

TEST_F(LifecycleTest, ContactInTheFutureIsInvalid) {
  Open();
  v1::CaseCommand c;
  c.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
  c.mutable_record_contact()->set_summary("约定明天来访");
  c.mutable_record_contact()->set_contacted_at_us(Now() + kDayUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_contact.contacted_at_us"));
}

TEST_F(LifecycleTest, ContactBeforeTheCaseWasReceivedIsInvalid) {
  Open();
  v1::CaseCommand c;
  c.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
  c.mutable_record_contact()->set_summary("来电");
  c.mutable_record_contact()->set_contacted_at_us(Now() - 2 * kDayUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_contact.contacted_at_us"));
}

TEST_F(LifecycleTest, NoteNeedsText) {
  Open();
  EXPECT_TRUE(Fails(Run(Note("")), StatusCode::kInvalidArgument, "add_note.text"));
}

TEST_F(LifecycleTest, InternalNoteKeepsItsFlag) {
  Open();
  v1::CaseCommand c = Note("男方曾有持刀威胁记录，接访时注意安全。");
  c.mutable_add_note()->set_internal(true);
  absl::StatusOr<Events> events = Run(c);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->front().note_added().internal());
}

TEST_F(LifecycleTest, RiskAssessmentKeepsThePreviousLevel) {
  Open();
  v1::CaseCommand c;
  c.mutable_assess_risk()->set_level(v1::RISK_LEVEL_MEDIUM);
  MustRun(c);
  c.mutable_assess_risk()->set_level(v1::RISK_LEVEL_LETHAL);
  c.mutable_assess_risk()->set_community_early_warning(true);
  c.mutable_assess_risk()->set_basis("社区预警：男方扬言杀人，家中有刀具。");
  absl::StatusOr<Events> events = Run(c);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().risk_assessed().previous_level(), v1::RISK_LEVEL_MEDIUM);
  EXPECT_EQ(state_.risk, v1::RISK_LEVEL_LETHAL);
}

TEST_F(LifecycleTest, RiskNeedsLevel) {
  Open();
  v1::CaseCommand c;
  c.mutable_assess_risk()->set_basis("未评估");
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "assess_risk.level"));
}

TEST_F(LifecycleTest, CloseNeedsResolution) {
  Open();
  EXPECT_TRUE(Fails(Run(Close(v1::RESOLUTION_UNSPECIFIED)), StatusCode::kInvalidArgument,
                    "close_case.resolution"));
}

TEST_F(LifecycleTest, CloseNeedsSatisfaction) {
  Open();
  EXPECT_TRUE(Fails(Run(Close(v1::RESOLUTION_MEDIATED, v1::SATISFACTION_UNSPECIFIED)),
                    StatusCode::kInvalidArgument, "close_case.satisfaction"));
}

TEST_F(LifecycleTest, UnreachableClosureNeedsNoSatisfaction) {
  Open();
  MustRun(Close(v1::RESOLUTION_UNREACHABLE, v1::SATISFACTION_UNSPECIFIED));
  EXPECT_EQ(state_.status, CaseStatus::kClosed);
  EXPECT_EQ(state_.resolution, v1::RESOLUTION_UNREACHABLE);
}

TEST_F(LifecycleTest, ClosingWithAnOpenReferralNeedsAReason) {
  Open();
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-7");
  absl::StatusOr<Events> result = Run(Close());
  EXPECT_TRUE(Fails(result, StatusCode::kFailedPrecondition, "referral_pending"));
  EXPECT_NE(result.status().message().find("pending_referral_reason while referral ref-7 is open"),
            std::string::npos);
}

TEST_F(LifecycleTest, ClosingWithAnOpenReferralAndAReasonListsTheReferral) {
  Open();
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-7");
  v1::CaseCommand c = Close(v1::RESOLUTION_LEGAL_ACTION);
  c.mutable_close_case()->set_pending_referral_reason("离婚诉讼周期长，由法援中心继续代理。");
  absl::StatusOr<Events> events = Run(c);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->front().closed().pending_referral_ids_size(), 1);
  EXPECT_EQ(events->front().closed().pending_referral_ids(0), "ref-7");
}

TEST_F(LifecycleTest, ClosingWhileAMediationIsPendingIsRefused) {
  Open();
  ScheduleMediation("med-1");
  EXPECT_TRUE(Fails(Run(Close()), StatusCode::kFailedPrecondition, "mediation_pending"));
}

TEST_F(LifecycleTest, ClosureRecordsResolutionSatisfactionAndTime) {
  Open();
  MustRun(Close(v1::RESOLUTION_MEDIATED, v1::SATISFACTION_BASICALLY_SATISFIED),
          Ctx(Now() + 3 * kDayUs));
  EXPECT_EQ(state_.status, CaseStatus::kClosed);
  EXPECT_EQ(state_.closed_at_us, Now() + 3 * kDayUs);
  EXPECT_EQ(state_.satisfaction, v1::SATISFACTION_BASICALLY_SATISFIED);
  EXPECT_EQ(history_.back().closed().closure_note(), "男方出具保证书，已三个月无家暴。");
}

TEST_F(LifecycleTest, EveryEventCarriesActorAndTime) {
  Open();
  DecideContext ctx = Ctx(Now() + kHourUs);
  ctx.actor = "赵敏";
  MustRun(Note("已转介社区"), ctx);
  EXPECT_EQ(history_.back().actor(), "赵敏");
  EXPECT_EQ(history_.back().occurred_at_us(), Now() + kHourUs);
}

}  // namespace
}  // namespace haven::cases::testing
