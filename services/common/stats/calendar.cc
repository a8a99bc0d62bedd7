#include "services/common/stats/calendar.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace haven::stats {
namespace {

const absl::CivilDay kEpochDay(1970, 1, 1);

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

DayNumber CstDayOf(int64_t time_us) {
  return static_cast<DayNumber>(FloorDiv(time_us + kCstOffsetUs, kUsPerDay));
}

int64_t CstDayStartUs(DayNumber day) { return int64_t{day} * kUsPerDay - kCstOffsetUs; }

DayNumber ToDayNumber(absl::CivilDay day) { return static_cast<DayNumber>(day - kEpochDay); }

absl::CivilDay ToCivilDay(DayNumber day) { return kEpochDay + day; }

int32_t MonthIndexOf(DayNumber day) {
  const absl::CivilDay civil = ToCivilDay(day);
  return static_cast<int32_t>(civil.year() * 12 + (civil.month() - 1));
}

int32_t YearOf(DayNumber day) { return static_cast<int32_t>(ToCivilDay(day).year()); }

DayNumber FirstDayOfMonthIndex(int32_t month_index) {
  const int32_t year = static_cast<int32_t>(FloorDiv(month_index, 12));
  const int month = static_cast<int>(month_index - year * 12) + 1;
  return ToDayNumber(absl::CivilDay(year, month, 1));
}

DayNumber LastDayOfMonthIndex(int32_t month_index) {
  return FirstDayOfMonthIndex(month_index + 1) - 1;
}

DayNumber FirstDayOfYear(int32_t year) { return ToDayNumber(absl::CivilDay(year, 1, 1)); }

DayNumber LastDayOfYear(int32_t year) { return FirstDayOfYear(year + 1) - 1; }

absl::StatusOr<DayNumber> ParseDay(const std::string& text, const char* field) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a day \"YYYY-MM-DD\""));
  }
  return ToDayNumber(day);
}

std::string DayText(DayNumber day) { return absl::FormatCivilTime(ToCivilDay(day)); }

absl::StatusOr<StatsPeriod> ParseStatsPeriod(const std::string& from_day,
                                             const std::string& to_day,
                                             const std::string* as_of_day) {
  StatsPeriod period;
  auto from = ParseDay(from_day, "from_day");
  if (!from.ok()) return from.status();
  auto to = ParseDay(to_day, "to_day");
  if (!to.ok()) return to.status();
  if (*to < *from) return absl::InvalidArgumentError("to_day: before from_day");
  period.from = *from;
  period.to = *to;
  period.as_of = *to;
  if (as_of_day != nullptr) {
    auto as_of = ParseDay(*as_of_day, "as_of_day");
    if (!as_of.ok()) return as_of.status();
    period.as_of = *as_of;
  }
  return period;
}

}  // namespace haven::stats
