// project_stats: each project's record (ProjectRecord) under "r/" project id
// and "p/" unit 0x00 project id, and counter rows by its unit and the CST
// day each fact was recorded (PROJECTIONS.md).  Balances (active projects
// and their budget) are deltas summed from the first day; everything else
// counts facts.
#include <algorithm>
#include <memory>
#include <set>
#include <tuple>

#include "services/common/stats/counter_rows.h"
#include "services/common/stats/entry_projection.h"
#include "services/common/stats/unit_list.h"
#include "services/projects/domain/project_event_types.h"
#include "services/projects/projections/project_projections.h"

namespace haven::projects {
namespace {

constexpr char kUnitRecords[] = "p/";

enum Counter : uint32_t {
  kRegistered = 1,
  kBudgetRegistered = 2,
  kStarted = 3,
  kAccepted = 4,
  kActiveDelta = 5,
  kActiveBudgetDelta = 6,
  kSpendings = 7,
  kSpentFen = 8,
  kBeneficiaries = 9,
  kEvaluations = 10,
  kRegisteredBySource = 100,  // + FundingSource
  kBudgetBySource = 120,
  kActiveBySourceDelta = 140,
  kCounterIds = 200,
};

uint32_t Small(int value) { return value >= 0 && value < 20 ? static_cast<uint32_t>(value) : 0; }

bool Active(const v1::ProjectRecord& r) {
  return !r.project_id().empty() && !r.has_accepted_day();
}

class ProjectStatsProjection final
    : public stats::EntryProjection<v1::ProjectEvent, v1::ProjectRecord> {
 public:
  ProjectStatsProjection()
      : EntryProjection(ProjectEventTypes(), std::string(kProjectEventTypePrefix), &FoldRecord,
                        "project record") {}
  std::string name() const override { return kProjectStatsNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::ProjectEvent& event,
                       const v1::ProjectRecord& before, const v1::ProjectRecord& after,
                       storage::NamespaceBatch& rows) const override {
    stats::CounterDeltas deltas("s/");
    const std::string& unit = after.unit_id();
    const stats::DayNumber day = stats::CstDayOf(recorded.recorded_time_us);
    auto count = [&](uint32_t id, int64_t delta = 1) {
      if (delta != 0) deltas.Add(unit, day, id, delta);
    };
    const uint32_t source = Small(after.funding_source());
    using E = v1::ProjectEvent;
    switch (event.event_case()) {
      case E::kRegistered:
        count(kRegistered);
        count(kBudgetRegistered, after.budget_fen());
        count(kRegisteredBySource + source);
        count(kBudgetBySource + source, after.budget_fen());
        break;
      case E::kStarted:
        count(kStarted);
        break;
      case E::kAccepted:
        count(kAccepted);
        break;
      case E::kSpendingRecorded:
        count(kSpendings);
        count(kSpentFen, event.spending_recorded().amount_fen());
        break;
      case E::kBeneficiariesReported:
        count(kBeneficiaries, event.beneficiaries_reported().beneficiaries());
        break;
      case E::kEvaluationRecorded:
        count(kEvaluations);
        break;
      case E::EVENT_NOT_SET:
        break;
    }
    const int64_t active = int64_t{Active(after)} - int64_t{Active(before)};
    count(kActiveDelta, active);
    count(kActiveBudgetDelta, active * after.budget_fen());
    count(kActiveBySourceDelta + source, active);
    rows.Put(stats::ListUnitPrefix(kUnitRecords, unit) + after.project_id(),
             after.SerializeAsString());
    return deltas.Write(rows);
  }
};

}  // namespace

std::unique_ptr<storage::Projection> MakeProjectStatsProjection() {
  return std::make_unique<ProjectStatsProjection>();
}

// project_list.cc
std::unique_ptr<storage::Projection> MakeProjectListProjection();

std::vector<std::unique_ptr<storage::Projection>> MakeProjectProjections() {
  std::vector<std::unique_ptr<storage::Projection>> projections;
  projections.push_back(MakeProjectListProjection());
  projections.push_back(MakeProjectStatsProjection());
  return projections;
}

absl::StatusOr<v1::ProjectStatistics> ProjectStatistics(const storage::ReadModelStore& store,
                                                        const std::vector<std::string>& unit_ids,
                                                        const stats::StatsPeriod& period) {
  stats::PeriodQuery query;
  query.unit_ids = unit_ids;
  query.from = period.from;
  query.to = period.to;
  query.as_of = period.as_of;
  query.ids = kCounterIds;
  absl::StatusOr<stats::PeriodSums> sums =
      stats::SumPeriod(store, kProjectStatsNamespace, "s/", query);
  if (!sums.ok()) return sums.status();
  const stats::PeriodSums& s = *sums;
  const stats::DayNumber end = std::min(period.to, period.as_of);
  v1::ProjectStatistics out;
  out.set_from_day(stats::DayText(period.from));
  out.set_to_day(stats::DayText(end));
  out.set_as_of_day(stats::DayText(period.as_of));
  out.set_registered(s.During(kRegistered));
  out.set_budget_fen(s.During(kBudgetRegistered));
  for (int source = 1; v1::FundingSource_IsValid(source); ++source) {
    v1::SourceCount* c = out.add_by_source();
    c->set_funding_source(static_cast<v1::FundingSource>(source));
    c->set_registered(s.During(kRegisteredBySource + source));
    c->set_budget_fen(s.During(kBudgetBySource + source));
    c->set_active_at_end(s.AtEnd(kActiveBySourceDelta + source));
  }
  out.set_started(s.During(kStarted));
  out.set_accepted(s.During(kAccepted));
  out.set_active_at_end(s.AtEnd(kActiveDelta));
  out.set_active_budget_fen_at_end(s.AtEnd(kActiveBudgetDelta));
  out.set_spendings(s.During(kSpendings));
  out.set_spent_fen(s.During(kSpentFen));
  out.set_spent_fen_at_end(s.AtEnd(kSpentFen));
  out.set_beneficiaries(s.During(kBeneficiaries));
  out.set_beneficiaries_at_end(s.AtEnd(kBeneficiaries));
  out.set_evaluations_recorded(s.During(kEvaluations));
  // The records: townships reached, and the evaluation schedule.
  std::set<std::string> townships;
  for (const std::string& unit : unit_ids) {
    const std::string prefix = stats::ListUnitPrefix(kUnitRecords, unit);
    storage::ScanOptions options;
    options.prefix = prefix;
    options.start = prefix;
    options.limit = 10'000;
    absl::StatusOr<std::vector<storage::KeyValue>> rows =
        store.Scan(kProjectStatsNamespace, options);
    if (!rows.ok()) return rows.status();
    for (const storage::KeyValue& row : *rows) {
      v1::ProjectRecord record;
      if (!record.ParseFromString(row.value)) {
        return absl::DataLossError("project_stats: a stored record does not parse");
      }
      for (const auto& t : record.townships()) {
        if (t.recorded_day() <= end) townships.insert(t.unit_id());
      }
      AddEvaluationsDue(record, period, &out);
    }
  }
  out.set_townships_covered_at_end(static_cast<int64_t>(townships.size()));
  std::sort(out.mutable_late()->begin(), out.mutable_late()->end(),
            [](const v1::LateEvaluation& a, const v1::LateEvaluation& b) {
              return std::make_tuple(a.due_day(), a.project_id(), static_cast<int>(a.stage())) <
                     std::make_tuple(b.due_day(), b.project_id(), static_cast<int>(b.stage()));
            });
  return out;
}

}  // namespace haven::projects
