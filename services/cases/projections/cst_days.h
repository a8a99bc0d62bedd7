// China Standard Time calendar days, the unit of every statistics period
// (domain.md, "Data conventions"): an instant's CST day, and the numbering
// of days, months and years the statistics rows are keyed by.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CST_DAYS_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CST_DAYS_H_

#include <cstdint>

#include "absl/time/civil_time.h"

namespace haven::cases {

inline constexpr int64_t kUsPerDay = 86'400'000'000;
inline constexpr int64_t kUsPerHour = 3'600'000'000;
// CST is UTC+8 all year (no daylight saving).
inline constexpr int64_t kCstOffsetUs = 8 * kUsPerHour;

// A CST calendar day as days since 1970-01-01 (day 0).
using DayNumber = int32_t;

// The CST day of an instant given as µs since the Unix epoch, UTC.
DayNumber CstDayOf(int64_t time_us);
// The first instant of a CST day, µs since the Unix epoch, UTC.
int64_t CstDayStartUs(DayNumber day);

DayNumber ToDayNumber(absl::CivilDay day);
absl::CivilDay ToCivilDay(DayNumber day);

// Months numbered year * 12 + (month - 1); years by their number.
int32_t MonthIndexOf(DayNumber day);
int32_t YearOf(DayNumber day);
// The first and last day of a month index or a year.
DayNumber FirstDayOfMonthIndex(int32_t month_index);
DayNumber LastDayOfMonthIndex(int32_t month_index);
DayNumber FirstDayOfYear(int32_t year);
DayNumber LastDayOfYear(int32_t year);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CST_DAYS_H_
