// Catch-up-then-live reading of the log, for subscribers and projections.
#ifndef HAVEN_STORAGE_SUBSCRIPTION_H_
#define HAVEN_STORAGE_SUBSCRIPTION_H_

#include <chrono>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::storage {

// Delivers every event matching a filter from a position on, in position
// order, first from history and then as appends commit.  It always reads
// from the log itself, never from a queue of live events: so there is no
// switch-over at which an event could be lost or repeated, and a slow reader
// costs the writers nothing and the server no memory beyond one page.
//
// Thread safety: one Subscription is used by one thread at a time; any
// number may read one log concurrently.  The log must outlive it.
class Subscription {
 public:
  // `from_position` 0 and 1 both mean the start of the log.
  Subscription(const EventLog& log, uint64_t from_position, Filter filter);

  // Blocks until at least one event is available or `deadline` passes;
  // returns up to `max` events in position order (empty on timeout).
  // Errors only if reading the log fails.
  absl::StatusOr<std::vector<RecordedEvent>> Next(size_t max,
                                                  std::chrono::steady_clock::time_point deadline);

  // The first position not yet delivered or skipped.
  uint64_t next_position() const { return next_position_; }
  // True when the last Next() reached the log's head.
  bool caught_up() const { return caught_up_; }

 private:
  const EventLog& log_;
  const Filter filter_;
  uint64_t next_position_;
  bool caught_up_ = false;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_SUBSCRIPTION_H_
