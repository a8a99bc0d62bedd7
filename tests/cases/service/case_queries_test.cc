// CaseService queries through a real gRPC channel: the case as of a past
// position or time (unchanged by later events), the history with actors,
// times and summaries free of personal data, paging, and min_position.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/cases/service/case_service_fixture.h"

namespace haven::services {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;
using ::testing::Not;

v1::AddNoteRequest Note(const std::string& text) {
  v1::AddNoteRequest request;
  request.mutable_add_note()->set_text(text);
  return request;
}

v1::GetCaseRequest AsOfPosition(const std::string& case_id, uint64_t position) {
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  request.set_as_of_position(position);
  return request;
}

grpc::Status TryGetCase(Stub& stub, const v1::GetCaseRequest& request,
                        milliseconds timeout = milliseconds(10000)) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  v1::GetCaseResponse response;
  return stub.GetCase(&context, request, &response);
}

TEST_F(CaseServiceTest, GetCaseAsOfAnEarlierPositionShowsTheEarlierState) {
  CaseRef c = Open();
  const uint64_t opened_at = log_->HeadPosition();
  const int64_t opened_time = clock_->NowMicros();

  clock_->Advance(kHourUs);
  v1::AssessRiskRequest risk;
  risk.mutable_assess_risk()->set_level(v1::RISK_LEVEL_HIGH);
  const uint64_t assessed_at = MustDo(c, &Stub::AssessRisk, risk).position();
  const v1::CaseView at_assessment = GetCase(AsOfPosition(c.id, assessed_at));

  // Later events: this case's and another's.
  clock_->Advance(kHourUs);
  v1::CloseCaseRequest close;
  close.mutable_close_case()->set_resolution(v1::RESOLUTION_ADVICE_GIVEN);
  close.mutable_close_case()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  MustDo(c, &Stub::CloseCase, close);
  Open();
  // The other case's opening; every GetCase below appends an access record.
  const uint64_t other_opened_at = log_->HeadPosition();

  v1::CaseView first = GetCase(AsOfPosition(c.id, opened_at));
  EXPECT_EQ(first.status(), v1::CASE_STATUS_OPEN);
  EXPECT_EQ(first.risk(), v1::RISK_LEVEL_UNSPECIFIED);
  EXPECT_EQ(first.version(), 0u);
  EXPECT_EQ(first.position(), opened_at);

  v1::CaseView second = GetCase(AsOfPosition(c.id, assessed_at));
  EXPECT_EQ(second.status(), v1::CASE_STATUS_OPEN);
  EXPECT_EQ(second.risk(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(second.SerializeAsString(), at_assessment.SerializeAsString())
      << "later events changed the past";
  // A position of another stream's event shows the case after its last
  // event before that position.
  const v1::CaseView closed = GetCase(AsOfPosition(c.id, other_opened_at));
  EXPECT_EQ(closed.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(closed.position(), other_opened_at - 1);

  v1::CaseView now = GetCase(c.id);
  EXPECT_EQ(now.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(now.version(), 2u);

  v1::GetCaseRequest by_time;
  by_time.set_case_id(c.id);
  by_time.set_as_of_time_us(opened_time + kHourUs - 1);
  EXPECT_EQ(GetCase(by_time).version(), 0u);
  by_time.set_as_of_time_us(opened_time + kHourUs);
  EXPECT_EQ(GetCase(by_time).SerializeAsString(), at_assessment.SerializeAsString());

  EXPECT_THAT(TryGetCase(*stub_, AsOfPosition(c.id, opened_at - 1)),
              Refused(grpc::StatusCode::NOT_FOUND, "case_not_found"));
  by_time.set_as_of_time_us(opened_time - 1);
  EXPECT_THAT(TryGetCase(*stub_, by_time), Refused(grpc::StatusCode::NOT_FOUND, "case_not_found"));
  by_time.set_as_of_position(assessed_at);
  EXPECT_THAT(TryGetCase(*stub_, by_time),
              Refused(grpc::StatusCode::INVALID_ARGUMENT, "as_of_time_us"));
}

TEST_F(CaseServiceTest, GetCaseRefusesBadOrUnknownIds) {
  v1::GetCaseRequest request;
  EXPECT_THAT(TryGetCase(*stub_, request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "case_id"));
  request.set_case_id("Case-1");
  EXPECT_THAT(TryGetCase(*stub_, request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "case_id"));
  request.set_case_id("case-2024-999999");
  EXPECT_THAT(TryGetCase(*stub_, request), Refused(grpc::StatusCode::NOT_FOUND, "case_not_found"));
  // The directory's stream is no case.
  request.set_case_id("directory");
  EXPECT_THAT(TryGetCase(*stub_, request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "case_id"));
}

TEST_F(CaseServiceTest, HistoryListsEveryEventWithActorTimeAndSummary) {
  std::vector<int64_t> times;
  std::vector<std::string> actors;
  times.push_back(clock_->NowMicros());
  actors.push_back(kOperator);
  CaseRef c = Open();
  const std::vector<std::string> people = {"督导-李华", "接线员-王芳", "律师-陈明"};
  for (int i = 0; i < 5; ++i) {
    clock_->Advance((i + 1) * 7 * kMinuteUs);
    times.push_back(clock_->NowMicros());
    actors.push_back(people[i % people.size()]);
    MustDo(c, &Stub::AddNote, Note(absl::StrCat("第", i + 1, "次备注：丈夫张建国又来电威胁。")),
           actors.back());
  }
  v1::ScheduleMediationRequest schedule;
  v1::ScheduleMediation* m = schedule.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_TOWNSHIP);
  m->set_committee_name("梅园新村街道人民调解委员会");
  m->set_mediator_name("刘桂芳");
  m->set_location("文三路 128 号");
  v1::Party* party = m->add_parties();
  party->set_role(v1::PARTY_ROLE_RESPONDENT);
  party->mutable_person()->set_name("张建国");
  party->mutable_person()->set_phone("13912345678");
  m->set_scheduled_at_us(clock_->NowMicros() + kDayUs);
  MustDo(c, &Stub::ScheduleMediation, schedule);
  times.push_back(clock_->NowMicros());
  actors.push_back(kOperator);

  std::vector<v1::CaseHistoryEntry> history = History(c.id);
  ASSERT_EQ(history.size(), times.size());
  const v1::Person seeker = cases::testing::Seeker();
  for (size_t i = 0; i < history.size(); ++i) {
    const v1::CaseHistoryEntry& e = history[i];
    EXPECT_EQ(e.version(), i);
    if (i > 0) EXPECT_GT(e.position(), history[i - 1].position());
    EXPECT_EQ(e.recorded_at_us(), times[i]);
    EXPECT_EQ(e.event().occurred_at_us(), times[i]);
    EXPECT_EQ(e.actor(), actors[i]);
    EXPECT_FALSE(e.event_id().empty());
    EXPECT_FALSE(e.request_id().empty());
    EXPECT_FALSE(e.summary_zh().empty());
    EXPECT_FALSE(e.summary_en().empty());
    for (const std::string& personal :
         {seeker.name(), seeker.phone(), seeker.id_number(), std::string("文三路"),
          std::string("张建国"), std::string("13912345678"), std::string("刘桂芳"),
          std::string("威胁"), std::string("丈夫")}) {
      EXPECT_THAT(e.summary_zh(), Not(HasSubstr(personal))) << i;
      EXPECT_THAT(e.summary_en(), Not(HasSubstr(personal))) << i;
    }
  }
  EXPECT_EQ(history[0].event_type(), "case.opened");
  EXPECT_EQ(history[0].summary_zh(),
            "立案：12338热线，家庭暴力，紧急，优先接待，单位 nj-xw-my-cjl");
  EXPECT_EQ(history[0].summary_en(),
            "Case opened: hotline, domestic violence, urgent, priority, unit nj-xw-my-cjl");
  EXPECT_EQ(history[1].summary_zh(), "添加备注");
  EXPECT_THAT(history.back().summary_zh(), HasSubstr("乡镇级 梅园新村街道人民调解委员会"));
  EXPECT_THAT(history.back().summary_en(), HasSubstr("township committee"));

  // Pages of two give the same timeline.
  std::vector<v1::CaseHistoryEntry> paged = History(c.id, 2);
  ASSERT_EQ(paged.size(), history.size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].SerializeAsString(), history[i].SerializeAsString()) << i;
  }
}

TEST_F(CaseServiceTest, HistoryRefusesBadPagesAndUnknownCases) {
  CaseRef c = Open();
  auto history = [&](const v1::GetCaseHistoryRequest& request) {
    grpc::ClientContext context;
    v1::GetCaseHistoryResponse response;
    return stub_->GetCaseHistory(&context, request, &response);
  };
  v1::GetCaseHistoryRequest request;
  request.set_case_id(c.id);
  request.set_page_size(1001);
  EXPECT_THAT(history(request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "page_size"));
  request.set_page_size(10);
  request.set_page_token("garbage");
  EXPECT_THAT(history(request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "page_token"));
  request.clear_page_token();
  request.set_case_id("case-2024-999999");
  EXPECT_THAT(history(request), Refused(grpc::StatusCode::NOT_FOUND, "case_not_found"));
  request.set_case_id("");
  EXPECT_THAT(history(request), Refused(grpc::StatusCode::INVALID_ARGUMENT, "case_id"));
}

TEST_F(CaseServiceTest, MinPositionAlreadyReachedAnswersAtOnce) {
  CaseRef c = Open();
  v1::GetCaseRequest request;
  request.set_case_id(c.id);
  request.set_min_position(log_->HeadPosition());
  const auto start = steady_clock::now();
  EXPECT_TRUE(TryGetCase(*stub_, request, milliseconds(5000)).ok());
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
}

TEST_F(CaseServiceTest, MinPositionWaitsForTheWriteToLand) {
  CaseRef c = Open();
  const uint64_t head = log_->HeadPosition();
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(300));
    MustDo(c, &Stub::AddNote, Note("稍后写入的备注"));
  });
  v1::GetCaseHistoryRequest request;
  request.set_case_id(c.id);
  request.set_min_position(head + 1);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(10000));
  v1::GetCaseHistoryResponse response;
  const auto start = steady_clock::now();
  grpc::Status status = stub_->GetCaseHistory(&context, request, &response);
  const auto waited = steady_clock::now() - start;
  writer.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.entries_size(), 2);
  EXPECT_GE(waited, milliseconds(200));
  EXPECT_LT(waited, milliseconds(5000));
}

TEST_F(CaseServiceTest, MinPositionNotReachedWithinTheDeadlineIsDeadlineExceeded) {
  CaseRef c = Open();
  v1::GetCaseRequest request;
  request.set_case_id(c.id);
  request.set_min_position(log_->HeadPosition() + 100);
  auto start = steady_clock::now();
  EXPECT_EQ(TryGetCase(*stub_, request, milliseconds(300)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));

  v1::GetCaseHistoryRequest history;
  history.set_case_id(c.id);
  history.set_min_position(log_->HeadPosition() + 100);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + milliseconds(300));
  v1::GetCaseHistoryResponse response;
  start = steady_clock::now();
  EXPECT_EQ(stub_->GetCaseHistory(&context, history, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));
}

}  // namespace
}  // namespace haven::services
