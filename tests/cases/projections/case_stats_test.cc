// case_stats: statistics over subtrees and periods against a count of the
// events themselves; as of a past day, unchanged by later events; as of a
// log position; after a unit moves; bad queries.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/cases/projections/projection_fixture.h"

namespace haven::cases::testing {
namespace {

using absl::CivilDay;

struct Query {
  std::string root;  // a subtree; empty: `units`
  std::vector<std::string> units;
  CivilDay from;
  CivilDay to;
  std::optional<CivilDay> as_of;
};

class CaseStatsTest : public CaseProjectionsTest {
 protected:
  StatisticsQuery ToQuery(const Query& q) const {
    StatisticsQuery query;
    query.unit_subtree = q.root;
    query.unit_ids = q.units;
    query.from_day = q.from;
    query.to_day = q.to;
    query.as_of_day = q.as_of;
    return query;
  }

  CaseStatistics Expected(const Query& q, uint64_t max_position = kWholeLog) const {
    const std::set<std::string> units =
        q.root.empty() ? std::set<std::string>(q.units.begin(), q.units.end()) : Subtree(q.root);
    return ExpectedStatistics(cases_, units, q.from, q.to, q.as_of.value_or(q.to), max_position);
  }

  std::string Actual(const Query& q) const {
    auto stats = Stats().Statistics(ToQuery(q));
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? StatisticsToString(*stats) : stats.status().ToString();
  }
};

std::vector<Query> Queries() {
  return {
      {"hz", {}, CivilDay(2024, 1, 1), CivilDay(2024, 3, 31), std::nullopt},
      {"hz-ca", {}, CivilDay(2024, 2, 1), CivilDay(2024, 2, 29), std::nullopt},
      {"hz-xh-bs", {}, CivilDay(2024, 1, 15), CivilDay(2024, 4, 20), std::nullopt},
      {"hz-ca-qd-v1", {}, CivilDay(2024, 3, 5), CivilDay(2024, 3, 5), std::nullopt},
      {"hz", {}, CivilDay(2023, 12, 1), CivilDay(2024, 12, 31), std::nullopt},
      {"hz", {}, CivilDay(2024, 1, 1), CivilDay(2024, 6, 30), CivilDay(2024, 3, 10)},
      {"hz-xh", {}, CivilDay(2024, 3, 1), CivilDay(2024, 3, 31), CivilDay(2024, 4, 30)},
      {"hz-xh", {}, CivilDay(2024, 4, 1), CivilDay(2024, 4, 30), CivilDay(2024, 3, 15)},
      {"",
       {"hz", "hz-ca-wy-v1", "hz-xh-lx-c1"},
       CivilDay(2024, 2, 10),
       CivilDay(2024, 5, 3),
       std::nullopt},
  };
}

TEST_F(CaseStatsTest, StatisticsMatchACountOfTheEvents) {
  SetUpWorld();
  AppendAll();
  StartRunner();
  for (const Query& q : Queries()) {
    SCOPED_TRACE(absl::StrCat(q.root, " ", absl::FormatCivilTime(q.from), "..",
                              absl::FormatCivilTime(q.to)));
    EXPECT_EQ(Actual(q), StatisticsToString(Expected(q)));
  }
  // The city's first quarter exercises every statistic.
  const CaseStatistics q1 = Expected(Queries()[0]);
  EXPECT_GT(q1.opened, 500);
  EXPECT_GT(q1.closed, 300);
  EXPECT_GT(q1.reopened, 10);
  EXPECT_GT(q1.open_at_end, 50);
  EXPECT_GT(q1.opened_closed, 0);
  EXPECT_GT(q1.overdue_follow_ups_at_end, 5);
  EXPECT_GT(q1.mediation_outcomes.size(), 3u);
  EXPECT_GT(q1.partners.size(), 4u);
  EXPECT_GT(q1.referrals_declined, 5);
  EXPECT_GT(q1.protection_orders_granted, 5);
  EXPECT_GT(q1.protection_orders_denied, 0);
  EXPECT_GT(q1.shelter_admissions, 5);
  EXPECT_GT(q1.days_to_close_histogram.size(), 10u);
  const CaseStatistics cut = Expected(Queries()[5]);
  EXPECT_GT(cut.open_at_end, 0);
}

TEST_F(CaseStatsTest, StatisticsAsOfAPastDayAreUnchangedByLaterEvents) {
  SetUpWorld();
  const CivilDay as_of(2024, 3, 10);
  const size_t split = FirstEventAfter(as_of);
  ASSERT_GT(split, order_.size() / 4);
  ASSERT_LT(split, order_.size() * 3 / 4);
  AppendEvents(0, split);
  StartRunner();
  const std::vector<Query> queries = {
      {"hz", {}, CivilDay(2024, 1, 1), CivilDay(2024, 6, 30), as_of},
      {"hz-ca", {}, CivilDay(2024, 3, 1), CivilDay(2024, 3, 31), as_of},
      {"hz-xh-bs", {}, CivilDay(2024, 2, 1), CivilDay(2024, 3, 10), as_of},
      {"hz", {}, CivilDay(2024, 3, 10), CivilDay(2024, 3, 10), as_of},
  };
  std::vector<std::string> then;
  for (const Query& q : queries) then.push_back(Actual(q));
  AppendAll();
  CatchUp();
  for (size_t i = 0; i < queries.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Actual(queries[i]), then[i]);
    EXPECT_EQ(then[i], StatisticsToString(Expected(queries[i])));
  }
  // Later days did change.
  Query now = queries[0];
  now.as_of = CivilDay(2024, 6, 30);
  EXPECT_NE(Actual(now), then[0]);
}

TEST_F(CaseStatsTest, StatisticsAtAPositionFoldTheLogUpToIt) {
  SetUpWorld(false, 400);
  AppendAll();
  StartRunner();
  const uint64_t position = order_[order_.size() / 2]->position;
  for (const Query& q : {Queries()[0], Queries()[4], Queries()[6]}) {
    auto stats = StatisticsAtPosition(*log_, position, ToQuery(q), directory_.get());
    ASSERT_TRUE(stats.ok()) << stats.status();
    EXPECT_EQ(StatisticsToString(*stats), StatisticsToString(Expected(q, position)));
  }
  // At the head it is the projection's answer.
  auto at_head =
      StatisticsAtPosition(*log_, log_->HeadPosition(), ToQuery(Queries()[0]), directory_.get());
  ASSERT_TRUE(at_head.ok()) << at_head.status();
  EXPECT_EQ(StatisticsToString(*at_head), Actual(Queries()[0]));
}

TEST_F(CaseStatsTest, MovingAUnitMovesItsCasesInSubtreeStatistics) {
  SetUpWorld();
  AppendAll();
  StartRunner();
  const Query county{"hz-ca", {}, CivilDay(2024, 1, 1), CivilDay(2024, 4, 30), std::nullopt};
  const Query district{"hz-xh", {}, CivilDay(2024, 1, 1), CivilDay(2024, 4, 30), std::nullopt};
  const std::string county_before = Actual(county);
  EXPECT_EQ(county_before, StatisticsToString(Expected(county)));
  MoveUnit("hz-xh-lx", "hz-ca");
  EXPECT_EQ(Actual(county), StatisticsToString(Expected(county)));
  EXPECT_EQ(Actual(district), StatisticsToString(Expected(district)));
  EXPECT_NE(Actual(county), county_before);
}

TEST_F(CaseStatsTest, BadQueriesAreRefused) {
  SetUpWorld(false, 20);
  AppendAll();
  StartRunner();
  StatisticsQuery query;
  query.unit_subtree = "hz";
  query.from_day = CivilDay(2024, 3, 1);
  query.to_day = CivilDay(2024, 2, 1);
  auto result = Stats().Statistics(query);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result.status().message(), "to_day:")) << result.status();
  query.to_day = CivilDay(2024, 3, 31);
  query.unit_subtree = "";
  EXPECT_EQ(Stats().Statistics(query).status().code(), absl::StatusCode::kInvalidArgument);
  query.unit_subtree = "no-such-unit";
  EXPECT_EQ(Stats().Statistics(query).status().code(), absl::StatusCode::kNotFound);
  query.unit_subtree = "hz";
  EXPECT_EQ(CaseStatsReader(*store_).Statistics(query).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Stats().Statistics(query).ok());
}

}  // namespace
}  // namespace haven::cases::testing
