// The one table of loan event type strings ("loan.applied", ...) and how a
// LoanEvent travels in the event log: the whole LoanEvent is the payload,
// its type string is the member of the oneof that is set.
//
// Thread safety: pure functions over constant data.
#ifndef HAVEN_SERVICES_LOANS_DOMAIN_LOAN_EVENT_TYPES_H_
#define HAVEN_SERVICES_LOANS_DOMAIN_LOAN_EVENT_TYPES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/loans/v1/loan_events.pb.h"

namespace haven::loans {

inline constexpr absl::string_view kLoanEventContentType =
    "application/x-protobuf; type=haven.loans.v1.LoanEvent";
// Every loan event type starts with this (a filter prefix for the log).
inline constexpr absl::string_view kLoanEventTypePrefix = "loan.";

// "loan.applied" for kApplied; empty for EVENT_NOT_SET.
absl::string_view EventTypeOf(v1::LoanEvent::EventCase event_case);
inline absl::string_view EventTypeOf(const v1::LoanEvent& event) {
  return EventTypeOf(event.event_case());
}
// EVENT_NOT_SET for an unknown type string.
v1::LoanEvent::EventCase EventCaseOf(absl::string_view type);

std::string EncodeLoanEvent(const v1::LoanEvent& event);
// DATA_LOSS if the payload does not parse or holds another member than
// `type` names.  An unknown type parses to an event with no member set.
absl::StatusOr<v1::LoanEvent> DecodeLoanEvent(absl::string_view type, absl::string_view payload);

}  // namespace haven::loans

#endif  // HAVEN_SERVICES_LOANS_DOMAIN_LOAN_EVENT_TYPES_H_
