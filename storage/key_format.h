// Keys and values of the RocksDB log.  The layout is specified in FORMAT.md;
// change the two together.
#ifndef HAVEN_STORAGE_KEY_FORMAT_H_
#define HAVEN_STORAGE_KEY_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/append_rules.h"

namespace haven::storage::keys {

// Column family names.
inline constexpr char kLogFamily[] = "log";
inline constexpr char kStreamsFamily[] = "streams";
inline constexpr char kEventIdsFamily[] = "event_ids";
// Key in the default family holding the format version.
inline constexpr char kFormatVersionKey[] = "format_version";
inline constexpr char kFormatVersion[] = "1";

void PutFixed64BigEndian(std::string* out, uint64_t value);
uint64_t DecodeFixed64BigEndian(std::string_view in);

// "log": position, 8 bytes big-endian.
std::string LogKey(uint64_t position);
// "streams": one entry per append, keyed by the stream and the append's
// first version: stream bytes, 0x00, version as 8 bytes big-endian.
std::string StreamKey(std::string_view stream, uint64_t version);
// The prefix every key of `stream` starts with (stream bytes, 0x00).
std::string StreamPrefix(std::string_view stream);
// Version of a "streams" key.
uint64_t StreamKeyVersion(std::string_view key);

// "streams" value: the events of one append to a stream, at consecutive
// versions from the key's and consecutive positions from first_position:
// first_position (8 bytes BE), count (4 bytes BE).
struct StreamRange {
  uint64_t first_version = 0;
  uint64_t first_position = 0;
  uint32_t count = 0;

  uint64_t last_version() const { return first_version + count - 1; }
  uint64_t PositionOf(uint64_t version) const { return first_position + (version - first_version); }
};
std::string EncodeStreamRange(const StreamRange& range);
// Decodes a "streams" entry; nullopt if it is malformed.
std::optional<StreamRange> DecodeStreamRange(std::string_view key, std::string_view value);

// "event_ids" value: position, version (8 bytes BE each), index in append,
// append size (4 bytes BE each), stream bytes.
std::string EncodeStoredEventId(const StoredEventId& id);
std::optional<StoredEventId> DecodeStoredEventId(std::string_view value);

}  // namespace haven::storage::keys

#endif  // HAVEN_STORAGE_KEY_FORMAT_H_
