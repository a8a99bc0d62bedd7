#include "services/loans/projections/loan_projection_base.h"

#include "absl/strings/match.h"
#include "services/loans/domain/loan_event_types.h"
#include "services/loans/projections/loan_projections.h"

namespace haven::loans {

std::string EntryKey(const std::string& loan_id) { return "r/" + loan_id; }

bool LoanProjection::Wants(const storage::RecordedEvent& event) const {
  return absl::StartsWith(event.type, kLoanEventTypePrefix);
}

absl::Status LoanProjection::Apply(const storage::RecordedEvent& recorded,
                                   storage::NamespaceBatch& rows) const {
  absl::StatusOr<v1::LoanEvent> event = DecodeLoanEvent(recorded.type, recorded.payload);
  if (!event.ok()) return event.status();
  const std::string key = EntryKey(recorded.stream);
  absl::StatusOr<std::optional<std::string>> stored = rows.Get(key);
  if (!stored.ok()) return stored.status();
  v1::LoanListEntry before;
  if (stored->has_value() && !before.ParseFromString(**stored)) {
    return absl::DataLossError("loan projection: a stored loan entry does not parse");
  }
  v1::LoanListEntry after = before;
  if (!FoldListEntry(recorded, *event, &after)) return absl::OkStatus();
  if (absl::Status s = OnEvent(recorded, *event, before, after, rows); !s.ok()) return s;
  // No map fields: the serialization is deterministic.
  rows.Put(key, after.SerializeAsString());
  return absl::OkStatus();
}

}  // namespace haven::loans
