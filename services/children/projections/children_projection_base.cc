#include "services/children/projections/children_projection_base.h"

#include "absl/strings/match.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/projections/children_projections.h"

namespace haven::children {

bool ChildrenProjection::Wants(const storage::RecordedEvent& event) const {
  return absl::StartsWith(event.type, kChildEventTypePrefix) ||
         absl::StartsWith(event.type, kMentorEventTypePrefix);
}

absl::Status ChildrenProjection::Apply(const storage::RecordedEvent& recorded,
                                       storage::NamespaceBatch& rows) const {
  if (absl::StartsWith(recorded.type, kMentorEventTypePrefix)) {
    absl::StatusOr<v1::MentorEvent> event = DecodeMentorEvent(recorded.type, recorded.payload);
    if (!event.ok()) return event.status();
    return OnMentorEvent(recorded, *event, rows);
  }
  absl::StatusOr<v1::ChildEvent> event = DecodeChildEvent(recorded.type, recorded.payload);
  if (!event.ok()) return event.status();
  const std::string key = "r/" + recorded.stream;
  absl::StatusOr<std::optional<std::string>> stored = rows.Get(key);
  if (!stored.ok()) return stored.status();
  v1::ChildListEntry before;
  if (stored->has_value() && !before.ParseFromString(**stored)) {
    return absl::DataLossError("children projection: a stored child entry does not parse");
  }
  v1::ChildListEntry after = before;
  if (!FoldListEntry(recorded, *event, &after)) return absl::OkStatus();
  if (absl::Status s = OnChildEvent(recorded, *event, before, after, rows); !s.ok()) return s;
  // No map fields: the serialization is deterministic.
  rows.Put(key, after.SerializeAsString());
  return absl::OkStatus();
}

}  // namespace haven::children
