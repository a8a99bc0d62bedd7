// The event log: Haven's single source of truth.  Domain-agnostic: it knows
// streams, versions, positions and opaque payloads, nothing of cases or loans.
//
// Thread safety: every method of EventLog may be called concurrently from any
// number of threads.
#ifndef HAVEN_STORAGE_EVENT_LOG_H_
#define HAVEN_STORAGE_EVENT_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/clock.h"
#include "storage/event.h"

namespace haven::storage {

struct Options {
  // Directory of the RocksDB database; created if missing.  Ignored by the
  // in-memory log.
  std::string data_dir;
  // Server clock stamped on every event as its recorded time.
  // Default: the system clock.
  std::shared_ptr<Clock> clock = SystemClock();
  // Sync every write batch before acknowledging it.  Only benchmarks that
  // measure the cost of durability turn this off.
  // Default: true.
  bool sync = true;
};

// What the stream must look like for an append to go ahead.
struct ExpectedVersion {
  enum class Kind { kAny, kNoStream, kStreamExists, kExact };
  Kind kind = Kind::kAny;
  uint64_t version = 0;  // Only for kExact: the version of the last event.

  static ExpectedVersion Any() { return {Kind::kAny, 0}; }
  static ExpectedVersion NoStream() { return {Kind::kNoStream, 0}; }
  static ExpectedVersion StreamExists() { return {Kind::kStreamExists, 0}; }
  static ExpectedVersion Exact(uint64_t v) { return {Kind::kExact, v}; }
};

struct AppendResult {
  uint64_t first_version = 0;
  uint64_t last_version = 0;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  // True when the append repeated an earlier one; nothing was written.
  bool replayed = false;
};

enum class Direction { kForwards, kBackwards };

struct StreamPage {
  std::vector<RecordedEvent> events;
  bool has_next = false;
  uint64_t next_version = 0;  // Valid when has_next.
  uint64_t last_version = 0;  // The stream's last version.
};

// Both prefixes must match when both are set; an empty prefix matches all.
struct Filter {
  std::string event_type_prefix;
  std::string stream_prefix;

  bool Matches(const RecordedEvent& e) const;
  bool empty() const { return event_type_prefix.empty() && stream_prefix.empty(); }
};

struct LogPage {
  std::vector<RecordedEvent> events;
  // Where the next page starts; past every position this page scanned.
  uint64_t next_position = 1;
  // The last committed position when the page was read.
  uint64_t head_position = 0;
};

class EventLog {
 public:
  using AppendCallback = std::function<void(absl::StatusOr<AppendResult>)>;

  // Opens (creating if needed) the RocksDB log in options.data_dir.
  // FAILED_PRECONDITION if another process holds the directory.
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(const Options& options);
  // A log kept in memory only, with the same contract (for tests).
  static std::unique_ptr<EventLog> OpenInMemory(const Options& options);

  EventLog() = default;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  // Stops accepting appends, completes those queued, and closes the log.
  virtual ~EventLog() = default;

  // Appends `events` to `stream` atomically, after checking `expected`.
  // `done` runs once, on a log thread, after the batch is synced (or the
  // append is rejected); it must not block.  Errors:
  //   INVALID_ARGUMENT  a field breaks a rule (see validation.h);
  //   ABORTED           version conflict; the status carries the current
  //                     version (see CurrentVersionOf);
  //   ALREADY_EXISTS    event ids reused other than as an exact retry;
  //   UNAVAILABLE       closing, or stopped after a write failure.
  virtual void AppendAsync(std::string stream, ExpectedVersion expected,
                           std::vector<NewEvent> events, AppendCallback done) = 0;

  // Blocking form of AppendAsync.
  absl::StatusOr<AppendResult> Append(std::string stream, ExpectedVersion expected,
                                      std::vector<NewEvent> events);

  // Up to `limit` events of `stream` from version `from` in `direction`.
  // Backwards, a `from` past the end starts at the last event.
  // NOT_FOUND if the stream has no events.
  virtual absl::StatusOr<StreamPage> ReadStream(const std::string& stream, uint64_t from,
                                                Direction direction, size_t limit) const = 0;

  // Up to `limit` events matching `filter` at positions >= `from`, scanning
  // at most `scan_limit` positions (so a sparse filter returns promptly).
  virtual absl::StatusOr<LogPage> ReadAll(uint64_t from, size_t limit, const Filter& filter,
                                          size_t scan_limit = 10000) const = 0;

  // The event with id `event_id` (canonical UUID text, any case), or nullopt
  // if no committed append holds it.  INVALID_ARGUMENT if it is no UUID.
  // Commands use it to answer a retried request with its first result.
  virtual absl::StatusOr<std::optional<RecordedEvent>> ReadEvent(
      const std::string& event_id) const = 0;

  // The last committed position (0 when the log is empty).  Every position up
  // to it is readable.
  virtual uint64_t HeadPosition() const = 0;

  // Blocks until HeadPosition() > after, the deadline passes, or the log
  // closes; returns HeadPosition().
  virtual uint64_t WaitForHeadAfter(uint64_t after,
                                    std::chrono::steady_clock::time_point deadline) const = 0;
};

// The stream's current version carried by an ABORTED append status: -1 when
// the stream does not exist.  Returns -2 if `status` carries none.
int64_t CurrentVersionOf(const absl::Status& status);

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_EVENT_LOG_H_
