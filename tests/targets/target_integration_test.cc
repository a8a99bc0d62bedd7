// Targets through an in-process havend (HavenServer on in-memory stores, a
// manual clock moved through 2025): 200 cases opened and closed over the
// year in two counties, a county's targets set, revised and withdrawn by
// a supervisor, and every report (the year, both halves, each quarter)
// checked against statistics the test computes from its own record of the
// cases; a report as of a past day unchanged by later cases and later
// revisions; a rebuild of the projections changing no report; each
// context's indicator equal to that context's own statistics rpc; bad
// input and illegal commands writing nothing.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/children/v1/children_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "haven/targets/v1/target_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/clock.h"

namespace haven::targets {
namespace {

using google::protobuf::util::MessageDifferencer;
namespace cv1 = cases::v1;

constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int kCases = 200;

int64_t CstTime(absl::CivilDay day, int hour) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(),
                                                              hour, 0, 0),
                                            absl::FixedTimeZone(8 * 3600)));
}
const absl::CivilDay kJan1(2025, 1, 1);
std::string DayText(int day) { return absl::FormatCivilTime(kJan1 + day); }
int DayIndex(const std::string& text) {
  absl::CivilDay day;
  EXPECT_TRUE(absl::ParseCivilTime(text, &day)) << text;
  return static_cast<int>(day - kJan1);
}

const std::vector<std::string> kVillagesA = {"c-a-1-1", "c-a-1-2", "c-a-2-1"};
const std::vector<std::string> kVillagesB = {"c-b-1-1"};

// What the test knows of a case: where, when opened, when closed (day
// index of 2025; -1 if never).
struct ModelCase {
  std::string unit;
  bool in_a = false;
  int opened = 0;
  int closed = -1;
  std::string id;
  uint64_t version = 0;
};

struct Step {
  int64_t at_us;
  int index;
  bool close;
  bool operator<(const Step& o) const {
    return std::tie(at_us, index, close) < std::tie(o.at_us, o.index, o.close);
  }
};

class TargetIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_.clear();
    steps_.clear();
    next_step_ = 0;
    head_ = 0;
    versions_.clear();
    clock_ = std::make_shared<storage::ManualClock>(CstTime(kJan1, 8));
    auto started = server::HavenServer::Start("127.0.0.1:0", server::ServerStores::InMemory(clock_));
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = started->release();
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                       grpc::InsecureChannelCredentials());
    directory_ = directory::v1::DirectoryService::NewStub(channel).release();
    cases_ = cv1::CaseService::NewStub(channel).release();
    targets_ = v1::TargetService::NewStub(channel).release();
    loans_ = loans::v1::LoanService::NewStub(channel).release();
    children_ = children::v1::ChildrenService::NewStub(channel).release();
    microhomes_ = microhomes::v1::MicroHomeService::NewStub(channel).release();
    projects_ = projects::v1::ProjectService::NewStub(channel).release();

    CreateUnit("c", "示范市", directory::v1::UNIT_KIND_CITY, "");
    CreateUnit("c-a", "甲县", directory::v1::UNIT_KIND_COUNTY, "c");
    CreateUnit("c-b", "乙县", directory::v1::UNIT_KIND_COUNTY, "c");
    CreateUnit("c-a-1", "一镇", directory::v1::UNIT_KIND_TOWNSHIP, "c-a");
    CreateUnit("c-a-2", "二镇", directory::v1::UNIT_KIND_TOWNSHIP, "c-a");
    CreateUnit("c-b-1", "三镇", directory::v1::UNIT_KIND_TOWNSHIP, "c-b");
    for (const std::string& v : kVillagesA) {
      CreateUnit(v, absl::StrCat(v, "村"), directory::v1::UNIT_KIND_VILLAGE, v.substr(0, 5));
    }
    CreateUnit("c-b-1-1", "c-b-1-1村", directory::v1::UNIT_KIND_VILLAGE, "c-b-1");

    // The cases: opened on days 0..340, most closed 1 to 60 days later.
    uint64_t rng = 20250101;
    auto next = [&rng](int n) {
      rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<int>((rng >> 33) % static_cast<uint64_t>(n));
    };
    model_.resize(kCases);
    std::vector<Step> steps;
    for (int i = 0; i < kCases; ++i) {
      ModelCase& c = model_[i];
      c.in_a = i % 5 != 0;
      c.unit = c.in_a ? kVillagesA[next(3)] : kVillagesB[0];
      c.opened = next(341);
      if (next(100) < 85) c.closed = c.opened + 1 + next(60);
      steps.push_back({CstTime(kJan1 + c.opened, 10), i, false});
      if (c.closed >= 0) steps.push_back({CstTime(kJan1 + c.closed, 15), i, true});
    }
    std::sort(steps.begin(), steps.end());
    steps_ = steps;
    if (!RunsTheYear()) return;

    // The year: the county's plan in January, the report as of 30 June
    // taken on 1 July, a revision in September, the rest of the year.
    clock_->Set(CstTime(kJan1 + 5, 9));
    SetTarget("c-a", v1::TARGET_PERIOD_YEAR, "cases.opened", 150);
    SetTarget("c-a", v1::TARGET_PERIOD_YEAR, "cases.closure_rate", 8000);
    SetTarget("c-a", v1::TARGET_PERIOD_Q2, "cases.closed", 30);
    SetTarget("c-a", v1::TARGET_PERIOD_FIRST_HALF, "cases.opened", 70);
    SetTarget("c-a", v1::TARGET_PERIOD_YEAR, "cases.overdue_follow_ups_at_end", 0,
              v1::COMPARISON_AT_MOST);
    RunStepsUntil(CstTime(absl::CivilDay(2025, 7, 1), 8));
    first_half_on_july_1_ = Report(v1::TARGET_PERIOD_FIRST_HALF, "2025-06-30");
    RunStepsUntil(CstTime(absl::CivilDay(2025, 9, 10), 8));
    SetTarget("c-a", v1::TARGET_PERIOD_YEAR, "cases.closure_rate", 9000);  // revised
    RunStepsUntil(CstTime(absl::CivilDay(2026, 1, 20), 8));
  }

  // False for a suite that tests commands on an empty year.
  static bool RunsTheYear() {
    return ::testing::UnitTest::GetInstance()->current_test_suite()->name() ==
           std::string("TargetIntegrationTest");
  }

  static void TearDownTestSuite() {
    server_->Shutdown(std::chrono::milliseconds(100));
    delete server_;
  }

  static void CreateUnit(const std::string& id, const std::string& name,
                         directory::v1::UnitKind kind, const std::string& parent) {
    directory::v1::CreateUnitRequest request;
    request.set_request_id(absl::StrCat("unit-", id));
    request.set_unit_id(id);
    request.set_name(name);
    request.set_kind(kind);
    request.set_parent_id(parent);
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "admin");
    directory::v1::CommandResponse response;
    grpc::Status status = directory_->CreateUnit(&context, request, &response);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  // Sends the steps up to (not including) `until_us`, the clock at each.
  static void RunStepsUntil(int64_t until_us) {
    for (; next_step_ < steps_.size() && steps_[next_step_].at_us < until_us; ++next_step_) {
      const Step& step = steps_[next_step_];
      clock_->Set(step.at_us);
      ModelCase& c = model_[step.index];
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "op-1");
      cv1::CommandResponse response;
      grpc::Status status;
      if (!step.close) {
        cv1::OpenCaseRequest request;
        request.set_request_id(absl::StrCat("open-", step.index));
        cv1::OpenCase& open = *request.mutable_open_case();
        open.set_channel(cv1::CHANNEL_HOTLINE);
        open.mutable_seeker()->set_name("李秀英");
        open.set_category(cv1::CATEGORY_MARRIAGE_FAMILY);
        open.set_urgency(cv1::URGENCY_ROUTINE);
        open.set_org_unit_id(c.unit);
        open.set_account("家庭纠纷，请求调解。");
        open.set_received_at_us(step.at_us - kHourUs);
        status = cases_->OpenCase(&context, request, &response);
        c.id = response.case_id();
      } else {
        cv1::CloseCaseRequest request;
        request.set_request_id(absl::StrCat("close-", step.index));
        request.set_case_id(c.id);
        request.set_expected_version(c.version);
        request.mutable_close_case()->set_resolution(cv1::RESOLUTION_ADVICE_GIVEN);
        request.mutable_close_case()->set_satisfaction(cv1::SATISFACTION_SATISFIED);
        status = cases_->CloseCase(&context, request, &response);
      }
      ASSERT_TRUE(status.ok()) << status.error_message();
      c.version = response.version();
      head_ = std::max(head_, response.position());
    }
    clock_->Set(until_us);
  }

  static v1::CommandResponse SetTarget(const std::string& unit, v1::TargetPeriod period,
                                       const std::string& indicator, int64_t value,
                                       v1::Comparison comparison = v1::COMPARISON_AT_LEAST) {
    v1::SetTargetRequest request;
    request.set_request_id(absl::StrCat("target-", request_counter_++));
    request.set_unit_id(unit);
    if (versions_.count(unit)) request.set_expected_version(versions_[unit]);
    request.set_year(2025);
    request.set_period(period);
    request.set_indicator(indicator);
    request.set_comparison(comparison);
    request.set_value(value);
    request.set_note("2025年妇女工作要点");
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "sup-a");
    v1::CommandResponse response;
    grpc::Status status = targets_->SetTarget(&context, request, &response);
    EXPECT_TRUE(status.ok()) << indicator << ": " << status.error_message();
    versions_[unit] = response.version();
    head_ = std::max(head_, response.position());
    return response;
  }

  static v1::GetTargetReportResponse Report(v1::TargetPeriod period, const std::string& as_of,
                                            const std::string& unit = "c-a") {
    v1::GetTargetReportRequest request;
    request.set_unit_id(unit);
    request.set_year(2025);
    request.set_period(period);
    if (!as_of.empty()) request.set_as_of_day(as_of);
    request.set_min_position(head_);
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "sup-a");
    v1::GetTargetReportResponse response;
    grpc::Status status = targets_->GetTargetReport(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // The model's answer for county c-a: cases opened in [from, to] and, of
  // them, those closed by the end of day as_of.
  static std::pair<int64_t, int64_t> OpenedAndClosed(int from, int to, int as_of) {
    int64_t opened = 0, closed = 0;
    for (const ModelCase& c : model_) {
      if (!c.in_a || c.opened < from || c.opened > std::min(to, as_of)) continue;
      ++opened;
      if (c.closed >= 0 && c.closed <= as_of) ++closed;
    }
    return {opened, closed};
  }
  static int64_t ClosuresIn(int from, int to, int as_of) {
    int64_t n = 0;
    for (const ModelCase& c : model_) {
      if (c.in_a && c.closed >= from && c.closed <= std::min(to, as_of)) ++n;
    }
    return n;
  }

  // Every line of `report` checked against the model.
  static void CheckAgainstModel(const v1::GetTargetReportResponse& report) {
    const int as_of = DayIndex(report.as_of_day());
    for (const v1::TargetLine& line : report.lines()) {
      SCOPED_TRACE(absl::StrCat(line.indicator(), " ", v1::TargetPeriod_Name(line.target_period()),
                                " in ", v1::TargetPeriod_Name(report.period())));
      const int from = DayIndex(line.from_day());
      const int to = DayIndex(line.to_day());
      int64_t expected = 0;
      if (line.indicator() == "cases.opened") {
        expected = OpenedAndClosed(from, to, as_of).first;
      } else if (line.indicator() == "cases.closed") {
        expected = ClosuresIn(from, to, as_of);
      } else if (line.indicator() == "cases.closure_rate") {
        auto [opened, closed] = OpenedAndClosed(from, to, as_of);
        ASSERT_GT(opened, 0);
        expected = (closed * 20'000 + opened) / (2 * opened);
      } else {
        continue;
      }
      ASSERT_TRUE(line.has_actual());
      EXPECT_EQ(line.actual(), expected);
      const bool met = line.comparison() == v1::COMPARISON_AT_MOST ? expected <= line.target()
                                                                   : expected >= line.target();
      EXPECT_EQ(line.status(), met ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET);
    }
  }

  static inline std::shared_ptr<storage::ManualClock> clock_;
  static inline server::HavenServer* server_ = nullptr;
  static inline directory::v1::DirectoryService::Stub* directory_ = nullptr;
  static inline cv1::CaseService::Stub* cases_ = nullptr;
  static inline v1::TargetService::Stub* targets_ = nullptr;
  static inline loans::v1::LoanService::Stub* loans_ = nullptr;
  static inline children::v1::ChildrenService::Stub* children_ = nullptr;
  static inline microhomes::v1::MicroHomeService::Stub* microhomes_ = nullptr;
  static inline projects::v1::ProjectService::Stub* projects_ = nullptr;
  static inline std::vector<ModelCase> model_;
  static inline std::vector<Step> steps_;
  static inline size_t next_step_ = 0;
  static inline uint64_t head_ = 0;
  static inline int request_counter_ = 0;
  static inline std::map<std::string, uint64_t> versions_;
  // The report as of 30 June, taken on 1 July.
  static inline v1::GetTargetReportResponse first_half_on_july_1_;
};

TEST_F(TargetIntegrationTest, ReportsMatchTheModelForTheYearEachHalfAndEachQuarter) {
  for (v1::TargetPeriod period :
       {v1::TARGET_PERIOD_YEAR, v1::TARGET_PERIOD_FIRST_HALF, v1::TARGET_PERIOD_SECOND_HALF,
        v1::TARGET_PERIOD_Q1, v1::TARGET_PERIOD_Q2, v1::TARGET_PERIOD_Q3, v1::TARGET_PERIOD_Q4}) {
    SCOPED_TRACE(v1::TargetPeriod_Name(period));
    v1::GetTargetReportResponse report = Report(period, "");
    EXPECT_TRUE(report.period_complete());
    // Every period shows the year's four targets; Q2 and the first half
    // their own as well.
    const int own = period == v1::TARGET_PERIOD_Q2 || period == v1::TARGET_PERIOD_FIRST_HALF;
    EXPECT_EQ(report.lines_size(), 3 + own);
    CheckAgainstModel(report);
    for (const v1::TargetLine& line : report.lines()) {
      if (line.indicator() == "cases.closure_rate") EXPECT_EQ(line.target(), 9000);
      if (line.indicator() == "cases.opened" && line.target_period() == v1::TARGET_PERIOD_YEAR &&
          period != v1::TARGET_PERIOD_YEAR) {
        EXPECT_EQ(line.span(), v1::SPAN_YEAR_TO_DATE);
        EXPECT_EQ(line.from_day(), "2025-01-01");
      }
    }
  }

  // The year's report names what it counted, and the rate is not a
  // trivial one.
  v1::GetTargetReportResponse year = Report(v1::TARGET_PERIOD_YEAR, "");
  EXPECT_EQ(year.from_day(), "2025-01-01");
  EXPECT_EQ(year.to_day(), "2025-12-31");
  EXPECT_EQ(year.as_of_day(), "2025-12-31");
  auto [opened, closed] = OpenedAndClosed(0, 364, 364);
  EXPECT_GT(opened, 100);
  EXPECT_LT(closed, opened);
}

TEST_F(TargetIntegrationTest, AReportAsOfAPastDayIsUnchangedByLaterCasesAndRevisions) {
  EXPECT_TRUE(first_half_on_july_1_.period_complete());
  ASSERT_EQ(first_half_on_july_1_.lines_size(), 4);
  CheckAgainstModel(first_half_on_july_1_);
  v1::GetTargetReportResponse now = Report(v1::TARGET_PERIOD_FIRST_HALF, "2025-06-30");
  EXPECT_TRUE(MessageDifferencer::Equals(now, first_half_on_july_1_))
      << now.DebugString() << "\nvs\n" << first_half_on_july_1_.DebugString();
  for (const v1::TargetLine& line : now.lines()) {
    if (line.indicator() == "cases.closure_rate") EXPECT_EQ(line.target(), 8000);
  }
  // As of today the first half counts the closures since.
  v1::GetTargetReportResponse later = Report(v1::TARGET_PERIOD_FIRST_HALF, "2025-12-31");
  EXPECT_FALSE(MessageDifferencer::Equals(now, later));
  CheckAgainstModel(later);
}

TEST_F(TargetIntegrationTest, RebuildingTheProjectionsChangesNoReport) {
  v1::GetTargetReportResponse before = Report(v1::TARGET_PERIOD_YEAR, "");
  cv1::RebuildProjectionsRequest request;
  request.set_all(true);
  cv1::RebuildProjectionsResponse response;
  grpc::ClientContext context;
  context.AddMetadata("haven-actor", "admin");
  grpc::Status status = cases_->RebuildProjections(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetTargetReportResponse after = Report(v1::TARGET_PERIOD_YEAR, "");
  EXPECT_TRUE(MessageDifferencer::Equals(before, after));
}

TEST_F(TargetIntegrationTest, ListTargetsShowsTheTargetsInForceNowOrAtAPastPosition) {
  v1::ListTargetsRequest request;
  request.set_unit_id("c-a");
  request.set_year(2025);
  grpc::ClientContext context;
  v1::ListTargetsResponse now;
  ASSERT_TRUE(targets_->ListTargets(&context, request, &now).ok());
  ASSERT_TRUE(now.has_version());
  EXPECT_EQ(now.version(), versions_["c-a"]);
  ASSERT_EQ(now.targets_size(), 5);
  // By year, period (YEAR first), then indicator.
  EXPECT_EQ(now.targets(0).indicator(), "cases.closure_rate");
  EXPECT_EQ(now.targets(0).value(), 9000);
  EXPECT_EQ(now.targets(0).revisions(), 1u);
  EXPECT_EQ(now.targets(0).set_by(), "sup-a");
  EXPECT_EQ(now.targets(0).kind(), v1::INDICATOR_KIND_RATE);

  request.set_as_of_time_us(CstTime(kJan1 + 6, 0));
  grpc::ClientContext context2;
  v1::ListTargetsResponse then;
  ASSERT_TRUE(targets_->ListTargets(&context2, request, &then).ok());
  EXPECT_EQ(then.targets(0).value(), 8000);
  EXPECT_EQ(then.targets(0).revisions(), 0u);
}

TEST_F(TargetIntegrationTest, EveryContextsIndicatorIsWhatItsOwnStatisticsRpcAnswers) {
  clock_->Set(CstTime(absl::CivilDay(2026, 1, 21), 9));
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "cases.opened", 180);
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "loans.disbursed", 27);
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "children.paired", 2698);
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "microhomes.demonstration_at_end", 25);
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "projects.beneficiaries", 1000);
  SetTarget("c", v1::TARGET_PERIOD_YEAR, "cases.median_days_to_close", 2000,
            v1::COMPARISON_AT_MOST);
  v1::GetTargetReportResponse report = Report(v1::TARGET_PERIOD_YEAR, "", "c");

  // Each context's own answer over the same unit, year and day.
  auto ask = [&](auto* stub, auto rpc, auto request, auto response) {
    request.set_unit_subtree("c");
    request.set_from_day("2025-01-01");
    request.set_to_day("2025-12-31");
    request.set_as_of_day("2025-12-31");
    grpc::ClientContext context;
    grpc::Status status = (stub->*rpc)(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  };
  const cv1::CaseStatistics cases_stats =
      ask(cases_, &cv1::CaseService::Stub::GetStatistics, cv1::GetStatisticsRequest(),
          cv1::GetStatisticsResponse());
  const auto loans_stats =
      ask(loans_, &loans::v1::LoanService::Stub::GetLoanStatistics,
          loans::v1::GetLoanStatisticsRequest(), loans::v1::GetLoanStatisticsResponse());
  const auto children_stats = ask(children_, &children::v1::ChildrenService::Stub::GetChildrenStatistics,
                                  children::v1::GetChildrenStatisticsRequest(),
                                  children::v1::GetChildrenStatisticsResponse());
  const auto homes_stats =
      ask(microhomes_, &microhomes::v1::MicroHomeService::Stub::GetMicroHomeStatistics,
          microhomes::v1::GetMicroHomeStatisticsRequest(),
          microhomes::v1::GetMicroHomeStatisticsResponse());
  const auto projects_stats =
      ask(projects_, &projects::v1::ProjectService::Stub::GetProjectStatistics,
          projects::v1::GetProjectStatisticsRequest(),
          projects::v1::GetProjectStatisticsResponse());
  std::map<std::string, const v1::TargetLine*> lines;
  for (const v1::TargetLine& line : report.lines()) lines[line.indicator()] = &line;
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines["loans.disbursed"]->actual(), loans_stats.disbursed());
  EXPECT_EQ(lines["children.paired"]->actual(), children_stats.paired());
  EXPECT_EQ(lines["microhomes.demonstration_at_end"]->actual(), homes_stats.demonstration_at_end());
  EXPECT_EQ(lines["projects.beneficiaries"]->actual(), projects_stats.beneficiaries());
  EXPECT_EQ(lines["loans.disbursed"]->status(), v1::TARGET_STATUS_NOT_MET);
  ASSERT_TRUE(cases_stats.has_median_days_to_close());
  EXPECT_EQ(lines["cases.median_days_to_close"]->actual(),
            std::llround(cases_stats.median_days_to_close() * 100));
  EXPECT_EQ(lines["cases.median_days_to_close"]->status(),
            cases_stats.median_days_to_close() <= 20 ? v1::TARGET_STATUS_MET
                                                      : v1::TARGET_STATUS_NOT_MET);
  EXPECT_EQ(lines["cases.opened"]->actual(), cases_stats.opened());
}

