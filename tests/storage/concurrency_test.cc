// Concurrent appends and reads: optimistic concurrency on one stream, gapless
// positions across streams, atomic visibility, and AppendAsync.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::SizeIs;

class ConcurrencyContractTest : public EventLogContractTest {};

// 16 writers race for one stream, each appending 1,000 events with the exact
// version it last read and retrying on ABORTED.  Exactly one append can win
// each version: the stream ends 0..N-1 without gap or repeat, every winner
// holds the version it was given, and every loser was told ABORTED with a
// current version newer than the one it expected.
TEST_P(ConcurrencyContractTest, ConcurrentExactAppendsToOneStreamStayContiguous) {
  constexpr int kThreads = 16;
  constexpr int kAppendsPerThread = 1000;
  const std::string stream = "contended";

  struct Outcome {
    std::vector<std::pair<uint64_t, std::string>> wins;  // version, event id
    uint64_t conflicts = 0;
    uint64_t stale_current_versions = 0;  // ABORTED carrying a version not newer
    std::string error;                    // first unexpected result
  };
  std::vector<Outcome> outcomes(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Outcome& out = outcomes[t];
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kAppendsPerThread && out.error.empty(); ++i) {
        // One id per append, kept across retries: an ABORTED append records
        // nothing, so the retry is a new append, not a replay.
        NewEvent event =
            MakeEvent("contended.appended", std::to_string(t) + "/" + std::to_string(i));
        while (true) {
          absl::StatusOr<StreamPage> view =
              log().ReadStream(stream, UINT64_MAX, Direction::kBackwards, 1);
          ExpectedVersion expected;
          int64_t seen;
          if (view.ok()) {
            expected = ExpectedVersion::Exact(view->last_version);
            seen = static_cast<int64_t>(view->last_version);
          } else if (view.status().code() == absl::StatusCode::kNotFound) {
            expected = ExpectedVersion::NoStream();
            seen = -1;
          } else {
            out.error = "ReadStream: " + view.status().ToString();
            break;
          }
          absl::StatusOr<AppendResult> r = log().Append(stream, expected, {event});
          if (r.ok()) {
            if (r->replayed || r->first_version != r->last_version ||
                static_cast<int64_t>(r->first_version) != seen + 1) {
              out.error = "append after version " + std::to_string(seen) + " got version " +
                          std::to_string(r->first_version) + (r->replayed ? " (replayed)" : "");
            }
            out.wins.emplace_back(r->first_version, event.event_id);
            break;
          }
          if (r.status().code() != absl::StatusCode::kAborted) {
            out.error = "Append: " + r.status().ToString();
            break;
          }
          ++out.conflicts;
          if (CurrentVersionOf(r.status()) <= seen) ++out.stale_current_versions;
        }
      }
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();

  uint64_t conflicts = 0;
  std::map<uint64_t, std::string> id_by_version;
  size_t wins = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(outcomes[t].error, "") << "thread " << t;
    EXPECT_EQ(outcomes[t].stale_current_versions, 0u)
        << "thread " << t << " got ABORTED with a current version no newer than expected";
    EXPECT_THAT(outcomes[t].wins, SizeIs(kAppendsPerThread)) << "thread " << t;
    conflicts += outcomes[t].conflicts;
    for (const auto& [version, id] : outcomes[t].wins) {
      ++wins;
      EXPECT_TRUE(id_by_version.emplace(version, id).second)
          << "version " << version << " was given to two appends";
    }
  }
  constexpr uint64_t kTotal = uint64_t{kThreads} * kAppendsPerThread;
  EXPECT_EQ(wins, kTotal);
  EXPECT_GT(conflicts, 0u) << "16 racing writers never conflicted";
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events, ReadWholeStream(stream));
  ASSERT_EQ(events.size(), wins) << "the stream's length differs from the successes";
  EXPECT_THAT(VersionsOf(events), ElementsAreArray(Iota(0, kTotal)));
  EXPECT_THAT(PositionsOf(events), ElementsAreArray(Iota(1, kTotal)));
  for (const RecordedEvent& e : events) {
    auto it = id_by_version.find(e.version);
    ASSERT_NE(it, id_by_version.end()) << "no winner holds version " << e.version;
    EXPECT_EQ(e.event_id, it->second) << "version " << e.version;
  }
  EXPECT_EQ(log().HeadPosition(), kTotal);
  RecordProperty("conflicts", static_cast<int>(conflicts));
}

