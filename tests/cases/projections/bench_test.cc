// Rough timings of the case queries on RocksDB over a city of 5 counties,
// 50 townships and 500 villages.  Disabled: run with
//   case_projections_test --gtest_also_run_disabled_tests \
//       --gtest_filter='*Benchmark*'
// HAVEN_BENCH_CASES sets the number of cases (default 100,000),
// HAVEN_BENCH_REBUILD_BATCH the runner's rebuild_batch_events.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "tests/cases/projections/projection_fixture.h"

namespace haven::cases::testing {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Runs `fn(i)` n times; prints and returns p50 and p99 in ms.
void Time(const char* name, int n, const std::function<void(int)>& fn) {
  std::vector<double> ms;
  for (int i = 0; i < n && !::testing::Test::HasFailure(); ++i) {
    const auto start = Clock::now();
    fn(i);
    ms.push_back(Ms(Clock::now() - start));
  }
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  std::printf("%-44s p50=%.2f ms p99=%.2f ms (n=%d)\n", name, ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], n);
  std::fflush(stdout);
}

TEST_F(CaseProjectionsTest, DISABLED_BenchmarkQueriesOnRocksDb) {
  const char* env = std::getenv("HAVEN_BENCH_CASES");
  const int cases = env ? std::atoi(env) : 100000;
  ASSERT_NO_FATAL_FAILURE(SetUpWorld(/*rocksdb=*/true, cases, 11, /*big_city=*/true));
  auto start = Clock::now();
  ASSERT_NO_FATAL_FAILURE(AppendAll());
  std::printf("appended %zu events of %d cases in %.1f s\n", order_.size(), cases,
              Ms(Clock::now() - start) / 1000);
  std::fflush(stdout);
  start = Clock::now();
  storage::ProjectionRunnerOptions options;
  if (const char* batch = std::getenv("HAVEN_BENCH_REBUILD_BATCH")) {
    options.rebuild_batch_events = static_cast<size_t>(std::atoi(batch));
  }
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::chrono::seconds(1800), options));
  const double seconds = Ms(Clock::now() - start) / 1000;
  std::printf("projected (3 projections) in %.1f s: %.0f events/s\n", seconds,
              static_cast<double>(log_->HeadPosition()) / seconds);
  std::fflush(stdout);

  const CaseListReader lists = Lists();
  const CaseStatsReader stats = Stats();
  auto county = [](int i) { return "co" + std::to_string(i % 5 + 1); };
  Time("ListCases county, open, newest first, 50", 200, [&](int i) {
    ListCasesRequest request;
    request.filter.unit_subtree = county(i);
    request.filter.status = CaseStatus::kOpen;
    auto page = lists.ListCases(request);
    ASSERT_TRUE(page.ok() && page->cases.size() == 50) << page.status();
  });
  Time("ListCases county, 5 pages deep by cursor", 40, [&](int i) {
    ListCasesRequest request;
    request.filter.unit_subtree = county(i);
    for (int p = 0; p < 5; ++p) {
      auto page = lists.ListCases(request);
      ASSERT_TRUE(page.ok()) << page.status();
      request.cursor = page->next_cursor;
    }
  });
  Time("ListCases city, open, newest first, 50", 100, [&](int) {
    ListCasesRequest request;
    request.filter.unit_subtree = "city";
    request.filter.status = CaseStatus::kOpen;
    auto page = lists.ListCases(request);
    ASSERT_TRUE(page.ok()) << page.status();
  });
  Time("ListCases county, category + channel, 50", 100, [&](int i) {
    ListCasesRequest request;
    request.filter.unit_subtree = county(i);
    request.filter.category = v1::CATEGORY_LABOUR_RIGHTS;
    request.filter.channel = v1::CHANNEL_LETTER;
    auto page = lists.ListCases(request);
    ASSERT_TRUE(page.ok()) << page.status();
  });
  Time("ListCases city, overdue on 1 April, by due", 100, [&](int) {
    ListCasesRequest request;
    request.sort = CaseListSort::kFollowUpDueSoonestFirst;
    request.filter.overdue_follow_up = true;
    request.filter.now_us = Cst(2024, 4, 1);
    auto page = lists.ListCases(request);
    ASSERT_TRUE(page.ok()) << page.status();
  });
  Time("Statistics county, Q1", 100, [&](int i) {
    StatisticsQuery query;
    query.unit_subtree = county(i);
    query.from_day = absl::CivilDay(2024, 1, 1);
    query.to_day = absl::CivilDay(2024, 3, 31);
    auto result = stats.Statistics(query);
    ASSERT_TRUE(result.ok()) << result.status();
  });
  Time("Statistics county, 2024-02-10..2024-05-20", 100, [&](int i) {
    StatisticsQuery query;
    query.unit_subtree = county(i);
    query.from_day = absl::CivilDay(2024, 2, 10);
    query.to_day = absl::CivilDay(2024, 5, 20);
    auto result = stats.Statistics(query);
    ASSERT_TRUE(result.ok()) << result.status();
  });
  Time("Statistics city, H1 as of 2024-03-15", 30, [&](int) {
    StatisticsQuery query;
    query.unit_subtree = "city";
    query.from_day = absl::CivilDay(2024, 1, 1);
    query.to_day = absl::CivilDay(2024, 6, 30);
    query.as_of_day = absl::CivilDay(2024, 3, 15);
    auto result = stats.Statistics(query);
    ASSERT_TRUE(result.ok()) << result.status();
  });
  Time("GetSummary", 2000, [&](int i) {
    auto s = Summaries().GetSummary(cases_[static_cast<size_t>(i * 37) % cases_.size()].case_id);
    ASSERT_TRUE(s.ok()) << s.status();
  });
  for (const std::string& name : CaseProjectionNames()) {
    start = Clock::now();
    ASSERT_OK(runner_->Rebuild(name));
    const double s = Ms(Clock::now() - start) / 1000;
    std::printf("rebuild of %s in %.1f s: %.0f events/s\n", name.c_str(), s,
                static_cast<double>(log_->HeadPosition()) / s);
    std::fflush(stdout);
  }
  start = Clock::now();
  ASSERT_OK(runner_->RebuildAll());
  const double rebuild = Ms(Clock::now() - start) / 1000;
  std::printf("rebuild of all three in %.1f s: %.0f events/s\n", rebuild,
              static_cast<double>(log_->HeadPosition()) / rebuild);
  std::fflush(stdout);
}

}  // namespace
}  // namespace haven::cases::testing
