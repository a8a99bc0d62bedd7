// Realistic personal data for generated cases: Chinese names, valid
// resident ID numbers, mobile numbers.  Every value is fictional.
#ifndef HAVEN_CLIENTS_SEED_IDENTITY_H_
#define HAVEN_CLIENTS_SEED_IDENTITY_H_

#include <string>
#include <string_view>

#include "seed/random.h"

namespace haven::seed {

// The GB 11643-1999 check character ('0'..'9' or 'X') of the first 17 digits
// of a resident ID number (ISO 7064 MOD 11-2).  `first17` must be 17 ASCII
// digits.  (The client reimplements the server's small function rather than
// link the server's domain.)
char IdCheckCharacter(std::string_view first17);

// True when `id` is 17 digits and its correct check character.
bool HasValidCheckCharacter(std::string_view id);

// An 18-character ID number: `region` (6 digits, e.g. a county's code), the
// birth date, a 3-digit sequence whose last digit is even for women and odd
// for men, and the check character.
std::string MakeIdNumber(Rng& rng, std::string_view region, int year, int month, int day,
                         bool female);

// A random real date in `year`: (month, day).
std::pair<int, int> RandomBirthday(Rng& rng, int year);

// A mobile number: 11 digits, a real carrier prefix.
std::string MobileNumber(Rng& rng);

// A family name and a given name of one or two characters, e.g. "王秀英".
std::string FemaleName(Rng& rng);
std::string MaleName(Rng& rng);
std::string Surname(Rng& rng);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_IDENTITY_H_