// 8 writers append 1-3 events at a time to 50 streams: the log's positions
// run 1..head without gap or repeat, each append's events sit together at the
// positions it was told, and each stream's versions run 0..n-1.
TEST_P(ConcurrencyContractTest, ConcurrentAppendsToManyStreamsKeepPositionsGapless) {
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 500;
  constexpr int kStreams = 50;

  struct Written {
    std::string stream;
    std::vector<std::string> ids;
    AppendResult result;
  };
  std::vector<std::vector<Written>> written(kThreads);
  std::vector<std::string> errors(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(1000 + t);
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kAppendsPerThread; ++i) {
        const std::string stream = "stream-" + std::to_string(rng() % kStreams);
        std::vector<NewEvent> events = MakeEvents(1 + static_cast<int>(rng() % 3));
        std::vector<std::string> ids = IdsOf(events);
        absl::StatusOr<AppendResult> r = log().Append(stream, ExpectedVersion::Any(), events);
        if (!r.ok()) {
          errors[t] = r.status().ToString();
          return;
        }
        written[t].push_back({stream, std::move(ids), *r});
      }
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) ASSERT_EQ(errors[t], "") << "thread " << t;

  uint64_t total = 0;
  for (const auto& per_thread : written) {
    for (const Written& w : per_thread) total += w.ids.size();
  }
  EXPECT_EQ(log().HeadPosition(), total);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  ASSERT_EQ(all.size(), total);
  EXPECT_THAT(PositionsOf(all), ElementsAreArray(Iota(1, total)));

  // Each append sits at the positions and versions it was told.
  std::set<uint64_t> first_positions;
  for (const auto& per_thread : written) {
    for (const Written& w : per_thread) {
      const AppendResult& r = w.result;
      ASSERT_EQ(r.last_position - r.first_position + 1, w.ids.size());
      ASSERT_EQ(r.last_version - r.first_version + 1, w.ids.size());
      ASSERT_LE(r.last_position, total);
      EXPECT_FALSE(r.replayed);
      EXPECT_TRUE(first_positions.insert(r.first_position).second);
      for (size_t k = 0; k < w.ids.size(); ++k) {
        const RecordedEvent& e = all[r.first_position - 1 + k];
        EXPECT_EQ(e.event_id, w.ids[k]);
        EXPECT_EQ(e.stream, w.stream);
        EXPECT_EQ(e.version, r.first_version + k);
      }
    }
  }
  // Each stream's versions run 0..n-1 in position order.
  std::map<std::string, uint64_t> next_version;
  for (const RecordedEvent& e : all) {
    EXPECT_EQ(e.version, next_version[e.stream]++) << e.stream << " at " << e.position;
  }
  EXPECT_THAT(next_version, SizeIs(kStreams));
  for (const auto& [stream, count] : next_version) {
    ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events, ReadWholeStream(stream, 97));
    EXPECT_THAT(VersionsOf(events), ElementsAreArray(Iota(0, count))) << stream;
  }
}

