// Rebuilds: dropping the case projections and replaying the log gives the
// same rows, byte for byte, and the same answers; the RocksDB store gives
// the answers the in-memory one does, and keeps them across a restart.
#include <chrono>
#include <string>
#include <vector>

#include "services/cases/domain/event_types.h"
#include "services/common/request_ids.h"

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

// A batch keeps records and counters in memory and writes them at its end:
// the rows must not depend on where the batches end.
TEST_F(RebuildTest, RowsDoNotDependOnTheBatchSize) {
  SetUpWorld(false, 300);
  AppendAll();
  storage::ProjectionRunnerOptions one_event;
  one_event.batch_events = 1;
  one_event.rebuild_batch_events = 1;
  StartRunner(std::chrono::seconds(60), one_event);
  const auto rows = AllRows();
  const auto answers = Answers();
  for (size_t batch : {7, 1000, 100000}) {
    runner_.reset();
    store_ = storage::ReadModelStore::OpenInMemory();
    storage::ProjectionRunnerOptions options;
    options.batch_events = batch;
    options.rebuild_batch_events = batch;
    StartRunner(std::chrono::seconds(60), options);
    EXPECT_EQ(AllRows(), rows) << "batches of " << batch;
    EXPECT_EQ(Answers(), answers) << "batches of " << batch;
  }
}

// An event that does not decode, in the middle of a batch: each projection
// stops just before it with the rows of the events before it in the batch,
// and nothing of it or of the events after it.
TEST_F(RebuildTest, AnUndecodableEventMidBatchLeavesTheRowsOfTheEventsBeforeIt) {
  SetUpWorld(false, 100);
  const size_t half = order_.size() / 2;
  AppendEvents(0, half);
  StartRunner();
  const auto rows = AllRows();
  const uint64_t before = log_->HeadPosition();
  runner_.reset();

  storage::NewEvent bad;
  bad.event_id = services::EventIdFor("synthetic", order_[half]->stream, 999999);
  bad.type = std::string(EventTypeOf(v1::CaseEvent::kClosed));
  bad.payload = "\x08";  // A field tag without its value.
  bad.content_type = std::string(kCaseEventContentType);
  ASSERT_TRUE(log_->Append(order_[half]->stream, storage::ExpectedVersion::Any(), {bad}).ok());
  AppendEvents(half, order_.size());

  store_ = storage::ReadModelStore::OpenInMemory();  // Replays it all in one batch.
  ASSERT_OK_AND_ASSIGN(runner_,
                       storage::ProjectionRunner::Create(*log_, *store_, MakeCaseProjections()));
  ASSERT_OK(runner_->Start());
  EXPECT_EQ(runner_->WaitForPosition(log_->HeadPosition(),
                                     std::chrono::steady_clock::now() + std::chrono::seconds(60))
                .code(),
            absl::StatusCode::kUnavailable);
  for (const storage::ProjectionStatus& status : runner_->Lag()) {
    EXPECT_EQ(status.checkpoint, before) << status.name;
    EXPECT_EQ(status.failed_position, before + 1) << status.name;
    EXPECT_EQ(status.error.code(), absl::StatusCode::kDataLoss) << status.name;
  }
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
