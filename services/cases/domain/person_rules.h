// Checks of the people a case names: the woman seeking help, the
// respondent, the parties to a mediation.  Errors are INVALID_ARGUMENT
// "<path>.<field>: <rule>" and never repeat the personal data checked.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_PERSON_RULES_H_
#define HAVEN_SERVICES_CASES_DOMAIN_PERSON_RULES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/field_rules.h"

namespace haven::cases {

// name: one line of at most kMaxNameChars (required when `name` says so);
// phone: see CheckPhone; id_number: see ParseIdNumber; address, workplace:
// one line of at most kMaxShortTextChars; gender: a known value;
// birth_year: 0 or 1900..this year.  When the ID number is given, gender
// and birth_year, if set, must agree with it.
absl::Status CheckPerson(absl::string_view path, const v1::Person& person, Presence name,
                         int64_t now_us);

// Each party has a role and a person with a name; `parties` has at least
// one element when `presence` is kRequired.
absl::Status CheckParties(absl::string_view path,
                          const google::protobuf::RepeatedPtrField<v1::Party>& parties,
                          Presence presence, int64_t now_us);

// Stores a person the way events keep them: an ID number's check
// character x in upper case.
void NormalizePerson(v1::Person* person);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_PERSON_RULES_H_
