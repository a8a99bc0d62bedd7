#include "storage/key_format.h"

namespace haven::storage::keys {
namespace {

void PutFixed32BigEndian(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

uint32_t DecodeFixed32BigEndian(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

void PutFixed64BigEndian(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

uint64_t DecodeFixed64BigEndian(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string LogKey(uint64_t position) {
  std::string key;
  PutFixed64BigEndian(&key, position);
  return key;
}

std::string StreamPrefix(std::string_view stream) {
  std::string key(stream);
  key.push_back('\0');
  return key;
}

std::string StreamKey(std::string_view stream, uint64_t version) {
  std::string key = StreamPrefix(stream);
  PutFixed64BigEndian(&key, version);
  return key;
}

uint64_t StreamKeyVersion(std::string_view key) {
  return DecodeFixed64BigEndian(key.substr(key.size() - 8));
}

std::string EncodeStreamRange(const StreamRange& range) {
  std::string value;
  PutFixed64BigEndian(&value, range.first_position);
  PutFixed32BigEndian(&value, range.count);
  return value;
}

std::optional<StreamRange> DecodeStreamRange(std::string_view key, std::string_view value) {
  if (key.size() < 9 || value.size() != 12) return std::nullopt;
  StreamRange range;
  range.first_version = StreamKeyVersion(key);
  range.first_position = DecodeFixed64BigEndian(value.substr(0, 8));
  range.count = DecodeFixed32BigEndian(value.substr(8, 4));
  if (range.count == 0) return std::nullopt;
  return range;
}

std::string EncodeStoredEventId(const StoredEventId& id) {
  std::string value;
  value.reserve(24 + id.stream.size());
  PutFixed64BigEndian(&value, id.position);
  PutFixed64BigEndian(&value, id.version);
  PutFixed32BigEndian(&value, id.index_in_append);
  PutFixed32BigEndian(&value, id.append_size);
  value.append(id.stream);
  return value;
}

std::optional<StoredEventId> DecodeStoredEventId(std::string_view value) {
  if (value.size() < 24) return std::nullopt;
  StoredEventId id;
  id.position = DecodeFixed64BigEndian(value.substr(0, 8));
  id.version = DecodeFixed64BigEndian(value.substr(8, 8));
  id.index_in_append = DecodeFixed32BigEndian(value.substr(16, 4));
  id.append_size = DecodeFixed32BigEndian(value.substr(20, 4));
  id.stream = std::string(value.substr(24));
  return id;
}

}  // namespace haven::storage::keys
