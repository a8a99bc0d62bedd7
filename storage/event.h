// The event envelope, as proposed by a writer and as recorded by the log.
#ifndef HAVEN_STORAGE_EVENT_H_
#define HAVEN_STORAGE_EVENT_H_

#include <cstdint>
#include <string>

namespace haven::storage {

// An event proposed for appending.
struct NewEvent {
  std::string event_id;  // Canonical UUID text; any hex case.
  std::string type;
  std::string payload;  // Opaque bytes, usually a serialized protobuf message.
  std::string content_type;
  std::string actor;
  std::string correlation_id;
  std::string causation_id;
};

// An event as stored.
struct RecordedEvent {
  std::string event_id;  // Lowercase canonical UUID text.
  std::string stream;
  uint64_t version = 0;   // Within the stream, from 0.
  uint64_t position = 0;  // In the whole log, from 1.
  std::string type;
  std::string payload;
  std::string content_type;
  int64_t recorded_time_us = 0;  // Microseconds since the Unix epoch, UTC.
  std::string actor;
  std::string correlation_id;
  std::string causation_id;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_EVENT_H_
