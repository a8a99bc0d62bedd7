// The building blocks of the case projections' rows: CST days, bucket
// decomposition, counter encoding, list sort keys.
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/cases/projections/case_list_keys.h"
#include "services/cases/projections/case_stats_keys.h"
#include "services/cases/projections/cst_days.h"
#include "services/cases/projections/row_codec.h"
#include "tests/cases/projections/synthetic_cases.h"

namespace haven::cases::testing {
namespace {

using absl::CivilDay;

TEST(CstDaysTest, ADayBeginsAtMidnightChinaStandardTime) {
  // 2024-03-01 00:00 CST is 2024-02-29 16:00 UTC.
  const int64_t midnight = Cst(2024, 3, 1);
  EXPECT_EQ(ToCivilDay(CstDayOf(midnight)), CivilDay(2024, 3, 1));
  EXPECT_EQ(ToCivilDay(CstDayOf(midnight - 1)), CivilDay(2024, 2, 29));
  EXPECT_EQ(CstDayStartUs(CstDayOf(midnight + 5 * kHourUs)), midnight);
  EXPECT_EQ(ToCivilDay(CstDayOf(0)), CivilDay(1970, 1, 1));  // 08:00 CST
  EXPECT_EQ(ToCivilDay(CstDayOf(-9 * kHourUs)), CivilDay(1969, 12, 31));
  EXPECT_EQ(ToDayNumber(CivilDay(1970, 1, 2)), 1);
  EXPECT_EQ(ToCivilDay(FirstDayOfMonthIndex(MonthIndexOf(ToDayNumber(CivilDay(2024, 2, 17))))),
            CivilDay(2024, 2, 1));
  EXPECT_EQ(ToCivilDay(LastDayOfMonthIndex(MonthIndexOf(ToDayNumber(CivilDay(2024, 2, 17))))),
            CivilDay(2024, 2, 29));
}

// Which days a decomposition covers, each with how many times.
std::map<DayNumber, int> Covered(const std::vector<stats_keys::BucketRange>& ranges) {
  std::map<DayNumber, int> days;
  for (const stats_keys::BucketRange& r : ranges) {
    for (uint32_t p = r.first; p <= r.last; ++p) {
      DayNumber first = 0;
      DayNumber last = 0;
      switch (r.granularity) {
        case stats_keys::Granularity::kDay:
          first = last = static_cast<DayNumber>(p);
          break;
        case stats_keys::Granularity::kMonth:
          first = FirstDayOfMonthIndex(static_cast<int32_t>(p));
          last = LastDayOfMonthIndex(static_cast<int32_t>(p));
          break;
        case stats_keys::Granularity::kYear:
          first = FirstDayOfYear(static_cast<int32_t>(p));
          last = LastDayOfYear(static_cast<int32_t>(p));
          break;
      }
      for (DayNumber d = first; d <= last; ++d) ++days[d];
    }
  }
  return days;
}

TEST(StatsKeysTest, DecompositionCoversEachDayOnceInAtMostFiveRanges) {
  const DayNumber base = ToDayNumber(CivilDay(2022, 11, 20));
  for (DayNumber from = base; from < base + 800; from += 37) {
    for (DayNumber to = from - 1; to < from + 900; to += 29) {
      const auto ranges = stats_keys::Decompose(from, to);
      EXPECT_LE(ranges.size(), 5u);
      const auto days = Covered(ranges);
      EXPECT_EQ(days.size(), static_cast<size_t>(std::max(0, to - from + 1)));
      for (const auto& [day, times] : days) {
        EXPECT_TRUE(day >= from && day <= to && times == 1) << day;
      }
    }
  }
  // A prefix from the first bucket day: years, months, days.
  const auto prefix =
      stats_keys::Decompose(stats_keys::FirstBucketDay(), ToDayNumber(CivilDay(2024, 3, 10)));
  ASSERT_EQ(prefix.size(), 3u);
  EXPECT_EQ(prefix[0].granularity, stats_keys::Granularity::kYear);
  EXPECT_EQ(prefix[0].last, 2023u);
  EXPECT_EQ(prefix[1].granularity, stats_keys::Granularity::kMonth);
  EXPECT_EQ(prefix[2].granularity, stats_keys::Granularity::kDay);
}

TEST(StatsKeysTest, UnitsThatPrefixEachOtherDoNotShareRows) {
  const std::string a = stats_keys::UnitPrefix("hz-1");
  const std::string b = stats_keys::BucketKey(stats_keys::Family::kCounters, "hz-1x",
                                              stats_keys::Granularity::kDay, 20000);
  EXPECT_NE(b.compare(0, a.size(), a), 0);
}

TEST(StatsKeysTest, BucketKeysParseBackAndMergedScansCoverEveryRange) {
  const std::string key =
      stats_keys::BucketKey(stats_keys::Family::kPartner, "u1", stats_keys::Granularity::kMonth,
                            ToDayNumber(CivilDay(2024, 3, 9)), "lawyer-zhang");
  const std::string rest = key.substr(stats_keys::UnitPrefix("u1").size());
  stats_keys::BucketKeyParts parts;
  ASSERT_TRUE(stats_keys::ParseBucketKey(rest, &parts));
  EXPECT_EQ(parts.granularity, stats_keys::Granularity::kMonth);
  EXPECT_EQ(parts.period, static_cast<uint32_t>(2024 * 12 + 2));
  EXPECT_EQ(parts.family, stats_keys::Family::kPartner);
  EXPECT_EQ(parts.tail, "lawyer-zhang");

  // Before 10 February and 10 February to 20 May: years, then months
  // January and March-April in one scan, February's days in one.
  auto before =
      stats_keys::Decompose(stats_keys::FirstBucketDay(), ToDayNumber(CivilDay(2024, 2, 9)));
  auto during =
      stats_keys::Decompose(ToDayNumber(CivilDay(2024, 2, 10)), ToDayNumber(CivilDay(2024, 5, 20)));
  std::vector<stats_keys::BucketRange> all = before;
  all.insert(all.end(), during.begin(), during.end());
  const auto merged = stats_keys::MergeForScan(all);
  EXPECT_EQ(merged.size(), 4u);
  for (const auto& r : all) {
    for (uint32_t p = r.first; p <= r.last; ++p) {
      EXPECT_TRUE(stats_keys::Contains(merged, r.granularity, p));
    }
  }
}

TEST(RowCodecTest, CountersRoundTripAndLeaveOutZeros) {
  CounterMap m = {{1, 5}, {2, 0}, {100, -3}, {10000, 1LL << 40}, {4000000000u, -1}};
  CounterMap back;
  ASSERT_TRUE(AddEncodedCounters(EncodeCounters(m), &back));
  m.erase(2);
  EXPECT_EQ(back, m);
  CounterMap limited;
  ASSERT_TRUE(AddEncodedCounters(EncodeCounters(m), &limited, 100));
  EXPECT_EQ(limited, (CounterMap{{1, 5}, {100, -3}}));
  EXPECT_EQ(EncodeCounters({{7, 0}}), "");
  CounterMap junk;
  EXPECT_FALSE(AddEncodedCounters("\xff", &junk));
  std::vector<int64_t> dense(200);
  ASSERT_TRUE(AddEncodedCounters(EncodeCounters(m), &dense));
  EXPECT_EQ(dense[1], 5);
  EXPECT_EQ(dense[100], -3);
  int64_t sum = 0;
  ASSERT_TRUE(SumEncodedCounters(EncodeCounters(m), 10000, &sum));
  EXPECT_EQ(sum, 5 - 3 + (1LL << 40));
}

TEST(ListKeysTest, OpenedOrderIsNewestFirstThenCaseId) {
  const int64_t t = Cst(2024, 3, 1, 9);
  std::vector<std::string> keys = {
      list_keys::OpenedSortKey(t, "c2"), list_keys::OpenedSortKey(t, "c10"),
      list_keys::OpenedSortKey(t + 1, "c9"), list_keys::OpenedSortKey(t - kDayUs, "c1"),
      list_keys::OpenedSortKey(-5, "c0")};
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      list_keys::OpenedSortKey(t + 1, "c9"), list_keys::OpenedSortKey(t, "c10"),
                      list_keys::OpenedSortKey(t, "c2"), list_keys::OpenedSortKey(t - kDayUs, "c1"),
                      list_keys::OpenedSortKey(-5, "c0")}));
  EXPECT_LT(list_keys::DueSortKey(-1, "z"), list_keys::DueSortKey(0, "a"));
}

}  // namespace
}  // namespace haven::cases::testing