// Readers polling during multi-event appends never see part of an append:
// the head never falls inside one, a page read up to the head ends on an
// append's last event, and so does a stream's last event.
TEST_P(ConcurrencyContractTest, ReadersNeverSeePartialAppends) {
  constexpr int kWriters = 4;
  constexpr int kAppendsPerWriter = 150;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::string> writer_errors(kWriters);

  // Every event says which append it belongs to (correlation_id) and where
  // in it it sits (causation_id "k/n").
  auto parse = [](const RecordedEvent& e, int* k, int* n) {
    return std::sscanf(e.causation_id.c_str(), "%d/%d", k, n) == 2;
  };

  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&, t] {
      std::mt19937 rng(77 + t);
      for (int i = 0; i < kAppendsPerWriter; ++i) {
        const int n = 2 + static_cast<int>(rng() % 4);
        std::vector<NewEvent> events = MakeEvents(n, "atomic.part");
        for (int k = 0; k < n; ++k) {
          events[k].correlation_id = "append-" + std::to_string(t) + "-" + std::to_string(i);
          events[k].causation_id = std::to_string(k) + "/" + std::to_string(n);
        }
        const std::string stream = (i % 2 == 0) ? "shared" : "writer-" + std::to_string(t);
        absl::StatusOr<AppendResult> r = log().Append(stream, ExpectedVersion::Any(), events);
        if (!r.ok()) {
          writer_errors[t] = r.status().ToString();
          break;
        }
      }
      writers_left.fetch_sub(1);
    });
  }

  std::atomic<uint64_t> partial_heads{0}, partial_pages{0}, partial_streams{0}, torn_groups{0},
      unreadable{0}, checks{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      uint64_t from = 1;
      std::string group;
      int expect_k = 0;
      int expect_n = 0;
      do {
        checks.fetch_add(1);
        // The head is on an append's last event.
        const uint64_t head = log().HeadPosition();
        if (head > 0) {
          absl::StatusOr<LogPage> at = log().ReadAll(head, 1, Filter{});
          int k, n;
          if (!at.ok() || at->events.size() != 1 || at->events[0].position != head) {
            unreadable.fetch_add(1);
          } else if (!parse(at->events[0], &k, &n) || k != n - 1) {
            partial_heads.fetch_add(1);
          }
        }
        // A page read forwards never ends inside an append unless it is full,
        // and every append is read whole and in order.
        absl::StatusOr<LogPage> page = log().ReadAll(from, 1000, Filter{});
        if (!page.ok()) {
          unreadable.fetch_add(1);
          continue;
        }
        if (page->events.size() < 1000 && head >= from &&
            (page->events.empty() || page->events.back().position < head)) {
          unreadable.fetch_add(1);  // positions up to the head must be readable
        }
        for (const RecordedEvent& e : page->events) {
          int k, n;
          if (!parse(e, &k, &n)) {
            torn_groups.fetch_add(1);
            continue;
          }
          if (expect_k == expect_n) {  // between appends
            group = e.correlation_id;
            expect_k = 0;
            expect_n = n;
          }
          if (e.correlation_id != group || k != expect_k || n != expect_n) {
            torn_groups.fetch_add(1);
          }
          ++expect_k;
        }
        if (!page->events.empty() && page->events.size() < 1000 && expect_k != expect_n) {
          partial_pages.fetch_add(1);
        }
        from = page->next_position;
        // A stream's last event ends an append.
        absl::StatusOr<StreamPage> last =
            log().ReadStream("shared", UINT64_MAX, Direction::kBackwards, 1);
        if (last.ok() && !last->events.empty()) {
          int k, n;
          if (!parse(last->events[0], &k, &n) || k != n - 1) partial_streams.fetch_add(1);
        }
      } while (writers_left.load() > 0);
    });
  }
  for (auto& th : writers) th.join();
  for (auto& th : readers) th.join();
  for (int t = 0; t < kWriters; ++t) ASSERT_EQ(writer_errors[t], "") << "writer " << t;
  EXPECT_EQ(partial_heads.load(), 0u) << "HeadPosition fell inside an append";
  EXPECT_EQ(partial_pages.load(), 0u) << "a page up to the head ended inside an append";
  EXPECT_EQ(partial_streams.load(), 0u) << "a stream's last event was inside an append";
  EXPECT_EQ(torn_groups.load(), 0u) << "an append's events were not together and in order";
  EXPECT_EQ(unreadable.load(), 0u) << "a position up to the head was not readable";
  EXPECT_GT(checks.load(), 2u);

  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  EXPECT_THAT(PositionsOf(all), ElementsAreArray(Iota(1, log().HeadPosition())));
}

