// The common shape of the case projections: each keeps the CaseRecord of
// every case under "r/<stream>" in its own namespace, folds each case event
// into it, and derives its other rows from the events (OnEvent) or from
// the record alone (OnRecordChanged).
//
// A batch (storage::Projection::Batch) keeps the records it touched in
// memory, decoded, and writes each changed one once, in Finish; rows that
// depend on the record alone are likewise derived once per case and batch,
// from the record as the batch found it and as it left it.
//
// Thread safety: as storage::Projection (the projection is stateless; a
// batch is used by one thread).
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
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

  // A batch of this one event.
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const final;

  // A CaseBatch.  Subclasses return their own.
  std::unique_ptr<Batch> StartBatch(storage::NamespaceBatch& rows) const override;

  // Clears the fields of a folded record this projection does not use, so
  // that events which only change those leave its record alone.  Default:
  // keeps everything.
  virtual void Trim(rowpb::CaseRecord* /*record*/) const {}

  // The batch of every case projection; subclasses extend it with their
  // rows.
  class CaseBatch : public Batch {
   public:
    CaseBatch(const CaseProjection& projection, storage::NamespaceBatch& rows)
        : projection_(projection), rows_(rows) {}

    // Decodes the event (DATA_LOSS if its payload is no CaseEvent of its
    // type), loads its case's record (DATA_LOSS if it does not parse),
    // folds and trims it, and calls OnEvent.  Events that cannot apply to
    // the record (see FoldCaseEvent) are skipped.
    absl::Status Apply(const storage::RecordedEvent& event) final;

    // For each case whose trimmed record changed in the batch: calls
    // OnRecordChanged and stores the record.  Then FinishRows.
    absl::Status Finish() final;

   protected:
    // True if the batch overrides OnEvent.  Without it, Apply folds each
    // event into the record in place, with no copy of the record before.
    virtual bool UsesEvents() const { return false; }
    // The rows that depend on the event, for each event folded in: `before`
    // is the record as it was (no case_id for CaseOpened), `after` as it is
    // now, both trimmed.  Must change the batch's state only when it
    // returns OK (see Batch::Apply).  Default: nothing.
    virtual absl::Status OnEvent(const storage::RecordedEvent& /*recorded*/,
                                 const v1::CaseEvent& /*event*/,
                                 const rowpb::CaseRecord& /*before*/,
                                 const rowpb::CaseRecord& /*after*/) {
      return absl::OkStatus();
    }
    // The rows that depend on the record alone, at Finish, for each case
    // whose record the batch changed: `committed` is the record as the batch
    // found it (nullptr for a case new to the namespace), `now` as it is.
    // Default: nothing.
    virtual void OnRecordChanged(const rowpb::CaseRecord* /*committed*/,
                                 const rowpb::CaseRecord& /*now*/) {}
    // Writes what OnEvent kept, after every OnRecordChanged.  Default:
    // nothing.
    virtual absl::Status FinishRows() { return absl::OkStatus(); }

    storage::NamespaceBatch& rows() { return rows_; }

   private:
    struct Record {
      std::optional<std::string> stored;  // The committed bytes, if any.
      rowpb::CaseRecord committed;        // Parsed from them.
      rowpb::CaseRecord current;
      bool folded = false;  // An event was folded in.
    };

    // The record of `stream`, loaded on first use.
    absl::StatusOr<Record*> Load(const std::string& stream);

    const CaseProjection& projection_;
    storage::NamespaceBatch& rows_;
    absl::node_hash_map<std::string, Record> records_;  // By stream.
  };

 private:
  std::vector<std::string> ignored_types_;  // sorted
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTION_H_
