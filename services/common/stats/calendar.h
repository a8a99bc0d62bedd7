// China Standard Time calendar days, the unit of every statistics period
// (domain.md, "Data conventions"): an instant's CST day, and the numbering
// of days, months and years that counter rows are keyed by.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_COMMON_STATS_CALENDAR_H_
#define HAVEN_SERVICES_COMMON_STATS_CALENDAR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace haven::stats {

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
DayNumber FirstDayOfMonthIndex(int32_t month_index);
DayNumber LastDayOfMonthIndex(int32_t month_index);
DayNumber FirstDayOfYear(int32_t year);
DayNumber LastDayOfYear(int32_t year);

// A day written "YYYY-MM-DD", or INVALID_ARGUMENT "<field>: ...".
absl::StatusOr<DayNumber> ParseDay(const std::string& text, const char* field);
// "YYYY-MM-DD".
std::string DayText(DayNumber day);

// A statistics request's period: days [from, to] as they stood at the end
// of day as_of.
struct StatsPeriod {
  DayNumber from = 0;
  DayNumber to = 0;
  DayNumber as_of = 0;
};
// From the request fields from_day, to_day and as_of_day (nullptr: unset,
// meaning to_day).  INVALID_ARGUMENT naming the field; "to_day: before
// from_day".
absl::StatusOr<StatsPeriod> ParseStatsPeriod(const std::string& from_day,
                                             const std::string& to_day,
                                             const std::string* as_of_day);

}  // namespace haven::stats

#endif  // HAVEN_SERVICES_COMMON_STATS_CALENDAR_H_
