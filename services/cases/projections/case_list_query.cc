#include "services/cases/projections/case_list_query.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "absl/strings/escaping.h"
#include "services/cases/projections/case_list_keys.h"
#include "services/cases/projections/case_list_projection.h"
#include "services/cases/projections/row_codec.h"

namespace haven::cases {
namespace {

constexpr size_t kMaxPageSize = 1000;
constexpr size_t kMinChunk = 4;
constexpr size_t kMaxChunk = 1024;
constexpr size_t kSortValueBytes = 8;

// One index family prefix, read in chunks in sort-key order.
struct Range {
  std::string prefix;
  std::string start;  // Inclusive lower bound of the next chunk (whole key).
  std::string end;    // Exclusive upper bound (whole key); empty: none.
  size_t chunk = kMinChunk;
  bool exhausted = false;
  std::vector<storage::KeyValue> rows;
  size_t next = 0;

  bool HasHead() const { return next < rows.size(); }
  std::string_view SortKey() const {
    return std::string_view(rows[next].key).substr(prefix.size());
  }
};

absl::Status Fill(const storage::ReadModelStore& store, Range& range, size_t* rows_read) {
  range.rows.clear();
  range.next = 0;
  if (range.exhausted) return absl::OkStatus();
  storage::ScanOptions options;
  options.start = range.start;
  options.end = range.end;
  options.prefix = range.prefix;
  options.limit = range.chunk;
  absl::StatusOr<std::vector<storage::KeyValue>> rows = store.Scan(kCaseListNamespace, options);
  if (!rows.ok()) return rows.status();
  range.rows = std::move(*rows);
  *rows_read += range.rows.size();
  if (range.rows.size() < range.chunk) {
    range.exhausted = true;
  } else {
    range.start = range.rows.back().key;
    range.start.push_back('\0');
    range.chunk = std::min(range.chunk * 4, kMaxChunk);
  }
  return absl::OkStatus();
}

char SortTag(CaseListSort sort) { return sort == CaseListSort::kOpenedNewestFirst ? 'o' : 'd'; }

std::string EncodeCursor(CaseListSort sort, std::string_view sort_key) {
  std::string raw(1, SortTag(sort));
  raw.append(sort_key);
  return absl::WebSafeBase64Escape(raw);
}

// The sort key a cursor holds.
absl::StatusOr<std::string> DecodeCursor(const std::string& cursor, CaseListSort sort) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(cursor, &raw) || raw.size() <= 1 + kSortValueBytes) {
    return absl::InvalidArgumentError("cursor: not a cursor returned by ListCases");
  }
  if (raw[0] != SortTag(sort)) {
    return absl::InvalidArgumentError("cursor: it continues a list in another sort order");
  }
  return raw.substr(1);
}

struct Plan {
  std::vector<Range> ranges;
  bool empty = false;  // Nothing can match.
};

// The units a filter names, sorted and without repeats; nullopt if it
// names none.
absl::StatusOr<std::optional<std::vector<std::string>>> FilterUnits(
    const CaseListFilter& filter, services::DirectoryView* directory) {
  std::vector<std::string> units;
  if (!filter.unit_subtree.empty()) {
    if (directory == nullptr) {
      return absl::FailedPreconditionError(
          "filter.unit_subtree: this reader has no directory to expand a subtree");
    }
    absl::StatusOr<std::vector<std::string>> subtree = directory->Subtree(filter.unit_subtree);
    if (!subtree.ok()) return subtree.status();
    units = std::move(*subtree);
  } else if (!filter.unit_ids.empty()) {
    units = filter.unit_ids;
  } else {
    return std::nullopt;
  }
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  return units;
}

Plan MakePlan(const ListCasesRequest& request, const std::optional<std::vector<std::string>>& units,
              const std::string& cursor_key) {
  const CaseListFilter& f = request.filter;
  Plan plan;
  std::vector<std::string> prefixes;
  std::string lo;
  std::optional<std::string> hi;
  if (request.sort == CaseListSort::kOpenedNewestFirst) {
    std::vector<std::string> bases;
    if (!f.assignee.empty()) {
      bases.push_back(list_keys::AssigneeBase(f.assignee));
    } else if (units) {
      for (const std::string& unit : *units) {
        bases.push_back(f.category ? list_keys::UnitCategoryBase(unit, *f.category)
                                   : list_keys::UnitBase(unit));
      }
    } else if (f.category) {
      bases.push_back(list_keys::CategoryBase(*f.category));
    } else if (f.channel) {
      bases.push_back(list_keys::ChannelBase(*f.channel));
    } else {
      bases.push_back(list_keys::AllBase());
    }
    std::vector<char> statuses;
    if (f.overdue_follow_up && f.status == CaseStatus::kClosed) plan.empty = true;
    if (f.status) {
      statuses.push_back(list_keys::StatusByte(*f.status == CaseStatus::kClosed));
    } else if (f.overdue_follow_up) {
      statuses.push_back(list_keys::kOpenStatus);
    } else {
      statuses = {list_keys::kClosedStatus, list_keys::kOpenStatus};
    }
    for (const std::string& base : bases) {
      for (char status : statuses) prefixes.push_back(base + status);
    }
    if (f.opened_before_us) {
      if (*f.opened_before_us == std::numeric_limits<int64_t>::min())
        plan.empty = true;
      else
        lo = list_keys::OpenedSortPrefix(*f.opened_before_us - 1);
    }
    if (f.opened_from_us) {
      const uint64_t newest_allowed = ~OrderedFromSigned(*f.opened_from_us);
      if (newest_allowed != std::numeric_limits<uint64_t>::max()) {
        hi.emplace();
        AppendBigEndian64(&*hi, newest_allowed + 1);
      }
    }
  } else {
    if (f.status == CaseStatus::kClosed) plan.empty = true;
    if (units) {
      for (const std::string& unit : *units) prefixes.push_back(list_keys::UnitDueBase(unit));
    } else {
      prefixes.push_back(list_keys::DueBase());
    }
    if (f.overdue_follow_up) hi = list_keys::DueSortPrefix(f.now_us);
  }
  if (!cursor_key.empty()) {
    std::string after = cursor_key;
    after.push_back('\0');
    lo = std::max(lo, after);
  }
  if (hi && *hi <= lo) plan.empty = true;
  if (plan.empty) return plan;
  // About two pages over all ranges, at least kMinChunk (or a page) each.
  const size_t per_range = std::min(
      std::max(kMinChunk, (2 * (request.page_size + 1)) / prefixes.size()), request.page_size + 1);
  for (std::string& prefix : prefixes) {
    Range range;
    range.start = prefix + lo;
    if (hi) range.end = prefix + *hi;
    range.prefix = std::move(prefix);
    range.chunk = per_range;
    plan.ranges.push_back(std::move(range));
  }
  return plan;
}

