#include "services/children/domain/school_terms.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace haven::children {

std::string SchoolTerm::Text() const {
  return absl::StrCat(first_year, "-", first_year + 1, "-", half);
}

absl::CivilDay SchoolTerm::first_day() const {
  return half == 1 ? absl::CivilDay(first_year, 9, 1) : absl::CivilDay(first_year + 1, 3, 1);
}

absl::CivilDay SchoolTerm::last_day() const {
  return half == 1 ? absl::CivilDay(first_year + 1, 3, 1) - 1
                   : absl::CivilDay(first_year + 1, 8, 31);
}

SchoolTerm TermOf(absl::CivilDay day) {
  if (day.month() >= 9) return {static_cast<int>(day.year()), 1};
  if (day.month() <= 2) return {static_cast<int>(day.year()) - 1, 1};
  return {static_cast<int>(day.year()) - 1, 2};
}

std::optional<SchoolTerm> ParseTerm(const std::string& text) {
  int first = 0, second = 0, half = 0;
  if (text.size() != 11 || text[4] != '-' || text[9] != '-' ||
      !absl::SimpleAtoi(text.substr(0, 4), &first) ||
      !absl::SimpleAtoi(text.substr(5, 4), &second) ||
      !absl::SimpleAtoi(text.substr(10, 1), &half)) {
    return std::nullopt;
  }
  if (second != first + 1 || (half != 1 && half != 2) || first < 2000 || first > 2100) {
    return std::nullopt;
  }
  SchoolTerm term{first, half};
  if (term.Text() != text) return std::nullopt;
  return term;
}

absl::CivilDay CstDay(int64_t time_us) {
  return absl::ToCivilDay(absl::FromUnixMicros(time_us), absl::FixedTimeZone(8 * 3600));
}

}  // namespace haven::children
