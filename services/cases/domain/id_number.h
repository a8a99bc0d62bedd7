// Resident ID numbers (居民身份证号码, GB 11643-1999), checked by the shared
// rules (services/common/id_number.h), with the holder's gender in the
// case schema's terms.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_ID_NUMBER_H_
#define HAVEN_SERVICES_CASES_DOMAIN_ID_NUMBER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/cases/v1/case_events.pb.h"

namespace haven::cases {

// What an ID number tells about its holder.
struct IdNumberFacts {
  int birth_year = 0;
  int birth_month = 0;
  int birth_day = 0;
  v1::Gender gender = v1::GENDER_UNSPECIFIED;
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

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_ID_NUMBER_H_
