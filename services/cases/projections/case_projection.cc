#include "services/cases/projections/case_projection.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/projections/row_codec.h"

namespace haven::cases {

std::string RecordKey(std::string_view stream) {
  std::string key = "r/";
  key.append(stream);
  return key;
}

absl::Status ParseRecord(std::string_view bytes, rowpb::CaseRecord* record) {
  if (!record->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("case projection: a stored case record does not parse");
  }
  return absl::OkStatus();
}

CaseProjection::CaseProjection(const std::vector<v1::CaseEvent::EventCase>& ignored) {
  for (v1::CaseEvent::EventCase event_case : ignored) {
    ignored_types_.emplace_back(EventTypeOf(event_case));
  }
  std::sort(ignored_types_.begin(), ignored_types_.end());
}

bool CaseProjection::Wants(const storage::RecordedEvent& event) const {
  return absl::StartsWith(event.type, kCaseEventTypePrefix) &&
         !std::binary_search(ignored_types_.begin(), ignored_types_.end(), event.type);
}

absl::Status CaseProjection::Apply(const storage::RecordedEvent& event,
                                   storage::NamespaceBatch& rows) const {
  absl::StatusOr<v1::CaseEvent> decoded = DecodeCaseEvent(event.type, event.payload);
  if (!decoded.ok()) return decoded.status();
  const std::string key = RecordKey(event.stream);
  absl::StatusOr<std::optional<std::string>> stored = rows.Get(key);
  if (!stored.ok()) return stored.status();
  rowpb::CaseRecord before;
  if (stored->has_value()) {
    if (absl::Status s = ParseRecord(**stored, &before); !s.ok()) return s;
  }
  rowpb::CaseRecord after = before;
  if (!FoldCaseEvent(event, *decoded, &after)) return absl::OkStatus();
  Trim(&after);
  if (absl::Status s = OnEvent(event, *decoded, before, after, rows); !s.ok()) return s;
  std::string bytes = SerializeDeterministic(after);
  if (!stored->has_value() || **stored != bytes) rows.Put(key, bytes);
  return absl::OkStatus();
}

}  // namespace haven::cases
