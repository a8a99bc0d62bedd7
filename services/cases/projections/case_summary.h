// The case_summary projection and its query: one row per case with what a
// case screen shows at a glance.
//
// Rows (namespace "case_summary"; PROJECTIONS.md):
//   "r/" stream   -> CaseRecord (case_rows.proto), the summary itself
//   "c/" case_id  -> the case's stream name
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_SUMMARY_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_SUMMARY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"
#include "services/cases/projections/case_projection.h"
#include "services/cases/projections/read_options.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::cases {

inline constexpr char kCaseSummaryNamespace[] = "case_summary";

class CaseSummaryProjection : public CaseProjection {
 public:
  std::string name() const override { return kCaseSummaryNamespace; }

  // Writes "c/" case_id for each case new to the namespace.
  std::unique_ptr<Batch> StartBatch(storage::NamespaceBatch& rows) const override;
};

struct CaseSummary {
  std::string case_id;
  std::string stream;
  CaseStatus status = CaseStatus::kOpen;
  std::string assignee;  // operator id; empty if unassigned
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Subcategory subcategory = v1::SUBCATEGORY_UNSPECIFIED;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  bool priority = false;
  std::string org_unit_id;
  v1::RiskLevel risk = v1::RISK_LEVEL_UNSPECIFIED;
  // µs since the Unix epoch, UTC.  closed_at_us: the last closure, 0 if
  // never closed (a reopened case keeps it).
  int64_t received_at_us = 0;
  int64_t opened_at_us = 0;
  int64_t closed_at_us = 0;
  v1::Resolution resolution = v1::RESOLUTION_UNSPECIFIED;        // last closure
  v1::Satisfaction satisfaction = v1::SATISFACTION_UNSPECIFIED;  // last closure
  int reopen_count = 0;
  // The earliest due time of the follow-ups not done, if any.
  std::optional<int64_t> next_follow_up_due_us;
  int pending_follow_ups = 0;
  // Referrals made or accepted without an outcome; of them, those the
  // partner has not yet accepted (or declined).
  int pending_referrals = 0;
  int referrals_awaiting_acceptance = 0;
  int pending_mediations = 0;  // scheduled without a final outcome
  bool in_shelter = false;
  // The last event folded in: log position, stream version, recorded time.
  uint64_t last_position = 0;
  uint64_t version = 0;
  int64_t last_event_at_us = 0;

  friend bool operator==(const CaseSummary& a, const CaseSummary& b);
};

CaseSummary SummaryFromRecord(const rowpb::CaseRecord& record);

// Reads case summaries.  Thread safety: const methods may be called
// concurrently.  The store (and the runner, if given) must outlive it.
class CaseSummaryReader {
 public:
  // `runner` (optional) is waited on for ReadOptions::min_position.
  explicit CaseSummaryReader(const storage::ReadModelStore& store,
                             const storage::ProjectionRunner* runner = nullptr)
      : store_(store), runner_(runner) {}

  // The case's summary.  NOT_FOUND if the projection knows no such case;
  // errors of AwaitPosition; DATA_LOSS for a row that does not parse.
  absl::StatusOr<CaseSummary> GetSummary(const std::string& case_id,
                                         const ReadOptions& read = {}) const;

 private:
  const storage::ReadModelStore& store_;
  const storage::ProjectionRunner* const runner_;
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_SUMMARY_H_
