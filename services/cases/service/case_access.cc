#include "services/cases/service/case_access.h"

#include "absl/strings/str_cat.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/service/case_ids.h"

namespace haven::services {

absl::StatusOr<std::optional<std::string>> CaseUnitOf(const storage::EventLog& log,
                                                      const std::string& case_id) {
  auto page = log.ReadStream(CaseStream(case_id), 0, storage::Direction::kForwards, 1);
  if (page.status().code() == absl::StatusCode::kNotFound) return std::nullopt;
  if (!page.ok()) return page.status();
  if (page->events.empty()) return std::nullopt;
  const storage::RecordedEvent& first = page->events.front();
  auto event = cases::DecodeCaseEvent(first.type, first.payload);
  if (!event.ok() || !event->has_opened()) {
    return absl::DataLossError(
        absl::StrCat("stream ", first.stream, " version 0: not a case.opened event"));
  }
  return event->opened().org_unit_id();
}

}  // namespace haven::services
