#include "services/common/stats/unit_list.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace haven::stats {

std::string NewestFirst(int64_t time_us) {
  const uint64_t order = ~(static_cast<uint64_t>(time_us) ^ (uint64_t{1} << 63));
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(order >> shift));
  return out;
}

std::string ListUnitPrefix(const std::string& prefix, const std::string& unit_id) {
  std::string out = prefix + unit_id;
  out.push_back('\0');
  return out;
}

absl::StatusOr<ListedRows> ListByUnit(
    const storage::ReadModelStore& store, const std::string& ns, const std::string& prefix,
    const std::vector<std::string>& unit_ids, const ListPage& page,
    const std::function<bool(const std::string& value, bool* corrupt)>& match) {
  if (page.page_size > page.max_size) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be at most ", page.max_size));
  }
  const size_t page_size = page.page_size == 0 ? page.default_size : page.page_size;
  std::string after;  // the sort key of the last row of the previous page
  if (!page.page_token.empty() && (!absl::WebSafeBase64Unescape(page.page_token, &after) ||
                                   after.size() < page.min_sort_key_bytes)) {
    return absl::InvalidArgumentError("page_token: not a token this service gave");
  }
  std::vector<std::pair<std::string, std::string>> found;  // (sort key, value)
  for (const std::string& unit : unit_ids) {
    const std::string unit_prefix = ListUnitPrefix(prefix, unit);
    storage::ScanOptions options;
    options.prefix = unit_prefix;
    options.start = after.empty() ? unit_prefix : unit_prefix + after + std::string(1, '\0');
    options.limit = 256;
    size_t matches = 0;
    while (matches <= page_size) {
      absl::StatusOr<std::vector<storage::KeyValue>> rows = store.Scan(ns, options);
      if (!rows.ok()) return rows.status();
      for (storage::KeyValue& row : *rows) {
        bool corrupt = false;
        const bool matched = match(row.value, &corrupt);
        if (corrupt) return absl::DataLossError(absl::StrCat(ns, ": a stored row does not parse"));
        if (!matched) continue;
        found.emplace_back(row.key.substr(unit_prefix.size()), std::move(row.value));
        if (++matches > page_size) break;
      }
      if (rows->size() < options.limit) break;
      options.start = rows->back().key + std::string(1, '\0');
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  ListedRows out;
  for (size_t i = 0; i < found.size() && i < page_size; ++i) {
    out.values.push_back(std::move(found[i].second));
  }
  if (found.size() > page_size) {
    out.next_page_token = absl::WebSafeBase64Escape(found[page_size - 1].first);
  }
  return out;
}

}  // namespace haven::stats
