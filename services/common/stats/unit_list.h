// Lists by org unit: a projection keeps one row per item under
//   prefix unit 0x00 sort-key
// and a query over a unit subtree scans each unit's rows after a cursor
// (at most page + 1 matches per unit) and merges them by sort key.  The
// cursor is the web-safe base64 of the last sort key of the page.
//
// Thread safety: pure functions of the store.
#ifndef HAVEN_SERVICES_COMMON_STATS_UNIT_LIST_H_
#define HAVEN_SERVICES_COMMON_STATS_UNIT_LIST_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/read_model_store.h"

namespace haven::stats {

// 8 bytes that sort newest first: ~(time_us ^ 2^63) big-endian.
std::string NewestFirst(int64_t time_us);

// prefix unit 0x00: the rows of one unit.
std::string ListUnitPrefix(const std::string& prefix, const std::string& unit_id);

struct ListPage {
  // 0 means `default_size`; more than `max_size` is INVALID_ARGUMENT
  // "page_size: ...".
  uint32_t page_size = 0;
  uint32_t default_size = 50;
  uint32_t max_size = 500;
  // "" for the first page; otherwise what the last page returned, else
  // INVALID_ARGUMENT "page_token: ...".
  std::string page_token;
  // Sort keys are at least this long (the shortest valid cursor).
  size_t min_sort_key_bytes = 9;
};

// The raw values of one page of matching rows, in sort-key order, and the
// next page's token (empty on the last page).  `match` gets each value and
// says whether it belongs (false also for a value it cannot parse: it then
// sets *corrupt).
struct ListedRows {
  std::vector<std::string> values;
  std::string next_page_token;
};
absl::StatusOr<ListedRows> ListByUnit(
    const storage::ReadModelStore& store, const std::string& ns, const std::string& prefix,
    const std::vector<std::string>& unit_ids, const ListPage& page,
    const std::function<bool(const std::string& value, bool* corrupt)>& match);

}  // namespace haven::stats

#endif  // HAVEN_SERVICES_COMMON_STATS_UNIT_LIST_H_
