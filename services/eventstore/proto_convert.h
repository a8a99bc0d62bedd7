// Conversions between the haven.v1 wire messages and storage's types.
#ifndef HAVEN_SERVICES_EVENTSTORE_PROTO_CONVERT_H_
#define HAVEN_SERVICES_EVENTSTORE_PROTO_CONVERT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/v1/event_store.pb.h"
#include "storage/event_log.h"

namespace haven::services {

// INVALID_ARGUMENT naming "expected_version.kind" for an unset or unknown kind.
absl::StatusOr<storage::ExpectedVersion> FromProto(const v1::ExpectedVersion& expected);

// The events of an append, each stamped with `actor`.
std::vector<storage::NewEvent> FromProto(
    const google::protobuf::RepeatedPtrField<v1::EventData>& events, const std::string& actor);

storage::Filter FromProto(const v1::Filter& filter);

void ToProto(storage::RecordedEvent event, v1::RecordedEvent* out);

// A page size: 0 means the default 100; over 1,000 is INVALID_ARGUMENT.
absl::StatusOr<size_t> PageLimit(uint32_t limit);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_EVENTSTORE_PROTO_CONVERT_H_