// Every AppendAsync callback runs exactly once, with the append's result.
TEST_P(ConcurrencyContractTest, AppendAsyncRunsEachCallbackOnce) {
  constexpr int kAppends = 200;
  ASSERT_OK(StatusOf(Append("existing", ExpectedVersion::Any(), MakeEvents(1))));
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> calls(kAppends, 0);
  std::vector<absl::StatusOr<AppendResult>> results(kAppends, absl::UnknownError("unset"));
  int done = 0;
  for (int i = 0; i < kAppends; ++i) {
    std::vector<NewEvent> events = MakeEvents(1 + i % 2);
    std::string stream = "async-" + std::to_string(i % 10);
    ExpectedVersion expected = ExpectedVersion::Any();
    if (i % 20 == 7) events[0].type.clear();  // INVALID_ARGUMENT
    if (i % 20 == 13) {                       // ABORTED
      stream = "existing";
      expected = ExpectedVersion::NoStream();
    }
    log().AppendAsync(stream, expected, std::move(events), [&, i](absl::StatusOr<AppendResult> r) {
      std::lock_guard<std::mutex> lock(mu);
      ++calls[i];
      results[i] = std::move(r);
      ++done;
      cv.notify_all();
    });
  }
  bool all_done;
  {
    std::unique_lock<std::mutex> lock(mu);
    all_done = cv.wait_for(lock, std::chrono::seconds(30), [&] { return done >= kAppends; });
  }
  if (!all_done) {
    log_.reset();  // the callbacks refer to this frame
    FAIL() << done << " of " << kAppends << " callbacks ran within 30 s";
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // late second calls
  std::lock_guard<std::mutex> lock(mu);
  uint64_t written = 1;
  std::set<uint64_t> positions = {1};
  for (int i = 0; i < kAppends; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(calls[i], 1);
    if (i % 20 == 7) {
      EXPECT_TRUE(IsInvalidArgumentNaming(results[i].status(), "events[0].event_type"));
    } else if (i % 20 == 13) {
      EXPECT_TRUE(IsAbortedWithCurrentVersion(results[i].status(), 0));
    } else {
      ASSERT_TRUE(results[i].ok()) << results[i].status();
      EXPECT_EQ(results[i]->last_position - results[i]->first_position, uint64_t(i % 2));
      for (uint64_t p = results[i]->first_position; p <= results[i]->last_position; ++p) {
        EXPECT_TRUE(positions.insert(p).second) << "position " << p << " given twice";
      }
      written += 1 + i % 2;
    }
  }
  EXPECT_EQ(log().HeadPosition(), written);
  EXPECT_EQ(positions.size(), written);
  EXPECT_EQ(*positions.rbegin(), written);
}

// Destroying the log completes every append queued before: each callback has
// run with OK by the time the destructor returns, and the events are kept.
TEST_P(ConcurrencyContractTest, DestructorCompletesQueuedAppends) {
  constexpr int kAppends = 100;
  std::mutex mu;
  int ok = 0;
  int calls = 0;
  std::vector<std::string> errors;
  std::vector<std::string> ids;
  for (int i = 0; i < kAppends; ++i) {
    std::vector<NewEvent> events = MakeEvents(1);
    ids.push_back(events[0].event_id);
    log().AppendAsync("s-" + std::to_string(i % 7), ExpectedVersion::Any(), std::move(events),
                      [&](absl::StatusOr<AppendResult> r) {
                        std::lock_guard<std::mutex> lock(mu);
                        ++calls;
                        if (r.ok()) {
                          ++ok;
                        } else {
                          errors.push_back(r.status().ToString());
                        }
                      });
  }
  log_.reset();
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(calls, kAppends) << "callbacks still pending after the destructor returned";
    EXPECT_EQ(ok, kAppends);
    EXPECT_THAT(errors, SizeIs(0));
  }
  if (!persistent()) return;
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(log().HeadPosition(), static_cast<uint64_t>(kAppends));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  std::vector<std::string> got = IdsOf(all);
  std::sort(got.begin(), got.end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(got, ids);
}

INSTANTIATE_CONTRACT_SUITE(ConcurrencyContractTest);

}  // namespace
}  // namespace haven::storage::testing
