#include "storage/event_log.h"

#include <future>

namespace haven::storage {

bool Filter::Matches(const RecordedEvent& e) const {
  return e.type.compare(0, event_type_prefix.size(), event_type_prefix) == 0 &&
         e.stream.compare(0, stream_prefix.size(), stream_prefix) == 0;
}

absl::StatusOr<AppendResult> EventLog::Append(std::string stream, ExpectedVersion expected,
                                              std::vector<NewEvent> events) {
  std::promise<absl::StatusOr<AppendResult>> promise;
  auto future = promise.get_future();
  AppendAsync(std::move(stream), expected, std::move(events),
              [&promise](absl::StatusOr<AppendResult> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace haven::storage
