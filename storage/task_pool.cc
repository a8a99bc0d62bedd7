#include "storage/task_pool.h"

namespace haven::storage {

TaskPool::TaskPool(size_t helpers) {
  for (size_t i = 0; i < helpers; ++i) helpers_.emplace_back([this] { Help(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& helper : helpers_) helper.join();
}

void TaskPool::Run(size_t count, const std::function<void(size_t)>& task) {
  if (helpers_.empty() || count <= 1) {
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    task_ = &task;
    count_ = count;
    next_.store(0);
    helping_ = helpers_.size();
    ++run_;
  }
  work_.notify_all();
  TakeTasks();
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [this] { return helping_ == 0; });
  task_ = nullptr;
}

void TaskPool::TakeTasks() {
  for (size_t i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) (*task_)(i);
}

void TaskPool::Help() {
  uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait(lock, [&] { return stopping_ || run_ != seen; });
      if (stopping_) return;
      seen = run_;
    }
    TakeTasks();
    std::lock_guard<std::mutex> lock(mu_);
    if (--helping_ == 0) done_.notify_all();
  }
}

}  // namespace haven::storage
