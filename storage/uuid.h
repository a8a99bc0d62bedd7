// UUIDs as event ids: canonical text <-> 16 raw bytes.
#ifndef HAVEN_STORAGE_UUID_H_
#define HAVEN_STORAGE_UUID_H_

#include <optional>
#include <string>
#include <string_view>

namespace haven::storage {

// Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex digits of either case)
// into 16 bytes; nullopt if `text` is not in that form.
std::optional<std::string> ParseUuid(std::string_view text);

// Formats 16 raw bytes as lowercase canonical text.
std::string FormatUuid(std::string_view bytes);

// A random version-4 UUID in canonical text, from the kernel's CSPRNG: the
// id of an event that is never retried as such (an access record).
std::string NewRandomUuid();

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_UUID_H_
