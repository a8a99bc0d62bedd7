#include "output.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "display_width.h"

namespace haven::cli {
namespace {

using haven::v1::RecordedEvent;

struct Column {
  const char* title;
  int min_width;
  int max_width;  // 0: not truncated.
  bool right_aligned;
};

// The payload is last so it is never padded and never truncated: it is
// what an operator most often needs whole.
constexpr Column kColumnSpecs[] = {
    {"POSITION", 8, 0, true}, {"STREAM", 16, 40, false},  {"VERSION", 7, 0, true},
    {"TYPE", 16, 32, false},  {"RECORDED", 27, 0, false}, {"ACTOR", 8, 20, false},
    {"PAYLOAD", 0, 0, false},
};
constexpr size_t kPayloadColumn = 6;
constexpr char kSeparator[] = "  ";

}  // namespace

std::string FormatTimestampUs(int64_t micros_since_epoch) {
  int64_t seconds = micros_since_epoch / 1000000;
  int64_t micros = micros_since_epoch % 1000000;
  if (micros < 0) {  // Floor, so times before 1970 print correctly.
    micros += 1000000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(micros));
  return buf;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) {
    media.remove_suffix(1);
  }
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front()))) {
    media.remove_prefix(1);
  }
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() &&
         std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n =
        (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string DumpJsonLine(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json EventToJson(const RecordedEvent& event) {
  nlohmann::ordered_json out = {
      {"event_id", event.event_id()},     {"stream_id", event.stream_id()},
      {"version", event.version()},       {"position", event.position()},
      {"event_type", event.event_type()},
  };
  nlohmann::ordered_json payload = nlohmann::ordered_json::value_t::discarded;
  if (IsJsonContentType(event.content_type())) {
    payload = nlohmann::ordered_json::parse(event.payload(), nullptr, /*allow_exceptions=*/false);
  }
  if (payload.is_discarded()) {
    out["payload_base64"] = Base64Encode(event.payload());
  } else {
    out["payload"] = std::move(payload);
  }
  out["content_type"] = event.content_type();
  out["recorded_time"] = FormatTimestampUs(event.recorded_time_us());
  out["actor"] = event.actor();
  out["correlation_id"] = event.correlation_id();
  out["causation_id"] = event.causation_id();
  return out;
}

std::string PayloadSummary(const RecordedEvent& event) {
  const std::string& payload = event.payload();
  if (IsJsonContentType(event.content_type())) {
    const nlohmann::ordered_json parsed =
        nlohmann::ordered_json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) return SanitizeForTerminal(DumpJsonLine(parsed));
  }
  if (!payload.empty() && IsValidUtf8(payload)) return SanitizeForTerminal(payload);
  return "<" + std::to_string(payload.size()) + " bytes>";
}

void EventPrinter::Print(const google::protobuf::RepeatedPtrField<RecordedEvent>& events) {
  if (json_) {
    for (const RecordedEvent& event : events) out_ << DumpJsonLine(EventToJson(event)) << '\n';
    out_.flush();
    return;
  }
  std::vector<Row> rows;
  rows.reserve(events.size());
  for (const RecordedEvent& event : events) rows.push_back(MakeRow(event));
  PrintRows(rows);
}

void EventPrinter::Print(const RecordedEvent& event) {
  if (json_) {
    out_ << DumpJsonLine(EventToJson(event)) << '\n';
    out_.flush();
    return;
  }
  PrintRows({MakeRow(event)});
}

EventPrinter::Row EventPrinter::MakeRow(const RecordedEvent& event) {
  Row row = {
      std::to_string(event.position()),
      SanitizeForTerminal(event.stream_id()),
      std::to_string(event.version()),
      SanitizeForTerminal(event.event_type()),
      FormatTimestampUs(event.recorded_time_us()),
      SanitizeForTerminal(event.actor()),
      PayloadSummary(event),
  };
  for (size_t i = 0; i < kColumns; ++i) {
    if (kColumnSpecs[i].max_width > 0) {
      row[i] = TruncateToWidth(row[i], kColumnSpecs[i].max_width);
    }
  }
  return row;
}

void EventPrinter::PrintRows(const std::vector<Row>& rows) {
  if (rows.empty()) return;
  if (!header_written_) {
    for (size_t i = 0; i < kColumns; ++i) {
      widths_[i] = std::max<int>(kColumnSpecs[i].min_width, DisplayWidth(kColumnSpecs[i].title));
    }
  }
  for (const Row& row : rows) {
    for (size_t i = 0; i < kPayloadColumn; ++i) {
      widths_[i] = std::max(widths_[i], DisplayWidth(row[i]));
    }
  }
  if (!header_written_) {
    Row header;
    for (size_t i = 0; i < kColumns; ++i) header[i] = kColumnSpecs[i].title;
    WriteRow(header);
    header_written_ = true;
  }
  for (const Row& row : rows) WriteRow(row);
  out_.flush();
}

void EventPrinter::WriteRow(const Row& row) {
  std::string line;
  for (size_t i = 0; i < kColumns; ++i) {
    if (i > 0) line += kSeparator;
    if (i == kPayloadColumn) {
      line += row[i];
    } else if (kColumnSpecs[i].right_aligned) {
      line += PadLeft(row[i], widths_[i]);
    } else {
      line += PadRight(row[i], widths_[i]);
    }
  }
  out_ << line << '\n';
}

}  // namespace haven::cli
