// TaskPool: every task runs once, on the helpers and the caller, and Run
// returns only when all have.
#include "storage/task_pool.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace haven::storage {
namespace {

TEST(TaskPoolTest, RunsEveryTaskOnceAndReturnsWhenAllHave) {
  TaskPool pool(3);
  for (size_t count : {0u, 1u, 2u, 5u, 64u}) {
    std::vector<std::atomic<int>> runs(count);
    pool.Run(count, [&](size_t i) { ++runs[i]; });
    for (size_t i = 0; i < count; ++i) {
      EXPECT_EQ(runs[i].load(), 1) << "task " << i << " of " << count;
    }
  }
}

TEST(TaskPoolTest, SharesTasksBetweenTheCallerAndTheHelpers) {
  TaskPool pool(2);
  std::mutex mu;
  std::set<std::thread::id> threads;
  // Each task waits until three are running at once, so all three threads
  // must take one.
  std::atomic<int> running{0};
  pool.Run(3, [&](size_t) {
    ++running;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (running.load() < 3 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(threads.size(), 3u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 1u);
}

TEST(TaskPoolTest, ManyShortRunsInARowLoseNoTask) {
  TaskPool pool(3);
  std::atomic<long> sum{0};
  for (int run = 0; run < 2000; ++run) pool.Run(7, [&](size_t i) { sum += static_cast<long>(i); });
  EXPECT_EQ(sum.load(), 2000L * 21);
}

TEST(TaskPoolTest, WithoutHelpersTheCallerRunsTasksInOrder) {
  TaskPool pool(0);
  std::vector<size_t> order;
  pool.Run(4, [&](size_t i) { order.push_back(i); });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace haven::storage
