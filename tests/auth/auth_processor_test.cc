// AuthProcessor on a fake connection AuthContext: who each call is, and
// that a connection stays bound to its first caller.
#include "services/auth/auth_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "grpc/grpc_security_constants.h"
#include "services/auth/caller.h"

namespace haven::auth {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

// gRPC makes the empty iterator's constructor protected.
struct EmptyPropertyIterator : grpc::AuthPropertyIterator {};

// A connection's AuthContext: a multimap of properties.
class FakeAuthContext : public grpc::AuthContext {
 public:
  bool IsPeerAuthenticated() const override { return false; }
  std::vector<grpc::string_ref> GetPeerIdentity() const override { return {}; }
  std::string GetPeerIdentityPropertyName() const override { return ""; }
  std::vector<grpc::string_ref> FindPropertyValues(const std::string& name) const override {
    std::vector<grpc::string_ref> values;
    auto [begin, end] = properties_.equal_range(name);
    for (auto it = begin; it != end; ++it) values.emplace_back(it->second);
    return values;
  }
  grpc::AuthPropertyIterator begin() const override { return EmptyPropertyIterator(); }
  grpc::AuthPropertyIterator end() const override { return EmptyPropertyIterator(); }
  void AddProperty(const std::string& key, const grpc::string_ref& value) override {
    properties_.emplace(key, std::string(value.data(), value.size()));
  }
  bool SetPeerIdentityPropertyName(const std::string&) override { return false; }

  std::vector<std::string> Values(const std::string& name) const {
    std::vector<std::string> values;
    for (const grpc::string_ref& v : FindPropertyValues(name)) values.emplace_back(v.data(), v.size());
    return values;
  }

 private:
  std::multimap<std::string, std::string> properties_;
};

// A TLS connection whose client presented a certificate with these SANs.
FakeAuthContext CertificateConnection(const std::vector<std::string>& sans) {
  FakeAuthContext context;
  context.AddProperty(GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME, "ssl");
  context.AddProperty(GRPC_X509_CN_PROPERTY_NAME, "whoever");
  context.AddProperty(GRPC_X509_PEM_CERT_PROPERTY_NAME, "-----BEGIN CERTIFICATE-----");
  for (const std::string& san : sans) context.AddProperty(GRPC_X509_SAN_PROPERTY_NAME, san);
  return context;
}

FakeAuthContext AnonymousConnection() {
  FakeAuthContext context;
  context.AddProperty(GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME, "ssl");
  return context;
}

class AuthProcessorTest : public ::testing::Test {
 protected:
  AuthProcessorTest() : processor_(TokenKeyring({Key()}), [this] { return now_; }) {}

  static TokenKey Key() { return *TokenKey::FromSecret(std::string(32, 'k')); }
  static std::string Bearer(const std::string& user, absl::Time issued = kNow) {
    return "Bearer " + *IssueToken(Key(), user, issued, absl::Hours(1));
  }

  // One call on `context` with an "authorization" header when `authorization` is not empty.
  grpc::Status Call(FakeAuthContext* context, const std::string& authorization = "") {
    std::multimap<grpc::string_ref, grpc::string_ref> metadata;
    metadata.emplace("user-agent", "test");
    if (!authorization.empty()) metadata.emplace("authorization", authorization);
    consumed_.clear();
    grpc::AuthMetadataProcessor::OutputMetadata response;
    return processor_.Process(metadata, context, &consumed_, &response);
  }

  absl::Time now_ = kNow;
  AuthProcessor processor_;
  grpc::AuthMetadataProcessor::OutputMetadata consumed_;
};

TEST_F(AuthProcessorTest, IsNotBlocking) { EXPECT_FALSE(processor_.IsBlocking()); }

TEST_F(AuthProcessorTest, CertificateUserComesFromTheHavenUserUri) {
  FakeAuthContext connection =
      CertificateConnection({"localhost", "haven:user/dev-operator", "https://example.org"});
  ASSERT_TRUE(Call(&connection).ok());
  EXPECT_THAT(connection.Values(kUserIdProperty), ::testing::ElementsAre("dev-operator"));
  EXPECT_THAT(connection.Values(kAuthMethodProperty), ::testing::ElementsAre("certificate"));
  // Later calls add nothing.
  ASSERT_TRUE(Call(&connection).ok());
  EXPECT_EQ(connection.Values(kUserIdProperty).size(), 1u);
}

TEST_F(AuthProcessorTest, CertificateWithoutHavenUserIsRefused) {
  FakeAuthContext connection = CertificateConnection({"dev-operator", "localhost"});
  grpc::Status status = Call(&connection);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("haven:user/"));
  EXPECT_TRUE(connection.Values(kUserIdProperty).empty());
}

