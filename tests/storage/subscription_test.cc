// Subscription: history then live events, every one exactly once and in
// position order.
#include "storage/subscription.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class SubscriptionContractTest : public EventLogContractTest {
 protected:
  // Reads from `sub` until `count` events arrived or `timeout` passed.
  std::vector<RecordedEvent> Collect(Subscription& sub, size_t count,
                                     steady_clock::duration timeout, size_t max = 100) {
    std::vector<RecordedEvent> out;
    const auto deadline = steady_clock::now() + timeout;
    while (out.size() < count && steady_clock::now() < deadline) {
      absl::StatusOr<std::vector<RecordedEvent>> batch =
          sub.Next(max, std::min(deadline, steady_clock::now() + seconds(1)));
      if (!batch.ok()) {
        ADD_FAILURE() << "Next: " << batch.status();
        break;
      }
      EXPECT_LE(batch->size(), max);
      out.insert(out.end(), batch->begin(), batch->end());
    }
    return out;
  }
};

// Subscribed from 0 while 4 writers append (after some history): every event
// arrives exactly once, in position order, history and live alike.
TEST_P(SubscriptionContractTest, SubscriptionFromZeroDeliversEveryEventOnceInOrder) {
  constexpr int kWriters = 4;
  constexpr int kAppendsPerWriter = 200;
  std::set<std::string> written_ids;
  for (int i = 0; i < 50; ++i) {
    std::vector<NewEvent> events = MakeEvents(1 + i % 3, "history");
    for (const auto& e : events) written_ids.insert(e.event_id);
    ASSERT_OK(StatusOf(Append("history-" + std::to_string(i % 4), ExpectedVersion::Any(), events)));
  }
  // Every writer's events, made up front so the expected total is known.
  std::vector<std::vector<std::vector<NewEvent>>> batches(kWriters);
  size_t total = written_ids.size();
  for (int t = 0; t < kWriters; ++t) {
    for (int i = 0; i < kAppendsPerWriter; ++i) {
      batches[t].push_back(MakeEvents(1 + (t + i) % 3, "live"));
      for (const auto& e : batches[t].back()) written_ids.insert(e.event_id);
      total += batches[t].back().size();
    }
  }

  Subscription sub(log(), 0, Filter{});
  std::vector<std::string> writer_errors(kWriters);
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerWriter; ++i) {
        const std::string stream = "live-" + std::to_string(t) + "-" + std::to_string(i % 5);
        absl::StatusOr<AppendResult> r =
            log().Append(stream, ExpectedVersion::Any(), batches[t][i]);
        if (!r.ok()) {
          writer_errors[t] = r.status().ToString();
          return;
        }
      }
    });
  }
  std::vector<RecordedEvent> got = Collect(sub, total, seconds(30), /*max=*/37);
  for (auto& th : writers) th.join();
  for (int t = 0; t < kWriters; ++t) ASSERT_EQ(writer_errors[t], "") << "writer " << t;

  ASSERT_EQ(log().HeadPosition(), total);
  EXPECT_THAT(PositionsOf(got), ElementsAreArray(Iota(1, total)));
  std::vector<std::string> ids = IdsOf(got);
  std::set<std::string> unique_ids(ids.begin(), ids.end());
  EXPECT_EQ(unique_ids.size(), ids.size()) << "an event was delivered twice";
  EXPECT_EQ(unique_ids, written_ids);
  std::map<std::string, uint64_t> next_version;
  for (const RecordedEvent& e : got) EXPECT_EQ(e.version, next_version[e.stream]++) << e.stream;
  EXPECT_EQ(sub.next_position(), total + 1);
  // Nothing more, and nothing again.
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> more,
                       sub.Next(100, steady_clock::now() + milliseconds(50)));
  EXPECT_THAT(more, IsEmpty());
}

TEST_P(SubscriptionContractTest, SubscriptionStartsAtTheGivenPosition) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  }
  Subscription sub(log(), 6, Filter{});
  EXPECT_EQ(sub.next_position(), 6u);
  std::vector<RecordedEvent> got = Collect(sub, 5, seconds(5));
  EXPECT_THAT(PositionsOf(got), ElementsAre(6, 7, 8, 9, 10));
  EXPECT_EQ(sub.next_position(), 11u);
  // Position 1 and 0 both mean the start.
  Subscription from_one(log(), 1, Filter{});
  EXPECT_THAT(PositionsOf(Collect(from_one, 10, seconds(5))), ElementsAreArray(Iota(1, 10)));
  Subscription from_zero(log(), 0, Filter{});
  EXPECT_THAT(PositionsOf(Collect(from_zero, 10, seconds(5))), ElementsAreArray(Iota(1, 10)));
}

