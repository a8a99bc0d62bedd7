// Small-cell suppression for statistics shown outside the unit they count:
// a count of 1 to 4 cases in a village can name the woman behind it.
// Works on any statistics message by reflection, so every context's
// statistics follow the same rule.
#ifndef HAVEN_SERVICES_COMMON_SMALL_CELLS_H_
#define HAVEN_SERVICES_COMMON_SMALL_CELLS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace haven::services {

// Counts below this (and above 0) are withheld.
inline constexpr int64_t kMinPublishedCount = 5;

struct SmallCellRules {
  // Integer fields that are not counts of cases (bucket bounds, ids, sums
  // of seconds or money), by field name; never withheld for themselves.
  std::vector<std::string> not_counts = {"bucket"};
  // Fields derived from a count in the same message (a mean over the
  // closures, money granted): withheld when that count is.  Field name →
  // the count's field name.
  std::map<std::string, std::string> derived_from;
  // Fields ending so (sums of money) are no counts, and are withheld with
  // every count of their message when any count there is.
  std::string sum_suffix = "_fen";
  // Messages (by full name) of the form numerator/denominator: withheld
  // whole when the denominator is small.
  std::string rate_message = "haven.cases.v1.Rate";
};

// Clears every small count in `statistics` (recursively, repeated fields
// included) and everything derived from it, and returns the paths cleared,
// e.g. "dv_alarms", "opened_by_channel[2].count", "closure_rate".
std::vector<std::string> SuppressSmallCells(google::protobuf::Message& statistics,
                                            const SmallCellRules& rules);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_SMALL_CELLS_H_
