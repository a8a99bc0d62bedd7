// Statistics over a unit subtree and a CST period, each also as it was on a
// past date: what supervisors ask (domain.md, "What supervisors ask").
// Read from the case_stats projection (case_stats_projection.h).
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_QUERY_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_QUERY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/projections/read_options.h"
#include "services/directory/service/directory_view.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::cases {

struct StatisticsQuery {
  // The cases of this unit and every unit below it, as the directory is
  // when the query runs (a unit moved since moves its cases).  Needs the
  // reader's DirectoryView.
  std::string unit_subtree;
  // Or: the cases of exactly these units.  Used when unit_subtree is empty;
  // one of the two is required.
  std::vector<std::string> unit_ids;
  // The period, CST calendar days, both inclusive.
  absl::CivilDay from_day;
  absl::CivilDay to_day;
  // Answer as Haven knew it at the end of this CST day: facts recorded
  // later are left out, and the period is cut at it.  Default: to_day.
  std::optional<absl::CivilDay> as_of_day;
};

// Referrals to one partner (legal aid centre, lawyer, police...) made from
// the units, counted on the day each fact was recorded.
struct PartnerReferralStats {
  std::string partner_id;
  // The partner type most of the period's facts about it named (referrals
  // made, accepted, declined, with an outcome).
  v1::PartnerType partner_type = v1::PARTNER_TYPE_UNSPECIFIED;
  int64_t made = 0;
  int64_t accepted = 0;
  int64_t declined = 0;
  std::map<v1::ReferralOutcome, int64_t> outcomes;
  // Time from referral (referred_at_us) to acceptance (accepted_at_us) of
  // the acceptances counted: total whole seconds, mean in hours, median in
  // whole hours (from a histogram of whole hours, capped at 90 days).
  int64_t seconds_to_acceptance_sum = 0;
  std::optional<double> mean_hours_to_acceptance;
  std::optional<double> median_hours_to_acceptance;
  std::map<int64_t, int64_t> hours_to_acceptance_histogram;  // whole hours -> acceptances
};

// Every count is of facts Haven recorded in the period, by the CST day of
// the event's recorded time.  Maps hold only non-zero entries.  Rates are
// nullopt when their denominator is 0.
struct CaseStatistics {
  // The period counted: from_day to the earlier of to_day and as_of_day
  // (empty if that is before from_day), as known at the end of as_of_day.
  absl::CivilDay from_day;
  absl::CivilDay to_day;
  absl::CivilDay as_of_day;

