// Listing cases: filters, a stable sort and cursor pagination over the
// case_list projection's indexes.
//
// How a page is read: the query picks one index family (assignee, else the
// units of the subtree, with the category if one is asked for, else
// category, else channel, else all cases),
// opens one range per family prefix (one per unit and status, for a
// subtree), merges the ranges by sort key, and checks the remaining filters
// on each row's value.  Each range is read in chunks that start at about
// the page size, so "cases in my subtree, open, newest first, 50 a page"
// reads at most 51 rows per unit (fewer when the subtree is large) and
// nothing of other units, whatever the number of cases.  A filter the index
// does not cover (say a category inside a subtree) reads on until the page
// is full or the ranges end.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_QUERY_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_QUERY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"
#include "services/cases/projections/read_options.h"
#include "services/directory/service/directory_view.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::cases {

enum class CaseListSort {
  // opened_at descending, then case id ascending.  Every case.
  kOpenedNewestFirst,
  // Next follow-up due ascending, then case id.  Only open cases with a
  // follow-up not done.
  kFollowUpDueSoonestFirst,
};

// Every field set narrows the list; the default lists every case.
struct CaseListFilter {
  std::optional<CaseStatus> status;
  std::optional<v1::Category> category;
  std::optional<v1::Channel> channel;
  // The cases of this unit and every unit below it, as the directory is
  // when the query runs (a unit moved since moves its cases).  Needs the
  // reader's DirectoryView.  Empty: not filtered.
  std::string unit_subtree;
  // The cases of exactly these units (e.g. a subtree the caller expanded).
  // Empty: not filtered.  Ignored when unit_subtree is set.
  std::vector<std::string> unit_ids;
  // Cases assigned to this operator.  Empty: not filtered.
  std::string assignee;
  // opened_at_us in [opened_from_us, opened_before_us).
  std::optional<int64_t> opened_from_us;
  std::optional<int64_t> opened_before_us;
  // Only open cases with a follow-up not done and due before now_us.
  bool overdue_follow_up = false;
  // "Now" for overdue_follow_up, µs since the Unix epoch, UTC (the query
  // has no clock of its own).  Required with it.
  int64_t now_us = 0;
};

struct ListCasesRequest {
  CaseListFilter filter;
  // Default: kOpenedNewestFirst.
  CaseListSort sort = CaseListSort::kOpenedNewestFirst;
  // The next_cursor of the previous page, with the same filter and sort.
  // Default: "" (the first page).
  std::string cursor;
  // 1..1000.  Default: 50.
  size_t page_size = 50;
};

struct CaseListItem {
  std::string case_id;
  CaseStatus status = CaseStatus::kOpen;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string org_unit_id;
  std::string assignee;
  int64_t opened_at_us = 0;
  std::optional<int64_t> next_follow_up_due_us;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  bool priority = false;
  v1::RiskLevel risk = v1::RISK_LEVEL_UNSPECIFIED;
};

struct CaseListPage {
  std::vector<CaseListItem> cases;
  // Pass it back for the next page; empty when this is the last page.
  std::string next_cursor;
  // Index rows read to build the page (for tests and benchmarks).
  size_t rows_read = 0;
};

// Thread safety: ListCases may be called concurrently.  The store, the
// directory view and the runner must outlive the reader.
class CaseListReader {
 public:
  // `directory` (optional) resolves unit_subtree; `runner` (optional) is
  // waited on for ReadOptions::min_position.
  explicit CaseListReader(const storage::ReadModelStore& store,
                          services::DirectoryView* directory = nullptr,
                          const storage::ProjectionRunner* runner = nullptr)
      : store_(store), directory_(directory), runner_(runner) {}

  // One page of the cases matching the filter, in the requested order.
  // Paging with next_cursor returns every matching case exactly once, in
  // order, as long as the cases do not change meanwhile (a case that
  // changes between pages may move past the cursor or be seen twice).
  // Errors: INVALID_ARGUMENT naming the field (page_size, cursor, a cursor
  // of another sort, filter.now_us missing with overdue_follow_up);
  // FAILED_PRECONDITION for unit_subtree without a DirectoryView;
  // NOT_FOUND for an unknown unit_subtree; errors of AwaitPosition and of
  // the store; DATA_LOSS for a row that does not parse.
  absl::StatusOr<CaseListPage> ListCases(const ListCasesRequest& request,
                                         const ReadOptions& read = {}) const;

 private:
  const storage::ReadModelStore& store_;
  services::DirectoryView* const directory_;
  const storage::ProjectionRunner* const runner_;
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_QUERY_H_
