// School terms (学期), the period of stipends and of "visits per pairing per
// term": "2024-2025-1" is the first term of school year 2024-2025, from
// September 2024 to February 2025 (CST); "2024-2025-2" the second, from
// March to August 2025.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_SCHOOL_TERMS_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_SCHOOL_TERMS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace haven::children {

struct SchoolTerm {
  int first_year = 0;  // the school year first_year - first_year+1
  int half = 1;        // 1 or 2

  // Consecutive terms have consecutive indexes.
  int index() const { return first_year * 2 + (half - 1); }
  static SchoolTerm FromIndex(int index) { return {index / 2, index % 2 + 1}; }
  std::string Text() const;
  absl::CivilDay first_day() const;
  absl::CivilDay last_day() const;
};

// The term a CST day falls in.
SchoolTerm TermOf(absl::CivilDay day);
// "YYYY-YYYY-S" with consecutive years and S 1 or 2, the years 2000..2100;
// nullopt otherwise.
std::optional<SchoolTerm> ParseTerm(const std::string& text);

// The CST day of an instant (µs since the Unix epoch, UTC).
absl::CivilDay CstDay(int64_t time_us);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_SCHOOL_TERMS_H_
