// Assistance (money in fen, quota-limited funds) and follow-ups.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

v1::CaseCommand Grant(v1::AssistanceKind kind, int64_t amount_fen, int fund_year = 0) {
  v1::CaseCommand c;
  c.mutable_grant_assistance()->set_kind(kind);
  c.mutable_grant_assistance()->set_amount_fen(amount_fen);
  c.mutable_grant_assistance()->set_fund_year(fund_year);
  return c;
}

v1::CaseCommand ScheduleFollowUp(int64_t due_at_us) {
  v1::CaseCommand c;
  c.mutable_schedule_follow_up()->set_due_at_us(due_at_us);
  c.mutable_schedule_follow_up()->set_purpose("回访：确认男方是否遵守保证书");
  return c;
}

v1::CaseCommand Complete(const std::string& id) {
  v1::CaseCommand c;
  c.mutable_complete_follow_up()->set_follow_up_id(id);
  c.mutable_complete_follow_up()->set_method(v1::CONTACT_METHOD_HOME_VISIT);
  c.mutable_complete_follow_up()->set_note("入户走访，家庭关系缓和。");
  return c;
}

class SupportTest : public CaseTest {
 protected:
  void SetUp() override { Open(); }
};

TEST_F(SupportTest, AssistanceIsGrantedInFen) {
  MustRun(Grant(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF, 50'000));              // 500 yuan
  MustRun(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 2024));  // 10,000 yuan
  EXPECT_EQ(history_.back().assistance_granted().amount_fen(), 1'000'000);
  EXPECT_EQ(state_.assistance_total_fen, 1'050'000);
}

TEST_F(SupportTest, AssistanceNeedsKind) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_UNSPECIFIED, 100)), StatusCode::kInvalidArgument,
                    "grant_assistance.kind"));
}

TEST_F(SupportTest, NegativeAmountIsInvalid) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF, -1)),
                    StatusCode::kInvalidArgument, "grant_assistance.amount_fen"));
}

TEST_F(SupportTest, AmountAboveOneMillionYuanIsInvalid) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF, 100'000'001)),
                    StatusCode::kInvalidArgument, "grant_assistance.amount_fen"));
}

TEST_F(SupportTest, MoneyReliefOfZeroIsInvalid) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF, 0)),
                    StatusCode::kInvalidArgument, "grant_assistance.amount_fen"));
}

TEST_F(SupportTest, FestivalVisitWithGoodsOnlyMayBeZero) {
  EXPECT_TRUE(Run(Grant(v1::ASSISTANCE_KIND_FESTIVAL_VISIT, 0)).ok());
}

TEST_F(SupportTest, TwoCancersReliefNeedsFundYear) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000)),
                    StatusCode::kInvalidArgument, "grant_assistance.fund_year"));
}

TEST_F(SupportTest, FundYearOutOfRangeIsInvalid) {
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 1999)),
                    StatusCode::kInvalidArgument, "grant_assistance.fund_year"));
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 2026)),
                    StatusCode::kInvalidArgument, "grant_assistance.fund_year"));
}

TEST_F(SupportTest, TwoCancersReliefOncePerFundYear) {
  MustRun(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 2024));
  EXPECT_TRUE(Fails(Run(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 500'000, 2024)),
                    StatusCode::kFailedPrecondition, "two_cancers_relief_once_per_year"));
}

TEST_F(SupportTest, TwoCancersReliefFromNextYearsFundIsAllowed) {
  MustRun(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 2024));
  EXPECT_TRUE(Run(Grant(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF, 1'000'000, 2025)).ok());
  EXPECT_EQ(state_.two_cancers_relief_years.size(), 2u);
}

TEST_F(SupportTest, FollowUpIsScheduledAndDone) {
  MustRun(ScheduleFollowUp(Now() + 30 * kDayUs), Ctx(Now(), "fu-1"));
  MustRun(ScheduleFollowUp(Now() + 7 * kDayUs), Ctx(Now(), "fu-2"));
  EXPECT_EQ(state_.NextFollowUpDueUs(), Now() + 7 * kDayUs);
  MustRun(Complete("fu-2"), Ctx(Now() + 7 * kDayUs));
  EXPECT_TRUE(state_.follow_ups.at("fu-2").done);
  EXPECT_EQ(state_.NextFollowUpDueUs(), Now() + 30 * kDayUs);
}

TEST_F(SupportTest, FollowUpNeedsDueTime) {
  EXPECT_TRUE(Fails(Run(ScheduleFollowUp(0), Ctx(Now(), "fu-1")), StatusCode::kInvalidArgument,
                    "schedule_follow_up.due_at_us"));
}

TEST_F(SupportTest, FollowUpDueBeforeTheCaseWasReceivedIsInvalid) {
  EXPECT_TRUE(Fails(Run(ScheduleFollowUp(Now() - 2 * kHourUs), Ctx(Now(), "fu-1")),
                    StatusCode::kInvalidArgument, "schedule_follow_up.due_at_us"));
}

TEST_F(SupportTest, FollowUpMoreThanTwoYearsAheadIsInvalid) {
  EXPECT_TRUE(Fails(Run(ScheduleFollowUp(Now() + 800 * kDayUs), Ctx(Now(), "fu-1")),
                    StatusCode::kInvalidArgument, "schedule_follow_up.due_at_us"));
}

TEST_F(SupportTest, CompletingAnUnknownFollowUpIsRefused) {
  EXPECT_TRUE(
      Fails(Run(Complete("fu-404")), StatusCode::kFailedPrecondition, "follow_up_not_found"));
}

TEST_F(SupportTest, CompletingAFollowUpTwiceIsRefused) {
  MustRun(ScheduleFollowUp(Now() + kDayUs), Ctx(Now(), "fu-1"));
  MustRun(Complete("fu-1"));
  EXPECT_TRUE(
      Fails(Run(Complete("fu-1")), StatusCode::kFailedPrecondition, "follow_up_already_done"));
}

TEST_F(SupportTest, CompletionNeedsMethod) {
  MustRun(ScheduleFollowUp(Now() + kDayUs), Ctx(Now(), "fu-1"));
  v1::CaseCommand c = Complete("fu-1");
  c.mutable_complete_follow_up()->clear_method();
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "complete_follow_up.method"));
}

TEST_F(SupportTest, CompletionInTheFutureIsInvalid) {
  MustRun(ScheduleFollowUp(Now() + kDayUs), Ctx(Now(), "fu-1"));
  v1::CaseCommand c = Complete("fu-1");
  c.mutable_complete_follow_up()->set_done_at_us(Now() + kDayUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "complete_follow_up.done_at_us"));
}

}  // namespace
}  // namespace haven::cases::testing
