// Real TLS between an in-process server made with MakeServerCredentials and
// clients with and without certificates and tokens: who the service sees.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "dev_certs.h"
#include "grpcpp/grpcpp.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "services/auth/caller.h"
#include "services/auth/tls_material.h"
#include "services/auth/token.h"

namespace haven::auth {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// Answers ReadAll with the caller it sees, in trailing metadata.
class WhoAmIService : public haven::v1::EventStore::Service {
 public:
  grpc::Status ReadAll(grpc::ServerContext* context, const haven::v1::ReadAllRequest*,
                       haven::v1::ReadAllResponse*) override {
    context->AddTrailingMetadata("x-user", AuthenticatedUserId(*context).value_or("<none>"));
    bool saw_token = context->client_metadata().count("authorization") > 0;
    context->AddTrailingMetadata("x-saw-token", saw_token ? "yes" : "no");
    return grpc::Status::OK;
  }
};

struct Answer {
  grpc::Status status;
  std::string user;
  std::string saw_token;
};

class TlsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(haven::testing::MakeDevTlsDir({"tls-test-user"}));
    other_dir_ = new std::string(haven::testing::MakeDevTlsDir());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    fs::remove_all(*other_dir_);
    delete dir_;
    delete other_dir_;
  }

  void SetUp() override {
    ASSERT_FALSE(dir_->empty()) << "make-dev-certs.sh failed";
    auto material = LoadTlsMaterial(*dir_, absl::Now());
    ASSERT_TRUE(material.ok()) << material.status();
    key_ = material->token_keys.keys().front();
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", MakeServerCredentials(*material), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  std::shared_ptr<grpc::Channel> Channel(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // A connection of its own.
    return grpc::CreateCustomChannel("localhost:" + std::to_string(port_), credentials, arguments);
  }

  Answer Ask(const std::shared_ptr<grpc::Channel>& channel, const std::string& token = "") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    haven::v1::ReadAllRequest request;
    haven::v1::ReadAllResponse response;
    Answer answer;
    answer.status = haven::v1::EventStore::NewStub(channel)->ReadAll(&context, request, &response);
    const auto& trailers = context.GetServerTrailingMetadata();
    if (auto it = trailers.find("x-user"); it != trailers.end()) {
      answer.user.assign(it->second.data(), it->second.size());
    }
    if (auto it = trailers.find("x-saw-token"); it != trailers.end()) {
      answer.saw_token.assign(it->second.data(), it->second.size());
    }
    return answer;
  }

  std::string Token(const std::string& user, absl::Time issued = absl::Now(),
                    absl::Duration lifetime = absl::Hours(1)) {
    return *IssueToken(key_, user, issued, lifetime);
  }

  static std::string* dir_;
  static std::string* other_dir_;
  TokenKey key_;
  WhoAmIService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

std::string* TlsServerTest::dir_ = nullptr;
std::string* TlsServerTest::other_dir_ = nullptr;

TEST_F(TlsServerTest, ClientCertificateNamesTheUser) {
  auto channel = Channel(haven::testing::DevCredentials(*dir_, "dev-operator"));
  Answer answer = Ask(channel);
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  EXPECT_EQ(answer.user, "dev-operator");
  EXPECT_EQ(Ask(channel).user, "dev-operator");
  EXPECT_EQ(Ask(Channel(haven::testing::DevCredentials(*dir_, "tls-test-user"))).user,
            "tls-test-user");
}

TEST_F(TlsServerTest, NoCredentialsReachTheServiceAsNobody) {
  Answer answer = Ask(Channel(haven::testing::DevCredentials(*dir_, "")));
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  EXPECT_EQ(answer.user, "<none>");
}

TEST_F(TlsServerTest, TokenNamesTheUserAndIsHiddenFromTheService) {
  auto channel = Channel(haven::testing::DevCredentials(*dir_, ""));
  Answer answer = Ask(channel, Token("dev-partner"));
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  EXPECT_EQ(answer.user, "dev-partner");
  EXPECT_EQ(answer.saw_token, "no");
}

TEST_F(TlsServerTest, TokenThroughAccessTokenCredentialsWorks) {
  auto credentials = grpc::CompositeChannelCredentials(
      haven::testing::DevCredentials(*dir_, ""), grpc::AccessTokenCredentials(Token("dev-partner")));
  auto channel = Channel(credentials);
  EXPECT_EQ(Ask(channel).user, "dev-partner");
  EXPECT_EQ(Ask(channel).user, "dev-partner");
}

TEST_F(TlsServerTest, ExpiredTokenIsUnauthenticated) {
  Answer answer = Ask(Channel(haven::testing::DevCredentials(*dir_, "")),
                      Token("dev-partner", absl::Now() - absl::Hours(2), absl::Hours(1)));
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(answer.status.error_message(), HasSubstr("expired at"));
}

