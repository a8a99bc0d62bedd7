// case_list: every filter and sort, paged with cursors, against the list
// computed from the events; the cost of the common supervisor query; bad
// requests.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/cases/projections/projection_fixture.h"

namespace haven::cases::testing {
namespace {

struct Paged {
  std::vector<std::string> ids;
  std::vector<CaseListItem> items;
  size_t pages = 0;
  size_t max_rows_read = 0;
};

// Pages through a list to its end.
Paged ListAll(const CaseListReader& reader, ListCasesRequest request) {
  Paged paged;
  while (true) {
    auto page = reader.ListCases(request);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    ++paged.pages;
    EXPECT_LE(page->cases.size(), request.page_size);
    paged.max_rows_read = std::max(paged.max_rows_read, page->rows_read);
    for (CaseListItem& item : page->cases) {
      paged.ids.push_back(item.case_id);
      paged.items.push_back(std::move(item));
    }
    if (page->next_cursor.empty()) break;
    EXPECT_EQ(page->cases.size(), request.page_size) << "only the last page may be short";
    request.cursor = page->next_cursor;
    if (paged.pages > 5000) {
      ADD_FAILURE() << "paging does not end";
      break;
    }
  }
  return paged;
}

struct Case {
  std::string name;
  CaseListFilter filter;
  CaseListSort sort = CaseListSort::kOpenedNewestFirst;
};

class CaseListTest : public CaseProjectionsTest {
 protected:
  void SetUp() override {
    SetUpWorld();
    AppendAll();
    StartRunner();
  }

  std::set<std::string> UnitsOf(const CaseListFilter& f) const {
    if (!f.unit_subtree.empty()) return Subtree(f.unit_subtree);
    return {f.unit_ids.begin(), f.unit_ids.end()};
  }

  void Check(const Case& c, size_t page_size) {
    SCOPED_TRACE(c.name + ", page size " + std::to_string(page_size));
    const std::vector<std::string> expected =
        ExpectedList(cases_, c.filter, UnitsOf(c.filter), c.sort);
    ListCasesRequest request;
    request.filter = c.filter;
    request.sort = c.sort;
    request.page_size = page_size;
    const Paged paged = ListAll(Lists(), request);
    EXPECT_EQ(paged.ids, expected);
    EXPECT_EQ(paged.pages, std::max<size_t>(1, (expected.size() + page_size - 1) / page_size));
  }
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"every case", {}});
  CaseListFilter f;
  f.status = CaseStatus::kOpen;
  cases.push_back({"open", f});
  f = {};
  f.status = CaseStatus::kClosed;
  f.category = v1::CATEGORY_DOMESTIC_VIOLENCE;
  cases.push_back({"closed domestic violence", f});
  f = {};
  f.channel = v1::CHANNEL_HOTLINE;
  cases.push_back({"hotline", f});
  f = {};
  f.category = v1::CATEGORY_MARRIAGE_FAMILY;
  f.channel = v1::CHANNEL_VISIT;
  cases.push_back({"marriage and family, by visit", f});
  f = {};
  f.unit_subtree = "hz-xh";
  f.status = CaseStatus::kOpen;
  cases.push_back({"open in 西湖区", f});
  f = {};
  f.unit_subtree = "hz-ca-qd";
  f.category = v1::CATEGORY_MARRIAGE_FAMILY;
  cases.push_back({"marriage and family in 千岛湖镇", f});
  f = {};
  f.unit_ids = {"hz-xh-bs-c1", "hz-ca-wy-v1", "hz"};
  cases.push_back({"three units", f});
  f = {};
  f.assignee = "op-lihua";
  cases.push_back({"assigned to op-lihua", f});
  f = {};
  f.assignee = "op-wangfang";
  f.unit_subtree = "hz-ca";
  f.status = CaseStatus::kClosed;
  cases.push_back({"closed by op-wangfang in 淳安县", f});
  f = {};
  f.opened_from_us = Cst(2024, 2, 1);
  f.opened_before_us = Cst(2024, 3, 1);
  cases.push_back({"opened in February", f});
  f = {};
  f.opened_from_us = Cst(2024, 2, 1, 9);  // on the hour: ties at the bounds
  f.unit_subtree = "hz-xh-bs";
  cases.push_back({"opened since 1 February 09:00 in 北山街道", f});
  f = {};
  f.overdue_follow_up = true;
  f.now_us = Cst(2024, 3, 15, 12);
  cases.push_back({"overdue on 15 March", f});
  f.unit_subtree = "hz-ca";
  f.channel = v1::CHANNEL_HOTLINE;
  cases.push_back({"overdue hotline cases in 淳安县", f});
  f = {};
  f.overdue_follow_up = true;
  f.now_us = Cst(2024, 3, 15, 12);
  f.status = CaseStatus::kClosed;
  cases.push_back({"overdue and closed (none)", f});
  f = {};
  cases.push_back({"by due", f, CaseListSort::kFollowUpDueSoonestFirst});
  f.overdue_follow_up = true;
  f.now_us = Cst(2024, 4, 1);
  f.unit_subtree = "hz-xh";
  cases.push_back({"by due, overdue in 西湖区", f, CaseListSort::kFollowUpDueSoonestFirst});
  f = {};
  f.assignee = "op-zhaomin";
  f.status = CaseStatus::kOpen;
  cases.push_back({"by due, op-zhaomin", f, CaseListSort::kFollowUpDueSoonestFirst});
  f = {};
  f.status = CaseStatus::kClosed;
  cases.push_back({"by due, closed (none)", f, CaseListSort::kFollowUpDueSoonestFirst});
  return cases;
}

