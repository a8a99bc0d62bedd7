// How a context's events travel in the event log, the same for every
// context: the whole event message (one oneof named `event`) is the
// payload, and its type string ("microhome.registered", ...) names the
// member of the oneof that is set.  A context keeps one table of type
// strings and gets encoding, decoding and lookups from it.
//
// Thread safety: a table is immutable after construction.
#ifndef HAVEN_SERVICES_COMMON_EVENT_TYPES_H_
#define HAVEN_SERVICES_COMMON_EVENT_TYPES_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace haven::services {

// `Event` is a generated message with `oneof event`.
template <typename Event>
class EventTypeTable {
 public:
  using Case = typename Event::EventCase;

  // `message_name` is the payload's full name ("haven.microhomes.v1.
  // MicroHomeEvent"), for messages.  String views must outlive the table
  // (literals).
  EventTypeTable(absl::string_view message_name,
                 std::initializer_list<std::pair<Case, absl::string_view>> types)
      : message_name_(message_name), types_(types) {}

  // Empty for a case the table does not name (EVENT_NOT_SET).
  absl::string_view TypeOf(Case event_case) const {
    for (const auto& [c, type] : types_) {
      if (c == event_case) return type;
    }
    return {};
  }
  absl::string_view TypeOf(const Event& event) const { return TypeOf(event.event_case()); }

  // EVENT_NOT_SET (0) for an unknown type string.
  Case CaseOf(absl::string_view type) const {
    for (const auto& [c, t] : types_) {
      if (t == type) return c;
    }
    return static_cast<Case>(0);
  }

  std::string Encode(const Event& event) const {
    std::string payload;
    event.SerializeToString(&payload);
    return payload;
  }

  // DATA_LOSS if the payload does not parse or holds another member than
  // `type` names.  An unknown type parses to an event with no member set.
  absl::StatusOr<Event> Decode(absl::string_view type, absl::string_view payload) const {
    Event event;
    if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return absl::DataLossError(
          absl::StrCat("event of type ", type, ": payload is not a ", message_name_));
    }
    const Case expected = CaseOf(type);
    if (expected != static_cast<Case>(0) && expected != event.event_case()) {
      return absl::DataLossError(absl::StrCat("event of type ", type, ": payload holds another "
                                              "event"));
    }
    return event;
  }

 private:
  const absl::string_view message_name_;
  const std::vector<std::pair<Case, absl::string_view>> types_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_EVENT_TYPES_H_
