// LegalAidService: a partner sees only her organisation's open or active
// referrals, and only what they need; every view leaves one access record
// first; her commands go through the case's rules; her subscription carries
// her referrals only and resumes from a position.
#include <thread>

#include "tests/legalaid/legal_aid_fixture.h"

namespace haven::legalaid {
namespace {

using services::CaseRef;
using services::Stub;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

namespace cv1 = cases::v1;

TEST_F(LegalAidTest, ListShowsOnlyTheCallersOrganisationsReferralsWithoutPersonalData) {
  CaseRef a, b;
  const std::string mine = OpenAndRefer(a, kLegalAidXw);
  OpenAndRefer(b, kLegalAidGc);

  std::vector<v1::ReferralSummary> listed = ListMine(kLegalAidXw);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].referral_id(), mine);
  EXPECT_EQ(listed[0].case_id(), a.id);
  EXPECT_EQ(listed[0].status(), v1::REFERRAL_STATUS_AWAITING_ANSWER);
  EXPECT_EQ(listed[0].category(), cv1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_THAT(ListMine("legal-aid-elsewhere"), IsEmpty());
}

TEST_F(LegalAidTest, GetReferralShowsTheMinimisedViewAndLeavesOneAccessRecord) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c);
  v1::GetReferralResponse view;
  ASSERT_TRUE(GetReferral(kLegalAidXw, referral, &view).ok());

  const cv1::Person seeker = cases::testing::Seeker();
  EXPECT_EQ(view.seeker_name(), seeker.name());
  EXPECT_EQ(view.seeker_phone(), seeker.phone());
  EXPECT_EQ(view.reason(), "申请离婚诉讼代理。");
  EXPECT_FALSE(view.account().empty());
  EXPECT_EQ(view.case_version(), c.version);
  EXPECT_EQ(view.referral().status(), v1::REFERRAL_STATUS_AWAITING_ANSWER);
  // The view has no field for the ID number, address or notes; check the
  // serialized view does not carry them either.
  const std::string bytes = view.SerializeAsString();
  EXPECT_EQ(bytes.find(seeker.id_number()), std::string::npos);
  EXPECT_EQ(bytes.find(seeker.address()), std::string::npos);

  std::vector<audit::v1::AccessRecorded> records = AccessRecords(c.id);
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].user_id(), "lawyer-chen");
  EXPECT_EQ(records[0].role(), "legal_aid_partner");
  EXPECT_EQ(records[0].partner_id(), kLegalAidXw);
  EXPECT_EQ(records[0].case_id(), c.id);
  EXPECT_EQ(records[0].referral_id(), referral);
  EXPECT_EQ(records[0].rpc(), "/haven.legalaid.v1.LegalAidService/GetReferral");
  EXPECT_EQ(records[0].purpose(), "承办法律援助案件");
  EXPECT_EQ(records[0].auth_method(), "certificate");
  EXPECT_EQ(records[0].accessed_at_us(), clock_->NowMicros());
}

// The case's own readers: GetCase and GetCaseHistory each leave exactly
// one access record naming who read which case, through which rpc, when
// and why.
TEST_F(LegalAidTest, GetCaseAndGetCaseHistoryLeaveOneAccessRecordEach) {
  CaseRef c = Open();
  clock_->Advance(cases::testing::kHourUs);
  const int64_t read_at = clock_->NowMicros();
  for (const char* rpc : {"GetCase", "GetCaseHistory"}) {
    grpc::ClientContext context;
    context.AddMetadata("haven-actor-bin", "督导-李华");
    context.AddMetadata("haven-purpose-bin", "回访核实");
    grpc::Status status;
    if (std::string(rpc) == "GetCase") {
      cv1::GetCaseRequest request;
      request.set_case_id(c.id);
      cv1::GetCaseResponse response;
      status = stub_->GetCase(&context, request, &response);
      EXPECT_EQ(response.case_view().case_id(), c.id);
    } else {
      cv1::GetCaseHistoryRequest request;
      request.set_case_id(c.id);
      cv1::GetCaseHistoryResponse response;
      status = stub_->GetCaseHistory(&context, request, &response);
      EXPECT_GT(response.entries_size(), 0);
    }
    ASSERT_TRUE(status.ok()) << rpc << ": " << status.error_message();
  }
  std::vector<audit::v1::AccessRecorded> records = AccessRecords(c.id);
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_EQ(records[0].rpc(), "/haven.cases.v1.CaseService/GetCase");
  EXPECT_EQ(records[1].rpc(), "/haven.cases.v1.CaseService/GetCaseHistory");
  for (const audit::v1::AccessRecorded& record : records) {
    EXPECT_EQ(record.user_id(), "督导-李华");
    EXPECT_EQ(record.case_id(), c.id);
    EXPECT_EQ(record.purpose(), "回访核实");
    EXPECT_EQ(record.accessed_at_us(), read_at);
    EXPECT_EQ(record.auth_method(), "development");
    EXPECT_FALSE(record.role().empty());
  }
}

