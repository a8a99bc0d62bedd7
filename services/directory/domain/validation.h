// The rules of a command's fields that do not depend on the directory's
// state.  Each returns INVALID_ARGUMENT naming `field` and the rule.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_VALIDATION_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_VALIDATION_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/directory/v1/directory.pb.h"

namespace haven::directory {

inline constexpr size_t kMaxUnitIdBytes = 64;
inline constexpr size_t kMaxNameChars = 64;
inline constexpr size_t kMaxReasonChars = 500;
inline constexpr size_t kCodeDigits = 12;

// 1..64 ASCII letters, digits, '-', '_' or '.', the first a letter or digit.
absl::Status ValidateUnitId(absl::string_view unit_id, absl::string_view field);

// A name: UTF-8, no control characters, no '/', 1..64 characters after
// trimming surrounding white space.  Returns the trimmed name.
absl::StatusOr<std::string> NormalizeName(absl::string_view name, absl::string_view field);

// Optional text such as a closing reason: UTF-8 without control characters
// other than line breaks, at most 500 characters.  Returns it trimmed.
absl::StatusOr<std::string> NormalizeReason(absl::string_view reason, absl::string_view field);

// Exactly 12 ASCII digits.
absl::Status ValidateCodeDigits(absl::string_view code, absl::string_view field);

// A statistical division code for a unit of `kind`: 12 digits, on a
// geographic unit only, its significant digits those of the kind (a city's
// code ends in 00000000, a county's in 000000 but not 00000000, a
// township's in 000 but not 000000, a village's not in 000).
absl::Status ValidateCodeForKind(absl::string_view code, v1::UnitKind kind,
                                 absl::string_view field);

// True if a child's code starts with the significant digits of its parent's
// code (a unit of `parent_kind`): 2 or 4 for a city (2 for a municipality
// such as 110000000000), 6 for a county, 9 for a township.
bool CodeFitsParent(absl::string_view child_code, absl::string_view parent_code,
                    v1::UnitKind parent_kind);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_VALIDATION_H_
