// Counter rows: statistics kept as sums of deltas by org unit and CST
// period, so that any span of days over any set of units is a handful of
// range scans, and a past day's answer never changes.  Context-neutral: a
// projection names its counters by number; this module keys, merges and
// sums them.  (The case statistics use the same layout in their own code,
// services/cases/projections/case_stats_keys.h, and can move onto this.)
//
// A row key is  prefix unit 0x00 granularity period family [tail]
//   prefix       the projection's choice, e.g. "s/"
//   granularity  'd' day, 'm' month, 'y' year
//   period       4 bytes big-endian: day number (days since 1970-01-01
//                CST), month index (year * 12 + month - 1) or year
//   family       one byte, the projection's choice ('n' by default)
//   tail         optional, e.g. a partner id
// A row's value is its counters: varint pairs (id delta, zigzag value),
// ids ascending, zeros left out; a row whose counters cancel is deleted.
//
// Every delta is added to the day, month and year rows that hold its day.
// As of a day D: a projection that writes deltas of an event recorded on
// day R only to days R or later gets, by summing days up to D, the answer
// it would have given at the end of D, whatever is recorded later.
//
// Thread safety: pure functions; CounterDeltas is a plain value.
#ifndef HAVEN_SERVICES_COMMON_STATS_COUNTER_ROWS_H_
#define HAVEN_SERVICES_COMMON_STATS_COUNTER_ROWS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/stats/calendar.h"
#include "storage/read_model_store.h"

namespace haven::stats {

enum class Granularity : char { kDay = 'd', kMonth = 'm', kYear = 'y' };
inline constexpr char kCounters = 'n';

// Counters by id.
using CounterMap = std::map<uint32_t, int64_t>;
std::string EncodeCounters(const CounterMap& counters);
// Adds the counters of `encoded` into `*sum` (ids past its end are left
// out).  False if `encoded` is malformed.
bool AddEncodedCounters(std::string_view encoded, std::vector<int64_t>* sum);
bool AddEncodedCounters(std::string_view encoded, CounterMap* sum);

// Deltas are clamped to this day (2000-01-01) and later.
DayNumber FirstBucketDay();

// prefix unit 0x00: every row of one unit.
std::string UnitPrefix(std::string_view prefix, std::string_view unit_id);
// The key of the row of `granularity` that holds `day`.
std::string BucketKey(std::string_view prefix, std::string_view unit_id, Granularity granularity,
                      DayNumber day, char family = kCounters, std::string_view tail = {});

// Buckets [first, last] of one granularity.
struct BucketRange {
  Granularity granularity;
  uint32_t first;
  uint32_t last;
};
// The bucket ranges whose union is exactly the days [from, to] (none if
// from > to): whole years, whole months, then single days; at most 5.
std::vector<BucketRange> Decompose(DayNumber from, DayNumber to);

// The deltas of one event (or a batch), summed per row, then merged into
// the stored rows by Write.
class CounterDeltas {
 public:
  explicit CounterDeltas(std::string prefix) : prefix_(std::move(prefix)) {}

  // Adds `delta` to counter `id` of the unit's rows holding `day`.
  void Add(std::string_view unit_id, DayNumber day, uint32_t id, int64_t delta,
           char family = kCounters, std::string_view tail = {});
  bool empty() const { return rows_.empty(); }

  // Reads, sums and writes back every row touched.  DATA_LOSS if a stored
  // row does not parse.
  absl::Status Write(storage::NamespaceBatch& rows) const;

 private:
  const std::string prefix_;
  std::map<std::string, CounterMap> rows_;
};

// Dense sums of one family's counters (ids below `ids`) over units and a
// period, as of a day: `before` sums the days up to min(from - 1, as_of),
// `during` the days [from, min(to, as_of)].  Balances at the period's end
// are before + during of a delta counter.
struct PeriodSums {
  std::vector<int64_t> before;
  std::vector<int64_t> during;

  int64_t Before(uint32_t id) const { return id < before.size() ? before[id] : 0; }
  int64_t During(uint32_t id) const { return id < during.size() ? during[id] : 0; }
  int64_t AtEnd(uint32_t id) const { return Before(id) + During(id); }
};

struct PeriodQuery {
  std::vector<std::string> unit_ids;
  DayNumber from = 0;
  DayNumber to = 0;
  DayNumber as_of = 0;
  size_t ids = 0;
  char family = kCounters;
};

// Reads the rows of namespace `ns` under `prefix`: for each unit at most a
// few range scans.  DATA_LOSS if a row does not parse; the store's errors.
absl::StatusOr<PeriodSums> SumPeriod(const storage::ReadModelStore& store, std::string_view ns,
                                     std::string_view prefix, const PeriodQuery& query);

// Sums over consecutive spans of days, read in one pass: span i is the days
// [bounds[i], bounds[i + 1] - 1] up to as_of (bounds ascending; a span may
// be empty), each family of `families` (its byte, its number of counter
// ids) summed separately.  For queries that need several periods at once
// (a period and its school terms, before and during) without reading a
// row twice.
struct SpansQuery {
  std::vector<std::string> unit_ids;
  std::vector<DayNumber> bounds;
  DayNumber as_of = 0;
  std::vector<std::pair<char, size_t>> families;
};
// sums[f][i]: the dense sums of family f (its index in `families`) over
// span i.  At most 5 range scans per unit and span; errors as SumPeriod's.
using SpanSums = std::vector<std::vector<std::vector<int64_t>>>;
absl::StatusOr<SpanSums> SumSpans(const storage::ReadModelStore& store, std::string_view ns,
                                  std::string_view prefix, const SpansQuery& query);

}  // namespace haven::stats

#endif  // HAVEN_SERVICES_COMMON_STATS_COUNTER_ROWS_H_