bool Matches(const CaseListFilter& f, const std::unordered_set<std::string>* units,
             const rowpb::CaseListEntry& e) {
  if (f.status && e.closed() != (*f.status == CaseStatus::kClosed)) return false;
  if (f.category && e.category() != *f.category) return false;
  if (f.channel && e.channel() != *f.channel) return false;
  if (units && units->count(e.org_unit_id()) == 0) return false;
  if (!f.assignee.empty() && e.assignee() != f.assignee) return false;
  if (f.opened_from_us && e.opened_at_us() < *f.opened_from_us) return false;
  if (f.opened_before_us && e.opened_at_us() >= *f.opened_before_us) return false;
  if (f.overdue_follow_up &&
      (e.closed() || e.next_follow_up_due_us() == 0 || e.next_follow_up_due_us() >= f.now_us)) {
    return false;
  }
  return true;
}

CaseListItem ItemOf(rowpb::CaseListEntry& e) {
  CaseListItem item;
  item.case_id = std::move(*e.mutable_case_id());
  item.status = e.closed() ? CaseStatus::kClosed : CaseStatus::kOpen;
  item.category = static_cast<v1::Category>(e.category());
  item.channel = static_cast<v1::Channel>(e.channel());
  item.org_unit_id = std::move(*e.mutable_org_unit_id());
  item.assignee = std::move(*e.mutable_assignee());
  item.opened_at_us = e.opened_at_us();
  if (e.next_follow_up_due_us() != 0) item.next_follow_up_due_us = e.next_follow_up_due_us();
  item.urgency = static_cast<v1::Urgency>(e.urgency());
  item.priority = e.priority();
  item.risk = static_cast<v1::RiskLevel>(e.risk());
  return item;
}

}  // namespace

absl::StatusOr<CaseListPage> CaseListReader::ListCases(const ListCasesRequest& request,
                                                       const ReadOptions& read) const {
  if (request.page_size == 0 || request.page_size > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: must be 1..1000");
  }
  const CaseListFilter& filter = request.filter;
  if (filter.overdue_follow_up && filter.now_us == 0) {
    return absl::InvalidArgumentError("filter.now_us: required with overdue_follow_up");
  }
  std::string cursor_key;
  if (!request.cursor.empty()) {
    absl::StatusOr<std::string> key = DecodeCursor(request.cursor, request.sort);
    if (!key.ok()) return key.status();
    cursor_key = std::move(*key);
  }
  absl::StatusOr<std::optional<std::vector<std::string>>> units = FilterUnits(filter, directory_);
  if (!units.ok()) return units.status();
  if (absl::Status s = AwaitPosition(runner_, store_, kCaseListNamespace, read); !s.ok()) return s;

  CaseListPage page;
  Plan plan = MakePlan(request, *units, cursor_key);
  if (plan.empty) return page;
  std::optional<std::unordered_set<std::string>> unit_set;
  if (*units) unit_set.emplace((*units)->begin(), (*units)->end());

  std::vector<Range>& ranges = plan.ranges;
  for (Range& range : ranges) {
    if (absl::Status s = Fill(store_, range, &page.rows_read); !s.ok()) return s;
  }
  auto later = [&ranges](size_t a, size_t b) { return ranges[a].SortKey() > ranges[b].SortKey(); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heads(later);
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].HasHead()) heads.push(i);
  }
  std::string last_key_of_page;
  bool more = false;
  rowpb::CaseListEntry entry;
  while (!heads.empty()) {
    Range& range = ranges[heads.top()];
    const size_t index = heads.top();
    heads.pop();
    const storage::KeyValue& row = range.rows[range.next];
    if (!entry.ParseFromString(row.value)) {
      return absl::DataLossError("case_list: an index row does not parse");
    }
    if (Matches(filter, unit_set ? &*unit_set : nullptr, entry)) {
      if (page.cases.size() == request.page_size) {
        more = true;
        break;
      }
      page.cases.push_back(ItemOf(entry));
      if (page.cases.size() == request.page_size) last_key_of_page = std::string(range.SortKey());
    }
    ++range.next;
    if (!range.HasHead()) {
      if (absl::Status s = Fill(store_, range, &page.rows_read); !s.ok()) return s;
    }
    if (range.HasHead()) heads.push(index);
  }
  if (more) page.next_cursor = EncodeCursor(request.sort, last_key_of_page);
  return page;
}

}  // namespace haven::cases
