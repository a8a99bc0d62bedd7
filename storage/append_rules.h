// The decisions every log implementation makes the same way for an append:
// is it an exact retry, and does the stream match the expected version.
#ifndef HAVEN_STORAGE_APPEND_RULES_H_
#define HAVEN_STORAGE_APPEND_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::storage {

// Where an event id was stored, and the shape of the append that stored it.
struct StoredEventId {
  std::string stream;
  uint64_t version = 0;
  uint64_t position = 0;
  uint32_t index_in_append = 0;
  uint32_t append_size = 0;
};

// Decides what an append means given where each of its ids (in order) was
// stored before, if anywhere:
//   all absent                          -> nullopt: a new append;
//   all stored by one earlier append to -> that append's result, replayed;
//   `stream`, same order, same count
//   anything else                       -> ALREADY_EXISTS naming the id.
absl::StatusOr<std::optional<AppendResult>> ClassifyRetry(
    const std::string& stream, const std::vector<std::optional<StoredEventId>>& stored);

// OK if a stream whose next version is `next_version` (0: no stream) matches
// `expected`; otherwise ABORTED carrying the current version.
absl::Status CheckExpectedVersion(const std::string& stream, const ExpectedVersion& expected,
                                  uint64_t next_version);

// The recorded form of `event`, with its id normalised to lowercase.
RecordedEvent MakeRecorded(NewEvent event, const std::string& id_bytes, const std::string& stream,
                           uint64_t version, uint64_t position, int64_t recorded_time_us);

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_APPEND_RULES_H_
