// Idempotent appends: an exact retry replays the original result and writes
// nothing; any other reuse of an event id is ALREADY_EXISTS.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::SizeIs;

class IdempotencyContractTest : public EventLogContractTest {
 protected:
  void ExpectSameResult(const AppendResult& replay, const AppendResult& original) {
    EXPECT_TRUE(replay.replayed);
    EXPECT_EQ(replay.first_version, original.first_version);
    EXPECT_EQ(replay.last_version, original.last_version);
    EXPECT_EQ(replay.first_position, original.first_position);
    EXPECT_EQ(replay.last_position, original.last_position);
  }

  // Appends and expects ALREADY_EXISTS with nothing written anywhere.
  void ExpectAlreadyExists(const std::string& stream, ExpectedVersion expected,
                           std::vector<NewEvent> events) {
    const uint64_t head = log().HeadPosition();
    EXPECT_TRUE(HasCode(StatusOf(Append(stream, expected, std::move(events))),
                        absl::StatusCode::kAlreadyExists));
    EXPECT_EQ(log().HeadPosition(), head);
  }
};

TEST_P(IdempotencyContractTest, ExactRetryReturnsOriginalResultAndWritesNothing) {
  ASSERT_OK(StatusOf(Append("other", ExpectedVersion::Any(), MakeEvents(2))));
  std::vector<NewEvent> events = MakeEvents(3);
  ASSERT_OK_AND_ASSIGN(AppendResult original, Append("s", ExpectedVersion::NoStream(), events));
  EXPECT_FALSE(original.replayed);
  const uint64_t head = log().HeadPosition();
  // The retry carries the same expected version, which no longer matches:
  // the retry is recognised first.
  ASSERT_OK_AND_ASSIGN(AppendResult replay, Append("s", ExpectedVersion::NoStream(), events));
  ExpectSameResult(replay, original);
  EXPECT_EQ(replay.first_position, 3u);
  EXPECT_EQ(replay.last_position, 5u);
  EXPECT_EQ(log().HeadPosition(), head);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> stored, ReadWholeStream("s"));
  EXPECT_THAT(IdsOf(stored), ElementsAreArray(IdsOf(events)));
  // Any expected version at all.
  for (ExpectedVersion expected : {ExpectedVersion::Any(), ExpectedVersion::StreamExists(),
                                   ExpectedVersion::Exact(2), ExpectedVersion::Exact(7)}) {
    ASSERT_OK_AND_ASSIGN(AppendResult again, Append("s", expected, events));
    ExpectSameResult(again, original);
  }
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectLastVersion("s", 2);
}

TEST_P(IdempotencyContractTest, ExactRetryOfAnOlderAppendIsReplayed) {
  std::vector<NewEvent> first = MakeEvents(2);
  ASSERT_OK_AND_ASSIGN(AppendResult original, Append("s", ExpectedVersion::NoStream(), first));
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Exact(1), MakeEvents(3))));
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), MakeEvents(1))));
  const uint64_t head = log().HeadPosition();
  ASSERT_OK_AND_ASSIGN(AppendResult replay, Append("s", ExpectedVersion::NoStream(), first));
  ExpectSameResult(replay, original);
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectLastVersion("s", 4);
}

TEST_P(IdempotencyContractTest, ExactRetryWithUppercaseIdsIsReplayed) {
  std::vector<NewEvent> events = MakeEvents(2);
  ASSERT_OK_AND_ASSIGN(AppendResult original, Append("s", ExpectedVersion::Any(), events));
  for (NewEvent& e : events) e.event_id = Upper(e.event_id);
  const uint64_t head = log().HeadPosition();
  ASSERT_OK_AND_ASSIGN(AppendResult replay, Append("s", ExpectedVersion::Any(), events));
  ExpectSameResult(replay, original);
  EXPECT_EQ(log().HeadPosition(), head);
}

TEST_P(IdempotencyContractTest, SingleEventRetryIsReplayed) {
  NewEvent e = MakeEvent();
  ASSERT_OK_AND_ASSIGN(AppendResult original, Append("s", ExpectedVersion::Any(), {e}));
  ASSERT_OK_AND_ASSIGN(AppendResult replay, Append("s", ExpectedVersion::Any(), {e}));
  ExpectSameResult(replay, original);
  EXPECT_EQ(log().HeadPosition(), 1u);
}

TEST_P(IdempotencyContractTest, RetryMixingStoredAndNewIdsIsRejected) {
  std::vector<NewEvent> stored = MakeEvents(2);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), stored)));
  const NewEvent fresh = MakeEvent();
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[0], stored[1], fresh});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {fresh, stored[0], stored[1]});
  ExpectAlreadyExists("s", ExpectedVersion::Exact(1), {stored[1], fresh});
  ExpectLastVersion("s", 1);
  // The new id was not recorded by the rejected appends.
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(1), {fresh}));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.first_version, 2u);
  EXPECT_EQ(r.first_position, 3u);
}

