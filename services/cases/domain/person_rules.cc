#include "services/cases/domain/person_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/id_number.h"

namespace haven::cases {

absl::Status CheckPerson(absl::string_view path, const v1::Person& person, Presence name,
                         int64_t now_us) {
  const auto field = [&](absl::string_view f) { return absl::StrCat(path, ".", f); };
  if (auto s = CheckLine(field("name"), person.name(), kMaxNameChars, name); !s.ok()) return s;
  if (auto s = CheckPhone(field("phone"), person.phone()); !s.ok()) return s;
  if (auto s =
          CheckLine(field("address"), person.address(), kMaxShortTextChars, Presence::kOptional);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckLine(field("workplace"), person.workplace(), kMaxShortTextChars,
                         Presence::kOptional);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckEnum(field("gender"), person.gender(), v1::Gender_IsValid, Presence::kOptional);
      !s.ok()) {
    return s;
  }
  const int this_year = CstYear(now_us);
  if (person.birth_year() != 0 && (person.birth_year() < 1900 || person.birth_year() > this_year)) {
    return InvalidField(field("birth_year"),
                        absl::StrCat("must be 0 (unknown) or from 1900 to ", this_year));
  }
  if (person.id_number().empty()) return absl::OkStatus();
  absl::StatusOr<IdNumberFacts> facts =
      ParseIdNumber(field("id_number"), person.id_number(), now_us);
  if (!facts.ok()) return facts.status();
  if (person.birth_year() != 0 && person.birth_year() != facts->birth_year) {
    return InvalidField(field("birth_year"), "does not match the birth date in id_number");
  }
  if (person.gender() != v1::GENDER_UNSPECIFIED && person.gender() != facts->gender) {
    return InvalidField(field("gender"),
                        "does not match id_number (its 17th digit is odd for men, even for "
                        "women)");
  }
  return absl::OkStatus();
}

absl::Status CheckParties(absl::string_view path,
                          const google::protobuf::RepeatedPtrField<v1::Party>& parties,
                          Presence presence, int64_t now_us) {
  if (parties.empty() && presence == Presence::kRequired) {
    return InvalidField(path, "needs at least one party");
  }
  for (int i = 0; i < parties.size(); ++i) {
    const std::string party = absl::StrCat(path, "[", i, "]");
    if (auto s = CheckEnum(absl::StrCat(party, ".role"), parties[i].role(), v1::PartyRole_IsValid,
                           Presence::kRequired);
        !s.ok()) {
      return s;
    }
    if (!parties[i].has_person())
      return InvalidField(absl::StrCat(party, ".person"), "is required");
    if (auto s = CheckPerson(absl::StrCat(party, ".person"), parties[i].person(),
                             Presence::kRequired, now_us);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

void NormalizePerson(v1::Person* person) {
  std::string* id = person->mutable_id_number();
  if (id->size() == 18 && (*id)[17] == 'x') (*id)[17] = 'X';
}

}  // namespace haven::cases
