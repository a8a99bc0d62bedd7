#include "services/cases/projections/case_summary.h"

#include <memory>
#include <tuple>

namespace haven::cases {
namespace {

std::string CaseKey(const std::string& case_id) { return "c/" + case_id; }

auto Tie(const CaseSummary& s) {
  return std::tie(s.case_id, s.stream, s.status, s.assignee, s.channel, s.category, s.subcategory,
                  s.urgency, s.priority, s.org_unit_id, s.risk, s.received_at_us, s.opened_at_us,
                  s.closed_at_us, s.resolution, s.satisfaction, s.reopen_count,
                  s.next_follow_up_due_us, s.pending_follow_ups, s.pending_referrals,
                  s.referrals_awaiting_acceptance, s.pending_mediations, s.in_shelter,
                  s.last_position, s.version, s.last_event_at_us);
}

}  // namespace

bool operator==(const CaseSummary& a, const CaseSummary& b) { return Tie(a) == Tie(b); }

std::unique_ptr<storage::Projection::Batch> CaseSummaryProjection::StartBatch(
    storage::NamespaceBatch& rows) const {
  class SummaryBatch final : public CaseBatch {
   public:
    using CaseBatch::CaseBatch;

   protected:
    void OnRecordChanged(const rowpb::CaseRecord* committed,
                         const rowpb::CaseRecord& now) override {
      if (committed == nullptr) rows().Put(CaseKey(now.case_id()), now.stream());
    }
  };
  return std::make_unique<SummaryBatch>(*this, rows);
}

CaseSummary SummaryFromRecord(const rowpb::CaseRecord& r) {
  CaseSummary s;
  s.case_id = r.case_id();
  s.stream = r.stream();
  s.status = r.closed() ? CaseStatus::kClosed : CaseStatus::kOpen;
  s.assignee = r.assignee();
  s.channel = static_cast<v1::Channel>(r.channel());
  s.category = static_cast<v1::Category>(r.category());
  s.subcategory = static_cast<v1::Subcategory>(r.subcategory());
  s.urgency = static_cast<v1::Urgency>(r.urgency());
  s.priority = r.priority();
  s.org_unit_id = r.org_unit_id();
  s.risk = static_cast<v1::RiskLevel>(r.risk());
  s.received_at_us = r.received_at_us();
  s.opened_at_us = r.opened_at_us();
  s.closed_at_us = r.closed_at_us();
  s.resolution = static_cast<v1::Resolution>(r.resolution());
  s.satisfaction = static_cast<v1::Satisfaction>(r.satisfaction());
  s.reopen_count = r.reopen_count();
  if (r.pending_follow_ups_size() > 0) s.next_follow_up_due_us = NextFollowUpDueUs(r);
  s.pending_follow_ups = r.pending_follow_ups_size();
  s.pending_referrals = r.open_referrals_size();
  s.referrals_awaiting_acceptance = AwaitingAcceptance(r);
  s.pending_mediations = r.pending_mediation_ids_size();
  s.in_shelter = r.in_shelter();
  s.last_position = r.last_position();
  s.version = r.version();
  s.last_event_at_us = r.last_event_at_us();
  return s;
}

absl::StatusOr<CaseSummary> CaseSummaryReader::GetSummary(const std::string& case_id,
                                                          const ReadOptions& read) const {
  if (absl::Status s = AwaitPosition(runner_, store_, kCaseSummaryNamespace, read); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<std::string>> stream =
      store_.Get(kCaseSummaryNamespace, CaseKey(case_id));
  if (!stream.ok()) return stream.status();
  if (!stream->has_value()) return absl::NotFoundError("case_not_found: no such case");
  absl::StatusOr<std::optional<std::string>> row =
      store_.Get(kCaseSummaryNamespace, RecordKey(**stream));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::NotFoundError("case_not_found: no such case");
  rowpb::CaseRecord record;
  if (absl::Status s = ParseRecord(**row, &record); !s.ok()) return s;
  return SummaryFromRecord(record);
}

}  // namespace haven::cases
