#include "storage/validation.h"

#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "storage/uuid.h"

namespace haven::storage {
namespace {

absl::Status Invalid(const std::string& field, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// C0 controls, DEL, and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F).
bool HasControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      return true;
    }
  }
  return false;
}

absl::Status ValidateText(const std::string& field, std::string_view text, size_t max_bytes,
                          bool required) {
  if (required && text.empty()) return Invalid(field, "must not be empty");
  if (text.size() > max_bytes) {
    return Invalid(field, absl::StrCat("must be at most ", max_bytes, " bytes, got ",
                                       text.size()));
  }
  if (!IsValidUtf8(text)) return Invalid(field, "must be valid UTF-8");
  return absl::OkStatus();
}

absl::Status ValidateEvent(const NewEvent& event, const std::string& prefix) {
  if (event.event_id.empty()) return Invalid(prefix + ".event_id", "is required (a UUID)");
  if (!ParseUuid(event.event_id)) {
    return Invalid(prefix + ".event_id",
                   "must be a UUID in canonical form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  }
  if (auto s = ValidateText(prefix + ".event_type", event.type, kMaxEventTypeBytes, true);
      !s.ok()) {
    return s;
  }
  if (event.payload.size() > kMaxPayloadBytes) {
    return Invalid(prefix + ".payload", absl::StrCat("must be at most ", kMaxPayloadBytes,
                                                     " bytes (1 MiB), got ",
                                                     event.payload.size()));
  }
  struct ShortField {
    const char* name;
    const std::string& value;
  };
  for (const ShortField& f : {ShortField{".content_type", event.content_type},
                              ShortField{".correlation_id", event.correlation_id},
                              ShortField{".causation_id", event.causation_id},
                              ShortField{".actor", event.actor}}) {
    if (auto s = ValidateText(prefix + f.name, f.value, kMaxShortFieldBytes, false); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

absl::Status ValidateStreamId(std::string_view stream, const std::string& field) {
  if (auto s = ValidateText(field, stream, kMaxStreamIdBytes, true); !s.ok()) return s;
  if (HasControlCharacter(stream)) return Invalid(field, "must not contain control characters");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ValidateAppend(std::string_view stream,
                                                        const std::vector<NewEvent>& events) {
  if (auto s = ValidateStreamId(stream); !s.ok()) return s;
  if (events.empty()) return Invalid("events", "must hold at least one event");
  if (events.size() > kMaxEventsPerAppend) {
    return Invalid("events", absl::StrCat("must hold at most ", kMaxEventsPerAppend,
                                          " events per append, got ", events.size()));
  }
  size_t total_payload = 0;
  std::vector<std::string> ids;
  ids.reserve(events.size());
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string prefix = absl::StrCat("events[", i, "]");
    if (auto s = ValidateEvent(events[i], prefix); !s.ok()) return s;
    total_payload += events[i].payload.size();
    std::string id = *ParseUuid(events[i].event_id);
    if (!seen.insert(id).second) {
      return Invalid(prefix + ".event_id", "repeats an event id of the same append");
    }
    ids.push_back(std::move(id));
  }
  if (total_payload > kMaxAppendPayloadBytes) {
    return Invalid("events", absl::StrCat("payloads must total at most ", kMaxAppendPayloadBytes,
                                          " bytes (8 MiB) per append, got ", total_payload));
  }
  return ids;
}

}  // namespace haven::storage
