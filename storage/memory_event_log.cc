// An EventLog kept in memory: the same contract as the RocksDB log, for tests
// of the layers above.  Appends complete on the calling thread.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "storage/append_rules.h"
#include "storage/event_log.h"
#include "storage/uuid.h"
#include "storage/validation.h"

namespace haven::storage {
namespace {

class MemoryEventLog : public EventLog {
 public:
  explicit MemoryEventLog(const Options& options) : clock_(options.clock) {}

  ~MemoryEventLog() override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    head_changed_.notify_all();
  }

  void AppendAsync(std::string stream, ExpectedVersion expected, std::vector<NewEvent> events,
                   AppendCallback done) override {
    done(AppendLocked(stream, expected, std::move(events)));
  }

  absl::StatusOr<StreamPage> ReadStream(const std::string& stream, uint64_t from,
                                        Direction direction, size_t limit) const override {
    if (auto s = ValidateStreamId(stream); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = streams_.find(stream);
    if (it == streams_.end()) {
      return absl::NotFoundError("stream_id: stream \"" + stream + "\" has no events");
    }
    const std::vector<uint64_t>& positions = it->second;
    StreamPage page;
    page.last_version = positions.size() - 1;
    if (direction == Direction::kForwards) {
      uint64_t v = from;
      for (; v < positions.size() && page.events.size() < limit; ++v) {
        page.events.push_back(log_[positions[v] - 1]);
      }
      page.has_next = v < positions.size();
      page.next_version = v;
    } else {
      int64_t v = std::min<uint64_t>(from, positions.size() - 1);
      for (; v >= 0 && page.events.size() < limit; --v) {
        page.events.push_back(log_[positions[v] - 1]);
      }
      page.has_next = v >= 0;
      page.next_version = page.has_next ? v : 0;
    }
    return page;
  }

  absl::StatusOr<LogPage> ReadAll(uint64_t from, size_t limit, const Filter& filter,
                                  size_t scan_limit) const override {
    std::lock_guard<std::mutex> lock(mu_);
    LogPage page;
    page.head_position = log_.size();
    uint64_t p = std::max<uint64_t>(from, 1);
    size_t scanned = 0;
    for (; p <= log_.size() && page.events.size() < limit && scanned < scan_limit;
         ++p, ++scanned) {
      if (filter.Matches(log_[p - 1])) page.events.push_back(log_[p - 1]);
    }
    page.next_position = p;
    return page;
  }

  absl::StatusOr<std::optional<RecordedEvent>> ReadEvent(
      const std::string& event_id) const override {
    auto id = ParseUuid(event_id);
    if (!id) return absl::InvalidArgumentError("event_id: must be a UUID");
    std::lock_guard<std::mutex> lock(mu_);
    auto it = ids_.find(*id);
    if (it == ids_.end()) return std::optional<RecordedEvent>();
    return std::optional<RecordedEvent>(log_[it->second.position - 1]);
  }

  uint64_t HeadPosition() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return log_.size();
  }

  uint64_t WaitForHeadAfter(uint64_t after,
                            std::chrono::steady_clock::time_point deadline) const override {
    std::unique_lock<std::mutex> lock(mu_);
    head_changed_.wait_until(lock, deadline, [&] { return closed_ || log_.size() > after; });
    return log_.size();
  }

 private:
  absl::StatusOr<AppendResult> AppendLocked(const std::string& stream,
                                            const ExpectedVersion& expected,
                                            std::vector<NewEvent> events) {
    auto ids = ValidateAppend(stream, events);
    if (!ids.ok()) return ids.status();
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return absl::UnavailableError("the event log is closed");
    std::vector<std::optional<StoredEventId>> stored;
    for (const std::string& id : *ids) {
      auto it = ids_.find(id);
      stored.push_back(it == ids_.end() ? std::nullopt : std::optional(it->second));
    }
    auto retry = ClassifyRetry(stream, stored);
    if (!retry.ok()) return retry.status();
    if (*retry) return **retry;
    std::vector<uint64_t>& positions = streams_[stream];
    if (auto s = CheckExpectedVersion(stream, expected, positions.size()); !s.ok()) {
      if (positions.empty()) streams_.erase(stream);
      return s;
    }
    const int64_t now = clock_->NowMicros();
    AppendResult result;
    result.first_version = positions.size();
    result.first_position = log_.size() + 1;
    for (size_t i = 0; i < events.size(); ++i) {
      const uint64_t version = positions.size();
      const uint64_t position = log_.size() + 1;
      ids_[(*ids)[i]] = StoredEventId{stream, version, position, static_cast<uint32_t>(i),
                                      static_cast<uint32_t>(events.size())};
      log_.push_back(MakeRecorded(std::move(events[i]), (*ids)[i], stream, version, position, now));
      positions.push_back(position);
    }
    result.last_version = positions.size() - 1;
    result.last_position = log_.size();
    head_changed_.notify_all();
    return result;
  }

  const std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  mutable std::condition_variable head_changed_;
  bool closed_ = false;                                            // GUARDED_BY(mu_)
  std::vector<RecordedEvent> log_;                                 // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::vector<uint64_t>> streams_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, StoredEventId> ids_;              // GUARDED_BY(mu_)
};

}  // namespace

std::unique_ptr<EventLog> EventLog::OpenInMemory(const Options& options) {
  return std::make_unique<MemoryEventLog>(options);
}

}  // namespace haven::storage
