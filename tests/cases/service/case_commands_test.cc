// CaseService commands through a real gRPC channel: versions and positions,
// ids the server makes, idempotent retries, version conflicts, refused
// input (nothing written), the org unit check and who acted.
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/cases/service/case_service_fixture.h"

namespace haven::services {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::AddNoteRequest Note(const std::string& text = "她说周末会带孩子来面谈。") {
  v1::AddNoteRequest request;
  request.mutable_add_note()->set_text(text);
  return request;
}

TEST_F(CaseServiceTest, OpenWorkAndCloseACase) {
  v1::OpenCaseRequest open = OpenRequest();
  open.mutable_open_case()->set_assignee_operator_id("op-wangfang");
  Reply opened = Send(&Stub::OpenCase, open);
  ASSERT_TRUE(opened.status.ok()) << opened.status.error_message();
  EXPECT_EQ(opened.response.version(), 1u);  // Opened, then assigned.
  EXPECT_EQ(opened.response.position(), log_->HeadPosition());
  EXPECT_FALSE(opened.response.replayed());
  EXPECT_TRUE(opened.response.created_id().empty());
  CaseRef c{opened.response.case_id(), opened.response.version()};

  v1::AssessRiskRequest risk;
  risk.mutable_assess_risk()->set_level(v1::RISK_LEVEL_MEDIUM);
  v1::CommandResponse assessed = MustDo(c, &Stub::AssessRisk, risk);
  EXPECT_EQ(assessed.case_id(), c.id);
  EXPECT_EQ(assessed.version(), 2u);
  EXPECT_EQ(assessed.position(), opened.response.position() + 1);

  v1::ScheduleMediationRequest schedule;
  v1::ScheduleMediation* m = schedule.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_VILLAGE);
  m->set_committee_name("长江路社区人民调解委员会");
  m->set_mediator_name("刘桂芳");
  v1::Party* party = m->add_parties();
  party->set_role(v1::PARTY_ROLE_APPLICANT);
  party->mutable_person()->set_name("王秀兰");
  m->set_scheduled_at_us(clock_->NowMicros() + kDayUs);
  const std::string mediation = MustDo(c, &Stub::ScheduleMediation, schedule).created_id();

  clock_->Advance(kDayUs + 2 * kHourUs);
  v1::RecordMediationOutcomeRequest held;
  held.mutable_record_mediation_outcome()->set_mediation_id(mediation);
  held.mutable_record_mediation_outcome()->set_outcome(v1::MEDIATION_OUTCOME_AGREEMENT);
  MustDo(c, &Stub::RecordMediationOutcome, held);

  clock_->Advance(kHourUs);
  v1::CloseCaseRequest close;
  close.mutable_close_case()->set_resolution(v1::RESOLUTION_MEDIATED);
  close.mutable_close_case()->set_satisfaction(v1::SATISFACTION_BASICALLY_SATISFIED);
  v1::CommandResponse closed = MustDo(c, &Stub::CloseCase, close);
  EXPECT_EQ(closed.version(), 5u);

