// The one table of case event type strings ("case.opened", ...) and how a
// CaseEvent travels in the event log: the whole CaseEvent wrapper is the
// payload, its type string is the member of the oneof that is set.
//
// Thread safety: pure functions over constant data.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_EVENT_TYPES_H_
#define HAVEN_SERVICES_CASES_DOMAIN_EVENT_TYPES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/cases/v1/case_events.pb.h"

namespace haven::cases {

// The content type of every case event's payload.
inline constexpr absl::string_view kCaseEventContentType =
    "application/x-protobuf; type=haven.cases.v1.CaseEvent";

// Every case event type starts with this (a filter prefix for the log).
inline constexpr absl::string_view kCaseEventTypePrefix = "case.";

struct CaseEventType {
  v1::CaseEvent::EventCase event_case;
  absl::string_view type;
};

// Every event type, in the order of the CaseEvent oneof.
const std::vector<CaseEventType>& AllCaseEventTypes();

// The type string of a oneof member, e.g. "case.opened" for kOpened; empty
// for EVENT_NOT_SET.
absl::string_view EventTypeOf(v1::CaseEvent::EventCase event_case);
inline absl::string_view EventTypeOf(const v1::CaseEvent& event) {
  return EventTypeOf(event.event_case());
}

// The oneof member of a type string; EVENT_NOT_SET if the string is unknown.
v1::CaseEvent::EventCase EventCaseOf(absl::string_view type);

// The payload to store for `event`.
std::string EncodeCaseEvent(const v1::CaseEvent& event);

// Reads a payload stored under `type`.  DATA_LOSS if it does not parse or
// if `type` is a known type that differs from the member set.  A type this
// code does not know (written by a newer version) parses to an event with
// no member set, which Evolve counts but otherwise ignores.
absl::StatusOr<v1::CaseEvent> DecodeCaseEvent(absl::string_view type, absl::string_view payload);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_EVENT_TYPES_H_
