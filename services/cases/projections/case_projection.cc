#include "services/cases/projections/case_projection.h"

#include <algorithm>
#include <utility>

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
  std::unique_ptr<Batch> batch = StartBatch(rows);
  if (absl::Status s = batch->Apply(event); !s.ok()) return s;
  return batch->Finish();
}

std::unique_ptr<storage::Projection::Batch> CaseProjection::StartBatch(
    storage::NamespaceBatch& rows) const {
  return std::make_unique<CaseBatch>(*this, rows);
}

absl::StatusOr<CaseProjection::CaseBatch::Record*> CaseProjection::CaseBatch::Load(
    const std::string& stream) {
  if (auto it = records_.find(stream); it != records_.end()) return &it->second;
  absl::StatusOr<std::optional<std::string>> stored = rows_.Get(RecordKey(stream));
  if (!stored.ok()) return stored.status();
  Record record;
  if (stored->has_value()) {
    if (absl::Status s = ParseRecord(**stored, &record.committed); !s.ok()) return s;
    record.current = record.committed;
  }
  record.stored = std::move(*stored);
  return &records_.emplace(stream, std::move(record)).first->second;
}

absl::Status CaseProjection::CaseBatch::Apply(const storage::RecordedEvent& event) {
  absl::StatusOr<v1::CaseEvent> decoded = DecodeCaseEvent(event.type, event.payload);
  if (!decoded.ok()) return decoded.status();
  absl::StatusOr<Record*> record = Load(event.stream);
  if (!record.ok()) return record.status();
  if (!UsesEvents()) {
    // Nothing can fail past this point, and FoldCaseEvent leaves a record
    // it cannot fold the event into alone.
    if (!FoldCaseEvent(event, *decoded, &(*record)->current)) return absl::OkStatus();
    projection_.Trim(&(*record)->current);
    (*record)->folded = true;
    return absl::OkStatus();
  }
  rowpb::CaseRecord after = (*record)->current;
  if (!FoldCaseEvent(event, *decoded, &after)) return absl::OkStatus();
  projection_.Trim(&after);
  if (absl::Status s = OnEvent(event, *decoded, (*record)->current, after); !s.ok()) return s;
  (*record)->current = std::move(after);
  (*record)->folded = true;
  return absl::OkStatus();
}

absl::Status CaseProjection::CaseBatch::Finish() {
  for (auto& [stream, record] : records_) {
    if (!record.folded) continue;
    std::string bytes = SerializeDeterministic(record.current);
    // The other rows follow from the record: unchanged record, unchanged rows.
    if (record.stored.has_value() && *record.stored == bytes) continue;
    OnRecordChanged(record.stored.has_value() ? &record.committed : nullptr, record.current);
    rows_.Put(RecordKey(stream), bytes);
  }
  return FinishRows();
}

}  // namespace haven::cases
