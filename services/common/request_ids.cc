#include "services/common/request_ids.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace haven::services {
namespace {

// FNV-1a over 128 bits (offset basis and prime from the FNV specification).
struct Fnv128 {
  unsigned __int128 state = (static_cast<unsigned __int128>(0x6c62272e07bb0142ULL) << 64) |
                            0x62b821756295c58dULL;
  void Add(const std::string& bytes) {
    static const unsigned __int128 kPrime =
        (static_cast<unsigned __int128>(0x0000000001000000ULL) << 64) | 0x000000000000013BULL;
    for (unsigned char c : bytes) {
      state ^= c;
      state *= kPrime;
    }
    state ^= 0xff;  // Separator, so ("ab","c") and ("a","bc") differ.
    state *= kPrime;
  }
};

}  // namespace

std::string EventIdFor(const std::string& request_id, const std::string& stream, size_t index) {
  Fnv128 hash;
  hash.Add(request_id);
  hash.Add(stream);
  hash.Add(absl::StrCat(index));
  unsigned char bytes[16];
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(hash.state);
    hash.state >>= 8;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x80;  // Version 8.
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 9562 variant.
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0xf]);
  }
  return text;
}

absl::Status ValidateRequestId(const std::string& request_id, const std::string& field) {
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is required (a unique id per request, e.g. a UUID)"));
  }
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be at most 128 bytes"));
  }
  for (unsigned char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be printable ASCII without spaces"));
    }
  }
  return absl::OkStatus();
}

}  // namespace haven::services