TEST_P(SubscriptionContractTest, SubscriptionNextReturnsAtMostMax) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(7))));
  Subscription sub(log(), 0, Filter{});
  const auto deadline = steady_clock::now() + seconds(5);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> a, sub.Next(3, deadline));
  EXPECT_THAT(PositionsOf(a), ElementsAre(1, 2, 3));
  EXPECT_EQ(sub.next_position(), 4u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> b, sub.Next(3, deadline));
  EXPECT_THAT(PositionsOf(b), ElementsAre(4, 5, 6));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> c, sub.Next(3, deadline));
  EXPECT_THAT(PositionsOf(c), ElementsAre(7));
  EXPECT_EQ(sub.next_position(), 8u);
}

TEST_P(SubscriptionContractTest, SubscriptionDeliversOnlyMatchingEvents) {
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::Any(), {MakeEvent("case.opened")})));
  ASSERT_OK(StatusOf(Append("loan-1", ExpectedVersion::Any(), {MakeEvent("loan.issued")})));
  ASSERT_OK(StatusOf(Append("case-2", ExpectedVersion::Any(), {MakeEvent("case.opened")})));
  Filter filter;
  filter.stream_prefix = "case-";
  Subscription sub(log(), 0, filter);
  std::vector<RecordedEvent> history = Collect(sub, 2, seconds(5));
  EXPECT_THAT(PositionsOf(history), ElementsAre(1, 3));
  // Live: non-matching events are skipped, matching ones delivered.
  ASSERT_OK(StatusOf(Append("loan-2", ExpectedVersion::Any(), {MakeEvent("loan.issued")})));
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::Any(), {MakeEvent("case.closed")})));
  ASSERT_OK(StatusOf(Append("loan-3", ExpectedVersion::Any(), {MakeEvent("loan.issued")})));
  std::vector<RecordedEvent> live = Collect(sub, 1, seconds(5));
  ASSERT_THAT(live, SizeIs(1));
  EXPECT_EQ(live[0].position, 5u);
  EXPECT_EQ(live[0].stream, "case-1");
  EXPECT_EQ(live[0].version, 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> none,
                       sub.Next(10, steady_clock::now() + milliseconds(100)));
  EXPECT_THAT(none, IsEmpty());
  EXPECT_GE(sub.next_position(), 6u);
  EXPECT_LE(sub.next_position(), 7u);
}

TEST_P(SubscriptionContractTest, SubscriptionNextTimesOutWithNoEvents) {
  Subscription empty_log(log(), 0, Filter{});
  auto deadline = steady_clock::now() + milliseconds(100);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> none, empty_log.Next(10, deadline));
  EXPECT_THAT(none, IsEmpty());
  EXPECT_GE(steady_clock::now(), deadline);

  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  Subscription at_head(log(), 3, Filter{});
  deadline = steady_clock::now() + milliseconds(100);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> still_none, at_head.Next(10, deadline));
  EXPECT_THAT(still_none, IsEmpty());
  EXPECT_GE(steady_clock::now(), deadline);
  EXPECT_EQ(at_head.next_position(), 3u);
}

TEST_P(SubscriptionContractTest, SubscriptionNextWakesForAnAppend) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  Subscription sub(log(), 2, Filter{});
  const auto start = steady_clock::now();
  std::future<absl::StatusOr<std::vector<RecordedEvent>>> next =
      std::async(std::launch::async, [&] { return sub.Next(10, start + seconds(20)); });
  EXPECT_EQ(next.wait_for(milliseconds(100)), std::future_status::timeout);
  std::vector<NewEvent> events = MakeEvents(3);
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), events)));
  ASSERT_EQ(next.wait_for(seconds(10)), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> got, next.get());
  // The whole append arrives together.
  EXPECT_THAT(PositionsOf(got), ElementsAre(2, 3, 4));
  EXPECT_THAT(IdsOf(got), ElementsAreArray(IdsOf(events)));
  EXPECT_LT(steady_clock::now() - start, seconds(10));
}

INSTANTIATE_CONTRACT_SUITE(SubscriptionContractTest);

}  // namespace
}  // namespace haven::storage::testing
