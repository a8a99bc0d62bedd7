// A fixed set of threads that share out the tasks of one call with the
// calling thread: what the projection runner folds its projections on.
#ifndef HAVEN_STORAGE_TASK_POOL_H_
#define HAVEN_STORAGE_TASK_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace haven::storage {

// Thread safety: Run from one thread at a time.
class TaskPool {
 public:
  // `helpers` threads besides the caller of Run; 0 runs every task on the
  // caller.
  explicit TaskPool(size_t helpers);
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;
  // Joins the helpers.
  ~TaskPool();

  // Calls task(i) once for every i in [0, count), in increasing order of i
  // as threads become free, on the helpers and the calling thread; returns
  // when every call has returned.  Tasks must not throw.
  void Run(size_t count, const std::function<void(size_t)>& task);

 private:
  // Takes tasks of the current Run until none is left.
  void TakeTasks();
  void Help();

  std::vector<std::thread> helpers_;
  std::mutex mu_;
  std::condition_variable work_;  // A Run began, or the pool is stopping.
  std::condition_variable done_;  // A helper finished its part of a Run.
  uint64_t run_ = 0;              // GUARDED_BY(mu_): Runs begun.
  size_t helping_ = 0;            // GUARDED_BY(mu_): helpers not done with this Run.
  bool stopping_ = false;         // GUARDED_BY(mu_)
  // The current Run's; set under mu_ before run_ moves on.
  const std::function<void(size_t)>* task_ = nullptr;
  size_t count_ = 0;
  std::atomic<size_t> next_{0};
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_TASK_POOL_H_