TEST_F(LegalAidTest, AnotherOrganisationsReferralIsRefusedLikeOneThatDoesNotExist) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c, kLegalAidGc);
  v1::GetReferralResponse view;
  grpc::Status other = GetReferral(kLegalAidXw, referral, &view);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(), HasSubstr("rule partner_referral: "));
  EXPECT_FALSE(view.has_referral());

  grpc::Status missing = GetReferral(kLegalAidXw, "referral-does-not-exist", &view);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_message().substr(0, missing.error_message().find(" referral-")),
            other.error_message().substr(0, other.error_message().find(" referral-")));
  EXPECT_THAT(AccessRecords(c.id), IsEmpty());
}

TEST_F(LegalAidTest, AReadWithoutADeclaredPurposeIsRefusedAndNotRecorded) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c);
  v1::GetReferralResponse view;
  grpc::Status status = GetReferral(kLegalAidXw, referral, &view, /*purpose=*/"");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("metadata haven-purpose: "));
  EXPECT_THAT(AccessRecords(c.id), IsEmpty());
}

TEST_F(LegalAidTest, PartnerWorksHerReferralThroughTheCaseRulesUntilItCloses) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c);

  v1::AcceptReferralRequest accept;
  accept.set_request_id("partner-accept-1");
  accept.set_case_id(c.id);
  accept.set_expected_version(c.version);
  accept.mutable_accept()->set_referral_id(referral);
  accept.mutable_accept()->set_handler_name("陈律师");
  cv1::CommandResponse accepted;
  {
    grpc::ClientContext context;
    AsPartner(context, kLegalAidXw);
    ASSERT_TRUE(partner_stub_->AcceptReferral(&context, accept, &accepted).ok());
  }
  EXPECT_EQ(accepted.version(), c.version + 1);
  c.version = accepted.version();
  {  // A retry answers the first result and writes nothing.
    grpc::ClientContext context;
    AsPartner(context, kLegalAidXw);
    cv1::CommandResponse again;
    ASSERT_TRUE(partner_stub_->AcceptReferral(&context, accept, &again).ok());
    EXPECT_TRUE(again.replayed());
    EXPECT_EQ(again.position(), accepted.position());
  }

  v1::ReportProgressRequest progress;
  progress.set_request_id("partner-progress-1");
  progress.set_case_id(c.id);
  progress.set_expected_version(c.version);
  progress.mutable_progress()->set_referral_id(referral);
  progress.mutable_progress()->set_kind(cv1::REFERRAL_PROGRESS_KIND_SUIT_FILED);
  progress.mutable_progress()->set_note("已向法院递交起诉状。");
  {  // Not hers: refused, nothing written.
    grpc::ClientContext context;
    AsPartner(context, kLegalAidGc);
    cv1::CommandResponse response;
    const uint64_t head = log_->HeadPosition();
    grpc::Status status = partner_stub_->ReportProgress(&context, progress, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(log_->HeadPosition(), head);
  }
  {
    grpc::ClientContext context;
    AsPartner(context, kLegalAidXw);
    cv1::CommandResponse response;
    ASSERT_TRUE(partner_stub_->ReportProgress(&context, progress, &response).ok());
    c.version = response.version();
  }
  v1::GetReferralResponse view;
  ASSERT_TRUE(GetReferral(kLegalAidXw, referral, &view).ok());
  EXPECT_EQ(view.referral().status(), v1::REFERRAL_STATUS_ACTIVE);
  EXPECT_EQ(view.handler_name(), "陈律师");
  ASSERT_THAT(view.progress(), SizeIs(1));
  EXPECT_EQ(view.progress(0).note(), "已向法院递交起诉状。");

  v1::ReportOutcomeRequest outcome;
  outcome.set_request_id("partner-outcome-1");
  outcome.set_case_id(c.id);
  outcome.set_expected_version(c.version);
  outcome.mutable_outcome()->set_referral_id(referral);
  outcome.mutable_outcome()->set_outcome(cv1::REFERRAL_OUTCOME_RESOLVED);
  {
    grpc::ClientContext context;
    AsPartner(context, kLegalAidXw);
    cv1::CommandResponse response;
    grpc::Status status = partner_stub_->ReportOutcome(&context, outcome, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // Closed: no longer hers to see.
  grpc::Status closed = GetReferral(kLegalAidXw, referral, &view);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ListMine(kLegalAidXw)[0].status(), v1::REFERRAL_STATUS_CLOSED);
}

TEST_F(LegalAidTest, ABadCommandNamesTheFieldAndWritesNothing) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c);
  v1::DeclineReferralRequest decline;
  decline.set_request_id("partner-decline-1");
  decline.set_case_id(c.id);
  decline.set_expected_version(c.version);
  decline.mutable_decline()->set_referral_id(referral);  // no reason
  grpc::ClientContext context;
  AsPartner(context, kLegalAidXw);
  cv1::CommandResponse response;
  const uint64_t head = log_->HeadPosition();
  grpc::Status status = partner_stub_->DeclineReferral(&context, decline, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("decline_referral.reason"));
  EXPECT_EQ(log_->HeadPosition(), head);
}

