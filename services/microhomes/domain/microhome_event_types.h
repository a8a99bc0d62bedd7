// The one table of micro-home event type strings ("microhome.registered",
// ...) and how a MicroHomeEvent travels in the event log
// (services/common/event_types.h).
#ifndef HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_EVENT_TYPES_H_
#define HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_EVENT_TYPES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "haven/microhomes/v1/microhome_events.pb.h"
#include "services/common/event_types.h"

namespace haven::microhomes {

inline constexpr absl::string_view kMicroHomeEventContentType =
    "application/x-protobuf; type=haven.microhomes.v1.MicroHomeEvent";
// Every micro-home event type starts with this (a filter prefix for the log).
inline constexpr absl::string_view kMicroHomeEventTypePrefix = "microhome.";
// A micro-home's stream: this prefix and its unit id.
inline constexpr absl::string_view kMicroHomeStreamPrefix = "microhome-";

const services::EventTypeTable<v1::MicroHomeEvent>& MicroHomeEventTypes();

std::string MicroHomeStream(const std::string& unit_id);

}  // namespace haven::microhomes

#endif  // HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_EVENT_TYPES_H_
