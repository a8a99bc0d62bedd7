// microhome_stats: each micro-home's record (ComplianceRecord) under "r/"
// stream, and counter rows by its unit and the CST day each fact was
// recorded (PROJECTIONS.md).  Balances (open, demonstration sites, titles
// held) are deltas summed from the first day; everything else counts facts.
#include <algorithm>
#include <memory>

#include "services/common/stats/counter_rows.h"
#include "services/common/stats/entry_projection.h"
#include "services/microhomes/domain/microhome_event_types.h"
#include "services/microhomes/projections/microhome_projections.h"

namespace haven::microhomes {
namespace {

// Counter ids of the 'n' rows; each a count or sum of facts recorded on the
// bucket's day unless it says delta.
enum Counter : uint32_t {
  kRegistered = 1,
  kClosed = 2,
  kOpenDelta = 3,
  kDesignated = 4,
  kWithdrawn = 5,
  kDemonstrationDelta = 6,
  kTitlesGranted = 7,
  kTitlesRecertified = 8,
  kTitlesRevoked = 9,
  kTitlesHeldDelta = 10,
  kRegisteredByKind = 100,  // + MicroHomeKind
  kOpenByKindDelta = 120,
  kActivities = 200,  // + ActivityKind
  kAttendance = 220,
  kGrantedByLevel = 300,  // + TitleLevel
  kHeldByLevelDelta = 320,
  kCounterIds = 400,
};

uint32_t Small(int value) { return value >= 0 && value < 20 ? static_cast<uint32_t>(value) : 0; }

bool Open(const v1::ComplianceRecord& r) { return !r.unit_id().empty() && !r.closed(); }

bool Demonstration(const v1::ComplianceRecord& r) {
  return r.spans_size() > 0 && !r.spans().rbegin()->has_end_day();
}

int64_t HeldAtLevel(const v1::ComplianceRecord& r, int level) {
  int64_t n = 0;
  for (const auto& t : r.titles()) {
    if (!t.has_revoked_recorded_day() && (level == 0 || t.level() == level)) ++n;
  }
  return n;
}

class MicroHomeStatsProjection final
    : public stats::EntryProjection<v1::MicroHomeEvent, v1::ComplianceRecord> {
 public:
  MicroHomeStatsProjection()
      : EntryProjection(MicroHomeEventTypes(), std::string(kMicroHomeEventTypePrefix), &FoldRecord,
                        "micro-home record") {}
  std::string name() const override { return kMicroHomeStatsNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::MicroHomeEvent& event,
                       const v1::ComplianceRecord& before, const v1::ComplianceRecord& after,
                       storage::NamespaceBatch& rows) const override {
    stats::CounterDeltas deltas("s/");
    const std::string& unit = after.unit_id();
    const stats::DayNumber day = stats::CstDayOf(recorded.recorded_time_us);
    auto count = [&](uint32_t id, int64_t delta = 1) {
      if (delta != 0) deltas.Add(unit, day, id, delta);
    };
    using E = v1::MicroHomeEvent;
    switch (event.event_case()) {
      case E::kRegistered:
        count(kRegistered);
        count(kRegisteredByKind + Small(after.kind()));
        break;
      case E::kClosed:
        count(kClosed);
        break;
      case E::kDemonstrationDesignated:
        count(kDesignated);
        break;
      case E::kDemonstrationWithdrawn:
        count(kWithdrawn);
        break;
      case E::kActivityRecorded:
        count(kActivities + Small(event.activity_recorded().activity_kind()));
        count(kAttendance + Small(event.activity_recorded().activity_kind()),
              event.activity_recorded().attendance());
        break;
      case E::kTitleGranted:
        count(kTitlesGranted);
        count(kGrantedByLevel + Small(event.title_granted().level()));
        break;
      case E::kTitleRecertified:
        count(kTitlesRecertified);
        break;
      case E::kTitleRevoked:
        count(kTitlesRevoked);
        break;
      case E::kHostChanged:
      case E::kExecutivePaired:
      case E::kExecutiveUnpaired:
      case E::EVENT_NOT_SET:
        break;
    }
    const int64_t open_delta = int64_t{Open(after)} - int64_t{Open(before)};
    count(kOpenDelta, open_delta);
    count(kOpenByKindDelta + Small(after.kind()), open_delta);
    count(kDemonstrationDelta, int64_t{Demonstration(after)} - int64_t{Demonstration(before)});
    count(kTitlesHeldDelta, HeldAtLevel(after, 0) - HeldAtLevel(before, 0));
    for (int level = 1; v1::TitleLevel_IsValid(level); ++level) {
      count(kHeldByLevelDelta + level, HeldAtLevel(after, level) - HeldAtLevel(before, level));
    }
    return deltas.Write(rows);
  }
};

}  // namespace

std::unique_ptr<storage::Projection> MakeMicroHomeStatsProjection() {
  return std::make_unique<MicroHomeStatsProjection>();
}

// microhome_list.cc
std::unique_ptr<storage::Projection> MakeMicroHomeListProjection();

std::vector<std::unique_ptr<storage::Projection>> MakeMicroHomeProjections() {
  std::vector<std::unique_ptr<storage::Projection>> projections;
  projections.push_back(MakeMicroHomeListProjection());
  projections.push_back(MakeMicroHomeStatsProjection());
  return projections;
}

absl::StatusOr<v1::MicroHomeStatistics> MicroHomeStatistics(
    const storage::ReadModelStore& store, const std::vector<std::string>& unit_ids,
    const stats::StatsPeriod& period) {
  stats::PeriodQuery query;
  query.unit_ids = unit_ids;
  query.from = period.from;
  query.to = period.to;
  query.as_of = period.as_of;
  query.ids = kCounterIds;
  absl::StatusOr<stats::PeriodSums> sums =
      stats::SumPeriod(store, kMicroHomeStatsNamespace, "s/", query);
  if (!sums.ok()) return sums.status();
  absl::StatusOr<v1::MicroHomeCompliance> compliance =
      MicroHomeCompliance(store, unit_ids, period, /*short_only=*/true);
  if (!compliance.ok()) return compliance.status();
  const stats::PeriodSums& s = *sums;
  v1::MicroHomeStatistics out;
  out.set_from_day(stats::DayText(period.from));
  out.set_to_day(stats::DayText(std::min(period.to, period.as_of)));
  out.set_as_of_day(stats::DayText(period.as_of));
  out.set_registered(s.During(kRegistered));
  out.set_closed(s.During(kClosed));
  out.set_open_at_end(s.AtEnd(kOpenDelta));
  for (int kind = 1; v1::MicroHomeKind_IsValid(kind); ++kind) {
    v1::KindCount* k = out.add_by_kind();
    k->set_kind(static_cast<v1::MicroHomeKind>(kind));
    k->set_registered(s.During(kRegisteredByKind + kind));
    k->set_open_at_end(s.AtEnd(kOpenByKindDelta + kind));
  }
  out.set_demonstration_designated(s.During(kDesignated));
  out.set_demonstration_withdrawn(s.During(kWithdrawn));
  out.set_demonstration_at_end(s.AtEnd(kDemonstrationDelta));
  for (int kind = 1; v1::ActivityKind_IsValid(kind); ++kind) {
    v1::ActivityCount* a = out.add_activities();
    a->set_activity_kind(static_cast<v1::ActivityKind>(kind));
    a->set_count(s.During(kActivities + kind));
    a->set_attendance(s.During(kAttendance + kind));
  }
  out.set_titles_granted(s.During(kTitlesGranted));
  out.set_titles_recertified(s.During(kTitlesRecertified));
  out.set_titles_revoked(s.During(kTitlesRevoked));
  out.set_titles_held_at_end(s.AtEnd(kTitlesHeldDelta));
  for (int level = 1; v1::TitleLevel_IsValid(level); ++level) {
    v1::LevelCount* l = out.add_titles_by_level();
    l->set_level(static_cast<v1::TitleLevel>(level));
    l->set_granted(s.During(kGrantedByLevel + level));
    l->set_held_at_end(s.AtEnd(kHeldByLevelDelta + level));
  }
  out.set_short_of_standard(compliance->short_of_standard());
  out.set_titles_due(compliance->titles_due_size());
  return out;
}

}  // namespace haven::microhomes
