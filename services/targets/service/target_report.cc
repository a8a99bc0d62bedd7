#include "services/targets/service/target_report.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/targets/domain/indicators.h"

namespace haven::targets {
namespace {

// Whether the small cells withheld include the statistic `name` (the field
// itself, or any part of it: "closure_rate.numerator").
bool Withheld(const std::vector<std::string>& suppressed, const std::string& name) {
  for (const std::string& path : suppressed) {
    if (path == name || absl::StartsWith(path, absl::StrCat(name, ".")) ||
        absl::StartsWith(path, absl::StrCat(name, "["))) {
      return true;
    }
  }
  return false;
}

bool IsAmount(v1::IndicatorKind kind) {
  return kind == v1::INDICATOR_KIND_COUNT || kind == v1::INDICATOR_KIND_FEN;
}

}  // namespace

PeriodDays DaysOf(int year, v1::TargetPeriod period) {
  auto months = [year](int first, int last) {
    return PeriodDays{stats::FirstDayOfMonthIndex(year * 12 + first - 1),
                      stats::LastDayOfMonthIndex(year * 12 + last - 1)};
  };
  switch (period) {
    case v1::TARGET_PERIOD_FIRST_HALF: return months(1, 6);
    case v1::TARGET_PERIOD_SECOND_HALF: return months(7, 12);
    case v1::TARGET_PERIOD_Q1: return months(1, 3);
    case v1::TARGET_PERIOD_Q2: return months(4, 6);
    case v1::TARGET_PERIOD_Q3: return months(7, 9);
    case v1::TARGET_PERIOD_Q4: return months(10, 12);
    default: return {stats::FirstDayOfYear(year), stats::LastDayOfYear(year)};
  }
}

bool Meets(v1::Comparison comparison, int64_t actual, int64_t target) {
  return EffectiveComparison(comparison) == v1::COMPARISON_AT_MOST ? actual <= target
                                                                   : actual >= target;
}

absl::StatusOr<v1::GetTargetReportResponse> BuildTargetReport(const TargetsState& state,
                                                              const std::string& unit_id,
                                                              int year, v1::TargetPeriod period,
                                                              stats::DayNumber as_of,
                                                              const FetchStatistics& fetch) {
  if (period == v1::TARGET_PERIOD_UNSPECIFIED) period = v1::TARGET_PERIOD_YEAR;
  const PeriodDays days = DaysOf(year, period);
  v1::GetTargetReportResponse report;
  report.set_unit_id(unit_id);
  report.set_year(year);
  report.set_period(period);
  report.set_from_day(stats::DayText(days.from));
  report.set_to_day(stats::DayText(days.to));
  report.set_as_of_day(stats::DayText(as_of));
  report.set_period_complete(as_of >= days.to);

  // Each context's statistics once per span: (context, from, to).
  std::map<std::tuple<std::string, stats::DayNumber, stats::DayNumber>, StatisticsAnswer> fetched;
  for (const auto& [key, entry] : state.targets) {
    if (key.year != year) continue;
    const bool own = key.period == period;
    if (!own && key.period != v1::TARGET_PERIOD_YEAR) continue;
    const IndicatorInfo* indicator = FindIndicator(key.indicator);
    if (indicator == nullptr) continue;  // Dropped from its context's statistics since.

    v1::TargetLine line;
    line.set_indicator(key.indicator);
    line.set_kind(indicator->kind);
    line.set_comparison(entry.comparison);
    line.set_target_period(key.period);
    line.set_target(entry.value);
    PeriodDays span = days;
    if (!own && IsAmount(indicator->kind)) {
      span.from = stats::FirstDayOfYear(year);
      line.set_span(v1::SPAN_YEAR_TO_DATE);
    } else {
      line.set_span(v1::SPAN_PERIOD);
    }
    line.set_from_day(stats::DayText(span.from));
    line.set_to_day(stats::DayText(span.to));

    auto fetch_key = std::make_tuple(indicator->context, span.from, span.to);
    auto it = fetched.find(fetch_key);
    if (it == fetched.end()) {
      absl::StatusOr<StatisticsAnswer> answer = fetch(indicator->context, span.from, span.to);
      if (!answer.ok()) return answer.status();
      it = fetched.emplace(fetch_key, std::move(*answer)).first;
    }
    const StatisticsAnswer& answer = it->second;
    const std::string& statistic = indicator->field->name();
    if (Withheld(answer.suppressed_cells, statistic)) {
      line.set_status(v1::TARGET_STATUS_WITHHELD);
    } else if (std::optional<int64_t> actual = ReadIndicator(*indicator, *answer.statistics)) {
      line.set_actual(*actual);
      line.set_status(Meets(entry.comparison, *actual, entry.value) ? v1::TARGET_STATUS_MET
                                                                     : v1::TARGET_STATUS_NOT_MET);
      if (entry.value > 0) line.set_progress(*actual * 10'000 / entry.value);
    } else {
      line.set_status(v1::TARGET_STATUS_NO_DATA);
    }
    *report.add_lines() = std::move(line);
  }
  // By indicator, the period's own target before the year's.
  std::stable_sort(report.mutable_lines()->begin(), report.mutable_lines()->end(),
                   [period](const v1::TargetLine& a, const v1::TargetLine& b) {
                     return std::make_tuple(a.indicator(), a.target_period() != period) <
                            std::make_tuple(b.indicator(), b.target_period() != period);
                   });
  return report;
}

}  // namespace haven::targets
