#include "services/cases/projections/case_stats_keys.h"

#include <algorithm>
#include <tuple>

#include "services/cases/projections/row_codec.h"

namespace haven::cases::stats_keys {
namespace {

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
  AppendBigEndian32(key, period);
}

void AddRange(std::vector<BucketRange>* ranges, Granularity g, uint32_t period) {
  if (!ranges->empty() && ranges->back().granularity == g && ranges->back().last + 1 == period) {
    ranges->back().last = period;
  } else {
    ranges->push_back({g, period, period});
  }
}

}  // namespace

DayNumber FirstBucketDay() { return ToDayNumber(absl::CivilDay(2000, 1, 1)); }

std::string UnitPrefix(std::string_view unit_id) {
  std::string key = "s/";
  key.append(unit_id);
  key.push_back('\0');
  return key;
}

std::string BucketKey(Family family, std::string_view unit_id, Granularity granularity,
                      DayNumber day, std::string_view tail) {
  std::string key = UnitPrefix(unit_id);
  AppendPeriod(&key, granularity, PeriodOf(granularity, day));
  key.push_back(static_cast<char>(family));
  key.append(tail);
  return key;
}

bool ParseBucketKey(std::string_view key, BucketKeyParts* parts) {
  if (key.size() < 6) return false;
  parts->granularity = static_cast<Granularity>(key[0]);
  parts->period = 0;
  for (int i = 1; i <= 4; ++i) parts->period = (parts->period << 8) | static_cast<uint8_t>(key[i]);
  parts->family = static_cast<Family>(key[5]);
  parts->tail = key.substr(6);
  return true;
}

bool Contains(const std::vector<BucketRange>& ranges, Granularity granularity, uint32_t period) {
  for (const BucketRange& r : ranges) {
    if (r.granularity == granularity && r.first <= period && period <= r.last) return true;
  }
  return false;
}

std::vector<BucketRange> MergeForScan(std::vector<BucketRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const BucketRange& a, const BucketRange& b) {
    return std::tie(a.granularity, a.first) < std::tie(b.granularity, b.first);
  });
  std::vector<BucketRange> merged;
  for (const BucketRange& r : ranges) {
    const uint32_t gap = r.granularity == Granularity::kDay ? 0 : 2;
    if (!merged.empty() && merged.back().granularity == r.granularity &&
        r.first <= merged.back().last + 1 + gap) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

std::vector<BucketRange> Decompose(DayNumber from, DayNumber to) {
  std::vector<BucketRange> ranges;
  from = std::max(from, FirstBucketDay());
  DayNumber d = from;
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

std::string RangeStart(std::string_view unit_prefix, const BucketRange& range) {
  std::string key(unit_prefix);
  AppendPeriod(&key, range.granularity, range.first);
  return key;
}

std::string RangeEnd(std::string_view unit_prefix, const BucketRange& range) {
  std::string key(unit_prefix);
  AppendPeriod(&key, range.granularity, range.last + 1);
  return key;
}

}  // namespace haven::cases::stats_keys
