#include "services/common/id_number.h"

#include <algorithm>
#include <array>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/field_rules.h"

namespace haven::fields {
namespace {

// Weight of digit i is 2^(17-i) mod 11.
constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
// Check character for (sum of weighted digits) mod 11.
constexpr char kCheckCharacters[] = "10X98765432";

// Province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao).
constexpr std::array<int, 34> kProvinceCodes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

int Digits(absl::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

char IdNumberCheckCharacter(absl::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

absl::StatusOr<IdNumberFacts> ParseIdNumber(absl::string_view path, absl::string_view id,
                                            int64_t now_us) {
  if (id.size() != 18) return InvalidField(path, "must be 18 characters (GB 11643-1999)");
  const absl::string_view first17 = id.substr(0, 17);
  if (!std::all_of(first17.begin(), first17.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidField(path, "the first 17 characters must be digits");
  }
  const char last = id[17] == 'x' ? 'X' : id[17];
  if (!((last >= '0' && last <= '9') || last == 'X')) {
    return InvalidField(path, "the last character must be a digit or X");
  }
  const int province = Digits(id.substr(0, 2));
  if (std::find(kProvinceCodes.begin(), kProvinceCodes.end(), province) == kProvinceCodes.end()) {
    return InvalidField(path, "the first two digits are not a province code (GB/T 2260)");
  }
  IdNumberFacts facts;
  facts.birth_year = Digits(id.substr(6, 4));
  facts.birth_month = Digits(id.substr(10, 2));
  facts.birth_day = Digits(id.substr(12, 2));
  const absl::CivilDay birth(facts.birth_year, facts.birth_month, facts.birth_day);
  if (birth.year() != facts.birth_year || birth.month() != facts.birth_month ||
      birth.day() != facts.birth_day || facts.birth_year < 1900) {
    return InvalidField(path, "characters 7 to 14 must be a real birth date (YYYYMMDD)");
  }
  const absl::CivilDay today =
      absl::ToCivilDay(absl::FromUnixMicros(now_us), absl::FixedTimeZone(8 * 3600));
  if (birth > today) return InvalidField(path, "the birth date it contains is in the future");
  if (IdNumberCheckCharacter(first17) != last) {
    return InvalidField(path, "the check character does not match (GB 11643-1999 MOD 11-2)");
  }
  facts.male = (id[16] - '0') % 2 == 1;
  return facts;
}

}  // namespace haven::fields
