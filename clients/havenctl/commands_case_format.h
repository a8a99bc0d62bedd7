// Pure helpers of the unit and case commands: readable names for proto enum
// values (taken from the enum descriptors, so the lists never drift from the
// schema), Chinese labels for display, China Standard Time, and money.
#ifndef HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_FORMAT_H_
#define HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_FORMAT_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven::cli {

// The prefix every value of an enum carries by the style guide: the enum's
// name in UPPER_SNAKE_CASE and "_", e.g. "VULNERABILITY_TAG_" for
// VulnerabilityTag.
std::string EnumValuePrefix(const google::protobuf::EnumDescriptor* type);

// A value's name as a flag takes it: lower case, without the prefix, e.g.
// "hotline" for CHANNEL_HOTLINE, "domestic_violence" for
// CATEGORY_DOMESTIC_VIOLENCE.  Unknown numbers give the number in decimal.
std::string EnumFlagName(const google::protobuf::EnumDescriptor* type, int number);

// Parses a flag value into an enum number: the short name in any case, with
// '-' or '_' between words ("domestic-violence", "DOMESTIC_VIOLENCE"), or the
// full value name.  The *_UNSPECIFIED value is never accepted.
std::optional<int> ParseEnumFlag(const google::protobuf::EnumDescriptor* type,
                                 std::string_view text);

// Parses a comma-separated list of enum flag values; nullopt when any item
// is unknown or empty.  An empty text gives an empty list.
std::optional<std::vector<int>> ParseEnumListFlag(const google::protobuf::EnumDescriptor* type,
                                                  std::string_view text);

// "hotline, letter, visit, ..." (every value but UNSPECIFIED).
std::string EnumFlagChoices(const google::protobuf::EnumDescriptor* type);

// The Chinese label of a value for display, e.g. "12338热线" for
// CHANNEL_HOTLINE; the flag name when the table has none (a value added to
// the schema later still shows).
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int number);

// "12338热线 (hotline)"; "—" for UNSPECIFIED (0).
std::string EnumLabelWithName(const google::protobuf::EnumDescriptor* type, int number);

template <typename E>
const google::protobuf::EnumDescriptor* EnumType() {
  return google::protobuf::GetEnumDescriptor<E>();
}

// UTC+8, the calendar the federation works in.
inline constexpr int64_t kCstOffsetSeconds = 8 * 3600;

// "2024-05-01 14:30:05" in China Standard Time; "—" for 0.
std::string FormatCst(int64_t micros_since_epoch);
// "2024-05-01 14:30" in China Standard Time; "—" for 0.
std::string FormatCstMinutes(int64_t micros_since_epoch);

// Parses a time flag into µs since the epoch:
//   now | +3d | -2h | -30m | +90s      relative to now_us
//   2024-05-01                         midnight, China Standard Time
//   2024-05-01 14:30[:05]              China Standard Time ('T' also allowed)
//   2024-05-01T06:30:05Z               UTC; also with +08:00 style offsets
// nullopt when the text is none of these or not a real date.
std::optional<int64_t> ParseTimeFlag(std::string_view text, int64_t now_us);

// Yuan with at most two decimals ("1500", "1500.5", "1,500.50") into fen;
// nullopt for anything else, negatives or more than 10^12 yuan.
std::optional<int64_t> ParseYuanToFen(std::string_view text);

// Fen as "1,500.50元".
std::string FormatFen(int64_t fen);

// Splits on ',' and trims spaces; empty items are kept (callers reject them).
std::vector<std::string> SplitList(std::string_view text);

// Rows aligned in columns by display width (Chinese counts two columns),
// two spaces apart, the header first when not empty; the last column is not
// padded.  Cells are sanitized for the terminal.  Columns whose index is in
// `right_aligned` are padded on the left (numbers).
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<size_t>& right_aligned = {});

// "label  value" lines with the values aligned; a value with line breaks
// continues under its first line.
std::string FormatFields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_FORMAT_H_