  // (a) Cases opened in the period, by channel and category.
  int64_t opened = 0;
  std::map<v1::Channel, int64_t> opened_by_channel;
  std::map<v1::Category, int64_t> opened_by_category;
  // (b) Closures in the period (a case closed, reopened and closed again
  // counts twice), by the case's channel and category, the resolution
  // (RESOLUTION_VIOLENCE_STOPPED: domestic violence stopped) and the
  // woman's satisfaction; reopenings.
  int64_t closed = 0;
  std::map<v1::Channel, int64_t> closed_by_channel;
  std::map<v1::Category, int64_t> closed_by_category;
  std::map<v1::Resolution, int64_t> closed_by_resolution;
  std::map<v1::Satisfaction, int64_t> closed_by_satisfaction;
  int64_t reopened = 0;
  // (c) Status: cases open at the end of the day before from_day and at
  // the end of to_day; all cases opened up to the end of to_day, and of
  // them those closed then (cases_at_end - open_at_end).
  int64_t open_at_start = 0;
  int64_t open_at_end = 0;
  std::map<v1::Channel, int64_t> open_at_end_by_channel;
  std::map<v1::Category, int64_t> open_at_end_by_category;
  int64_t cases_at_end = 0;
  int64_t closed_at_end = 0;
  // (d) Closure rate (办结率) = opened_closed / opened: of the cases opened
  // in the period, the share that are closed at the end of as_of_day (a
  // case reopened and not closed again is not closed).  Between 0 and 1.
  int64_t opened_closed = 0;
  std::optional<double> closure_rate;
  // (e) Days from opening to closure of the period's closures: whole days
  // (closure time - opening time, rounded down), their median (the middle
  // value, or the mean of the two middle values), mean and histogram
  // (whole days -> closures, capped at 3,660 days).
  std::optional<double> median_days_to_close;
  std::optional<double> mean_days_to_close;
  std::map<int64_t, int64_t> days_to_close_histogram;
  // Satisfaction rate = (satisfied + basically satisfied) / closures with a
  // satisfaction recorded.
  std::optional<double> satisfaction_rate;
  // (f) Follow-ups of open cases not done and due before the end of
  // to_day, at the end of to_day; follow-ups scheduled and done in the
  // period.
  int64_t overdue_follow_ups_at_end = 0;
  int64_t follow_ups_scheduled = 0;
  int64_t follow_ups_done = 0;
  // (g) Mediations scheduled, and held by outcome; success rate =
  // (agreement + partial) / (agreement + partial + failed) (adjourned
  // sessions are not outcomes); agreement follow-ups kept or broken.
  int64_t mediations_scheduled = 0;
  std::map<v1::MediationOutcome, int64_t> mediation_outcomes;
  std::optional<double> mediation_success_rate;
  int64_t agreements_kept = 0;
  int64_t agreements_broken = 0;
  // (h) Referrals made, accepted, declined and with an outcome, by partner
  // type and by partner (sorted by partner id).
  int64_t referrals_made = 0;
  int64_t referrals_accepted = 0;
  int64_t referrals_declined = 0;
  int64_t referral_outcomes = 0;
  std::map<v1::PartnerType, int64_t> referrals_made_by_partner_type;
  std::vector<PartnerReferralStats> partners;
  // (i) Protection: orders applied for (of them emergency), granted,
  // denied; shelter admissions and discharges; police alarms, warning
  // letters, injury assessments; assistance granted (fen).
  int64_t protection_orders_applied = 0;
  int64_t protection_orders_applied_emergency = 0;
  int64_t protection_orders_granted = 0;
  int64_t protection_orders_denied = 0;
  int64_t shelter_admissions = 0;
  int64_t shelter_discharges = 0;
  int64_t dv_alarms = 0;
  int64_t warning_letters = 0;
  int64_t injury_assessments = 0;
  int64_t assistance_grants = 0;
  int64_t assistance_fen = 0;
};

// Every field, one per line, in a fixed order: for logs, tests and diffs.
std::string StatisticsToString(const CaseStatistics& stats);
inline bool operator==(const CaseStatistics& a, const CaseStatistics& b) {
  return StatisticsToString(a) == StatisticsToString(b);
}

// Thread safety: Statistics may be called concurrently.  The store, the
// directory view and the runner must outlive the reader.
class CaseStatsReader {
 public:
  // `directory` (optional) resolves unit_subtree; `runner` (optional) is
  // waited on for ReadOptions::min_position.
  explicit CaseStatsReader(const storage::ReadModelStore& store,
                           services::DirectoryView* directory = nullptr,
                           const storage::ProjectionRunner* runner = nullptr)
      : store_(store), directory_(directory), runner_(runner) {}

  // Reads at most 8 row ranges per unit (usually 3 or 4), whatever the
  // period's length.  Errors: INVALID_ARGUMENT naming the field (no
  // units, to_day before from_day); FAILED_PRECONDITION for unit_subtree
  // without a DirectoryView; NOT_FOUND for an unknown unit_subtree; errors
  // of AwaitPosition and of the store; DATA_LOSS for a row that does not
  // parse.
  absl::StatusOr<CaseStatistics> Statistics(const StatisticsQuery& query,
                                            const ReadOptions& read = {}) const;

 private:
  const storage::ReadModelStore& store_;
  services::DirectoryView* const directory_;
  const storage::ProjectionRunner* const runner_;
};

// The statistics as they were when the log ended at `position`: the log's
// case events up to it are folded by a CaseStatsProjection into a store in
// memory, which is then queried.  Costs a read of the log up to `position`:
// meant for audits and tests, not for screens (those ask as of a day).
// The subtree is expanded as the directory is now.  Errors: those of
// Statistics, of reading the log, and of the projection.
absl::StatusOr<CaseStatistics> StatisticsAtPosition(const storage::EventLog& log, uint64_t position,
                                                    const StatisticsQuery& query,
                                                    services::DirectoryView* directory = nullptr);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_QUERY_H_
