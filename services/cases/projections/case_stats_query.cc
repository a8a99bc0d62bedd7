#include "services/cases/projections/case_stats_query.h"

#include <algorithm>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/cases/projections/case_stats_keys.h"
#include "services/cases/projections/case_stats_projection.h"
#include "services/cases/projections/cst_days.h"
#include "services/cases/projections/row_codec.h"
#include "storage/validation.h"

namespace haven::cases {
namespace {

namespace c = stats_counters;
using stats_keys::BucketRange;
using stats_keys::Family;

// Dense sums: every 'n' counter id is below kCounterIds, every 'p' one below
// kPartnerCounterIds.
constexpr size_t kCounterIds = 16384;
constexpr size_t kPartnerCounterIds = 4096;
using Dense = std::vector<int64_t>;

// The sums one query needs, over every unit.
struct Sums {
  Dense before = Dense(kCounterIds);      // 'n' up to the day before the period (or as-of day)
  Dense during = Dense(kCounterIds);      // 'n' over the period
  int64_t cohort_closed = 0;              // 'k' over the period, entries up to the as-of day
  std::map<std::string, Dense> partners;  // 'p' over the period
};

absl::Status Corrupt() { return absl::DataLossError("case_stats: a counter row does not parse"); }

// Adds the rows of one unit to `sums`: 'n' rows of `before` and `during`,
// 'k' and 'p' rows of `during`.
absl::Status SumUnit(const storage::ReadModelStore& store, const std::string& unit,
                     const std::vector<BucketRange>& before, const std::vector<BucketRange>& during,
                     uint32_t cohort_max_day, Sums* sums) {
  std::vector<BucketRange> all = before;
  all.insert(all.end(), during.begin(), during.end());
  const std::string prefix = stats_keys::UnitPrefix(unit);
  for (const BucketRange& range : stats_keys::MergeForScan(std::move(all))) {
    storage::ScanOptions options;
    options.start = stats_keys::RangeStart(prefix, range);
    options.end = stats_keys::RangeEnd(prefix, range);
    options.limit = storage::ScanOptions::kNoLimit;
    absl::StatusOr<std::vector<storage::KeyValue>> rows = store.Scan(kCaseStatsNamespace, options);
    if (!rows.ok()) return rows.status();
    for (const storage::KeyValue& row : *rows) {
      stats_keys::BucketKeyParts key;
      if (!stats_keys::ParseBucketKey(std::string_view(row.key).substr(prefix.size()), &key)) {
        return Corrupt();
      }
      const bool in_period = stats_keys::Contains(during, key.granularity, key.period);
      bool ok = true;
      switch (key.family) {
        case Family::kCounters:
          if (in_period) {
            ok = AddEncodedCounters(row.value, &sums->during);
          } else if (stats_keys::Contains(before, key.granularity, key.period)) {
            ok = AddEncodedCounters(row.value, &sums->before);
          }
          break;
        case Family::kCohort:
          if (in_period) ok = SumEncodedCounters(row.value, cohort_max_day, &sums->cohort_closed);
          break;
        case Family::kPartner:
          if (in_period) {
            auto [it, added] = sums->partners.try_emplace(std::string(key.tail));
            if (added) it->second.resize(kPartnerCounterIds);
            ok = AddEncodedCounters(row.value, &it->second);
          }
          break;
      }
      if (!ok) return Corrupt();
    }
  }
  return absl::OkStatus();
}

int64_t Get(const Dense& m, uint32_t id) { return id < m.size() ? m[id] : 0; }

// The counters [base, base + 100) as an enum-keyed map of non-zero values.
template <typename Enum>
std::map<Enum, int64_t> ByEnum(const Dense& m, uint32_t base) {
  std::map<Enum, int64_t> out;
  for (uint32_t id = base; id < base + 100; ++id) {
    if (Get(m, id) != 0) out[static_cast<Enum>(id - base)] = Get(m, id);
  }
  return out;
}

template <typename Enum>
std::map<Enum, int64_t> ByEnum(const Dense& a, const Dense& b, uint32_t base) {
  std::map<Enum, int64_t> out;
  for (uint32_t id = base; id < base + 100; ++id) {
    const int64_t sum = Get(a, id) + Get(b, id);
    if (sum != 0) out[static_cast<Enum>(id - base)] = sum;
  }
  return out;
}

std::map<int64_t, int64_t> Histogram(const Dense& m, uint32_t base, uint32_t max) {
  std::map<int64_t, int64_t> out;
  for (uint32_t id = base; id <= base + max; ++id) {
    if (Get(m, id) != 0) out[id - base] = Get(m, id);
  }
  return out;
}

std::optional<double> Median(const std::map<int64_t, int64_t>& histogram) {
  int64_t n = 0;
  for (const auto& [value, count] : histogram) n += count;
  if (n <= 0) return std::nullopt;
  const int64_t lower_rank = (n + 1) / 2;  // 1-based
  const int64_t upper_rank = n / 2 + 1;
  std::optional<int64_t> lower, upper;
  int64_t seen = 0;
  for (const auto& [value, count] : histogram) {
    seen += count;
    if (!lower && seen >= lower_rank) lower = value;
    if (!upper && seen >= upper_rank) {
      upper = value;
      break;
    }
  }
  return (static_cast<double>(*lower) + static_cast<double>(*upper)) / 2;
}

std::optional<double> Rate(int64_t numerator, int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

PartnerReferralStats PartnerStats(const std::string& partner_id, const Dense& m) {
  PartnerReferralStats p;
  p.partner_id = partner_id;
  p.made = Get(m, c::kPartnerMade);
  p.accepted = Get(m, c::kPartnerAccepted);
  p.declined = Get(m, c::kPartnerDeclined);
  p.outcomes = ByEnum<v1::ReferralOutcome>(m, c::kPartnerOutcomeBase);
  p.outcomes.erase(v1::REFERRAL_OUTCOME_UNSPECIFIED);
  int64_t most = 0;
  for (const auto& [type, count] : ByEnum<v1::PartnerType>(m, c::kPartnerTypeBase)) {
    if (count > most) {
      most = count;
      p.partner_type = type;
    }
  }
  p.seconds_to_acceptance_sum = Get(m, c::kPartnerAcceptSecondsSum);
  p.hours_to_acceptance_histogram =
      Histogram(m, c::kPartnerAcceptHoursHistogram, c::kMaxAcceptHours);
  if (p.accepted > 0) {
    p.mean_hours_to_acceptance =
        static_cast<double>(p.seconds_to_acceptance_sum) / 3600.0 / static_cast<double>(p.accepted);
  }
  p.median_hours_to_acceptance = Median(p.hours_to_acceptance_histogram);
  return p;
}

CaseStatistics Compute(const Sums& s) {
  CaseStatistics r;
  const Dense& d = s.during;
  r.opened = Get(d, c::kOpened);
  r.opened_by_channel = ByEnum<v1::Channel>(d, c::kOpenedByChannel);
  r.opened_by_category = ByEnum<v1::Category>(d, c::kOpenedByCategory);
  r.closed = Get(d, c::kClosed);
  r.closed_by_channel = ByEnum<v1::Channel>(d, c::kClosedByChannel);
  r.closed_by_category = ByEnum<v1::Category>(d, c::kClosedByCategory);
  r.closed_by_resolution = ByEnum<v1::Resolution>(d, c::kClosedByResolution);
  r.closed_by_satisfaction = ByEnum<v1::Satisfaction>(d, c::kClosedBySatisfaction);
  r.reopened = Get(d, c::kReopened);

  r.open_at_start = Get(s.before, c::kOpenDelta);
  r.open_at_end = r.open_at_start + Get(d, c::kOpenDelta);
  r.open_at_end_by_channel = ByEnum<v1::Channel>(s.before, d, c::kOpenDeltaByChannel);
  r.open_at_end_by_category = ByEnum<v1::Category>(s.before, d, c::kOpenDeltaByCategory);
  r.cases_at_end = Get(s.before, c::kOpened) + r.opened;
  r.closed_at_end = r.cases_at_end - r.open_at_end;

  r.opened_closed = s.cohort_closed;
  r.closure_rate = Rate(r.opened_closed, r.opened);

  r.days_to_close_histogram = Histogram(d, c::kDaysToCloseHistogram, c::kMaxHistogramDays);
  r.median_days_to_close = Median(r.days_to_close_histogram);
  if (r.closed > 0) {
    r.mean_days_to_close =
        static_cast<double>(Get(d, c::kDaysToCloseSum)) / static_cast<double>(r.closed);
  }
  const int64_t satisfied = Get(d, c::kClosedBySatisfaction + v1::SATISFACTION_SATISFIED) +
                            Get(d, c::kClosedBySatisfaction + v1::SATISFACTION_BASICALLY_SATISFIED);
  r.satisfaction_rate =
      Rate(satisfied, r.closed - Get(d, c::kClosedBySatisfaction + v1::SATISFACTION_UNSPECIFIED));

  r.overdue_follow_ups_at_end = Get(s.before, c::kOverdueDelta) + Get(d, c::kOverdueDelta);
  r.follow_ups_scheduled = Get(d, c::kFollowUpsScheduled);
  r.follow_ups_done = Get(d, c::kFollowUpsDone);

  r.mediations_scheduled = Get(d, c::kMediationsScheduled);
  r.mediation_outcomes = ByEnum<v1::MediationOutcome>(d, c::kMediationsByOutcome);
  const int64_t agreed = Get(d, c::kMediationsByOutcome + v1::MEDIATION_OUTCOME_AGREEMENT) +
                         Get(d, c::kMediationsByOutcome + v1::MEDIATION_OUTCOME_PARTIAL);
  r.mediation_success_rate =
      Rate(agreed, agreed + Get(d, c::kMediationsByOutcome + v1::MEDIATION_OUTCOME_FAILED));
  r.agreements_kept = Get(d, c::kAgreementsKept);
  r.agreements_broken = Get(d, c::kAgreementsBroken);

  r.referrals_made = Get(d, c::kReferralsMade);
  r.referrals_accepted = Get(d, c::kReferralsAccepted);
  r.referrals_declined = Get(d, c::kReferralsDeclined);
  r.referral_outcomes = Get(d, c::kReferralOutcomes);
  r.referrals_made_by_partner_type = ByEnum<v1::PartnerType>(d, c::kReferralsMadeByPartnerType);
  for (const auto& [partner_id, counters] : s.partners) {
    PartnerReferralStats p = PartnerStats(partner_id, counters);
    if (p.made != 0 || p.accepted != 0 || p.declined != 0 || !p.outcomes.empty()) {
      r.partners.push_back(std::move(p));
    }
  }

  r.protection_orders_applied = Get(d, c::kOrdersApplied);
  r.protection_orders_applied_emergency = Get(d, c::kOrdersAppliedEmergency);
  r.protection_orders_granted = Get(d, c::kOrdersGranted);
  r.protection_orders_denied = Get(d, c::kOrdersDenied);
  r.shelter_admissions = Get(d, c::kShelterAdmissions);
  r.shelter_discharges = Get(d, c::kShelterDischarges);
  r.dv_alarms = Get(d, c::kDvAlarms);
  r.warning_letters = Get(d, c::kWarningLetters);
  r.injury_assessments = Get(d, c::kInjuryAssessments);
  r.assistance_grants = Get(d, c::kAssistanceGrants);
  r.assistance_fen = Get(d, c::kAssistanceFen);
  return r;
}

absl::StatusOr<std::vector<std::string>> QueryUnits(const StatisticsQuery& query,
                                                    services::DirectoryView* directory) {
  std::vector<std::string> units;
  if (!query.unit_subtree.empty()) {
    if (directory == nullptr) {
      return absl::FailedPreconditionError(
          "unit_subtree: this reader has no directory to expand a subtree");
    }
    absl::StatusOr<std::vector<std::string>> subtree = directory->Subtree(query.unit_subtree);
    if (!subtree.ok()) return subtree.status();
    units = std::move(*subtree);
  } else if (!query.unit_ids.empty()) {
    units = query.unit_ids;
  } else {
    return absl::InvalidArgumentError("unit_subtree: a unit subtree or unit ids are required");
  }
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  return units;
}

}  // namespace

absl::StatusOr<CaseStatistics> CaseStatsReader::Statistics(const StatisticsQuery& query,
                                                           const ReadOptions& read) const {
  if (query.to_day < query.from_day) {
    return absl::InvalidArgumentError("to_day: before from_day");
  }
  absl::StatusOr<std::vector<std::string>> units = QueryUnits(query, directory_);
  if (!units.ok()) return units.status();
  if (absl::Status s = AwaitPosition(runner_, store_, kCaseStatsNamespace, read); !s.ok()) {
    return s;
  }
  const DayNumber from = ToDayNumber(query.from_day);
  const DayNumber as_of = ToDayNumber(query.as_of_day.value_or(query.to_day));
  const DayNumber to = std::min(ToDayNumber(query.to_day), as_of);
  const DayNumber start = std::min(from - 1, as_of);
  const auto before_ranges = stats_keys::Decompose(stats_keys::FirstBucketDay(), start);
  const auto period_ranges = stats_keys::Decompose(from, to);
  const uint32_t cohort_max = static_cast<uint32_t>(std::max(as_of, 0));

  Sums sums;
  for (const std::string& unit : *units) {
    if (absl::Status s = SumUnit(store_, unit, before_ranges, period_ranges, cohort_max, &sums);
        !s.ok()) {
      return s;
    }
  }
  CaseStatistics result = Compute(sums);
  result.from_day = query.from_day;
  result.to_day = ToCivilDay(to);
  result.as_of_day = ToCivilDay(as_of);
  return result;
}

std::string StatisticsToString(const CaseStatistics& s) {
  std::ostringstream out;
  auto line = [&out](const char* name, const auto& value) { out << name << "=" << value << "\n"; };
  auto opt = [&out](const char* name, const std::optional<double>& value) {
    out << name << "=" << (value ? absl::StrFormat("%.9g", *value) : std::string("none")) << "\n";
  };
  auto map = [&out](const char* name, const auto& m) {
    out << name << "={";
    for (const auto& [key, value] : m) out << " " << static_cast<int64_t>(key) << ":" << value;
    out << " }\n";
  };
  out << "period=" << s.from_day << ".." << s.to_day << " as_of=" << s.as_of_day << "\n";
  line("opened", s.opened);
  map("opened_by_channel", s.opened_by_channel);
  map("opened_by_category", s.opened_by_category);
  line("closed", s.closed);
  map("closed_by_channel", s.closed_by_channel);
  map("closed_by_category", s.closed_by_category);
  map("closed_by_resolution", s.closed_by_resolution);
  map("closed_by_satisfaction", s.closed_by_satisfaction);
  line("reopened", s.reopened);
  line("open_at_start", s.open_at_start);
  line("open_at_end", s.open_at_end);
  map("open_at_end_by_channel", s.open_at_end_by_channel);
  map("open_at_end_by_category", s.open_at_end_by_category);
  line("cases_at_end", s.cases_at_end);
  line("closed_at_end", s.closed_at_end);
  line("opened_closed", s.opened_closed);
  opt("closure_rate", s.closure_rate);
  opt("median_days_to_close", s.median_days_to_close);
  opt("mean_days_to_close", s.mean_days_to_close);
  map("days_to_close_histogram", s.days_to_close_histogram);
  opt("satisfaction_rate", s.satisfaction_rate);
  line("overdue_follow_ups_at_end", s.overdue_follow_ups_at_end);
  line("follow_ups_scheduled", s.follow_ups_scheduled);
  line("follow_ups_done", s.follow_ups_done);
  line("mediations_scheduled", s.mediations_scheduled);
  map("mediation_outcomes", s.mediation_outcomes);
  opt("mediation_success_rate", s.mediation_success_rate);
  line("agreements_kept", s.agreements_kept);
  line("agreements_broken", s.agreements_broken);
  line("referrals_made", s.referrals_made);
  line("referrals_accepted", s.referrals_accepted);
  line("referrals_declined", s.referrals_declined);
  line("referral_outcomes", s.referral_outcomes);
  map("referrals_made_by_partner_type", s.referrals_made_by_partner_type);
  for (const PartnerReferralStats& p : s.partners) {
    out << "partner " << p.partner_id << " type=" << static_cast<int>(p.partner_type)
        << " made=" << p.made << " accepted=" << p.accepted << " declined=" << p.declined
        << " seconds_to_acceptance_sum=" << p.seconds_to_acceptance_sum << "\n";
    map("  outcomes", p.outcomes);
    opt("  mean_hours_to_acceptance", p.mean_hours_to_acceptance);
    opt("  median_hours_to_acceptance", p.median_hours_to_acceptance);
    map("  hours_to_acceptance_histogram", p.hours_to_acceptance_histogram);
  }
  line("protection_orders_applied", s.protection_orders_applied);
  line("protection_orders_applied_emergency", s.protection_orders_applied_emergency);
  line("protection_orders_granted", s.protection_orders_granted);
  line("protection_orders_denied", s.protection_orders_denied);
  line("shelter_admissions", s.shelter_admissions);
  line("shelter_discharges", s.shelter_discharges);
  line("dv_alarms", s.dv_alarms);
  line("warning_letters", s.warning_letters);
  line("injury_assessments", s.injury_assessments);
  line("assistance_grants", s.assistance_grants);
  line("assistance_fen", s.assistance_fen);
  return out.str();
}

absl::StatusOr<CaseStatistics> StatisticsAtPosition(const storage::EventLog& log, uint64_t position,
                                                    const StatisticsQuery& query,
                                                    services::DirectoryView* directory) {
  std::unique_ptr<storage::ReadModelStore> store = storage::ReadModelStore::OpenInMemory();
  const CaseStatsProjection projection;
  storage::Filter filter;
  filter.event_type_prefix = "case.";
  uint64_t next = 1;
  while (next <= position) {
    absl::StatusOr<storage::LogPage> page =
        log.ReadAll(next, storage::kMaxReadLimit, filter, storage::kMaxReadLimit * 10);
    if (!page.ok()) return page.status();
    std::unique_ptr<storage::ReadModelBatch> batch = store->NewBatch();
    storage::NamespaceBatch rows(*batch, kCaseStatsNamespace);
    std::unique_ptr<storage::Projection::Batch> folding = projection.StartBatch(rows);
    for (const storage::RecordedEvent& event : page->events) {
      if (event.position > position) break;
      if (absl::Status s = folding->Apply(event); !s.ok()) return s;
    }
    if (absl::Status s = folding->Finish(); !s.ok()) return s;
    const uint64_t applied = std::min(page->next_position - 1, position);
    if (absl::Status s = store->Commit(std::move(batch), {{kCaseStatsNamespace, applied}});
        !s.ok()) {
      return s;
    }
    // Stop at the head, or if the log makes no progress.
    if (page->next_position <= next || page->next_position > page->head_position) break;
    next = page->next_position;
  }
  CaseStatsReader reader(*store, directory);
  return reader.Statistics(query);
}

}  // namespace haven::cases
