// Encodings shared by the case projections' rows: fixed-width big-endian
// numbers for keys (bytewise order is numeric order), the sparse counter
// maps of the statistics rows, and deterministic protobuf serialization.
// PROJECTIONS.md specifies the layouts built from them.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_ROW_CODEC_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_ROW_CODEC_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "google/protobuf/message_lite.h"

namespace haven::cases {

void AppendBigEndian32(std::string* out, uint32_t value);
void AppendBigEndian64(std::string* out, uint64_t value);
// Reads 8 bytes; `in` must hold at least 8.
uint64_t ReadBigEndian64(std::string_view in);

// A signed number mapped so that unsigned order is signed order.
inline uint64_t OrderedFromSigned(int64_t v) {
  return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
}
inline int64_t SignedFromOrdered(uint64_t v) {
  return static_cast<int64_t>(v ^ (uint64_t{1} << 63));
}

// The successor of `prefix` in bytewise order among strings that do not
// begin with it (last non-0xff byte incremented, the rest dropped); empty if
// there is none (all 0xff).
std::string PrefixSuccessor(std::string_view prefix);

// Counters by id.  Encoded as varint pairs (id delta from the previous id,
// zigzag value), ids ascending; entries whose value is 0 are left out, so
// equal maps have equal encodings.
using CounterMap = std::map<uint32_t, int64_t>;

std::string EncodeCounters(const CounterMap& counters);
// Adds every counter of `encoded` whose id is at most `max_id` into `*sum`.
// False if `encoded` is malformed (then `*sum` may hold part of it).
bool AddEncodedCounters(std::string_view encoded, CounterMap* sum, uint32_t max_id = UINT32_MAX);

// As AddEncodedCounters into a dense array indexed by id; ids past its end
// are left out.
bool AddEncodedCounters(std::string_view encoded, std::vector<int64_t>* sum);
// Adds the values of the counters of `encoded` whose id is at most
// `max_id` to `*sum`.
bool SumEncodedCounters(std::string_view encoded, uint32_t max_id, int64_t* sum);

// Counters as (id, value) pairs sorted by id: a cheap place to sum many
// deltas into one row.  Encoded as CounterMap.
using CounterList = std::vector<std::pair<uint32_t, int64_t>>;

void AddCounter(CounterList* counters, uint32_t id, int64_t delta);
std::string EncodeCounterList(const CounterList& counters);
// As AddEncodedCounters into a CounterMap (but every id).
bool AddEncodedCounterList(std::string_view encoded, CounterList* sum);

// The message's bytes with deterministic serialization.
std::string SerializeDeterministic(const google::protobuf::MessageLite& message);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_ROW_CODEC_H_