TEST_P(IdempotencyContractTest, RetryWithSubsetOfIdsIsRejected) {
  std::vector<NewEvent> stored = MakeEvents(3);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), stored)));
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[0], stored[1]});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[1], stored[2]});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[2]});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[0]});
  ExpectLastVersion("s", 2);
}

TEST_P(IdempotencyContractTest, RetryWithReorderedIdsIsRejected) {
  std::vector<NewEvent> stored = MakeEvents(3);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), stored)));
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[2], stored[1], stored[0]});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[1], stored[0], stored[2]});
  ExpectLastVersion("s", 2);
}

TEST_P(IdempotencyContractTest, RetrySpanningTwoAppendsIsRejected) {
  NewEvent a = MakeEvent();
  NewEvent b = MakeEvent();
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), {a})));
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), {b})));
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {a, b});
  ExpectLastVersion("s", 1);
}

TEST_P(IdempotencyContractTest, EventIdReusedOnAnotherStreamIsRejected) {
  std::vector<NewEvent> stored = MakeEvents(2);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), stored)));
  // The very same append, to another stream.
  ExpectAlreadyExists("t", ExpectedVersion::Any(), stored);
  ExpectAlreadyExists("t", ExpectedVersion::NoStream(), {stored[0]});
  ExpectAlreadyExists("t", ExpectedVersion::Any(), {MakeEvent(), stored[1]});
  // Spelt in uppercase it is still the same id.
  NewEvent upper = stored[0];
  upper.event_id = Upper(upper.event_id);
  ExpectAlreadyExists("t", ExpectedVersion::Any(), {upper});
  ExpectStreamMissing("t");
  ExpectLastVersion("s", 1);
}

TEST_P(IdempotencyContractTest, ExactRetryAfterReopenIsReplayed) {
  SKIP_UNLESS_PERSISTENT();
  std::vector<NewEvent> events = MakeEvents(3);
  ASSERT_OK(StatusOf(Append("other", ExpectedVersion::Any(), MakeEvents(1))));
  ASSERT_OK_AND_ASSIGN(AppendResult original, Append("s", ExpectedVersion::NoStream(), events));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(AppendResult replay, Append("s", ExpectedVersion::NoStream(), events));
  ExpectSameResult(replay, original);
  EXPECT_EQ(log().HeadPosition(), 4u);
  ExpectLastVersion("s", 2);
}

TEST_P(IdempotencyContractTest, EventIdReuseAfterReopenIsRejected) {
  SKIP_UNLESS_PERSISTENT();
  std::vector<NewEvent> stored = MakeEvents(2);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), stored)));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ExpectAlreadyExists("t", ExpectedVersion::Any(), stored);
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[0], MakeEvent()});
  ExpectAlreadyExists("s", ExpectedVersion::Any(), {stored[1]});
  ExpectStreamMissing("t");
  ExpectLastVersion("s", 1);
}

// A client that times out and retries while its first attempt is still in
// flight: the events are written once and every attempt gets that result.
TEST_P(IdempotencyContractTest, ConcurrentIdenticalAppendsWriteOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(round);
    const std::string stream = "s-" + std::to_string(round);
    const std::vector<NewEvent> events = MakeEvents(1 + round % 3);
    std::atomic<bool> go{false};
    std::vector<absl::StatusOr<AppendResult>> results(kThreads, absl::UnknownError("unset"));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        results[t] = log().Append(stream, ExpectedVersion::Any(), events);
      });
    }
    const uint64_t head = log().HeadPosition();
    go.store(true);
    for (auto& th : threads) th.join();
    int written = 0;
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_TRUE(results[t].ok()) << "thread " << t << ": " << results[t].status();
      if (!results[t]->replayed) ++written;
      EXPECT_EQ(results[t]->first_version, 0u);
      EXPECT_EQ(results[t]->last_version, events.size() - 1);
      EXPECT_EQ(results[t]->first_position, head + 1);
      EXPECT_EQ(results[t]->last_position, head + events.size());
    }
    EXPECT_EQ(written, 1);
    EXPECT_EQ(log().HeadPosition(), head + events.size());
    ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> stored, ReadWholeStream(stream));
    EXPECT_THAT(IdsOf(stored), ElementsAreArray(IdsOf(events)));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  EXPECT_THAT(PositionsOf(all), ElementsAreArray(Iota(1, log().HeadPosition())));
  EXPECT_THAT(all, SizeIs(log().HeadPosition()));
}

INSTANTIATE_CONTRACT_SUITE(IdempotencyContractTest);

}  // namespace
}  // namespace haven::storage::testing
