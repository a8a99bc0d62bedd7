#include "services/cases/projections/row_codec.h"

#include <algorithm>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace haven::cases {
namespace {

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool ReadVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// `counters`: (id, value) pairs, ids ascending.
template <typename Counters>
std::string EncodeSorted(const Counters& counters) {
  std::string out;
  uint32_t previous = 0;
  for (const auto& [id, value] : counters) {
    if (value == 0) continue;
    AppendVarint(&out, id - previous);
    AppendVarint(&out, ZigZag(value));
    previous = id;
  }
  return out;
}

}  // namespace

void AppendBigEndian32(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

void AppendBigEndian64(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

uint64_t ReadBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    if (static_cast<uint8_t>(s.back()) != 0xff) {
      s.back() = static_cast<char>(static_cast<uint8_t>(s.back()) + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

std::string EncodeCounters(const CounterMap& counters) { return EncodeSorted(counters); }
std::string EncodeCounterList(const CounterList& counters) { return EncodeSorted(counters); }

void AddCounter(CounterList* counters, uint32_t id, int64_t delta) {
  auto it = std::lower_bound(counters->begin(), counters->end(), id,
                             [](const auto& counter, uint32_t wanted) { return counter.first < wanted; });
  if (it != counters->end() && it->first == id) {
    it->second += delta;
  } else {
    counters->emplace(it, id, delta);
  }
}

bool AddEncodedCounterList(std::string_view encoded, CounterList* sum) {
  uint64_t id = 0;
  while (!encoded.empty()) {
    uint64_t delta = 0;
    uint64_t value = 0;
    if (!ReadVarint(&encoded, &delta) || !ReadVarint(&encoded, &value)) return false;
    id += delta;
    if (id > UINT32_MAX) return false;
    AddCounter(sum, static_cast<uint32_t>(id), UnZigZag(value));
  }
  return true;
}

bool AddEncodedCounters(std::string_view encoded, CounterMap* sum, uint32_t max_id) {
  uint64_t id = 0;
  while (!encoded.empty()) {
    uint64_t delta = 0;
    uint64_t value = 0;
    if (!ReadVarint(&encoded, &delta) || !ReadVarint(&encoded, &value)) return false;
    id += delta;
    if (id > UINT32_MAX) return false;
    if (id > max_id) return true;  // Ids ascend: the rest are larger.
    (*sum)[static_cast<uint32_t>(id)] += UnZigZag(value);
  }
  return true;
}

bool AddEncodedCounters(std::string_view encoded, std::vector<int64_t>* sum) {
  uint64_t id = 0;
  while (!encoded.empty()) {
    uint64_t delta = 0;
    uint64_t value = 0;
    if (!ReadVarint(&encoded, &delta) || !ReadVarint(&encoded, &value)) return false;
    id += delta;
    if (id >= sum->size()) return id <= UINT32_MAX;  // Ids ascend: the rest are past the end.
    (*sum)[id] += UnZigZag(value);
  }
  return true;
}

bool SumEncodedCounters(std::string_view encoded, uint32_t max_id, int64_t* sum) {
  uint64_t id = 0;
  while (!encoded.empty()) {
    uint64_t delta = 0;
    uint64_t value = 0;
    if (!ReadVarint(&encoded, &delta) || !ReadVarint(&encoded, &value)) return false;
    id += delta;
    if (id > max_id) return id <= UINT32_MAX;
    *sum += UnZigZag(value);
  }
  return true;
}

std::string SerializeDeterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace haven::cases