// ---- Bad input and illegal commands: nothing written.

class TargetCommandRefusalTest : public TargetIntegrationTest {
 protected:
  static grpc::Status Send(const v1::SetTargetRequest& request) {
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "sup-a");
    v1::CommandResponse response;
    return targets_->SetTarget(&context, request, &response);
  }
  static v1::SetTargetRequest Valid() {
    v1::SetTargetRequest request;
    request.set_request_id(absl::StrCat("refusal-", request_counter_++));
    request.set_unit_id("c-b");
    request.set_year(2025);
    request.set_period(v1::TARGET_PERIOD_YEAR);
    request.set_indicator("cases.closed");
    request.set_value(40);
    return request;
  }
};

TEST_F(TargetCommandRefusalTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  const uint64_t head = server_->log().HeadPosition();
  struct Bad {
    std::string field;
    std::function<void(v1::SetTargetRequest&)> spoil;
  };
  const std::vector<Bad> bad = {
      {"request_id", [](auto& r) { r.set_request_id(""); }},
      {"unit_id", [](auto& r) { r.set_unit_id("no such/unit"); }},
      {"unit_id", [](auto& r) { r.set_unit_id("c-z"); }},
      {"year", [](auto& r) { r.set_year(1999); }},
      {"period", [](auto& r) { r.clear_period(); }},
      {"indicator", [](auto& r) { r.set_indicator("cases.weather"); }},
      {"comparison", [](auto& r) { r.set_comparison(static_cast<v1::Comparison>(7)); }},
      {"value", [](auto& r) { r.set_value(-3); }},
      {"value",
       [](auto& r) {
         r.set_indicator("cases.closure_rate");
         r.set_value(12'000);
       }},
      {"note", [](auto& r) { r.set_note("行一\n行二"); }},
  };
  for (const Bad& b : bad) {
    v1::SetTargetRequest request = Valid();
    b.spoil(request);
    grpc::Status status = Send(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << b.field << ": " << status.error_message();
    EXPECT_EQ(status.error_message().rfind(b.field + ":", 0), 0u)
        << b.field << ": " << status.error_message();
  }
  EXPECT_EQ(server_->log().HeadPosition(), head);
}

TEST_F(TargetCommandRefusalTest, IllegalCommandsNameTheRuleAndWriteNothing) {
  v1::SetTargetRequest first = Valid();
  grpc::Status status = Send(first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const uint64_t head = server_->log().HeadPosition();

  // A retry answers with the first result and writes nothing.
  grpc::ClientContext retry_context;
  retry_context.AddMetadata("haven-actor", "sup-a");
  v1::CommandResponse retry;
  ASSERT_TRUE(targets_->SetTarget(&retry_context, first, &retry).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(retry.version(), 0u);

  // Without expected_version, once the unit has targets: ABORTED.
  v1::SetTargetRequest again = Valid();
  again.set_value(41);
  EXPECT_EQ(Send(again).error_code(), grpc::StatusCode::ABORTED);
  // A stale version: ABORTED.
  again.set_expected_version(5);
  EXPECT_EQ(Send(again).error_code(), grpc::StatusCode::ABORTED);
  // The same target again: target_unchanged.
  v1::SetTargetRequest same = Valid();
  same.set_expected_version(0);
  status = Send(same);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message().rfind("target_unchanged:", 0), 0u) << status.error_message();
  // Withdrawing a target never set: target_not_set.
  v1::WithdrawTargetRequest withdraw;
  withdraw.set_request_id("withdraw-unset");
  withdraw.set_unit_id("c-b");
  withdraw.set_expected_version(0);
  withdraw.set_year(2025);
  withdraw.set_period(v1::TARGET_PERIOD_Q1);
  withdraw.set_indicator("cases.closed");
  withdraw.set_reason("计划调整");
  grpc::ClientContext withdraw_context;
  v1::CommandResponse withdraw_response;
  status = targets_->WithdrawTarget(&withdraw_context, withdraw, &withdraw_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message().rfind("target_not_set:", 0), 0u) << status.error_message();
  // An expected version for a unit without targets: targets_not_found.
  v1::SetTargetRequest none = Valid();
  none.set_unit_id("c-b-1");
  none.set_expected_version(0);
  status = Send(none);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message().rfind("targets_not_found:", 0), 0u) << status.error_message();
  EXPECT_EQ(server_->log().HeadPosition(), head);

  // Withdrawn with a reason: gone from the list, the version advanced.
  withdraw.set_request_id("withdraw-set");
  withdraw.set_period(v1::TARGET_PERIOD_YEAR);
  grpc::ClientContext withdrawn_context;
  status = targets_->WithdrawTarget(&withdrawn_context, withdraw, &withdraw_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(withdraw_response.version(), 1u);
  v1::ListTargetsRequest list;
  list.set_unit_id("c-b");
  grpc::ClientContext list_context;
  v1::ListTargetsResponse listed;
  ASSERT_TRUE(targets_->ListTargets(&list_context, list, &listed).ok());
  EXPECT_EQ(listed.targets_size(), 0);
  EXPECT_EQ(listed.version(), 1u);
}

}  // namespace
}  // namespace haven::targets
