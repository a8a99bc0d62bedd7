#include "services/eventstore/proto_convert.h"

#include "absl/strings/str_cat.h"
#include "storage/validation.h"

namespace haven::services {

absl::StatusOr<storage::ExpectedVersion> FromProto(const v1::ExpectedVersion& expected) {
  switch (expected.kind()) {
    case v1::ExpectedVersion::ANY:
      return storage::ExpectedVersion::Any();
    case v1::ExpectedVersion::NO_STREAM:
      return storage::ExpectedVersion::NoStream();
    case v1::ExpectedVersion::STREAM_EXISTS:
      return storage::ExpectedVersion::StreamExists();
    case v1::ExpectedVersion::EXACT:
      return storage::ExpectedVersion::Exact(expected.version());
    case v1::ExpectedVersion::KIND_UNSPECIFIED:
      return absl::InvalidArgumentError(
          "expected_version.kind: is required (ANY, NO_STREAM, STREAM_EXISTS or EXACT)");
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("expected_version.kind: unknown kind ", static_cast<int>(expected.kind()),
                       "; must be ANY, NO_STREAM, STREAM_EXISTS or EXACT"));
  }
}

std::vector<storage::NewEvent> FromProto(
    const google::protobuf::RepeatedPtrField<v1::EventData>& events, const std::string& actor) {
  std::vector<storage::NewEvent> out;
  out.reserve(events.size());
  for (const v1::EventData& e : events) {
    storage::NewEvent n;
    n.event_id = e.event_id();
    n.type = e.event_type();
    n.payload = e.payload();
    n.content_type = e.content_type();
    n.actor = actor;
    n.correlation_id = e.correlation_id();
    n.causation_id = e.causation_id();
    out.push_back(std::move(n));
  }
  return out;
}

storage::Filter FromProto(const v1::Filter& filter) {
  return storage::Filter{filter.event_type_prefix(), filter.stream_prefix()};
}

void ToProto(storage::RecordedEvent event, v1::RecordedEvent* out) {
  out->set_event_id(std::move(event.event_id));
  out->set_stream_id(std::move(event.stream));
  out->set_version(event.version);
  out->set_position(event.position);
  out->set_event_type(std::move(event.type));
  out->set_payload(std::move(event.payload));
  out->set_content_type(std::move(event.content_type));
  out->set_recorded_time_us(event.recorded_time_us);
  out->set_actor(std::move(event.actor));
  out->set_correlation_id(std::move(event.correlation_id));
  out->set_causation_id(std::move(event.causation_id));
}

absl::StatusOr<size_t> PageLimit(uint32_t limit) {
  if (limit == 0) return 100;
  if (limit > storage::kMaxReadLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be at most ", storage::kMaxReadLimit, ", got ", limit));
  }
  return limit;
}

}  // namespace haven::services
