// The one table of target event type strings ("target.set", ...) and how a
// TargetEvent travels in the event log (services/common/event_types.h).
#ifndef HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_EVENT_TYPES_H_
#define HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_EVENT_TYPES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "haven/targets/v1/target_events.pb.h"
#include "services/common/event_types.h"

namespace haven::targets {

inline constexpr absl::string_view kTargetEventContentType =
    "application/x-protobuf; type=haven.targets.v1.TargetEvent";
// A unit's targets are kept in the stream kTargetStreamPrefix + unit id.
inline constexpr absl::string_view kTargetStreamPrefix = "targets-";

const services::EventTypeTable<v1::TargetEvent>& TargetEventTypes();

// "targets-<unit_id>".
std::string TargetStreamOf(absl::string_view unit_id);

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_EVENT_TYPES_H_
