#include "services/children/service/children_access.h"

#include "absl/strings/str_cat.h"
#include "services/children/domain/children_event_types.h"

namespace haven::services {
namespace {

// The first event of `stream`, if there is one.
absl::StatusOr<std::optional<storage::RecordedEvent>> FirstEventOf(const storage::EventLog& log,
                                                                   const std::string& stream) {
  auto page = log.ReadStream(stream, 0, storage::Direction::kForwards, 1);
  if (page.status().code() == absl::StatusCode::kNotFound) return std::nullopt;
  if (!page.ok()) return page.status();
  if (page->events.empty()) return std::nullopt;
  return std::move(page->events.front());
}

absl::Status NotARegistration(const storage::RecordedEvent& event, const char* expected) {
  return absl::DataLossError(
      absl::StrCat("stream ", event.stream, " version 0: not a ", expected, " event"));
}

}  // namespace

absl::StatusOr<std::optional<std::string>> ChildUnitOf(const storage::EventLog& log,
                                                       const std::string& child_id) {
  auto first = FirstEventOf(log, child_id);
  if (!first.ok()) return first.status();
  if (!first->has_value()) return std::nullopt;
  auto event = children::DecodeChildEvent((*first)->type, (*first)->payload);
  if (!event.ok() || !event->has_registered()) {
    return NotARegistration(**first, "child.registered");
  }
  return event->registered().unit_id();
}

absl::StatusOr<std::optional<std::string>> MentorUnitOf(const storage::EventLog& log,
                                                        const std::string& mentor_id) {
  auto first = FirstEventOf(log, mentor_id);
  if (!first.ok()) return first.status();
  if (!first->has_value()) return std::nullopt;
  auto event = children::DecodeMentorEvent((*first)->type, (*first)->payload);
  if (!event.ok() || !event->has_registered()) {
    return NotARegistration(**first, "mentor.registered");
  }
  return event->registered().unit_id();
}

}  // namespace haven::services