  v1::CaseView view = GetCase(c.id);
  EXPECT_EQ(view.case_id(), c.id);
  EXPECT_EQ(view.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(view.assignee_operator_id(), "op-wangfang");
  EXPECT_EQ(view.channel(), v1::CHANNEL_HOTLINE);
  EXPECT_EQ(view.category(), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(view.org_unit_id(), kUnit);
  EXPECT_EQ(view.risk(), v1::RISK_LEVEL_MEDIUM);
  EXPECT_EQ(view.opened_at_us(), cases::testing::Now());
  EXPECT_EQ(view.closed_at_us(), clock_->NowMicros());
  EXPECT_EQ(view.resolution(), v1::RESOLUTION_MEDIATED);
  EXPECT_EQ(view.satisfaction(), v1::SATISFACTION_BASICALLY_SATISFIED);
  ASSERT_EQ(view.mediations_size(), 1);
  EXPECT_EQ(view.mediations(0).mediation_id(), mediation);
  EXPECT_EQ(view.version(), 5u);
  EXPECT_EQ(view.position(), closed.position());
  EXPECT_EQ(view.updated_at_us(), clock_->NowMicros());
}

TEST_F(CaseServiceTest, OpenCaseWithoutAnIdDerivesOneFromTheRequestId) {
  v1::OpenCaseRequest open = OpenRequest();
  Reply first = Send(&Stub::OpenCase, open);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_TRUE(std::regex_match(
      first.response.case_id(),
      std::regex("case-[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << first.response.case_id();
  const uint64_t head = log_->HeadPosition();

  Reply retry = Send(&Stub::OpenCase, open);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response.case_id(), first.response.case_id());
  EXPECT_EQ(retry.response.version(), first.response.version());
  EXPECT_EQ(retry.response.position(), first.response.position());
  EXPECT_TRUE(retry.response.replayed());
  EXPECT_EQ(log_->HeadPosition(), head);

  Reply other = Send(&Stub::OpenCase, OpenRequest());
  ASSERT_TRUE(other.status.ok()) << other.status.error_message();
  EXPECT_NE(other.response.case_id(), first.response.case_id());
}

TEST_F(CaseServiceTest, OpenCaseTakesAClientChosenIdOnce) {
  v1::OpenCaseRequest open = OpenRequest();
  open.set_case_id("case-2024-000731");
  Reply opened = Send(&Stub::OpenCase, open);
  ASSERT_TRUE(opened.status.ok()) << opened.status.error_message();
  EXPECT_EQ(opened.response.case_id(), "case-2024-000731");
  EXPECT_EQ(opened.response.version(), 0u);
  const uint64_t head = log_->HeadPosition();

  v1::OpenCaseRequest again = OpenRequest();
  again.set_case_id("case-2024-000731");
  Reply taken = Send(&Stub::OpenCase, again);
  EXPECT_THAT(taken.status, Refused(grpc::StatusCode::ALREADY_EXISTS, "case_exists"));
  EXPECT_EQ(log_->HeadPosition(), head);
}

TEST_F(CaseServiceTest, RetriedCommandReturnsTheFirstResultAndWritesNothing) {
  CaseRef c = Open();
  v1::AddNoteRequest note = Note();
  note.set_request_id("note-retried");
  note.set_case_id(c.id);
  note.set_expected_version(c.version);
  Reply first = Send(&Stub::AddNote, note);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  c.version = first.response.version();
  MustDo(c, &Stub::AddNote, Note("第二条备注"));  // The case moves on.
  const uint64_t head = log_->HeadPosition();

  // The retry's expected version is stale by now; it still gets its answer.
  Reply retry = Send(&Stub::AddNote, note);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response.version(), first.response.version());
  EXPECT_EQ(retry.response.position(), first.response.position());
  EXPECT_TRUE(retry.response.replayed());
  EXPECT_EQ(log_->HeadPosition(), head);
}

TEST_F(CaseServiceTest, RetriedCreationReturnsTheSameCreatedId) {
  CaseRef c = Open();
  v1::ApplyProtectionOrderRequest apply;
  apply.set_request_id("apply-order-1");
  apply.set_case_id(c.id);
  apply.set_expected_version(c.version);
  apply.mutable_apply_protection_order()->set_court_name("玄武区人民法院");
  Reply first = Send(&Stub::ApplyProtectionOrder, apply);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_THAT(first.response.created_id(), StartsWith("order-"));
  const uint64_t head = log_->HeadPosition();

  Reply retry = Send(&Stub::ApplyProtectionOrder, apply);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_TRUE(retry.response.replayed());
  EXPECT_EQ(retry.response.created_id(), first.response.created_id());
  EXPECT_EQ(log_->HeadPosition(), head);
  ASSERT_EQ(GetCase(c.id).protection_orders_size(), 1);
  EXPECT_EQ(GetCase(c.id).protection_orders(0).order_id(), first.response.created_id());
}

TEST_F(CaseServiceTest, StaleExpectedVersionIsAbortedWithTheCurrentVersion) {
  CaseRef c = Open();
  CaseRef stale = c;
  MustDo(c, &Stub::AddNote, Note());
  const uint64_t head = log_->HeadPosition();

  Reply reply = Do(stale, &Stub::AddNote, Note("另一位接线员同时写的备注"));
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::ABORTED) << reply.status.error_message();
  EXPECT_EQ(reply.trailers["haven-current-version"], "1");
  EXPECT_EQ(log_->HeadPosition(), head);
}

TEST_F(CaseServiceTest, OfTwoCommandsOnTheSameVersionOneWins) {
  CaseRef c = Open();
  std::vector<Reply> replies(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      v1::AddNoteRequest note = Note(absl::StrCat("备注 ", i));
      note.set_request_id(absl::StrCat("concurrent-", i));
      note.set_case_id(c.id);
      note.set_expected_version(c.version);
      replies[i] = Send(&Stub::AddNote, note);
    });
  }
  for (std::thread& t : threads) t.join();
  int ok = 0, aborted = 0;
  for (const Reply& r : replies) {
    ok += r.status.ok();
    aborted += r.status.error_code() == grpc::StatusCode::ABORTED;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, 1);
  EXPECT_EQ(GetCase(c.id).version(), 1u);
}

