// The rules every append must satisfy, whichever log implementation takes it.
#ifndef HAVEN_STORAGE_VALIDATION_H_
#define HAVEN_STORAGE_VALIDATION_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/event.h"

namespace haven::storage {

inline constexpr size_t kMaxStreamIdBytes = 512;
inline constexpr size_t kMaxEventTypeBytes = 256;
inline constexpr size_t kMaxShortFieldBytes = 256;  // content type, ids, actor
inline constexpr size_t kMaxPayloadBytes = 1 << 20;        // 1 MiB
inline constexpr size_t kMaxEventsPerAppend = 1000;
inline constexpr size_t kMaxAppendPayloadBytes = 8 << 20;  // 8 MiB
inline constexpr size_t kMaxReadLimit = 1000;

// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Checks a stream id: 1..kMaxStreamIdBytes of UTF-8 without control
// characters.  INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateStreamId(std::string_view stream, const std::string& field = "stream_id");

// Checks every rule of an append that does not depend on the log's state.
// On success returns the 16-byte form of each event id, in order.
// INVALID_ARGUMENT naming the field ("stream_id", "events",
// "events[3].event_id", ...) and the rule otherwise.
absl::StatusOr<std::vector<std::string>> ValidateAppend(std::string_view stream,
                                                        const std::vector<NewEvent>& events);

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_VALIDATION_H_