// Reads updates until `count` have arrived (keep-alives are skipped).
std::vector<v1::ReferralUpdate> ReadUpdates(grpc::ClientReader<v1::ReferralUpdate>& reader,
                                            size_t count) {
  std::vector<v1::ReferralUpdate> updates;
  v1::ReferralUpdate update;
  while (updates.size() < count && reader.Read(&update)) {
    if (update.caught_up_at() == 0) updates.push_back(update);
  }
  return updates;
}

TEST_F(LegalAidTest, SubscriptionCarriesOnlyHerReferralsAndResumesFromAPosition) {
  CaseRef a, b;
  const std::string mine = OpenAndRefer(a, kLegalAidXw);
  OpenAndRefer(b, kLegalAidGc);  // not hers

  uint64_t resume_from = 0;
  {
    grpc::ClientContext context;
    AsPartner(context, kLegalAidXw);
    v1::SubscribeMyReferralsRequest request;
    auto reader = partner_stub_->SubscribeMyReferrals(&context, request);
    std::vector<v1::ReferralUpdate> first = ReadUpdates(*reader, 1);
    ASSERT_THAT(first, SizeIs(1));
    EXPECT_EQ(first[0].referral_id(), mine);
    EXPECT_EQ(first[0].case_id(), a.id);
    EXPECT_EQ(first[0].kind(), v1::ReferralUpdate::KIND_REFERRED);
    resume_from = first[0].position() + 1;
    context.TryCancel();
  }
  // While she is away: the other organisation's referral is accepted by
  // the operator, and hers too.
  cv1::AcceptReferralRequest accept;
  accept.mutable_accept_referral()->set_referral_id(mine);
  MustDo(a, &Stub::AcceptReferral, accept);
  CaseRef c;
  const std::string second = OpenAndRefer(c, kLegalAidXw);

  grpc::ClientContext context;
  AsPartner(context, kLegalAidXw);
  v1::SubscribeMyReferralsRequest request;
  request.set_from_position(resume_from);
  auto reader = partner_stub_->SubscribeMyReferrals(&context, request);
  std::vector<v1::ReferralUpdate> rest = ReadUpdates(*reader, 2);
  ASSERT_THAT(rest, SizeIs(2));
  EXPECT_EQ(rest[0].referral_id(), mine);
  EXPECT_EQ(rest[0].kind(), v1::ReferralUpdate::KIND_ACCEPTED);
  EXPECT_EQ(rest[1].referral_id(), second);
  EXPECT_EQ(rest[1].kind(), v1::ReferralUpdate::KIND_REFERRED);
  context.TryCancel();
}

