// The targets aggregate's rules, one test per rule, the indicator
// catalogue, and the report's arithmetic, without storage or gRPC.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "haven/cases/v1/case_service.pb.h"
#include "haven/loans/v1/loan_service.pb.h"
#include "services/targets/domain/indicators.h"
#include "services/targets/domain/target_decide.h"
#include "services/targets/service/target_report.h"

namespace haven::targets {
namespace {

constexpr int64_t kNow = 1'767'225'600'000'000;  // 2026-01-01 08:00 CST

DecideContext Context() {
  DecideContext context;
  context.now_us = kNow;
  context.unit.id = "nj-xw";
  context.unit.exists = true;
  context.unit.open = true;
  return context;
}

v1::SetTargetRequest Set(const std::string& indicator, int64_t value,
                         v1::TargetPeriod period = v1::TARGET_PERIOD_YEAR) {
  v1::SetTargetRequest request;
  request.set_request_id("r1");
  request.set_unit_id("nj-xw");
  request.set_year(2026);
  request.set_period(period);
  request.set_indicator(indicator);
  request.set_value(value);
  request.set_note("2026年妇女工作要点");
  return request;
}

v1::WithdrawTargetRequest Withdraw(const std::string& indicator) {
  v1::WithdrawTargetRequest request;
  request.set_request_id("r2");
  request.set_unit_id("nj-xw");
  request.set_year(2026);
  request.set_period(v1::TARGET_PERIOD_YEAR);
  request.set_indicator(indicator);
  request.set_reason("指标调整");
  return request;
}

// The state after the events of `results`, applied in order.
TargetsState Apply(TargetsState state, const absl::StatusOr<std::vector<v1::TargetEvent>>& events) {
  EXPECT_TRUE(events.ok()) << events.status();
  if (events.ok()) {
    for (const v1::TargetEvent& event : *events) Evolve(state, event, "sup-1");
  }
  return state;
}

::testing::AssertionResult Refused(const absl::StatusOr<std::vector<v1::TargetEvent>>& result,
                                   absl::StatusCode code, const std::string& prefix) {
  if (result.ok()) return ::testing::AssertionFailure() << "accepted";
  if (result.status().code() != code ||
      result.status().message().substr(0, prefix.size()) != prefix) {
    return ::testing::AssertionFailure() << result.status();
  }
  return ::testing::AssertionSuccess();
}

TEST(TargetRules, SetTargetRecordsTheTargetWithItsUnitYearPeriodAndTime) {
  auto events = DecideSetTarget({}, Set("cases.closure_rate", 9800), Context());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const v1::TargetSet& set = (*events)[0].target_set();
  EXPECT_EQ(set.unit_id(), "nj-xw");
  EXPECT_EQ(set.year(), 2026);
  EXPECT_EQ(set.period(), v1::TARGET_PERIOD_YEAR);
  EXPECT_EQ(set.indicator(), "cases.closure_rate");
  EXPECT_EQ(set.comparison(), v1::COMPARISON_AT_LEAST);
  EXPECT_EQ(set.value(), 9800);
  EXPECT_FALSE(set.has_previous_value());
  EXPECT_EQ(set.set_at_us(), kNow);
  TargetsState state = Apply({}, events);
  const TargetEntry* entry = state.Find({2026, v1::TARGET_PERIOD_YEAR, "cases.closure_rate"});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->value, 9800);
  EXPECT_EQ(entry->set_by, "sup-1");
  EXPECT_EQ(state.version, 0);
}

TEST(TargetRules, UnitMustBeInTheDirectory) {
  DecideContext context = Context();
  context.unit.exists = false;
  EXPECT_TRUE(Refused(DecideSetTarget({}, Set("cases.opened", 10), context),
                      absl::StatusCode::kInvalidArgument, "unit_id:"));
}

TEST(TargetRules, AClosedUnitTakesNoTargets) {
  DecideContext context = Context();
  context.unit.open = false;
  EXPECT_TRUE(Refused(DecideSetTarget({}, Set("cases.opened", 10), context),
                      absl::StatusCode::kFailedPrecondition, "unit_closed:"));
}

TEST(TargetRules, YearFrom2000To2100) {
  v1::SetTargetRequest request = Set("cases.opened", 10);
  request.set_year(1999);
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "year:"));
  request.set_year(2101);
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "year:"));
}

