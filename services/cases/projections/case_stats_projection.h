// The case_stats projection: counters for statistics over a unit subtree
// and a period, each also as it was on a past date (CaseStatsReader in
// case_stats_query.h).
//
// Rows (namespace "case_stats"; key layout in case_stats_keys.h and
// PROJECTIONS.md):
//   "r/" stream                        -> CaseRecord
//   'n' bucket of unit × day/month/year -> counter deltas (stats_counters)
//   'k' bucket of unit × opening period -> closures of the cases opened
//                                          then, by the day they were
//                                          recorded (the cohort's 办结)
//   'p' bucket of unit × period, partner -> referral counters per partner
//
// The invariant that makes "as it was on day D" exact: an event recorded
// on CST day R writes deltas only to buckets of day R or later ('n' and
// 'p'), or to cohort entries whose counter id is R ('k').  A query as of D
// reads buckets up to D and cohort entries up to D, so nothing recorded
// after D changes its answer.  Consequently every count is by the day
// Haven recorded the fact (a protection order granted last week and
// recorded today counts today); durations (days to close, time to
// acceptance) use the times in the events.
//
// Deltas are keyed by day, not by log position: statistics as of a log
// position are computed by folding the log up to it (StatisticsAtPosition
// in case_stats_query.h).
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_PROJECTION_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_PROJECTION_H_

#include <memory>
#include <string>

#include "services/cases/projections/case_projection.h"

namespace haven::cases {

inline constexpr char kCaseStatsNamespace[] = "case_stats";

class CaseStatsProjection : public CaseProjection {
 public:
  // Wants every event that is counted or changes what later counts need.
  CaseStatsProjection();

  std::string name() const override { return kCaseStatsNamespace; }

  // Sums each event's deltas into the batch's counter rows, and writes
  // each row once.
  std::unique_ptr<Batch> StartBatch(storage::NamespaceBatch& rows) const override;

 protected:
  // Keeps status, channel, category, unit, opening time and day, pending
  // follow-ups and open referrals.
  void Trim(rowpb::CaseRecord* record) const override;
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_PROJECTION_H_
