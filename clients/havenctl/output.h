// How havenctl shows events: an aligned table for people, or one JSON object
// per line for scripts.
#ifndef HAVEN_CLIENTS_HAVENCTL_OUTPUT_H_
#define HAVEN_CLIENTS_HAVENCTL_OUTPUT_H_

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "haven/v1/event_store.pb.h"

namespace haven::cli {

// ISO-8601 UTC with microseconds, e.g. "2024-05-01T08:30:00.123456Z".
std::string FormatTimestampUs(int64_t micros_since_epoch);

// True for "application/json", ignoring case and parameters such as
// "; charset=utf-8".
bool IsJsonContentType(std::string_view content_type);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view bytes);

// Serializes on one line, compact, keeping key order and non-ASCII UTF-8 as
// is; malformed UTF-8 in strings is replaced with U+FFFD rather than failing.
std::string DumpJsonLine(const nlohmann::ordered_json& value);

// The event as a JSON object with the proto's field names in the proto's
// order (a JSON payload keeps its own key order); the time as
// "recorded_time" (ISO-8601).  A JSON payload (by content type, and parsable)
// becomes a nested value under "payload"; anything else is base64 under
// "payload_base64".
nlohmann::ordered_json EventToJson(const haven::v1::RecordedEvent& event);

// The payload as one line of terminal-safe text: compact JSON for JSON
// payloads, the text itself for other valid UTF-8, or "<N bytes>".
std::string PayloadSummary(const haven::v1::RecordedEvent& event);

// Prints events as table rows or JSON lines.  Table columns are aligned by
// display width; since events arrive in batches (pages, a live
// subscription), column widths only grow, from a sensible minimum, and long
// stream ids, types and actors are truncated.  The header is printed before
// the first row.  Output is flushed after every call.
class EventPrinter {
 public:
  EventPrinter(std::ostream& out, bool json) : out_(out), json_(json) {}

  void Print(const google::protobuf::RepeatedPtrField<haven::v1::RecordedEvent>& events);
  void Print(const haven::v1::RecordedEvent& event);

 private:
  static constexpr size_t kColumns = 7;
  using Row = std::array<std::string, kColumns>;

  static Row MakeRow(const haven::v1::RecordedEvent& event);
  void PrintRows(const std::vector<Row>& rows);
  void WriteRow(const Row& row);

  std::ostream& out_;
  const bool json_;
  bool header_written_ = false;
  std::array<int, kColumns> widths_{};
};

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_OUTPUT_H_