TEST(TargetRules, PeriodIsRequiredAndDefined) {
  v1::SetTargetRequest request = Set("cases.opened", 10, v1::TARGET_PERIOD_UNSPECIFIED);
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "period:"));
  request.set_period(static_cast<v1::TargetPeriod>(42));
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "period:"));
}

TEST(TargetRules, IndicatorMustNameAStatistic) {
  for (const char* name : {"", "cases", "cases.from_day", "cases.opened_by_channel",
                           "children.awaiting_days", "weather.rainfall"}) {
    EXPECT_TRUE(Refused(DecideSetTarget({}, Set(name, 1), Context()),
                        absl::StatusCode::kInvalidArgument, "indicator:"))
        << name;
  }
}

TEST(TargetRules, ComparisonMustBeDefined) {
  v1::SetTargetRequest request = Set("cases.overdue_follow_ups_at_end", 0);
  request.set_comparison(static_cast<v1::Comparison>(9));
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "comparison:"));
  request.set_comparison(v1::COMPARISON_AT_MOST);
  auto events = DecideSetTarget({}, request, Context());
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ((*events)[0].target_set().comparison(), v1::COMPARISON_AT_MOST);
}

TEST(TargetRules, ValueIsNotNegative) {
  EXPECT_TRUE(Refused(DecideSetTarget({}, Set("loans.disbursed_fen", -1), Context()),
                      absl::StatusCode::kInvalidArgument, "value:"));
}