TEST_F(CaseListTest, EveryFilterPagesThroughEachMatchingCaseOnceInOrder) {
  for (const Case& c : Cases()) {
    for (size_t page_size : {7, 50, 1000}) Check(c, page_size);
  }
}

TEST_F(CaseListTest, PagesOfOneAreStableAcrossTies) {
  // Cases open on the hour: many share an opening time; the order is by
  // case id within it.
  std::set<int64_t> times;
  size_t ties = 0;
  for (const SyntheticCase& c : cases_) ties += !times.insert(c.events.front().at_us).second;
  ASSERT_GT(ties, 50u);
  CaseListFilter f;
  f.unit_subtree = "hz-xh";
  Check({"西湖区", f}, 1);
}

TEST_F(CaseListTest, ItemsShowTheCaseAsItsSummaryDoes) {
  ListCasesRequest request;
  request.page_size = 1000;
  const Paged paged = ListAll(Lists(), request);
  ASSERT_EQ(paged.items.size(), cases_.size());
  std::map<std::string, const SyntheticCase*> by_id;
  for (const SyntheticCase& c : cases_) by_id[c.case_id] = &c;
  for (const CaseListItem& item : paged.items) {
    const CaseSummary s = ExpectedSummary(*by_id.at(item.case_id));
    EXPECT_EQ(item.status, s.status) << item.case_id;
    EXPECT_EQ(item.category, s.category) << item.case_id;
    EXPECT_EQ(item.channel, s.channel) << item.case_id;
    EXPECT_EQ(item.org_unit_id, s.org_unit_id) << item.case_id;
    EXPECT_EQ(item.assignee, s.assignee) << item.case_id;
    EXPECT_EQ(item.opened_at_us, s.opened_at_us) << item.case_id;
    EXPECT_EQ(item.next_follow_up_due_us, s.next_follow_up_due_us) << item.case_id;
    EXPECT_EQ(item.risk, s.risk) << item.case_id;
    EXPECT_EQ(item.priority, s.priority) << item.case_id;
  }
}

TEST_F(CaseListTest, SubtreeQueryReadsAboutAPagePerUnitWhateverTheTotal) {
  CaseListFilter f;
  f.unit_subtree = "hz";
  f.status = CaseStatus::kOpen;
  ListCasesRequest request;
  request.filter = f;
  request.page_size = 50;
  auto page = Lists().ListCases(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->cases.size(), 50u);
  const size_t units = Subtree("hz").size();
  EXPECT_LE(page->rows_read, units * (request.page_size + 1));
  EXPECT_LT(page->rows_read, cases_.size() / 2);
}

TEST_F(CaseListTest, MovingAUnitMovesItsCasesInSubtreeLists) {
  CaseListFilter f;
  f.unit_subtree = "hz-ca";
  Check({"淳安县 before the move", f}, 50);
  MoveUnit("hz-xh-lx", "hz-ca");
  ASSERT_TRUE(Subtree("hz-ca").count("hz-xh-lx-c1"));
  Check({"淳安县 after 留下街道 moved in", f}, 50);
  f.unit_subtree = "hz-xh";
  Check({"西湖区 after 留下街道 moved out", f}, 50);
}

TEST_F(CaseListTest, BadRequestsNameTheField) {
  const CaseListReader reader = Lists();
  ListCasesRequest request;
  request.page_size = 0;
  auto result = reader.ListCases(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result.status().message(), "page_size:")) << result.status();
  request.page_size = 1001;
  EXPECT_EQ(reader.ListCases(request).status().code(), absl::StatusCode::kInvalidArgument);

  request.page_size = 10;
  request.cursor = "not a cursor!";
  result = reader.ListCases(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result.status().message(), "cursor:")) << result.status();

  request.cursor = "";
  auto first = reader.ListCases(request);
  ASSERT_TRUE(first.ok()) << first.status();
  request.cursor = first->next_cursor;
  request.sort = CaseListSort::kFollowUpDueSoonestFirst;
  result = reader.ListCases(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result.status().message(), "cursor:")) << result.status();

  request = {};
  request.filter.overdue_follow_up = true;
  result = reader.ListCases(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result.status().message(), "filter.now_us:")) << result.status();

  request = {};
  request.filter.unit_subtree = "no-such-unit";
  EXPECT_EQ(reader.ListCases(request).status().code(), absl::StatusCode::kNotFound);
  request.filter.unit_subtree = "hz";
  EXPECT_EQ(CaseListReader(*store_).ListCases(request).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace haven::cases::testing
