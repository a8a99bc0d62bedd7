// The real havend with TLS on (its default): who gets in, who is refused,
// and how havend starts without or with bad TLS material.
//
// The partner scenario (a partner's certificate sees exactly its
// referrals) builds on this fixture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>
#include <tuple>

#include "dev_certs.h"
#include "e2e_util.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "haven/access/v1/access.grpc.pb.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/legalaid/v1/legal_aid.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "havend_process.h"
#include "services/auth/tls_material.h"
#include "services/auth/token.h"
#include "tests/cases/case_test_util.h"

namespace haven::e2e {
namespace {

namespace fs = std::filesystem;
namespace hv = haven::v1;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tls_dir_ = new std::string(haven::testing::MakeDevTlsDir({"e2e-user"}));
    other_ca_dir_ = new std::string(haven::testing::MakeDevTlsDir());
  }
  static void TearDownTestSuite() {
    RemoveTree(*tls_dir_);
    RemoveTree(*other_ca_dir_);
    delete tls_dir_;
    delete other_ca_dir_;
  }

  void SetUp() override {
    ASSERT_FALSE(tls_dir_->empty()) << "deploy/make-dev-certs.sh failed";
    server_ = std::make_unique<HavendProcess>();
    server_->UseTls(*tls_dir_, haven::testing::DevCredentials(*tls_dir_, "dev-admin"));
    server_->set_extra_args({"--bootstrap-admin=dev-admin"});
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cout << "[tls] havend stderr:\n" << server_->StderrTail();
  }

  // A channel trusting the development CA, presenting `user`'s
  // certificate unless `user` is empty.
  std::shared_ptr<grpc::Channel> As(const std::string& user) {
    return server_->NewChannel(haven::testing::DevCredentials(*tls_dir_, user));
  }

  static grpc::Status ReadAll(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& token = "") {
    grpc::ClientContext context;
    PrepareContext(&context, 10s, /*actor=*/"");
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    hv::ReadAllRequest request;
    request.set_limit(1);
    hv::ReadAllResponse response;
    return hv::EventStore::NewStub(channel)->ReadAll(&context, request, &response);
  }

  static std::string Token(absl::Time issued, absl::Duration lifetime,
                           const std::string& user = "e2e-user") {
    auto key = haven::auth::LoadSigningKey(*tls_dir_);
    EXPECT_TRUE(key.ok()) << key.status();
    return *haven::auth::IssueToken(*key, user, issued, lifetime);
  }

  static std::string* tls_dir_;
  static std::string* other_ca_dir_;
  std::unique_ptr<HavendProcess> server_;
};

std::string* TlsTest::tls_dir_ = nullptr;
std::string* TlsTest::other_ca_dir_ = nullptr;

