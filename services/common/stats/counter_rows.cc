#include "services/common/stats/counter_rows.h"

#include <algorithm>
#include <utility>

namespace haven::stats {
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

// Calls add(id, value) for each counter of `encoded`; stops (true) when
// add returns false.  False if malformed.
template <typename Add>
bool ForEachCounter(std::string_view encoded, Add add) {
  uint64_t id = 0;
  while (!encoded.empty()) {
    uint64_t delta = 0;
    uint64_t value = 0;
    if (!ReadVarint(&encoded, &delta) || !ReadVarint(&encoded, &value)) return false;
    id += delta;
    if (id > UINT32_MAX) return false;
    if (!add(static_cast<uint32_t>(id), UnZigZag(value))) return true;
  }
  return true;
}

uint32_t PeriodOf(Granularity g, DayNumber day) {
  day = std::max(day, FirstBucketDay());
  switch (g) {
    case Granularity::kDay:
      return static_cast<uint32_t>(day);
    case Granularity::kMonth:
      return static_cast<uint32_t>(MonthIndexOf(day));
    case Granularity::kYear:
      return static_cast<uint32_t>(YearOf(day));
  }
  return 0;
}

void AppendPeriod(std::string* key, Granularity g, uint32_t period) {
  key->push_back(static_cast<char>(g));
  for (int shift = 24; shift >= 0; shift -= 8) key->push_back(static_cast<char>(period >> shift));
}

void AddRange(std::vector<BucketRange>* ranges, Granularity g, uint32_t period) {
  if (!ranges->empty() && ranges->back().granularity == g && ranges->back().last + 1 == period) {
    ranges->back().last = period;
  } else {
    ranges->push_back({g, period, period});
  }
}

absl::Status Corrupt() { return absl::DataLossError("counter rows: a row does not parse"); }

}  // namespace

std::string EncodeCounters(const CounterMap& counters) {
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

bool AddEncodedCounters(std::string_view encoded, std::vector<int64_t>* sum) {
  return ForEachCounter(encoded, [sum](uint32_t id, int64_t value) {
    if (id >= sum->size()) return false;  // Ids ascend: the rest are past the end.
    (*sum)[id] += value;
    return true;
  });
}

bool AddEncodedCounters(std::string_view encoded, CounterMap* sum) {
  return ForEachCounter(encoded, [sum](uint32_t id, int64_t value) {
    (*sum)[id] += value;
    return true;
  });
}

DayNumber FirstBucketDay() { return ToDayNumber(absl::CivilDay(2000, 1, 1)); }

std::string UnitPrefix(std::string_view prefix, std::string_view unit_id) {
  std::string key(prefix);
  key.append(unit_id);
  key.push_back('\0');
  return key;
}

std::string BucketKey(std::string_view prefix, std::string_view unit_id, Granularity granularity,
                      DayNumber day, char family, std::string_view tail) {
  std::string key = UnitPrefix(prefix, unit_id);
  AppendPeriod(&key, granularity, PeriodOf(granularity, day));
  key.push_back(family);
  key.append(tail);
  return key;
}

std::vector<BucketRange> Decompose(DayNumber from, DayNumber to) {
  std::vector<BucketRange> ranges;
  DayNumber d = std::max(from, FirstBucketDay());
  while (d <= to) {
    const int32_t year = YearOf(d);
    const int32_t month = MonthIndexOf(d);
    if (d == FirstDayOfYear(year) && LastDayOfYear(year) <= to) {
      AddRange(&ranges, Granularity::kYear, static_cast<uint32_t>(year));
      d = LastDayOfYear(year) + 1;
    } else if (d == FirstDayOfMonthIndex(month) && LastDayOfMonthIndex(month) <= to) {
      AddRange(&ranges, Granularity::kMonth, static_cast<uint32_t>(month));
      d = LastDayOfMonthIndex(month) + 1;
    } else {
      AddRange(&ranges, Granularity::kDay, static_cast<uint32_t>(d));
      d = d + 1;
    }
  }
  return ranges;
}

void CounterDeltas::Add(std::string_view unit_id, DayNumber day, uint32_t id, int64_t delta,
                        char family, std::string_view tail) {
  if (delta == 0) return;
  for (Granularity g : {Granularity::kDay, Granularity::kMonth, Granularity::kYear}) {
    rows_[BucketKey(prefix_, unit_id, g, day, family, tail)][id] += delta;
  }
}

absl::Status CounterDeltas::Write(storage::NamespaceBatch& rows) const {
  for (const auto& [key, deltas] : rows_) {
    absl::StatusOr<std::optional<std::string>> stored = rows.Get(key);
    if (!stored.ok()) return stored.status();
    CounterMap sum;
    if (stored->has_value() && !AddEncodedCounters(**stored, &sum)) return Corrupt();
    for (const auto& [id, delta] : deltas) sum[id] += delta;
    const std::string encoded = EncodeCounters(sum);
    if (encoded.empty()) {
      rows.Delete(key);
    } else {
      rows.Put(key, encoded);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SpanSums> SumSpans(const storage::ReadModelStore& store, std::string_view ns,
                                  std::string_view prefix, const SpansQuery& query) {
  const size_t spans = query.bounds.size() < 2 ? 0 : query.bounds.size() - 1;
  SpanSums sums(query.families.size());
  for (size_t f = 0; f < query.families.size(); ++f) {
    sums[f].assign(spans, std::vector<int64_t>(query.families[f].second, 0));
  }
  std::vector<std::vector<BucketRange>> ranges(spans);
  for (size_t i = 0; i < spans; ++i) {
    ranges[i] = Decompose(query.bounds[i], std::min(query.bounds[i + 1] - 1, query.as_of));
  }
  for (const std::string& unit : query.unit_ids) {
    const std::string unit_prefix = UnitPrefix(prefix, unit);
    // granularity, 4 period bytes, family, tail.
    const size_t family_at = unit_prefix.size() + 5;
    for (size_t i = 0; i < spans; ++i) {
      for (const BucketRange& range : ranges[i]) {
        storage::ScanOptions options;
        options.start = unit_prefix;
        AppendPeriod(&options.start, range.granularity, range.first);
        options.end = unit_prefix;
        AppendPeriod(&options.end, range.granularity, range.last + 1);
        options.limit = storage::ScanOptions::kNoLimit;
        absl::StatusOr<std::vector<storage::KeyValue>> rows = store.Scan(ns, options);
        if (!rows.ok()) return rows.status();
        for (const storage::KeyValue& row : *rows) {
          if (row.key.size() <= family_at) return Corrupt();
          if (row.key.size() != family_at + 1) continue;  // a row with a tail
          for (size_t f = 0; f < query.families.size(); ++f) {
            if (row.key[family_at] != query.families[f].first) continue;
            if (!AddEncodedCounters(row.value, &sums[f][i])) return Corrupt();
          }
        }
      }
    }
  }
  return sums;
}

absl::StatusOr<PeriodSums> SumPeriod(const storage::ReadModelStore& store, std::string_view ns,
                                     std::string_view prefix, const PeriodQuery& query) {
  SpansQuery spans;
  spans.unit_ids = query.unit_ids;
  spans.bounds = {FirstBucketDay(), query.from, query.to + 1};
  spans.as_of = query.as_of;
  spans.families = {{query.family, query.ids}};
  absl::StatusOr<SpanSums> sums = SumSpans(store, ns, prefix, spans);
  if (!sums.ok()) return sums.status();
  PeriodSums period;
  period.before = std::move((*sums)[0][0]);
  period.during = std::move((*sums)[0][1]);
  return period;
}

}  // namespace haven::stats
