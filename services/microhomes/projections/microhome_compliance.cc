// The compliance check (PROJECTIONS.md): each demonstration micro-home's
// record judged against the standard over the checked days, as of a day.
#include <algorithm>
#include <array>
#include <climits>
#include <tuple>

#include "services/common/stats/entry_projection.h"
#include "services/microhomes/domain/microhome_event_types.h"
#include "services/microhomes/projections/microhome_projections.h"

namespace haven::microhomes {
namespace {

using stats::DayNumber;

// Days from `a` to `b`, both included.
struct Days {
  DayNumber a;
  DayNumber b;
};

// The days of the period the home was a demonstration site, as the facts
// recorded by the end of period.as_of say, within [from, end].
std::vector<Days> DemonstrationDays(const v1::ComplianceRecord& record, DayNumber from,
                                    DayNumber end, DayNumber as_of) {
  std::vector<Days> out;
  for (const v1::ComplianceRecord::Span& span : record.spans()) {
    if (span.from_recorded_day() > as_of) continue;
    DayNumber last = INT_MAX;
    if (span.has_end_day() && span.end_recorded_day() <= as_of) last = span.end_day() - 1;
    const DayNumber a = std::max<DayNumber>(span.from_day(), from);
    const DayNumber b = std::min(last, end);
    if (a > b) continue;
    // Spans follow one another; one that starts the day after the last
    // ends continues it.
    if (!out.empty() && a <= out.back().b + 1) {
      out.back().b = std::max(out.back().b, b);
    } else {
      out.push_back({a, b});
    }
  }
  return out;
}

// Monday = 0 (day 0, 1970-01-01, was a Thursday).
int Weekday(DayNumber day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

// Calls fn(first, last) for each calendar period of the standard's kind
// lying wholly in [a, b].
template <typename Fn>
void ForEachPeriod(v1::ActivityKind kind, DayNumber a, DayNumber b, const Fn& fn) {
  switch (kind) {
    case v1::ACTIVITY_KIND_RECEPTION:
      for (DayNumber w = a + (7 - Weekday(a)) % 7; w + 6 <= b; w += 7) fn(w, w + 6);
      break;
    case v1::ACTIVITY_KIND_GATHERING:
      for (int32_t m = stats::MonthIndexOf(a); m <= stats::MonthIndexOf(b); ++m) {
        const DayNumber p1 = stats::FirstDayOfMonthIndex(m), p2 = stats::LastDayOfMonthIndex(m);
        if (p1 >= a && p2 <= b) fn(p1, p2);
      }
      break;
    case v1::ACTIVITY_KIND_ACTIVITY:
      for (int32_t q = stats::MonthIndexOf(a) / 3; q <= stats::MonthIndexOf(b) / 3; ++q) {
        const DayNumber p1 = stats::FirstDayOfMonthIndex(q * 3);
        const DayNumber p2 = stats::LastDayOfMonthIndex(q * 3 + 2);
        if (p1 >= a && p2 <= b) fn(p1, p2);
      }
      break;
    case v1::ACTIVITY_KIND_BANQUET:
      for (int32_t y = stats::YearOf(a); y <= stats::YearOf(b); ++y) {
        const DayNumber p1 = stats::FirstDayOfYear(y), p2 = stats::LastDayOfYear(y);
        if (p1 >= a && p2 <= b) fn(p1, p2);
      }
      break;
    default:
      break;
  }
}

v1::StandardCheck* CheckOf(v1::HomeCompliance* home, v1::ActivityKind kind) {
  switch (kind) {
    case v1::ACTIVITY_KIND_RECEPTION:
      return home->mutable_weekly_receptions();
    case v1::ACTIVITY_KIND_GATHERING:
      return home->mutable_monthly_gatherings();
    case v1::ACTIVITY_KIND_ACTIVITY:
      return home->mutable_quarterly_activities();
    default:
      return home->mutable_yearly_banquets();
  }
}

constexpr std::array<v1::ActivityKind, 4> kStandardKinds = {
    v1::ACTIVITY_KIND_RECEPTION, v1::ACTIVITY_KIND_GATHERING, v1::ACTIVITY_KIND_ACTIVITY,
    v1::ACTIVITY_KIND_BANQUET};

bool Meets(const v1::StandardCheck& check) { return check.met() == check.required(); }

}  // namespace

std::optional<v1::HomeCompliance> CheckHome(const v1::ComplianceRecord& record,
                                            const stats::StatsPeriod& period) {
  const DayNumber end = std::min(period.to, period.as_of);
  const std::vector<Days> days = DemonstrationDays(record, period.from, end, period.as_of);
  if (days.empty()) return std::nullopt;
  v1::HomeCompliance home;
  home.set_unit_id(record.unit_id());
  home.set_kind(record.kind());
  for (v1::ActivityKind kind : kStandardKinds) {
    std::vector<DayNumber> held;
    for (const v1::ComplianceRecord::Activity& a : record.activities()) {
      if (a.kind() == kind && a.recorded_day() <= period.as_of) held.push_back(a.held_day());
    }
    std::sort(held.begin(), held.end());
    v1::StandardCheck* check = CheckOf(&home, kind);
    for (const Days& d : days) {
      ForEachPeriod(kind, d.a, d.b, [&](DayNumber p1, DayNumber p2) {
        check->set_required(check->required() + 1);
        auto it = std::lower_bound(held.begin(), held.end(), p1);
        if (it != held.end() && *it <= p2) check->set_met(check->met() + 1);
      });
    }
  }
  home.set_meets_standard(Meets(home.weekly_receptions()) && Meets(home.monthly_gatherings()) &&
                          Meets(home.quarterly_activities()) && Meets(home.yearly_banquets()));
  return home;
}

void AddTitlesDue(const v1::ComplianceRecord& record, const stats::StatsPeriod& period,
                  std::vector<v1::TitleDue>* due) {
  constexpr DayNumber kWindowDays = 90;
  const DayNumber end = std::min(period.to, period.as_of);
  for (const v1::ComplianceRecord::Title& t : record.titles()) {
    if (t.expiries().empty() || t.expiries(0).recorded_day() > end) continue;
    if (t.has_revoked_recorded_day() && t.revoked_recorded_day() <= end) continue;
    DayNumber expires = 0;
    for (const v1::ComplianceRecord::Expiry& x : t.expiries()) {
      if (x.recorded_day() <= end) expires = x.expires_day();
    }
    if (expires > end + kWindowDays) continue;
    v1::TitleDue* d = &due->emplace_back();
    d->set_unit_id(record.unit_id());
    d->set_title_id(t.title_id());
    d->set_title(t.title());
    d->set_level(t.level());
    d->set_expires_day(stats::DayText(expires));
    d->set_lapsed(expires <= end);
  }
}

absl::StatusOr<v1::MicroHomeCompliance> MicroHomeCompliance(
    const storage::ReadModelStore& store, const std::vector<std::string>& unit_ids,
    const stats::StatsPeriod& period, bool short_only) {
  v1::MicroHomeCompliance out;
  out.set_from_day(stats::DayText(period.from));
  out.set_to_day(stats::DayText(std::min(period.to, period.as_of)));
  out.set_as_of_day(stats::DayText(period.as_of));
  std::vector<v1::HomeCompliance> homes;
  std::vector<v1::TitleDue> due;
  for (const std::string& unit : unit_ids) {
    absl::StatusOr<std::optional<std::string>> row =
        store.Get(kMicroHomeStatsNamespace, stats::EntryKey(MicroHomeStream(unit)));
    if (!row.ok()) return row.status();
    if (!row->has_value()) continue;
    v1::ComplianceRecord record;
    if (!record.ParseFromString(**row)) {
      return absl::DataLossError("microhome_stats: a stored record does not parse");
    }
    std::optional<v1::HomeCompliance> home = CheckHome(record, period);
    if (home) homes.push_back(std::move(*home));
    AddTitlesDue(record, period, &due);
  }
  std::sort(homes.begin(), homes.end(),
            [](const auto& a, const auto& b) { return a.unit_id() < b.unit_id(); });
  std::sort(due.begin(), due.end(), [](const v1::TitleDue& a, const v1::TitleDue& b) {
    return std::tie(a.expires_day(), a.unit_id(), a.title_id()) <
           std::tie(b.expires_day(), b.unit_id(), b.title_id());
  });
  out.set_demonstration_homes(static_cast<int32_t>(homes.size()));
  for (v1::HomeCompliance& home : homes) {
    if (!home.meets_standard()) out.set_short_of_standard(out.short_of_standard() + 1);
    if (short_only && home.meets_standard()) continue;
    *out.add_homes() = std::move(home);
  }
  for (v1::TitleDue& d : due) *out.add_titles_due() = std::move(d);
  return out;
}

}  // namespace haven::microhomes