// The connection's AuthContext outlives a call: the token user of one call
// must not become the user of a later call without a token.
TEST_F(TlsServerTest, TokenUserDoesNotCarryOverToCallsWithoutIt) {
  auto channel = Channel(haven::testing::DevCredentials(*dir_, ""));
  ASSERT_EQ(Ask(channel, Token("dev-partner")).user, "dev-partner");
  Answer later = Ask(channel);
  EXPECT_EQ(later.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(later.user, "dev-partner");
  Answer other = Ask(channel, Token("dev-admin"));
  EXPECT_EQ(other.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsServerTest, ClientNotTrustingTheCaCannotConnect) {
  Answer answer = Ask(Channel(haven::testing::DevCredentials(*other_dir_, "")));
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsServerTest, CertificateFromAnotherCaIsRefusedAtTheHandshake) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = haven::testing::ReadWholeFile(*dir_ + "/ca.crt");
  options.pem_private_key = haven::testing::ReadWholeFile(*other_dir_ + "/users/dev-admin.key");
  options.pem_cert_chain = haven::testing::ReadWholeFile(*other_dir_ + "/users/dev-admin.crt");
  Answer answer = Ask(Channel(grpc::SslCredentials(options)));
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << answer.status.error_message();
  EXPECT_EQ(answer.user, "");
}

TEST_F(TlsServerTest, PlaintextClientCannotTalkToIt) {
  Answer answer = Ask(Channel(grpc::InsecureChannelCredentials()));
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

class TlsMaterialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haven::testing::MakeDevTlsDir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(TlsMaterialTest, LoadsADevelopmentDirectory) {
  auto material = LoadTlsMaterial(dir_, absl::Now());
  ASSERT_TRUE(material.ok()) << material.status();
  EXPECT_EQ(material->token_keys.keys().size(), 1u);
  EXPECT_GT(material->server_cert_expires, absl::Now() + absl::Hours(24 * 365));
  EXPECT_TRUE(LoadSigningKey(dir_).ok());
}

TEST_F(TlsMaterialTest, MissingFilesAreNamed) {
  fs::remove(dir_ + "/server.key");
  auto material = LoadTlsMaterial(dir_, absl::Now());
  EXPECT_EQ(material.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(material.status().message()), HasSubstr("server.key"));
  EXPECT_EQ(LoadTlsMaterial(dir_ + "/nowhere", absl::Now()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TlsMaterialTest, KeysReadableByOthersAreRefused) {
  fs::permissions(dir_ + "/server.key", fs::perms::others_read, fs::perm_options::add);
  auto material = LoadTlsMaterial(dir_, absl::Now());
  EXPECT_EQ(material.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(material.status().message()), HasSubstr("chmod 600"));
  fs::permissions(dir_ + "/server.key", fs::perms::others_read, fs::perm_options::remove);
  fs::permissions(dir_ + "/token-signing.key", fs::perms::group_read, fs::perm_options::add);
  EXPECT_THAT(std::string(LoadTlsMaterial(dir_, absl::Now()).status().message()),
              HasSubstr("token-signing.key"));
}

TEST_F(TlsMaterialTest, KeyOfAnotherCertificateIsRefused) {
  fs::copy_file(dir_ + "/users/dev-admin.key", dir_ + "/server.key",
                fs::copy_options::overwrite_existing);
  auto material = LoadTlsMaterial(dir_, absl::Now());
  EXPECT_EQ(material.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(material.status().message()), HasSubstr("is not the key of"));
}

TEST_F(TlsMaterialTest, ExpiredServerCertificateIsRefused) {
  auto material = LoadTlsMaterial(dir_, absl::Now() + absl::Hours(24 * 900));
  EXPECT_EQ(material.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(material.status().message()), HasSubstr("expired at"));
}

TEST_F(TlsMaterialTest, NotPemIsRefused) {
  std::ofstream(dir_ + "/ca.crt") << "not a certificate\n";
  EXPECT_THAT(std::string(LoadTlsMaterial(dir_, absl::Now()).status().message()),
              HasSubstr("no PEM certificate"));
}

TEST_F(TlsMaterialTest, EarlierTokenKeysJoinTheRing) {
  fs::copy_file(dir_ + "/token-signing.key", dir_ + "/token-signing-2025.key");
  std::ofstream(dir_ + "/token-signing.key") << std::string(64, 'e') << "\n";
  auto ring = LoadTokenKeyring(dir_);
  ASSERT_TRUE(ring.ok()) << ring.status();
  ASSERT_EQ(ring->keys().size(), 2u);
  EXPECT_EQ(ring->keys()[0].id, LoadSigningKey(dir_)->id);
}

}  // namespace
}  // namespace haven::auth