TEST(TargetRules, ARateIsAtMostOneHundredPercent) {
  EXPECT_TRUE(Refused(DecideSetTarget({}, Set("cases.closure_rate", 10'001), Context()),
                      absl::StatusCode::kInvalidArgument, "value:"));
  EXPECT_TRUE(DecideSetTarget({}, Set("cases.closure_rate", 10'000), Context()).ok());
}

TEST(TargetRules, NoteIsOneLineOfAtMost200Characters) {
  v1::SetTargetRequest request = Set("cases.opened", 10);
  request.set_note("第一行\n第二行");
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "note:"));
  request.set_note(std::string(201, 'x'));
  EXPECT_TRUE(Refused(DecideSetTarget({}, request, Context()), absl::StatusCode::kInvalidArgument,
                      "note:"));
}

TEST(TargetRules, ARevisedTargetCarriesThePreviousValue) {
  TargetsState state = Apply({}, DecideSetTarget({}, Set("children.paired", 2000), Context()));
  auto revised = DecideSetTarget(state, Set("children.paired", 2698), Context());
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ((*revised)[0].target_set().previous_value(), 2000);
  state = Apply(state, revised);
  const TargetEntry* entry = state.Find({2026, v1::TARGET_PERIOD_YEAR, "children.paired"});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->value, 2698);
  EXPECT_EQ(entry->revisions, 1u);
}

TEST(TargetRules, SettingTheSameTargetAgainIsRefusedAsUnchanged) {
  TargetsState state = Apply({}, DecideSetTarget({}, Set("children.paired", 2000), Context()));
  EXPECT_TRUE(Refused(DecideSetTarget(state, Set("children.paired", 2000), Context()),
                      absl::StatusCode::kFailedPrecondition, "target_unchanged:"));
  v1::SetTargetRequest other_comparison = Set("children.paired", 2000);
  other_comparison.set_comparison(v1::COMPARISON_AT_MOST);
  EXPECT_TRUE(DecideSetTarget(state, other_comparison, Context()).ok());
}

TEST(TargetRules, EachPeriodOfAYearHoldsItsOwnTarget) {
  TargetsState state = Apply({}, DecideSetTarget({}, Set("cases.closed", 400), Context()));
  state = Apply(state,
                DecideSetTarget(state, Set("cases.closed", 90, v1::TARGET_PERIOD_Q1), Context()));
  EXPECT_EQ(state.targets.size(), 2u);
}

TEST(TargetRules, WithdrawingNeedsTheTargetSet) {
  EXPECT_TRUE(Refused(DecideWithdrawTarget({}, Withdraw("cases.closed"), Context()),
                      absl::StatusCode::kFailedPrecondition, "target_not_set:"));
}

TEST(TargetRules, WithdrawingNeedsAReason) {
  TargetsState state = Apply({}, DecideSetTarget({}, Set("cases.closed", 400), Context()));
  v1::WithdrawTargetRequest request = Withdraw("cases.closed");
  request.set_reason("  ");
  EXPECT_TRUE(Refused(DecideWithdrawTarget(state, request, Context()),
                      absl::StatusCode::kInvalidArgument, "reason:"));
}

TEST(TargetRules, AWithdrawnTargetIsNoLongerInForce) {
  TargetsState state = Apply({}, DecideSetTarget({}, Set("cases.closed", 400), Context()));
  state = Apply(state, DecideWithdrawTarget(state, Withdraw("cases.closed"), Context()));
  EXPECT_TRUE(state.targets.empty());
  EXPECT_EQ(state.version, 1);
}

// ---- The catalogue.

TEST(Indicators, EveryContextsNumbersAreIndicatorsOfTheRightKind) {
  const std::map<std::string, v1::IndicatorKind> expected = {
      {"cases.opened", v1::INDICATOR_KIND_COUNT},
      {"cases.closure_rate", v1::INDICATOR_KIND_RATE},
      {"cases.median_days_to_close", v1::INDICATOR_KIND_NUMBER},
      {"cases.assistance_fen", v1::INDICATOR_KIND_FEN},
      {"loans.disbursed", v1::INDICATOR_KIND_COUNT},
      {"loans.disbursed_fen", v1::INDICATOR_KIND_FEN},
      {"children.paired", v1::INDICATOR_KIND_COUNT},
      {"children.visits_per_pairing", v1::INDICATOR_KIND_NUMBER},
      {"microhomes.registered", v1::INDICATOR_KIND_COUNT},
      {"microhomes.demonstration_at_end", v1::INDICATOR_KIND_COUNT},
      {"projects.beneficiaries", v1::INDICATOR_KIND_COUNT},
      {"projects.spent_fen", v1::INDICATOR_KIND_FEN},
  };
  for (const auto& [name, kind] : expected) {
    const IndicatorInfo* indicator = FindIndicator(name);
    ASSERT_NE(indicator, nullptr) << name;
    EXPECT_EQ(indicator->kind, kind) << name;
  }
  std::map<std::string, int> per_context;
  for (const IndicatorInfo& indicator : AllIndicators()) ++per_context[indicator.context];
  for (const char* context : kIndicatorContexts) EXPECT_GT(per_context[context], 5) << context;
  EXPECT_EQ(FindIndicator("cases.from_day"), nullptr);
  EXPECT_EQ(FindIndicator("cases.suppressed_cells"), nullptr);
}

TEST(Indicators, ARateReadsInHundredthsOfAPercentRounded) {
  cases::v1::CaseStatistics statistics;
  statistics.mutable_closure_rate()->set_numerator(2);
  statistics.mutable_closure_rate()->set_denominator(3);
  EXPECT_EQ(ReadIndicator(*FindIndicator("cases.closure_rate"), statistics), 6667);
  statistics.mutable_closure_rate()->set_denominator(0);
  statistics.mutable_closure_rate()->set_numerator(0);
  EXPECT_EQ(ReadIndicator(*FindIndicator("cases.closure_rate"), statistics), std::nullopt);
}

TEST(Indicators, AnUnsetMedianHasNoValueAndASetOneReadsInHundredths) {
  cases::v1::CaseStatistics statistics;
  const IndicatorInfo& median = *FindIndicator("cases.median_days_to_close");
  EXPECT_EQ(ReadIndicator(median, statistics), std::nullopt);
  statistics.set_median_days_to_close(20.5);
  EXPECT_EQ(ReadIndicator(median, statistics), 2050);
  statistics.set_opened(17);
  EXPECT_EQ(ReadIndicator(*FindIndicator("cases.opened"), statistics), 17);
}

// ---- The report.

TargetsState StateOf(const std::vector<v1::SetTargetRequest>& requests) {
  TargetsState state;
  for (const v1::SetTargetRequest& request : requests) {
    state = Apply(state, DecideSetTarget(state, request, Context()));
  }
  return state;
}

struct FakeStatistics {
  // (context, from, to) asked, in order.
  std::vector<std::tuple<std::string, std::string, std::string>> asked;
  std::vector<std::string> suppressed;

  FetchStatistics Fetch() {
    return [this](const std::string& context, stats::DayNumber from,
                  stats::DayNumber to) -> absl::StatusOr<StatisticsAnswer> {
      asked.emplace_back(context, stats::DayText(from), stats::DayText(to));
      StatisticsAnswer answer;
      answer.suppressed_cells = suppressed;
      const int days = to - from + 1;
      if (context == "cases") {
        auto s = std::make_unique<cases::v1::CaseStatistics>();
        s->set_opened(days);  // one case a day
        s->set_closed(days - 10);
        s->mutable_closure_rate()->set_numerator(days - 1);
        s->mutable_closure_rate()->set_denominator(days);
        s->set_overdue_follow_ups_at_end(3);
        answer.statistics = std::move(s);
      } else {
        auto s = std::make_unique<loans::v1::LoanStatistics>();
        s->set_disbursed_fen(int64_t{days} * 10'000);
        answer.statistics = std::move(s);
      }
      return answer;
    };
  }
};

TEST(TargetReport, ATargetOfThePeriodIsHeldAgainstThePeriod) {
  TargetsState state = StateOf({Set("cases.opened", 80, v1::TARGET_PERIOD_Q1)});
  FakeStatistics fake;
  const stats::DayNumber as_of = DaysOf(2026, v1::TARGET_PERIOD_Q1).to;
  auto report = BuildTargetReport(state, "nj-xw", 2026, v1::TARGET_PERIOD_Q1, as_of, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->from_day(), "2026-01-01");
  EXPECT_EQ(report->to_day(), "2026-03-31");
  EXPECT_TRUE(report->period_complete());
  ASSERT_EQ(report->lines_size(), 1);
  const v1::TargetLine& line = report->lines(0);
  EXPECT_EQ(line.span(), v1::SPAN_PERIOD);
  EXPECT_EQ(line.actual(), 90);  // 90 days in 2026's first quarter
  EXPECT_EQ(line.status(), v1::TARGET_STATUS_MET);
  EXPECT_EQ(line.progress(), 11'250);
}

TEST(TargetReport, TheYearsCountInAQuarterIsHeldAgainstTheYearToDate) {
  TargetsState state = StateOf({Set("cases.opened", 400)});
  FakeStatistics fake;
  auto report = BuildTargetReport(state, "nj-xw", 2026, v1::TARGET_PERIOD_Q3,
                                  DaysOf(2026, v1::TARGET_PERIOD_Q3).to, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->lines_size(), 1);
  const v1::TargetLine& line = report->lines(0);
  EXPECT_EQ(line.span(), v1::SPAN_YEAR_TO_DATE);
  EXPECT_EQ(line.from_day(), "2026-01-01");
  EXPECT_EQ(line.to_day(), "2026-09-30");
  EXPECT_EQ(line.actual(), 273);
  EXPECT_EQ(line.status(), v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(line.progress(), 6825);
}

TEST(TargetReport, TheYearsRateInAHalfYearIsHeldAgainstTheHalfYear) {
  TargetsState state = StateOf({Set("cases.closure_rate", 9900)});
  FakeStatistics fake;
  auto report = BuildTargetReport(state, "nj-xw", 2026, v1::TARGET_PERIOD_SECOND_HALF,
                                  DaysOf(2026, v1::TARGET_PERIOD_YEAR).to, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::TargetLine& line = report->lines(0);
  EXPECT_EQ(line.span(), v1::SPAN_PERIOD);
  EXPECT_EQ(line.from_day(), "2026-07-01");
  EXPECT_EQ(line.actual(), 9946);  // 183 days: 182/183
  EXPECT_EQ(line.status(), v1::TARGET_STATUS_MET);
}

TEST(TargetReport, AnAtMostTargetIsMetWhileTheStatisticStaysBelowIt) {
  v1::SetTargetRequest at_most = Set("cases.overdue_follow_ups_at_end", 2);
  at_most.set_comparison(v1::COMPARISON_AT_MOST);
  FakeStatistics fake;
  auto report = BuildTargetReport(StateOf({at_most}), "nj-xw", 2026, v1::TARGET_PERIOD_YEAR,
                                  DaysOf(2026, v1::TARGET_PERIOD_YEAR).to, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->lines(0).actual(), 3);
  EXPECT_EQ(report->lines(0).status(), v1::TARGET_STATUS_NOT_MET);
}

TEST(TargetReport, AWithheldSmallCellIsReportedWithheldWithoutItsValue) {
  FakeStatistics fake;
  fake.suppressed = {"closure_rate", "opened_by_channel[0].count"};
  auto report = BuildTargetReport(
      StateOf({Set("cases.closure_rate", 9800), Set("cases.opened", 5)}), "nj-xw", 2026,
      v1::TARGET_PERIOD_YEAR, DaysOf(2026, v1::TARGET_PERIOD_YEAR).to, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->lines_size(), 2);
  EXPECT_EQ(report->lines(0).indicator(), "cases.closure_rate");
  EXPECT_EQ(report->lines(0).status(), v1::TARGET_STATUS_WITHHELD);
  EXPECT_FALSE(report->lines(0).has_actual());
  EXPECT_EQ(report->lines(1).status(), v1::TARGET_STATUS_MET);
}

TEST(TargetReport, EachContextIsAskedOncePerSpanAndOtherYearsAreLeftOut) {
  v1::SetTargetRequest last_year = Set("cases.opened", 1);
  last_year.set_year(2025);
  TargetsState state =
      StateOf({Set("cases.opened", 400), Set("cases.closed", 300), Set("cases.closure_rate", 9800),
               Set("loans.disbursed_fen", 100'000), Set("cases.opened", 100, v1::TARGET_PERIOD_Q2),
               last_year});
  FakeStatistics fake;
  auto report = BuildTargetReport(state, "nj-xw", 2026, v1::TARGET_PERIOD_Q2,
                                  DaysOf(2026, v1::TARGET_PERIOD_Q2).to - 10, fake.Fetch());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->period_complete());
  // cases over the quarter (the rate, the quarter's own target) and the year
  // to date (the year's counts); loans over the year to date.
  EXPECT_EQ(fake.asked.size(), 3u);
  ASSERT_EQ(report->lines_size(), 5);
  // By indicator; the quarter's own target before the year's.
  EXPECT_EQ(report->lines(2).indicator(), "cases.opened");
  EXPECT_EQ(report->lines(2).target_period(), v1::TARGET_PERIOD_Q2);
  EXPECT_EQ(report->lines(3).indicator(), "cases.opened");
  EXPECT_EQ(report->lines(3).target_period(), v1::TARGET_PERIOD_YEAR);
  EXPECT_EQ(report->lines(4).indicator(), "loans.disbursed_fen");
  EXPECT_EQ(report->lines(4).actual(), 181 * 10'000);
}

}  // namespace
}  // namespace haven::targets
