// Event logs for directory service tests: the in-memory log, wrapped so a
// test can slip a competing command in just before the next append.
#ifndef HAVEN_TESTS_DIRECTORY_TEST_LOGS_H_
#define HAVEN_TESTS_DIRECTORY_TEST_LOGS_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "storage/event_log.h"

namespace haven::services {

// Forwards everything to an in-memory log; the next append first runs the
// armed `before_next_append` (which may append to the log itself).
class MeddlingEventLog : public storage::EventLog {
 public:
  MeddlingEventLog() : inner_(storage::EventLog::OpenInMemory(storage::Options{})) {}

  void ArmBeforeNextAppend(std::function<void(storage::EventLog&)> fn) {
    std::lock_guard<std::mutex> lock(mu_);
    before_next_append_ = std::move(fn);
  }

  void AppendAsync(std::string stream, storage::ExpectedVersion expected,
                   std::vector<storage::NewEvent> events, AppendCallback done) override {
    std::function<void(storage::EventLog&)> fn;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn = std::exchange(before_next_append_, nullptr);
    }
    if (fn) fn(*inner_);
    inner_->AppendAsync(std::move(stream), expected, std::move(events), std::move(done));
  }
  absl::StatusOr<storage::StreamPage> ReadStream(const std::string& stream, uint64_t from,
                                                 storage::Direction direction,
                                                 size_t limit) const override {
    return inner_->ReadStream(stream, from, direction, limit);
  }
  absl::StatusOr<storage::LogPage> ReadAll(uint64_t from, size_t limit,
                                           const storage::Filter& filter,
                                           size_t scan_limit) const override {
    return inner_->ReadAll(from, limit, filter, scan_limit);
  }
  absl::StatusOr<std::optional<storage::RecordedEvent>> ReadEvent(
      const std::string& event_id) const override {
    return inner_->ReadEvent(event_id);
  }
  uint64_t HeadPosition() const override { return inner_->HeadPosition(); }
  uint64_t WaitForHeadAfter(uint64_t after,
                            std::chrono::steady_clock::time_point deadline) const override {
    return inner_->WaitForHeadAfter(after, deadline);
  }

 private:
  std::unique_ptr<storage::EventLog> inner_;
  std::mutex mu_;
  std::function<void(storage::EventLog&)> before_next_append_;
};

}  // namespace haven::services

#endif  // HAVEN_TESTS_DIRECTORY_TEST_LOGS_H_
