// Resident ID numbers (居民身份证号码, GB 11643-1999): 6 digits of region,
// 8 of birth date (YYYYMMDD), 3 of sequence (odd for men, even for women)
// and a check character from ISO 7064 MOD 11-2 (a digit or X).
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_COMMON_ID_NUMBER_H_
#define HAVEN_SERVICES_COMMON_ID_NUMBER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace haven::fields {

// What an ID number tells about its holder.
struct IdNumberFacts {
  int birth_year = 0;
  int birth_month = 0;
  int birth_day = 0;
  // The 17th digit: odd for men, even for women.
  bool male = false;
};

// The check character ('0'..'9' or 'X') for the first 17 digits of an ID
// number.  `first17` must be 17 ASCII digits.
char IdNumberCheckCharacter(absl::string_view first17);

// Checks an ID number (a lower-case x is accepted as the check character)
// and returns what it tells.  INVALID_ARGUMENT "<path>: <rule>" when it is
// not 18 characters, the first 17 are not digits, the province code or the
// birth date is not real (or the birth date is after `now_us`), or the
// check character is wrong.
absl::StatusOr<IdNumberFacts> ParseIdNumber(absl::string_view path, absl::string_view id,
                                            int64_t now_us);

}  // namespace haven::fields

#endif  // HAVEN_SERVICES_COMMON_ID_NUMBER_H_
