// Authorisation through an in-process havend beyond the matrix: who is
// recorded as the actor, commands refused on the case as it is, the same
// answer for missing and out-of-reach cases, scopes that default to the
// caller's unit, user administration, the first admin, development mode.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "services/access/service/bootstrap.h"
#include "tests/access/access_fixture.h"

namespace haven::access::testing {
namespace {

namespace cv1 = cases::v1;

class AccessServiceTest : public AccessTest {
 protected:
  grpc::Status AddNote(const std::string& user_id, const std::string& case_id,
                       int64_t version, const std::string& claimed_actor = "") {
    grpc::ClientContext context;
    As(user_id, &context);
    if (!claimed_actor.empty()) context.AddMetadata("haven-actor", claimed_actor);
    cv1::AddNoteRequest request;
    request.set_request_id(absl::StrCat("note-", ++notes_));
    request.set_case_id(case_id);
    request.set_expected_version(version);
    request.mutable_add_note()->set_text("已电话回访");
    cv1::CommandResponse response;
    return clients_.cases->AddNote(&context, request, &response);
  }

  grpc::Status GetCase(const std::string& user_id, const std::string& case_id) {
    grpc::ClientContext context;
    As(user_id, &context);
    cv1::GetCaseRequest request;
    request.set_case_id(case_id);
    cv1::GetCaseResponse response;
    return clients_.cases->GetCase(&context, request, &response);
  }

  std::vector<std::string> ListCaseIds(const std::string& user_id, const std::string& unit) {
    grpc::ClientContext context;
    As(user_id, &context);
    cv1::ListCasesRequest request;
    request.mutable_filter()->set_unit_subtree(unit);
    request.set_min_position(server_->log().HeadPosition());
    cv1::ListCasesResponse response;
    const grpc::Status status = clients_.cases->ListCases(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const auto& item : response.cases()) ids.push_back(item.case_id());
    return ids;
  }