TEST_F(TlsTest, HealthWorksWithoutCredentials) {
  grpc::ClientContext context;
  PrepareContext(&context, 10s, "");
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status =
      grpc::health::v1::Health::NewStub(As(""))->Check(&context, request, &response);
  ASSERT_TRUE(status.ok()) << StatusText(status);
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(TlsTest, ClientWithoutCertificateOrTokenIsRefused) {
  grpc::Status status = ReadAll(As(""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << StatusText(status);
}

TEST_F(TlsTest, ExpiredTokenIsUnauthenticated) {
  grpc::Status status = ReadAll(As(""), Token(absl::Now() - absl::Hours(9), absl::Hours(8)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << StatusText(status);
  EXPECT_THAT(status.error_message(), HasSubstr("expired at"));
}

TEST_F(TlsTest, TokenSignedWithAnotherKeyIsUnauthenticated) {
  auto other_key = haven::auth::LoadSigningKey(*other_ca_dir_);
  ASSERT_TRUE(other_key.ok());
  grpc::Status status =
      ReadAll(As(""), *haven::auth::IssueToken(*other_key, "e2e-user", absl::Now(), absl::Hours(1)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << StatusText(status);
}

// Authenticated callers get past authentication: authorisation answers
// for the user the certificate or token names (a user it does not know is
// refused naming her), and nothing fails in the transport.
TEST_F(TlsTest, ValidCertificateOrTokenIsAuthenticated) {
  auto expect_authenticated_as = [](const std::string& user, const grpc::Status& status) {
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE) << user << StatusText(status);
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      EXPECT_THAT(status.error_message(), HasSubstr("\"" + user + "\"")) << user;
    }
  };
  for (const std::string user : {"dev-admin", "e2e-user"}) {
    expect_authenticated_as(user, ReadAll(As(user)));
  }
  // The bootstrap admin is registered: authorisation decides on her role.
  grpc::Status admin = ReadAll(As("dev-admin"));
  EXPECT_NE(admin.error_code(), grpc::StatusCode::UNAUTHENTICATED) << StatusText(admin);
  expect_authenticated_as("e2e-user", ReadAll(As(""), Token(absl::Now(), absl::Hours(1))));
}

TEST_F(TlsTest, ClientNotTrustingTheCaCannotConnect) {
  grpc::Status status = ReadAll(server_->NewChannel(haven::testing::DevCredentials(*other_ca_dir_, "")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(status);
}

TEST_F(TlsTest, CertificateOfAnotherCaIsRefused) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = haven::testing::ReadWholeFile(*tls_dir_ + "/ca.crt");
  options.pem_private_key = haven::testing::ReadWholeFile(*other_ca_dir_ + "/users/dev-admin.key");
  options.pem_cert_chain = haven::testing::ReadWholeFile(*other_ca_dir_ + "/users/dev-admin.crt");
  grpc::Status status = ReadAll(server_->NewChannel(grpc::SslCredentials(options)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(status);
}

TEST_F(TlsTest, PlaintextClientCannotTalkToIt) {
  grpc::Status status = ReadAll(server_->NewChannel(grpc::InsecureChannelCredentials()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << StatusText(status);
}

TEST(HavendTlsStartup, WithoutTlsMaterialExits2SayingWhatToRun) {
  const std::string data_dir = MakeTempDir("havend-no-tls");
  RunResult r = RunHavendToCompletion(
      {"--listen=127.0.0.1:" + std::to_string(PickFreePort()), "--data-dir=" + data_dir}, 20s);
  RemoveTree(data_dir);
  ASSERT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exit.exited && r.exit.code == 2) << r.exit.Describe() << "\n" << r.err;
  EXPECT_THAT(r.err, HasSubstr("deploy/make-dev-certs.sh " + data_dir + "/tls"));
  EXPECT_THAT(r.err, HasSubstr("--insecure-plaintext"));
}

TEST(HavendTlsStartup, KeyReadableByOthersExits2) {
  const std::string tls_dir = haven::testing::MakeDevTlsDir();
  ASSERT_FALSE(tls_dir.empty());
  chmod((tls_dir + "/server.key").c_str(), 0644);
  const std::string data_dir = MakeTempDir("havend-bad-tls");
  RunResult r = RunHavendToCompletion({"--listen=127.0.0.1:" + std::to_string(PickFreePort()),
                                       "--data-dir=" + data_dir, "--tls-dir=" + tls_dir},
                                      20s);
  RemoveTree(data_dir);
  RemoveTree(tls_dir);
  ASSERT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exit.exited && r.exit.code == 2) << r.exit.Describe() << "\n" << r.err;
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
}

TEST(HavendTlsStartup, IssueTokenPrintsAToken) {
  const std::string tls_dir = haven::testing::MakeDevTlsDir();
  ASSERT_FALSE(tls_dir.empty());
  RunResult r = RunHavendToCompletion(
      {"issue-token", "--tls-dir=" + tls_dir, "--user=dev-partner", "--ttl=2h"}, 20s);
  auto key = haven::auth::LoadSigningKey(tls_dir);
  RemoveTree(tls_dir);
  ASSERT_TRUE(r.exit.exited && r.exit.code == 0) << r.exit.Describe() << "\n" << r.err;
  std::string token = r.out.substr(0, r.out.find('\n'));
  auto claims = haven::auth::VerifyToken(haven::auth::TokenKeyring({*key}), token, absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, "dev-partner");
  EXPECT_EQ(claims->expires_at - claims->issued_at, 2 * 3600);
}

// ---- The partner scenario: a legal aid centre's certificate sees exactly
// the referrals made to it, and nothing else of the case system.
namespace partner {

namespace av1 = haven::access::v1;
namespace cv1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;
namespace lv1 = haven::legalaid::v1;

grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  grpc::ClientContext context;
  PrepareContext(&context, 10s, /*actor=*/"");
  context.AddMetadata("haven-purpose", "e2e partner scenario");
  return rpc(&context);
}

void MustOk(const grpc::Status& status, const std::string& what) {
  ASSERT_TRUE(status.ok()) << what << ": " << status.error_code() << " "
                           << status.error_message();
}

}  // namespace partner

TEST_F(TlsTest, PartnerCertificateSeesExactlyItsReferrals) {
  using namespace partner;
  auto directory = dv1::DirectoryService::NewStub(As("dev-admin"));
  auto admin = av1::AccessAdminService::NewStub(As("dev-admin"));
  int request = 0;
  auto next_id = [&] { return absl::StrCat("e2e-partner-", ++request); };
  for (auto [id, name, kind, parent] :
       std::vector<std::tuple<std::string, std::string, dv1::UnitKind, std::string>>{
           {"s1-city", "南京市", dv1::UNIT_KIND_CITY, ""},
           {"s1-c01", "玄武区", dv1::UNIT_KIND_DISTRICT, "s1-city"}}) {
    dv1::CreateUnitRequest r;
    r.set_request_id(next_id());
    r.set_unit_id(id);
    r.set_name(name);
    r.set_kind(kind);
    r.set_parent_id(parent);
    dv1::CommandResponse response;
    MustOk(Call([&](auto* c) { return directory->CreateUnit(c, r, &response); }), id);
  }
  for (const std::string partner_id : {"legal-aid-c01", "legal-aid-c02"}) {
    av1::RegisterPartnerRequest r;
    r.set_request_id(next_id());
    r.set_partner_id(partner_id);
    r.set_name("区法律援助中心");
    r.set_org_unit_id("s1-c01");
    av1::CommandResponse response;
    MustOk(Call([&](auto* c) { return admin->RegisterPartner(c, r, &response); }), partner_id);
  }
  {
    av1::RegisterUserRequest r;
    r.set_request_id(next_id());
    r.set_user_id("dev-operator");
    r.set_display_name("王芳");
    r.set_role(av1::ROLE_OPERATOR);
    r.set_org_unit_id("s1-c01");
    av1::CommandResponse response;
    MustOk(Call([&](auto* c) { return admin->RegisterUser(c, r, &response); }), "operator");
    r.set_request_id(next_id());
    r.set_user_id("dev-partner");
    r.set_display_name("陈律师");
    r.set_role(av1::ROLE_LEGAL_AID_PARTNER);
    r.set_org_unit_id("");
    r.set_partner_id("legal-aid-c01");
    MustOk(Call([&](auto* c) { return admin->RegisterUser(c, r, &response); }), "partner");
  }

  // The operator opens two cases and refers one to each centre.
  auto cases = cv1::CaseService::NewStub(As("dev-operator"));
  std::vector<std::string> case_ids;
  for (const std::string partner_id : {"legal-aid-c01", "legal-aid-c02"}) {
    cv1::OpenCaseRequest open;
    open.set_request_id(next_id());
    *open.mutable_open_case() = cases::testing::OpenCaseCommand().open_case();
    open.mutable_open_case()->set_org_unit_id("s1-c01");
    open.mutable_open_case()->set_received_at_us(absl::ToUnixMicros(absl::Now()) - 3600'000'000LL);
    cv1::CommandResponse opened;
    MustOk(Call([&](auto* c) { return cases->OpenCase(c, open, &opened); }), "open");
    cv1::RecordConsentRequest consent;
    consent.set_request_id(next_id());
    consent.set_case_id(opened.case_id());
    consent.set_expected_version(opened.version());
    consent.mutable_record_consent()->add_scope(cv1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    consent.mutable_record_consent()->set_form(cv1::CONSENT_FORM_WRITTEN);
    cv1::CommandResponse consented;
    MustOk(Call([&](auto* c) { return cases->RecordConsent(c, consent, &consented); }), "consent");
    cv1::MakeReferralRequest refer;
    refer.set_request_id(next_id());
    refer.set_case_id(opened.case_id());
    refer.set_expected_version(consented.version());
    refer.mutable_make_referral()->set_partner_id(partner_id);
    refer.mutable_make_referral()->set_partner_type(cv1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    refer.mutable_make_referral()->set_reason("申请离婚诉讼代理。");
    cv1::CommandResponse referred;
    MustOk(Call([&](auto* c) { return cases->MakeReferral(c, refer, &referred); }), "refer");
    case_ids.push_back(opened.case_id());
  }

  // The partner of legal-aid-c01, by her certificate.
  auto partner_channel = As("dev-partner");
  auto legal_aid = lv1::LegalAidService::NewStub(partner_channel);
  lv1::ListMyReferralsRequest list;
  lv1::ListMyReferralsResponse mine;
  // The read model follows the log within moments.
  for (int attempt = 0; attempt < 50; ++attempt) {
    mine.Clear();
    MustOk(Call([&](auto* c) { return legal_aid->ListMyReferrals(c, list, &mine); }), "list");
    if (mine.referrals_size() > 0) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(mine.referrals_size(), 1);
  EXPECT_EQ(mine.referrals(0).case_id(), case_ids[0]);

  lv1::GetReferralRequest get;
  get.set_referral_id(mine.referrals(0).referral_id());
  lv1::GetReferralResponse view;
  MustOk(Call([&](auto* c) { return legal_aid->GetReferral(c, get, &view); }), "get");
  EXPECT_EQ(view.referral().case_id(), case_ids[0]);
  EXPECT_FALSE(view.seeker_name().empty());

  // The Python example client (clients/partner-python) sees the same.
  {
    const std::string command = absl::StrCat(
        "/usr/bin/python3 ", HAVEN_SOURCE_DIR, "/clients/partner-python/legal_aid_client.py --server=",
        server_->address(), " --tls-dir=", *tls_dir_, " --user=dev-partner --gen-dir=",
        HAVEN_BINARY_DIR, "/python-stubs list 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << output;
    EXPECT_THAT(output, HasSubstr(mine.referrals(0).referral_id()));
    EXPECT_THAT(output, ::testing::Not(HasSubstr(case_ids[1])));
  }

  // Nothing of the case system outside her referrals.
  cv1::GetCaseRequest case_request;
  case_request.set_case_id(case_ids[1]);
  cv1::GetCaseResponse case_view;
  grpc::Status refused = Call([&](auto* c) {
    return cv1::CaseService::NewStub(partner_channel)->GetCase(c, case_request, &case_view);
  });
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(case_view.has_case_view());
}

}  // namespace
}  // namespace haven::e2e