TEST_F(CaseServiceTest, BadEnvelopeIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  CaseRef c = Open();
  const uint64_t head = log_->HeadPosition();
  auto note = [&](const std::string& request_id, const std::string& case_id) {
    v1::AddNoteRequest r = Note();
    r.set_request_id(request_id);
    r.set_case_id(case_id);
    r.set_expected_version(c.version);
    return r;
  };
  struct Bad {
    v1::AddNoteRequest request;
    std::string field;
  };
  std::vector<Bad> bad = {
      {note("", c.id), "request_id"},
      {note("has space", c.id), "request_id"},
      {note(std::string(129, 'r'), c.id), "request_id"},
      {note("r-1", ""), "case_id"},
      {note("r-2", "CASE-1"), "case_id"},
      {note("r-3", "case-"), "case_id"},
      {note("r-4", "case-ABC"), "case_id"},
      {note("r-5", "case-a_b"), "case_id"},
      {note("r-6", "case-" + std::string(65, 'a')), "case_id"},
      {note("r-7", "order-1"), "case_id"},
      {note("r-8", "case-王秀兰"), "case_id"},
  };
  v1::AddNoteRequest no_version = note("r-9", c.id);
  no_version.clear_expected_version();
  bad.push_back({no_version, "expected_version"});
  bad.push_back({note("r-10", c.id), "add_note.text"});
  bad.back().request.mutable_add_note()->set_text("　 ");  // Ideographic and plain space.
  bad.push_back({note("r-11", c.id), "add_note.text"});
  bad.back().request.clear_add_note();

  for (const Bad& b : bad) {
    Reply reply = Send(&Stub::AddNote, b.request);
    EXPECT_THAT(reply.status, Refused(grpc::StatusCode::INVALID_ARGUMENT, b.field))
        << b.request.ShortDebugString();
  }
  EXPECT_THAT(Send(&Stub::AddNote, no_version).status.error_message(),
              HasSubstr("expected_version: is required"));

  v1::OpenCaseRequest open = OpenRequest();
  open.set_case_id("case 1");
  EXPECT_THAT(Send(&Stub::OpenCase, open).status,
              Refused(grpc::StatusCode::INVALID_ARGUMENT, "case_id"));
  open = OpenRequest();
  open.mutable_open_case()->mutable_seeker()->set_phone("12345");
  EXPECT_THAT(Send(&Stub::OpenCase, open).status,
              Refused(grpc::StatusCode::INVALID_ARGUMENT, "open_case.seeker.phone"));
  open = OpenRequest();
  open.mutable_open_case()->clear_seeker();
  EXPECT_THAT(Send(&Stub::OpenCase, open).status,
              Refused(grpc::StatusCode::INVALID_ARGUMENT, "open_case.seeker"));

  // The actor is part of the envelope too: at most 64 characters.
  EXPECT_THAT(Send(&Stub::AddNote, note("r-12", c.id), std::string(65, 'a')).status,
              Refused(grpc::StatusCode::INVALID_ARGUMENT, "metadata haven-actor"));

  EXPECT_EQ(log_->HeadPosition(), head) << "refused input wrote something";
}

TEST_F(CaseServiceTest, StateRuleViolationIsFailedPreconditionNamingTheRuleAndWritesNothing) {
  CaseRef c = Open();
  v1::AssignCaseRequest assign;
  assign.mutable_assign_case()->set_operator_id("op-wangfang");
  MustDo(c, &Stub::AssignCase, assign);
  const uint64_t head = log_->HeadPosition();

  EXPECT_THAT(Do(c, &Stub::AssignCase, assign).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "already_assigned"));

  v1::MakeReferralRequest refer;
  refer.mutable_make_referral()->set_partner_id("legal-aid-xw");
  refer.mutable_make_referral()->set_partner_type(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  refer.mutable_make_referral()->set_reason("申请离婚诉讼代理。");
  EXPECT_THAT(Do(c, &Stub::MakeReferral, refer).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "referral_requires_consent"));

  v1::RecordMediationOutcomeRequest held;
  held.mutable_record_mediation_outcome()->set_mediation_id("mediation-never");
  held.mutable_record_mediation_outcome()->set_outcome(v1::MEDIATION_OUTCOME_FAILED);
  EXPECT_THAT(Do(c, &Stub::RecordMediationOutcome, held).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "mediation_not_scheduled"));

  v1::ReopenCaseRequest reopen;
  reopen.mutable_reopen_case()->set_reason("误操作");
  EXPECT_THAT(Do(c, &Stub::ReopenCase, reopen).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "case_not_closed"));
  EXPECT_EQ(log_->HeadPosition(), head) << "a refused command wrote something";

  v1::CloseCaseRequest close;
  close.mutable_close_case()->set_resolution(v1::RESOLUTION_ADVICE_GIVEN);
  close.mutable_close_case()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  MustDo(c, &Stub::CloseCase, close);
  const uint64_t closed_head = log_->HeadPosition();
  EXPECT_THAT(Do(c, &Stub::AddNote, Note()).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "case_closed"));
  EXPECT_EQ(log_->HeadPosition(), closed_head);
  EXPECT_EQ(GetCase(c.id).version(), c.version);
}