TEST_F(AuthProcessorTest, CertificateNamingTwoUsersIsRefused) {
  FakeAuthContext connection = CertificateConnection({"haven:user/a", "haven:user/b"});
  EXPECT_EQ(Call(&connection).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  FakeAuthContext bad_id = CertificateConnection({"haven:user/not valid"});
  EXPECT_EQ(Call(&bad_id).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthProcessorTest, TokenUserIsRecordedAndTheHeaderConsumed) {
  FakeAuthContext connection = AnonymousConnection();
  const std::string header = Bearer("dev-partner");
  ASSERT_TRUE(Call(&connection, header).ok());
  EXPECT_THAT(connection.Values(kUserIdProperty), ::testing::ElementsAre("dev-partner"));
  EXPECT_THAT(connection.Values(kAuthMethodProperty), ::testing::ElementsAre("token"));
  ASSERT_EQ(consumed_.size(), 1u);
  EXPECT_EQ(consumed_.begin()->first, "authorization");
  EXPECT_EQ(consumed_.begin()->second, header);
  // The scheme is case-insensitive.
  FakeAuthContext other = AnonymousConnection();
  EXPECT_TRUE(Call(&other, "bearer " + Bearer("u2").substr(7)).ok());
}

TEST_F(AuthProcessorTest, BadTokensFailSayingWhy) {
  FakeAuthContext connection = AnonymousConnection();
  const std::string header = Bearer("dev-partner");
  now_ = kNow + absl::Hours(2);
  grpc::Status expired = Call(&connection, header);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(expired.error_message(), HasSubstr("expired at 2026-01-01T01:00:00Z"));
  now_ = kNow;
  grpc::Status forged = Call(&connection, header.substr(0, header.size() - 2) + "AA");
  EXPECT_THAT(forged.error_message(), HasSubstr("bad signature"));
  EXPECT_THAT(Call(&connection, "Bearer nonsense").error_message(), HasSubstr("malformed"));
  EXPECT_THAT(Call(&connection, "Basic dXNlcjpwYXNz").error_message(), HasSubstr("Bearer"));
  // None of these bound the connection.
  EXPECT_TRUE(connection.Values(kAuthMethodProperty).empty());
}

TEST_F(AuthProcessorTest, TwoAuthorizationHeadersAreRefused) {
  FakeAuthContext connection = AnonymousConnection();
  std::multimap<grpc::string_ref, grpc::string_ref> metadata;
  const std::string a = Bearer("a"), b = Bearer("b");
  metadata.emplace("authorization", a);
  metadata.emplace("authorization", b);
  grpc::AuthMetadataProcessor::OutputMetadata consumed, response;
  EXPECT_EQ(processor_.Process(metadata, &connection, &consumed, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthProcessorTest, NoCredentialsRecordNoUser) {
  FakeAuthContext connection = AnonymousConnection();
  ASSERT_TRUE(Call(&connection).ok());
  EXPECT_TRUE(connection.Values(kUserIdProperty).empty());
  EXPECT_THAT(connection.Values(kAuthMethodProperty), ::testing::ElementsAre("none"));
  ASSERT_TRUE(Call(&connection).ok());
}

// The AuthContext outlives the call: a token's user must not carry over to
// a later call without it.
TEST_F(AuthProcessorTest, TokenConnectionNeedsTheTokenOnEveryCall) {
  FakeAuthContext connection = AnonymousConnection();
  ASSERT_TRUE(Call(&connection, Bearer("dev-partner")).ok());
  grpc::Status without = Call(&connection);
  EXPECT_EQ(without.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(without.error_message(), HasSubstr("missing bearer token"));
  // A fresh token of the same user is fine; an expired one is not.
  EXPECT_TRUE(Call(&connection, Bearer("dev-partner", kNow + absl::Minutes(1))).ok());
  now_ = kNow + absl::Hours(3);
  EXPECT_EQ(Call(&connection, Bearer("dev-partner")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthProcessorTest, ConnectionCannotSwitchUsers) {
  FakeAuthContext connection = AnonymousConnection();
  ASSERT_TRUE(Call(&connection, Bearer("dev-partner")).ok());
  grpc::Status other = Call(&connection, Bearer("dev-admin"));
  EXPECT_EQ(other.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(other.error_message(), HasSubstr("another user"));
  EXPECT_THAT(connection.Values(kUserIdProperty), ::testing::ElementsAre("dev-partner"));
}

TEST_F(AuthProcessorTest, AnonymousConnectionTakesNoTokenLater) {
  FakeAuthContext connection = AnonymousConnection();
  ASSERT_TRUE(Call(&connection).ok());
  EXPECT_EQ(Call(&connection, Bearer("dev-partner")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(connection.Values(kUserIdProperty).empty());
}

TEST_F(AuthProcessorTest, TokenMustNameTheCertificateUser) {
  FakeAuthContext connection = CertificateConnection({"haven:user/dev-operator"});
  EXPECT_EQ(Call(&connection, Bearer("dev-admin")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(connection.Values(kUserIdProperty).empty());
  EXPECT_TRUE(Call(&connection, Bearer("dev-operator")).ok());
  EXPECT_TRUE(Call(&connection).ok());  // The certificate is on every call.
  EXPECT_EQ(Call(&connection, Bearer("dev-admin")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthProcessorTest, ServerWithoutTokenKeyRefusesTokens) {
  AuthProcessor keyless(TokenKeyring(), [] { return kNow; });
  FakeAuthContext connection = AnonymousConnection();
  std::multimap<grpc::string_ref, grpc::string_ref> metadata;
  const std::string header = Bearer("u1");
  metadata.emplace("authorization", header);
  grpc::AuthMetadataProcessor::OutputMetadata consumed, response;
  grpc::Status status = keyless.Process(metadata, &connection, &consumed, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("not accepted"));
}

}  // namespace
}  // namespace haven::auth
