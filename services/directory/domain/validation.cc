#include "services/directory/domain/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/directory/domain/kinds.h"
#include "services/directory/domain/text.h"

namespace haven::directory {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool AllZero(absl::string_view digits) { return digits.find_first_not_of('0') == digits.npos; }

// How many leading digits of a code of a unit of `kind` are significant.
size_t SignificantDigits(absl::string_view code, v1::UnitKind kind) {
  switch (kind) {
    case v1::UNIT_KIND_CITY:
      return AllZero(code.substr(2, 2)) ? 2 : 4;
    case v1::UNIT_KIND_COUNTY:
    case v1::UNIT_KIND_DISTRICT:
      return 6;
    case v1::UNIT_KIND_TOWNSHIP:
    case v1::UNIT_KIND_STREET:
      return 9;
    default:
      return 12;
  }
}

}  // namespace

absl::Status ValidateUnitId(absl::string_view unit_id, absl::string_view field) {
  if (unit_id.empty()) return Invalid(field, "is required");
  if (unit_id.size() > kMaxUnitIdBytes) {
    return Invalid(field, absl::StrCat("must be at most ", kMaxUnitIdBytes, " characters"));
  }
  if (!absl::ascii_isalnum(static_cast<unsigned char>(unit_id.front()))) {
    return Invalid(field, "must start with an ASCII letter or digit");
  }
  for (char c : unit_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return Invalid(field, "may hold only ASCII letters, digits, '-', '_' and '.'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeName(absl::string_view name, absl::string_view field) {
  if (!CountCodePoints(name)) return Invalid(field, "must be UTF-8");
  const absl::string_view trimmed = TrimSpace(name);
  if (trimmed.empty()) return Invalid(field, "is required (not only white space)");
  if (HasControlCharacter(trimmed)) return Invalid(field, "must not hold control characters");
  if (absl::StrContains(trimmed, '/')) {
    return Invalid(field, "must not hold '/' (it separates the levels of a path)");
  }
  if (*CountCodePoints(trimmed) > kMaxNameChars) {
    return Invalid(field, absl::StrCat("must be at most ", kMaxNameChars, " characters"));
  }
  return std::string(trimmed);
}

absl::StatusOr<std::string> NormalizeReason(absl::string_view reason, absl::string_view field) {
  auto count = CountCodePoints(reason);
  if (!count) return Invalid(field, "must be UTF-8");
  if (*count > kMaxReasonChars) {
    return Invalid(field, absl::StrCat("must be at most ", kMaxReasonChars, " characters"));
  }
  for (char c : reason) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') ||
        c == 0x7F) {
      return Invalid(field, "must not hold control characters other than line breaks");
    }
  }
  return std::string(TrimSpace(reason));
}

absl::Status ValidateCodeDigits(absl::string_view code, absl::string_view field) {
  if (code.size() != kCodeDigits) return Invalid(field, "must be exactly 12 digits");
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return Invalid(field, "must be exactly 12 digits");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCodeForKind(absl::string_view code, v1::UnitKind kind,
                                 absl::string_view field) {
  if (auto s = ValidateCodeDigits(code, field); !s.ok()) return s;
  if (!IsGeographic(kind)) {
    return Invalid(field, absl::StrCat(AKind(kind),
                                       " carries no statistical division code (only the city, "
                                       "counties, districts, townships, streets, villages and "
                                       "communities do)"));
  }
  bool ok = false;
  switch (SignificantDigits(code, kind)) {
    case 2:
    case 4:
      ok = !AllZero(code.substr(0, 2)) && AllZero(code.substr(4));
      break;
    case 6:
      ok = !AllZero(code.substr(4, 2)) && AllZero(code.substr(6));
      break;
    case 9:
      ok = !AllZero(code.substr(6, 3)) && AllZero(code.substr(9));
      break;
    default:
      ok = !AllZero(code.substr(9));
      break;
  }
  if (ok) return absl::OkStatus();
  static constexpr char kShapes[] =
      " (a city's code ends in 00000000, e.g. 320100000000; a county's or district's in "
      "000000 but not 00000000, e.g. 320102000000; a township's or street's in 000 but not "
      "000000, e.g. 320102002000; a village's or community's not in 000, e.g. 320102002001)";
  return Invalid(field, absl::StrCat(code, " is not the code of ", AKind(kind), kShapes));
}

bool CodeFitsParent(absl::string_view child_code, absl::string_view parent_code,
                    v1::UnitKind parent_kind) {
  const size_t n = SignificantDigits(parent_code, parent_kind);
  return child_code.substr(0, n) == parent_code.substr(0, n);
}

}  // namespace haven::directory
