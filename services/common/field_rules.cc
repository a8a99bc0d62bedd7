#include "services/common/field_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace haven::fields {
namespace {

constexpr int kCstOffsetSeconds = 8 * 3600;

// Decodes one code point at text[i]; returns its length, or 0 if malformed
// (overlong forms, surrogates and values above U+10FFFF are malformed).
size_t DecodeUtf8(absl::string_view text, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  size_t len;
  uint32_t min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2, min = 0x80, *cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, min = 0x800, *cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3f);
  }
  if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff)) return 0;
  return len;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

bool IsBlankCodePoint(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
}

absl::Status CheckText(absl::string_view path, absl::string_view text, size_t max_chars,
                       Presence presence, bool multiline) {
  if (text.empty()) {
    return presence == Presence::kRequired ? InvalidField(path, "is required") : absl::OkStatus();
  }
  size_t chars = 0;
  bool blank = true;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) return InvalidField(path, "must be valid UTF-8");
    const bool allowed_break = multiline && (cp == '\n' || cp == '\r' || cp == '\t');
    if (IsControl(cp) && !allowed_break) {
      return InvalidField(path, multiline ? "must not contain control characters"
                                          : "must be one line without control characters");
    }
    blank = blank && IsBlankCodePoint(cp);
    ++chars;
    i += len;
  }
  if (blank && presence == Presence::kRequired) {
    return InvalidField(path, "is required (it is blank)");
  }
  if (chars > max_chars) {
    return InvalidField(path,
                        absl::StrCat("must be at most ", max_chars, " characters, got ", chars));
  }
  return absl::OkStatus();
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

absl::Status InvalidField(absl::string_view path, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", rule));
}

int64_t Utf8Length(absl::string_view text) {
  int64_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    uint32_t cp;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) return -1;
    i += len;
  }
  return chars;
}

absl::Status CheckLine(absl::string_view path, absl::string_view text, size_t max_chars,
                       Presence presence) {
  return CheckText(path, text, max_chars, presence, /*multiline=*/false);
}

absl::Status CheckFreeText(absl::string_view path, absl::string_view text, size_t max_chars,
                           Presence presence) {
  return CheckText(path, text, max_chars, presence, /*multiline=*/true);
}

absl::Status CheckId(absl::string_view path, absl::string_view id, Presence presence) {
  if (id.empty()) {
    return presence == Presence::kRequired ? InvalidField(path, "is required") : absl::OkStatus();
  }
  if (id.size() > kMaxIdBytes) {
    return InvalidField(path,
                        absl::StrCat("must be at most ", kMaxIdBytes, " bytes, got ", id.size()));
  }
  for (size_t i = 0; i < id.size();) {
    uint32_t cp;
    const size_t len = DecodeUtf8(id, i, &cp);
    if (len == 0) return InvalidField(path, "must be valid UTF-8");
    if (IsControl(cp) || IsBlankCodePoint(cp)) {
      return InvalidField(path, "must not contain spaces or control characters");
    }
    i += len;
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(absl::string_view path, int value, bool (*is_valid)(int),
                       Presence presence) {
  if (value == 0) {
    return presence == Presence::kRequired ? InvalidField(path, "is required") : absl::OkStatus();
  }
  if (!is_valid(value)) {
    return InvalidField(path, absl::StrCat("unknown value ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckPhone(absl::string_view path, absl::string_view phone) {
  if (phone.empty()) return absl::OkStatus();
  if (phone[0] == '1') {
    if (phone.size() == 11 && AllDigits(phone)) return absl::OkStatus();
    return InvalidField(path, "a mobile number must be 11 digits starting with 1");
  }
  if (phone[0] == '0') {
    const size_t hyphen = phone.find('-');
    std::string digits(phone);
    if (hyphen != absl::string_view::npos) {
      const bool area_ok = hyphen >= 3 && hyphen <= 4;
      digits.erase(hyphen, 1);
      if (!area_ok) return InvalidField(path, "the area code must be 3 or 4 digits");
    }
    if (AllDigits(digits) && digits.size() >= 10 && digits.size() <= 12) {
      return absl::OkStatus();
    }
    return InvalidField(path, "a fixed-line number must be 0, the area code and 7 or 8 digits");
  }
  return InvalidField(path,
                      "must be a mobile number (11 digits starting with 1) or a fixed-line "
                      "number starting with 0");
}

absl::Status CheckPastTime(absl::string_view path, int64_t time_us, int64_t now_us,
                           int64_t earliest_us, absl::string_view earliest_what) {
  if (time_us > now_us + kClockSkewUs) {
    return InvalidField(path, absl::StrCat("must not be in the future (", FormatCst(time_us),
                                           " is after ", FormatCst(now_us), ")"));
  }
  if (time_us < earliest_us) {
    return InvalidField(path, absl::StrCat("must not be before ", earliest_what, " (",
                                           FormatCst(earliest_us), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimeWithin(absl::string_view path, int64_t time_us, int64_t earliest_us,
                             absl::string_view earliest_what, int64_t max_ahead_us) {
  if (time_us < earliest_us) {
    return InvalidField(path, absl::StrCat("must not be before ", earliest_what, " (",
                                           FormatCst(earliest_us), ")"));
  }
  if (time_us - earliest_us > max_ahead_us) {
    return InvalidField(path, absl::StrCat("must be at most ", max_ahead_us / kMicrosPerDay,
                                           " days after ", earliest_what));
  }
  return absl::OkStatus();
}

absl::Status CheckFen(absl::string_view path, int64_t fen, int64_t min_fen, int64_t max_fen) {
  if (fen < min_fen || fen > max_fen) {
    return InvalidField(path, absl::StrCat("must be from ", FormatYuan(min_fen), " to ",
                                           FormatYuan(max_fen), " (in fen)"));
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view path, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return InvalidField(path, absl::StrCat("must be from ", min, " to ", max, ", got ", value));
  }
  return absl::OkStatus();
}

std::string FormatYuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string yuan = absl::StrCat(abs / 100);
  for (int i = static_cast<int>(yuan.size()) - 3; i > 0; i -= 3) yuan.insert(i, ",");
  std::string out = negative ? "-" : "";
  absl::StrAppend(&out, yuan);
  if (abs % 100 != 0) absl::StrAppend(&out, ".", abs % 100 < 10 ? "0" : "", abs % 100);
  return absl::StrCat(out, " yuan");
}

std::string FormatCst(int64_t time_us) {
  return absl::FormatTime("%Y-%m-%d %H:%M CST", absl::FromUnixMicros(time_us),
                          absl::FixedTimeZone(kCstOffsetSeconds));
}

int CstYear(int64_t time_us) {
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixMicros(time_us), absl::FixedTimeZone(kCstOffsetSeconds));
  return static_cast<int>(civil.year());
}

}  // namespace haven::fields