TEST_F(LegalAidTest, APartnerCallerIsRequired) {
  grpc::ClientContext context;  // no partner metadata
  v1::ListMyReferralsResponse response;
  grpc::Status status =
      partner_stub_->ListMyReferrals(&context, v1::ListMyReferralsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// A log whose appends to access streams fail: the audit cannot be written.
class AuditFailingLog final : public storage::EventLog {
 public:
  explicit AuditFailingLog(storage::EventLog& log) : log_(log) {}
  void AppendAsync(std::string stream, storage::ExpectedVersion expected,
                   std::vector<storage::NewEvent> events, AppendCallback done) override {
    if (stream.rfind(audit::kAccessStreamPrefix, 0) == 0) {
      done(absl::UnavailableError("disk full"));
      return;
    }
    log_.AppendAsync(std::move(stream), expected, std::move(events), std::move(done));
  }
  absl::StatusOr<storage::StreamPage> ReadStream(const std::string& stream, uint64_t from,
                                                 storage::Direction direction,
                                                 size_t limit) const override {
    return log_.ReadStream(stream, from, direction, limit);
  }
  absl::StatusOr<storage::LogPage> ReadAll(uint64_t from, size_t limit,
                                           const storage::Filter& filter,
                                           size_t scan_limit) const override {
    return log_.ReadAll(from, limit, filter, scan_limit);
  }
  absl::StatusOr<std::optional<storage::RecordedEvent>> ReadEvent(
      const std::string& event_id) const override {
    return log_.ReadEvent(event_id);
  }
  uint64_t HeadPosition() const override { return log_.HeadPosition(); }
  uint64_t WaitForHeadAfter(uint64_t after,
                            std::chrono::steady_clock::time_point deadline) const override {
    return log_.WaitForHeadAfter(after, deadline);
  }

 private:
  storage::EventLog& log_;
};

class LegalAidAuditFailureTest : public LegalAidTest {
 protected:
  storage::EventLog& ServiceLog() override {
    if (failing_ == nullptr) failing_ = std::make_unique<AuditFailingLog>(*log_);
    return *failing_;
  }
  std::unique_ptr<AuditFailingLog> failing_;
};

TEST_F(LegalAidAuditFailureTest, AReadWhoseAccessRecordCannotBeWrittenReturnsNoData) {
  CaseRef c;
  const std::string referral = OpenAndRefer(c);
  v1::GetReferralResponse view;
  grpc::Status status = GetReferral(kLegalAidXw, referral, &view);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(view.has_referral());
  EXPECT_TRUE(view.seeker_name().empty());
  EXPECT_THAT(AccessRecords(c.id), IsEmpty());
}

TEST_F(LegalAidAuditFailureTest, ACaseReadWhoseAccessRecordCannotBeWrittenReturnsNoData) {
  CaseRef c = Open();
  grpc::ClientContext case_context;
  case_context.AddMetadata("haven-purpose-bin", "回访核实");
  cv1::GetCaseRequest get;
  get.set_case_id(c.id);
  cv1::GetCaseResponse view;
  grpc::Status status = stub_->GetCase(&case_context, get, &view);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_FALSE(view.has_case_view());

  grpc::ClientContext history_context;
  history_context.AddMetadata("haven-purpose-bin", "回访核实");
  cv1::GetCaseHistoryRequest history;
  history.set_case_id(c.id);
  cv1::GetCaseHistoryResponse entries;
  status = stub_->GetCaseHistory(&history_context, history, &entries);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(entries.entries_size(), 0);
  EXPECT_THAT(AccessRecords(c.id), IsEmpty());
}

}  // namespace
}  // namespace haven::legalaid
