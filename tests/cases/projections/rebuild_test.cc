// Rebuilds: dropping the case projections and replaying the log gives the
// same rows, byte for byte, and the same answers; the RocksDB store gives
// the answers the in-memory one does, and keeps them across a restart.
#include <string>
#include <vector>

#include "tests/cases/projections/projection_fixture.h"

namespace haven::cases::testing {
namespace {

using absl::CivilDay;

class RebuildTest : public CaseProjectionsTest {
 protected:
  // A fingerprint of many answers: summaries, list pages, statistics.
  std::vector<std::string> Answers() {
    std::vector<std::string> answers;
    const CaseSummaryReader summaries = Summaries();
    for (size_t i = 0; i < cases_.size(); i += 7) {
      auto s = summaries.GetSummary(cases_[i].case_id);
      EXPECT_TRUE(s.ok()) << s.status();
      if (s.ok()) {
        answers.push_back(absl::StrCat(s->case_id, " ", s->assignee, " ", s->last_position, " ",
                                       s->next_follow_up_due_us.value_or(0), " ",
                                       s->pending_referrals));
      }
    }
    ListCasesRequest request;
    request.filter.unit_subtree = "hz-xh";
    request.page_size = 40;
    for (int page = 0; page < 3; ++page) {
      auto result = Lists().ListCases(request);
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) break;
      for (const CaseListItem& item : result->cases) answers.push_back(item.case_id);
      answers.push_back(result->next_cursor);
      request.cursor = result->next_cursor;
    }
    StatisticsQuery query;
    query.unit_subtree = "hz";
    query.from_day = CivilDay(2024, 1, 1);
    query.to_day = CivilDay(2024, 6, 30);
    for (std::optional<CivilDay> as_of :
         {std::optional<CivilDay>(), std::optional(CivilDay(2024, 3, 1))}) {
      query.as_of_day = as_of;
      auto stats = Stats().Statistics(query);
      EXPECT_TRUE(stats.ok()) << stats.status();
      if (stats.ok()) answers.push_back(StatisticsToString(*stats));
    }
    return answers;
  }
};

TEST_F(RebuildTest, RebuildingEveryProjectionGivesTheSameRowsAndAnswers) {
  SetUpWorld();
  AppendAll();
  StartRunner();
  const auto rows = AllRows();
  const auto answers = Answers();
  for (const auto& [ns, namespace_rows] : rows) EXPECT_GT(namespace_rows.size(), 1000u) << ns;

  ASSERT_OK(runner_->RebuildAll());
  CatchUp();
  EXPECT_EQ(AllRows(), rows);
  EXPECT_EQ(Answers(), answers);

  // One at a time, too.
  for (const std::string& name : CaseProjectionNames()) {
    ASSERT_OK(runner_->Rebuild(name));
  }
  CatchUp();
  EXPECT_EQ(AllRows(), rows);
  EXPECT_EQ(Answers(), answers);
}

TEST_F(RebuildTest, ReplayingIntoAFreshStoreGivesTheSameRows) {
  SetUpWorld(false, 300);
  AppendAll();
  StartRunner();
  const auto rows = AllRows();
  runner_->Stop();
  runner_.reset();
  store_ = storage::ReadModelStore::OpenInMemory();
  StartRunner();
  EXPECT_EQ(AllRows(), rows);
}

TEST_F(RebuildTest, RocksDbStoreAnswersLikeTheCountsAndSurvivesARestart) {
  SetUpWorld(/*rocksdb=*/true, 300);
  AppendAll();
  StartRunner();
  for (const SyntheticCase& c : cases_) {
    auto s = Summaries().GetSummary(c.case_id);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(*s, ExpectedSummary(c)) << c.case_id;
  }
  ListCasesRequest request;
  request.filter.unit_subtree = "hz-ca";
  request.filter.status = CaseStatus::kOpen;
  request.page_size = 1000;
  auto page = Lists().ListCases(request);
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> ids;
  for (const CaseListItem& item : page->cases) ids.push_back(item.case_id);
  EXPECT_EQ(ids, ExpectedList(cases_, request.filter, Subtree("hz-ca"), request.sort));
  StatisticsQuery query;
  query.unit_subtree = "hz";
  query.from_day = CivilDay(2024, 2, 1);
  query.to_day = CivilDay(2024, 4, 30);
  auto stats = Stats().Statistics(query);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(StatisticsToString(*stats),
            StatisticsToString(ExpectedStatistics(cases_, Subtree("hz"), query.from_day,
                                                  query.to_day, query.to_day)));
  const auto rows = AllRows();
  const auto answers = Answers();

  runner_->Stop();
  runner_.reset();
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, storage::ReadModelStore::Open((dir_ / "read-models").string()));
  StartRunner();
  EXPECT_EQ(AllRows(), rows);
  EXPECT_EQ(Answers(), answers);
}

}  // namespace
}  // namespace haven::cases::testing
