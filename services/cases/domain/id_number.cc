#include "services/cases/domain/id_number.h"

#include "services/common/id_number.h"

namespace haven::cases {

char IdNumberCheckCharacter(absl::string_view first17) {
  return fields::IdNumberCheckCharacter(first17);
}

absl::StatusOr<IdNumberFacts> ParseIdNumber(absl::string_view path, absl::string_view id,
                                            int64_t now_us) {
  auto parsed = fields::ParseIdNumber(path, id, now_us);
  if (!parsed.ok()) return parsed.status();
  IdNumberFacts facts;
  facts.birth_year = parsed->birth_year;
  facts.birth_month = parsed->birth_month;
  facts.birth_day = parsed->birth_day;
  facts.gender = parsed->male ? v1::GENDER_MALE : v1::GENDER_FEMALE;
  return facts;
}

}  // namespace haven::cases