TEST_F(CaseServiceTest, CommandOnAMissingCaseIsNotFound) {
  CaseRef missing{"case-2024-999999", 0};
  const uint64_t head = log_->HeadPosition();
  EXPECT_THAT(Do(missing, &Stub::AddNote, Note()).status,
              Refused(grpc::StatusCode::NOT_FOUND, "case_not_found"));
  EXPECT_EQ(log_->HeadPosition(), head);
}

TEST_F(CaseServiceTest, OpenCaseNeedsAnOpenOrgUnit) {
  const uint64_t head = log_->HeadPosition();
  Reply unknown = Send(&Stub::OpenCase, OpenRequest("nj-xw-nowhere"));
  EXPECT_THAT(unknown.status, Refused(grpc::StatusCode::INVALID_ARGUMENT, "open_case.org_unit_id"));
  EXPECT_THAT(unknown.status.error_message(), HasSubstr("unit nj-xw-nowhere does not exist"));
  EXPECT_EQ(log_->HeadPosition(), head);

  directory::v1::CloseUnitRequest close;
  close.set_request_id("close-wj1");
  close.set_unit_id("nj-xw-my-cjl-wj1");
  close.set_reason("微家并入社区妇女之家");
  directory::v1::CommandResponse closed;
  grpc::ClientContext context;
  ASSERT_TRUE(directory_stub_->CloseUnit(&context, close, &closed).ok());
  const uint64_t closed_head = log_->HeadPosition();
  EXPECT_THAT(Send(&Stub::OpenCase, OpenRequest("nj-xw-my-cjl-wj1")).status,
              Refused(grpc::StatusCode::FAILED_PRECONDITION, "unit_closed"));
  EXPECT_EQ(log_->HeadPosition(), closed_head);

  EXPECT_TRUE(Send(&Stub::OpenCase, OpenRequest("nj-gc-zq")).status.ok());
}

TEST_F(CaseServiceTest, ActorFromMetadataIsRecordedOnEveryEvent) {
  CaseRef c = Open("接线员-王芳");
  MustDo(c, &Stub::AddNote, Note(), "律师-陈明");
  MustDo(c, &Stub::AddNote, Note(), "");  // No metadata.
  {
    v1::AddNoteRequest note = Note();
    note.set_request_id("ascii-actor");
    note.set_case_id(c.id);
    note.set_expected_version(c.version);
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "op-lihua");
    v1::CommandResponse response;
    ASSERT_TRUE(stub_->AddNote(&context, note, &response).ok());
  }
  std::vector<v1::CaseHistoryEntry> history = History(c.id);
  ASSERT_EQ(history.size(), 4u);
  const std::vector<std::string> actors = {"接线员-王芳", "律师-陈明", "anonymous", "op-lihua"};
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].actor(), actors[i]);
    EXPECT_EQ(history[i].event().actor(), actors[i]);
  }
}

TEST_F(CaseServiceTest, ChineseTextRoundTrips) {
  CaseRef c = Open();
  MustDo(c, &Stub::AddNote, Note("她说：“我不想再忍了。”孩子在外婆家。"));
  v1::CaseView view = GetCase(c.id);
  EXPECT_EQ(view.seeker().name(), "王秀兰");
  EXPECT_EQ(view.seeker().address(), cases::testing::Seeker().address());
  EXPECT_EQ(view.seeker().id_number(), cases::testing::Seeker().id_number());
  std::vector<v1::CaseHistoryEntry> history = History(c.id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].event().opened().account(),
            cases::testing::OpenCaseCommand().open_case().account());
  EXPECT_EQ(history[0].event().opened().respondent().name(), "张建国");
  EXPECT_EQ(history[1].event().note_added().text(), "她说：“我不想再忍了。”孩子在外婆家。");
}

}  // namespace
}  // namespace haven::services
