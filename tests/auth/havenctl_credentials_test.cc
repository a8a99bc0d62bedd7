// havenctl's credentials: profile file, flags over it, the development
// defaults, and the errors that say what to do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client.h"
#include "dev_certs.h"

namespace haven::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class HavenctlCredentialsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { tls_dir_ = new std::string(haven::testing::MakeDevTlsDir()); }
  static void TearDownTestSuite() {
    fs::remove_all(*tls_dir_);
    delete tls_dir_;
  }
  void SetUp() override { ASSERT_FALSE(tls_dir_->empty()); }

  static std::string* tls_dir_;
};

std::string* HavenctlCredentialsTest::tls_dir_ = nullptr;

TEST_F(HavenctlCredentialsTest, DefaultsToTheDevOperatorCertificateOfTheTlsDir) {
  GlobalOptions options;
  options.tls_dir = *tls_dir_;
  ASSERT_EQ(ResolveCredentials(&options), "");
  EXPECT_EQ(options.ca_pem, haven::testing::ReadWholeFile(*tls_dir_ + "/ca.crt"));
  EXPECT_EQ(options.cert_pem, haven::testing::ReadWholeFile(*tls_dir_ + "/users/dev-operator.crt"));
  EXPECT_FALSE(options.key_pem.empty());
}

TEST_F(HavenctlCredentialsTest, AsPicksAnotherDevelopmentUser) {
  GlobalOptions options;
  options.tls_dir = *tls_dir_;
  options.as_user = "dev-partner";
  ASSERT_EQ(ResolveCredentials(&options), "");
  EXPECT_EQ(options.cert_pem, haven::testing::ReadWholeFile(*tls_dir_ + "/users/dev-partner.crt"));
  options.as_user = "nobody";
  EXPECT_THAT(ResolveCredentials(&options), HasSubstr("make-dev-certs.sh"));
}

TEST_F(HavenctlCredentialsTest, TokenAloneSendsNoCertificate) {
  std::ofstream(*tls_dir_ + "/token.txt") << "haven1.abc.def\n";
  GlobalOptions options;
  options.tls_dir = *tls_dir_;
  options.token = "@" + *tls_dir_ + "/token.txt";
  ASSERT_EQ(ResolveCredentials(&options), "");
  EXPECT_EQ(options.token, "haven1.abc.def");
  EXPECT_TRUE(options.cert_pem.empty());
}

TEST_F(HavenctlCredentialsTest, MissingCaSaysHowToGetOne) {
  GlobalOptions options;
  options.tls_dir = *tls_dir_ + "/nowhere";
  const std::string error = ResolveCredentials(&options);
  EXPECT_THAT(error, HasSubstr("deploy/serve.sh"));
  EXPECT_THAT(error, HasSubstr("--plaintext"));
}

TEST_F(HavenctlCredentialsTest, PlaintextTakesNoCredentials) {
  GlobalOptions options;
  options.plaintext = true;
  EXPECT_EQ(ResolveCredentials(&options), "");
  options.token = "x";
  EXPECT_THAT(ResolveCredentials(&options), HasSubstr("--plaintext"));
}

TEST_F(HavenctlCredentialsTest, CertNeedsKey) {
  GlobalOptions options;
  options.tls_dir = *tls_dir_;
  options.cert_file = *tls_dir_ + "/users/dev-admin.crt";
  EXPECT_THAT(ResolveCredentials(&options), HasSubstr("--cert and --key"));
}

TEST_F(HavenctlCredentialsTest, FlagsWinOverTheProfile) {
  const std::string profile = *tls_dir_ + "/profile";
  std::ofstream(profile) << "# a partner's profile\nserver = haven.example.org:7070\n"
                         << "tls-dir = " << *tls_dir_ << "\nas = dev-partner\ntimeout = 3\n";
  GlobalOptions options;
  ASSERT_EQ(LoadProfile(profile, &options), "");
  EXPECT_EQ(options.server, "haven.example.org:7070");
  EXPECT_EQ(options.as_user, "dev-partner");
  EXPECT_EQ(options.timeout_seconds, 3);
  const std::vector<FlagSpec>& specs = GlobalFlagSpecs();
  ParsedArgs args = ParseFlags({"--as=dev-auditor", "--server=127.0.0.1:1"}, specs);
  ASSERT_EQ(args.error, "");
  ASSERT_EQ(ApplyGlobalFlags(args, &options), "");
  EXPECT_EQ(options.as_user, "dev-auditor");
  EXPECT_EQ(options.server, "127.0.0.1:1");
  EXPECT_EQ(ProfilePath(std::string("/x/p")), "/x/p");
}

TEST_F(HavenctlCredentialsTest, BadProfileLinesAreNamed) {
  const std::string profile = *tls_dir_ + "/bad-profile";
  std::ofstream(profile) << "server = h:1\ncolour = blue\n";
  GlobalOptions options;
  EXPECT_THAT(LoadProfile(profile, &options), HasSubstr(profile + ":2: unknown setting"));
  std::ofstream(profile) << "plaintext = maybe\n";
  EXPECT_THAT(LoadProfile(profile, &options), HasSubstr(":1: plaintext must be true or false"));
}

}  // namespace
}  // namespace haven::cli
