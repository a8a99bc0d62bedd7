// The common shape of the case projections: each keeps the CaseRecord of
// every case under "r/<stream>" in its own namespace, folds each case event
// into it, and derives its other rows from the record before and after.
//
// Thread safety: as storage::Projection (stateless; Apply is const).
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/projections/case_record.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::cases {

// The key of a case's record: "r/" then the stream name.
std::string RecordKey(std::string_view stream);

// Parses a stored record.  DATA_LOSS if it does not parse.
absl::Status ParseRecord(std::string_view bytes, rowpb::CaseRecord* record);

class CaseProjection : public storage::Projection {
 public:
  // Case events ("case." types), but for those of `ignored` kinds: events
  // that change nothing this projection keeps (its record included, once
  // Trim has cut it down).
  explicit CaseProjection(const std::vector<v1::CaseEvent::EventCase>& ignored = {});

  bool Wants(const storage::RecordedEvent& event) const override;

  // Decodes the event (DATA_LOSS if its payload is no CaseEvent of its
  // type), loads and folds the record, trims it, calls OnEvent, and stores
  // the record if it changed.  Events that cannot apply to the record (see
  // FoldCaseEvent) are skipped.
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const final;

 protected:
  // Clears the fields of a folded record this projection does not use, so
  // that events which only change those leave its record alone.  Default:
  // keeps everything.
  virtual void Trim(rowpb::CaseRecord* /*record*/) const {}

  // Writes the projection's own rows for `event`: `before` is the record as
  // it was (no case_id for CaseOpened), `after` as it is now, both trimmed.
  virtual absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::CaseEvent& event,
                               const rowpb::CaseRecord& before, const rowpb::CaseRecord& after,
                               storage::NamespaceBatch& rows) const = 0;

 private:
  std::vector<std::string> ignored_types_;  // sorted
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_
