// A target report: a unit's targets for a year, half-year or quarter, each
// beside the statistic it names, read from the context's statistics over
// the unit's subtree.  Which statistic a target is held against:
// - a target set for the report's period: the statistic over that period;
// - the year's target in a half-year or quarter report: a rate or number
//   over the period itself (98% closure applies to any period); a count or
//   sum from 1 January to the period's end, the progress towards the
//   year's figure.
//
// Thread safety: pure functions (FetchStatistics as the caller makes it).
#ifndef HAVEN_SERVICES_TARGETS_SERVICE_TARGET_REPORT_H_
#define HAVEN_SERVICES_TARGETS_SERVICE_TARGET_REPORT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/targets/v1/target_service.pb.h"
#include "services/common/stats/calendar.h"
#include "services/targets/domain/target_state.h"
#include "services/targets/service/statistics_sources.h"

namespace haven::targets {

struct PeriodDays {
  stats::DayNumber from = 0;
  stats::DayNumber to = 0;
};

// The CST days of `period` of `year` (UNSPECIFIED: the year).
PeriodDays DaysOf(int year, v1::TargetPeriod period);

// The statistics of `context` over the days [from, to] as of the report's
// day, as the caller may see them.
using FetchStatistics = std::function<absl::StatusOr<StatisticsAnswer>(
    const std::string& context, stats::DayNumber from, stats::DayNumber to)>;

// The report of `state`'s targets for `year` and `period` as of the end of
// day `as_of`; each context's statistics fetched once per span.  Errors:
// those of `fetch`.
absl::StatusOr<v1::GetTargetReportResponse> BuildTargetReport(const TargetsState& state,
                                                              const std::string& unit_id,
                                                              int year, v1::TargetPeriod period,
                                                              stats::DayNumber as_of,
                                                              const FetchStatistics& fetch);

// Whether `actual` meets `target` under `comparison`.
bool Meets(v1::Comparison comparison, int64_t actual, int64_t target);

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_SERVICE_TARGET_REPORT_H_