  int notes_ = 0;
};

TEST_F(AccessServiceTest, EventsRecordTheAuthenticatedUserNotTheClaimedActor) {
  const int64_t version = CaseVersion("op-xw", kCaseIn);
  ASSERT_TRUE(AddNote("op-xw", kCaseIn, version, "someone-else").ok());
  grpc::ClientContext context;
  As("sup-xw", &context);
  cv1::GetCaseHistoryRequest request;
  request.set_case_id(kCaseIn);
  cv1::GetCaseHistoryResponse response;
  ASSERT_TRUE(clients_.cases->GetCaseHistory(&context, request, &response).ok());
  ASSERT_FALSE(response.entries().empty());
  for (const auto& entry : response.entries()) EXPECT_EQ(entry.actor(), "op-xw");
}

TEST_F(AccessServiceTest, CommandOutsideTheSubtreeIsRefusedBeforeAnythingIsWritten) {
  const int64_t version = CaseVersion("op-nj", kCaseOut);
  ASSERT_GE(version, 0);
  const uint64_t head = server_->log().HeadPosition();
  const grpc::Status status = AddNote("op-xw", kCaseOut, version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "rule operator_unit_subtree: case case-out is outside the subtree of your unit nj-xw");
  EXPECT_EQ(server_->log().HeadPosition(), head);
  // The same command inside her subtree goes through.
  EXPECT_TRUE(AddNote("op-xw", kCaseIn, CaseVersion("op-xw", kCaseIn)).ok());
}

TEST_F(AccessServiceTest, MissingAndOutOfReachCasesAnswerAlike) {
  const grpc::Status out = GetCase("sup-xw", kCaseOut);
  const grpc::Status missing = GetCase("sup-xw", kCaseMissing);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(absl::StrReplaceAll(out.error_message(), {{kCaseOut, "X"}}),
            absl::StrReplaceAll(missing.error_message(), {{kCaseMissing, "X"}}));
  // Commands too, whatever version they claim.
  const grpc::Status note_out = AddNote("op-xw", kCaseOut, 1);
  const grpc::Status note_missing = AddNote("op-xw", kCaseMissing, 1);
  EXPECT_EQ(note_out.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(absl::StrReplaceAll(note_out.error_message(), {{kCaseOut, "X"}}),
            absl::StrReplaceAll(note_missing.error_message(), {{kCaseMissing, "X"}}));
  // From the root a missing case is simply missing.
  EXPECT_EQ(GetCase("op-nj", kCaseMissing).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccessServiceTest, ListsDefaultToTheCallersUnit) {
  EXPECT_EQ(ListCaseIds("sup-xw", ""), std::vector<std::string>{kCaseIn});
  EXPECT_EQ(ListCaseIds("sup-gc", ""), std::vector<std::string>{kCaseOut});
  EXPECT_EQ(ListCaseIds("op-nj", "").size(), 2u);
  EXPECT_EQ(ListCaseIds("op-nj", "nj-gc"), std::vector<std::string>{kCaseOut});
}

TEST_F(AccessServiceTest, DisabledUserIsRefusedAtOnceAndEnabledAgain) {
  ASSERT_TRUE(GetCase("sup-xw", kCaseIn).ok());
  {
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::DisableUserRequest request;
    request.set_request_id("disable-sup-xw");
    request.set_user_id("sup-xw");
    v1::CommandResponse response;
    ASSERT_TRUE(clients_.access->DisableUser(&context, request, &response).ok());
  }
  const grpc::Status refused = GetCase("sup-xw", kCaseIn);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(), "rule user_enabled: user \"sup-xw\" is disabled");
  {
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::EnableUserRequest request;
    request.set_request_id("enable-sup-xw");
    request.set_user_id("sup-xw");
    v1::CommandResponse response;
    ASSERT_TRUE(clients_.access->EnableUser(&context, request, &response).ok());
  }
  EXPECT_TRUE(GetCase("sup-xw", kCaseIn).ok());
}

TEST_F(AccessServiceTest, AdminManagesUsersAgainstTheDirectory) {
  auto register_user = [&](const std::string& id, const std::string& unit) {
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::RegisterUserRequest request;
    request.set_request_id("register-" + id);
    request.set_user_id(id);
    request.set_display_name("李娜");
    request.set_role(v1::ROLE_OPERATOR);
    request.set_org_unit_id(unit);
    v1::CommandResponse response;
    return clients_.access->RegisterUser(&context, request, &response);
  };
  const grpc::Status unknown = register_user("op-new", "nj-nowhere");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(unknown.error_message(), "org_unit_id: no unit \"nj-nowhere\"");
  ASSERT_TRUE(register_user("op-new", "nj-gc").ok());

  grpc::ClientContext context;
  As(kAdmin, &context);
  v1::ListUsersRequest request;
  request.set_role(v1::ROLE_OPERATOR);
  v1::ListUsersResponse response;
  ASSERT_TRUE(clients_.access->ListUsers(&context, request, &response).ok());
  std::vector<std::string> ids;
  for (const auto& user : response.users()) ids.push_back(user.user_id());
  // Disabled "gone" is left out; ids in order.
  EXPECT_EQ(ids, (std::vector<std::string>{"op-new", "op-nj", "op-xw"}));

  // The new operator works at once, in her unit only.
  EXPECT_TRUE(GetCase("op-new", kCaseOut).ok());
  EXPECT_EQ(GetCase("op-new", kCaseIn).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccessServiceTest, GetCallerTellsWhoTheServerTakesYouFor) {
  grpc::ClientContext context;
  As("lawyer-xw", &context);
  v1::GetCallerResponse response;
  ASSERT_TRUE(clients_.access->GetCaller(&context, v1::GetCallerRequest(), &response).ok());
  EXPECT_FALSE(response.development());
  EXPECT_EQ(response.user().user_id(), "lawyer-xw");
  EXPECT_EQ(response.user().role(), v1::ROLE_LEGAL_AID_PARTNER);
  EXPECT_EQ(response.user().partner_id(), kPartner);
}

TEST(BootstrapTest, RegistersTheFirstAdminOnceAndOnlyOnAnEmptyStream) {
  auto log = storage::EventLog::OpenInMemory(storage::Options());
  auto first = services::BootstrapAdmin(*log, "root-admin");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);
  auto again = services::BootstrapAdmin(*log, "root-admin");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  auto other = services::BootstrapAdmin(*log, "another-admin");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other) << "users exist: the setting does nothing";
  EXPECT_EQ(log->HeadPosition(), 1u);
  EXPECT_EQ(services::BootstrapAdmin(*log, "bad id").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DevelopmentModeTest, EveryoneIsAllowedAndNamedByMetadata) {
  auto started = server::HavenServer::Start("127.0.0.1:0", server::ServerStores::InMemory(),
                                            server::ServerSecurity::Development());
  ASSERT_TRUE(started.ok()) << started.status();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*started)->port()),
                                     grpc::InsecureChannelCredentials());
  auto access = v1::AccessAdminService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("haven-actor", "tester");
  v1::GetCallerResponse response;
  ASSERT_TRUE(access->GetCaller(&context, v1::GetCallerRequest(), &response).ok());
  EXPECT_TRUE(response.development());
  EXPECT_EQ(response.user().user_id(), "tester");

  auto events = haven::v1::EventStore::NewStub(channel);
  grpc::ClientContext read_context;
  haven::v1::ReadAllRequest read;
  read.set_from_position(1);
  haven::v1::ReadAllResponse all;
  EXPECT_TRUE(events->ReadAll(&read_context, read, &all).ok());
}

}  // namespace
}  // namespace haven::access::testing
