// Checks of single command fields that every bounded context shares: text,
// ids, enums, phone numbers, ID numbers, money, counts and times.  Each
// returns OK or INVALID_ARGUMENT whose message is "<path>: <rule>".
// Messages never repeat the value checked: a phone number or an address in
// an error message would end up in logs.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_COMMON_FIELD_RULES_H_
#define HAVEN_SERVICES_COMMON_FIELD_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace haven::fields {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// How far ahead of the server's clock a client's "now" may run.
inline constexpr int64_t kClockSkewUs = 5 * kMicrosPerMinute;

// Text limits, in characters (Unicode code points), not bytes.
inline constexpr size_t kMaxNameChars = 64;
inline constexpr size_t kMaxShortTextChars = 200;  // names of bodies, places
inline constexpr size_t kMaxReasonChars = 2'000;
inline constexpr size_t kMaxFreeTextChars = 10'000;  // accounts, notes
inline constexpr size_t kMaxIdBytes = 128;

enum class Presence { kOptional, kRequired };

// Builds the INVALID_ARGUMENT status "<path>: <rule>".
absl::Status InvalidField(absl::string_view path, absl::string_view rule);

// Number of code points in `text`, or -1 if it is not well-formed UTF-8.
int64_t Utf8Length(absl::string_view text);

// One line of text (a name, an address): valid UTF-8, at most `max_chars`
// characters, no control characters or line breaks; when required, not
// empty or blank (spaces, including the ideographic space U+3000).
absl::Status CheckLine(absl::string_view path, absl::string_view text, size_t max_chars,
                       Presence presence);

// Free text (an account, a note): as CheckLine, but tabs and line breaks
// are allowed.
absl::Status CheckFreeText(absl::string_view path, absl::string_view text, size_t max_chars,
                           Presence presence);

// An id or reference: 1..kMaxIdBytes bytes of UTF-8, no spaces or control
// characters.
absl::Status CheckId(absl::string_view path, absl::string_view id, Presence presence);

// An enum value from a command: when required, not the zero value; always a
// value the schema defines (`is_valid` is the generated Foo_IsValid).
absl::Status CheckEnum(absl::string_view path, int value, bool (*is_valid)(int), Presence presence);

// A phone number: a mobile number (11 digits starting with 1) or a fixed
// line (0, area code and number: 10..12 digits, one optional hyphen after
// the area code).
absl::Status CheckPhone(absl::string_view path, absl::string_view phone);

// `time_us` (µs UTC) is not later than now (plus kClockSkewUs) and not
// before `earliest_us`, which `earliest_what` describes ("the case was
// received").
absl::Status CheckPastTime(absl::string_view path, int64_t time_us, int64_t now_us,
                           int64_t earliest_us, absl::string_view earliest_what);

// As CheckPastTime for a time that may lie ahead (a due date): not before
// `earliest_us` and at most `max_ahead_us` after it.
absl::Status CheckTimeWithin(absl::string_view path, int64_t time_us, int64_t earliest_us,
                             absl::string_view earliest_what, int64_t max_ahead_us);

// A time field where 0 means now.
inline int64_t TimeOrNow(int64_t time_us, int64_t now_us) {
  return time_us == 0 ? now_us : time_us;
}

// Money in fen (1 yuan = 100 fen): from `min_fen` to `max_fen` inclusive.
// The message gives the bounds in yuan.
absl::Status CheckFen(absl::string_view path, int64_t fen, int64_t min_fen, int64_t max_fen);

// A whole number (a term in months, a count of jobs) from `min` to `max`.
absl::Status CheckCount(absl::string_view path, int64_t value, int64_t min, int64_t max);

// "2,300,000.50 yuan": fen as yuan, for messages.
std::string FormatYuan(int64_t fen);

// "2024-03-05 14:30 CST": an instant in China Standard Time, for messages.
std::string FormatCst(int64_t time_us);

// The China Standard Time calendar year of an instant.
int CstYear(int64_t time_us);

}  // namespace haven::fields

#endif  // HAVEN_SERVICES_COMMON_FIELD_RULES_H_
