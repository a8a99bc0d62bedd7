#include "services/children/domain/children_event_types.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace haven::children {
namespace {

using ChildCase = v1::ChildEvent::EventCase;
using MentorCase = v1::MentorEvent::EventCase;

constexpr std::pair<ChildCase, absl::string_view> kChildTypes[] = {
    {ChildCase::kRegistered, "child.registered"},
    {ChildCase::kPaired, "child.paired"},
    {ChildCase::kVisitRecorded, "child.visit_recorded"},
    {ChildCase::kSupportDelivered, "child.support_delivered"},
    {ChildCase::kStipendPaid, "child.stipend_paid"},
    {ChildCase::kStatusChecked, "child.status_checked"},
    {ChildCase::kCounsellingReferred, "child.counselling_referred"},
    {ChildCase::kPairingEnded, "child.pairing_ended"},
};

constexpr std::pair<MentorCase, absl::string_view> kMentorTypes[] = {
    {MentorCase::kRegistered, "mentor.registered"},
    {MentorCase::kChildAssigned, "mentor.child_assigned"},
    {MentorCase::kChildReleased, "mentor.child_released"},
};

template <typename Case, size_t N>
absl::string_view TypeOf(const std::pair<Case, absl::string_view> (&table)[N], Case c) {
  for (const auto& [each, type] : table) {
    if (each == c) return type;
  }
  return {};
}

template <typename Case, size_t N>
Case CaseOf(const std::pair<Case, absl::string_view> (&table)[N], absl::string_view type) {
  for (const auto& [each, t] : table) {
    if (t == type) return each;
  }
  return Case{};  // EVENT_NOT_SET is 0
}

template <typename Event, size_t N>
absl::StatusOr<Event> Decode(
    const std::pair<typename Event::EventCase, absl::string_view> (&table)[N],
    absl::string_view type, absl::string_view payload) {
  Event event;
  if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError(absl::StrCat("event of type ", type, ": payload is not a ",
                                            Event::descriptor()->full_name()));
  }
  const auto expected = CaseOf(table, type);
  if (expected != typename Event::EventCase{} && expected != event.event_case()) {
    return absl::DataLossError(absl::StrCat("event of type ", type, ": payload holds another event"));
  }
  return event;
}

}  // namespace

absl::string_view EventTypeOf(ChildCase event_case) { return TypeOf(kChildTypes, event_case); }
absl::string_view EventTypeOf(MentorCase event_case) { return TypeOf(kMentorTypes, event_case); }

std::string EncodeEvent(const google::protobuf::MessageLite& event) {
  std::string payload;
  event.SerializeToString(&payload);
  return payload;
}

absl::StatusOr<v1::ChildEvent> DecodeChildEvent(absl::string_view type, absl::string_view payload) {
  return Decode<v1::ChildEvent>(kChildTypes, type, payload);
}

absl::StatusOr<v1::MentorEvent> DecodeMentorEvent(absl::string_view type,
                                                  absl::string_view payload) {
  return Decode<v1::MentorEvent>(kMentorTypes, type, payload);
}

}  // namespace haven::children
