// The real havend with TLS on (its default): who gets in, who is refused,
// and how havend starts without or with bad TLS material.
//
// The partner scenario (a partner's certificate sees exactly its
// referrals) builds on this fixture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "dev_certs.h"
#include "e2e_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "havend_process.h"
#include "services/auth/tls_material.h"
#include "services/auth/token.h"

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

}  // namespace
}  // namespace haven::e2e
