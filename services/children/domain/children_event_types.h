// The one table of the context's event type strings ("child.registered",
// "mentor.child_assigned", ...) and how ChildEvent and MentorEvent travel
// in the event log: the whole message is the payload, its type string is
// the member of the oneof that is set.
//
// Thread safety: pure functions over constant data.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_CHILDREN_EVENT_TYPES_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_CHILDREN_EVENT_TYPES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/children/v1/children_events.pb.h"

namespace haven::children {

inline constexpr absl::string_view kChildEventContentType =
    "application/x-protobuf; type=haven.children.v1.ChildEvent";
inline constexpr absl::string_view kMentorEventContentType =
    "application/x-protobuf; type=haven.children.v1.MentorEvent";
// Filter prefixes for the log.
inline constexpr absl::string_view kChildEventTypePrefix = "child.";
inline constexpr absl::string_view kMentorEventTypePrefix = "mentor.";

// "child.registered" for kRegistered; empty for EVENT_NOT_SET.
absl::string_view EventTypeOf(v1::ChildEvent::EventCase event_case);
absl::string_view EventTypeOf(v1::MentorEvent::EventCase event_case);
inline absl::string_view EventTypeOf(const v1::ChildEvent& e) { return EventTypeOf(e.event_case()); }
inline absl::string_view EventTypeOf(const v1::MentorEvent& e) {
  return EventTypeOf(e.event_case());
}

std::string EncodeEvent(const google::protobuf::MessageLite& event);
// DATA_LOSS if the payload does not parse or holds another member than
// `type` names.  An unknown type parses to an event with no member set.
absl::StatusOr<v1::ChildEvent> DecodeChildEvent(absl::string_view type, absl::string_view payload);
absl::StatusOr<v1::MentorEvent> DecodeMentorEvent(absl::string_view type,
                                                  absl::string_view payload);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_CHILDREN_EVENT_TYPES_H_
