#include "storage/subscription.h"

#include <algorithm>

namespace haven::storage {

Subscription::Subscription(const EventLog& log, uint64_t from_position, Filter filter)
    : log_(log), filter_(std::move(filter)), next_position_(std::max<uint64_t>(from_position, 1)) {}

absl::StatusOr<std::vector<RecordedEvent>> Subscription::Next(
    size_t max, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    // Scans at least `max` positions, so that a batch can be that long.
    auto page = log_.ReadAll(next_position_, max, filter_, std::max<size_t>(max, 10000));
    if (!page.ok()) return page.status();
    next_position_ = page->next_position;
    caught_up_ = next_position_ > page->head_position;
    if (!page->events.empty()) return std::move(page->events);
    if (caught_up_ &&
        log_.WaitForHeadAfter(next_position_ - 1, deadline) < next_position_) {
      return std::vector<RecordedEvent>{};  // Deadline passed (or the log closed).
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::vector<RecordedEvent>{};
  }
}

}  // namespace haven::storage
