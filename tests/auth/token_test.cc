// Bearer tokens: issue, verify, expiry, tampering, key rotation.
#include "services/auth/token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace haven::auth {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

TokenKey Key(char fill) { return *TokenKey::FromSecret(std::string(32, fill)); }

absl::StatusOr<TokenClaims> Verify(const std::string& token, absl::Time now = kNow,
                                   TokenKeyring keys = TokenKeyring({Key('a')})) {
  return VerifyToken(keys, token, now);
}

void ExpectUnauthenticated(const absl::StatusOr<TokenClaims>& claims, const std::string& text) {
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated) << claims.status();
  EXPECT_THAT(std::string(claims.status().message()), HasSubstr(text));
}

TEST(Token, IssuedTokenVerifiesWithItsClaims) {
  auto token = IssueToken(Key('a'), "dev-operator", kNow, absl::Hours(8));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->rfind("haven1.", 0), 0u);
  auto claims = Verify(*token, kNow + absl::Hours(1));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, "dev-operator");
  EXPECT_EQ(claims->issued_at, absl::ToUnixSeconds(kNow));
  EXPECT_EQ(claims->expires_at, absl::ToUnixSeconds(kNow + absl::Hours(8)));
  EXPECT_EQ(claims->key_id, Key('a').id);
}

TEST(Token, ExpiredTokenSaysWhen) {
  auto token = IssueToken(Key('a'), "dev-operator", kNow, absl::Hours(8));
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(Verify(*token, kNow + absl::Hours(8) - absl::Seconds(1)).ok());
  ExpectUnauthenticated(Verify(*token, kNow + absl::Hours(8)),
                        "bearer token expired at 2026-01-01T08:00:00Z");
}

TEST(Token, TokenFromTheFutureIsRefusedBeyondTheSkewAllowance) {
  auto token = IssueToken(Key('a'), "u1", kNow + absl::Minutes(4), absl::Hours(1));
  EXPECT_TRUE(Verify(*token).ok());
  token = IssueToken(Key('a'), "u1", kNow + absl::Minutes(6), absl::Hours(1));
  ExpectUnauthenticated(Verify(*token), "issued in the future");
}

TEST(Token, ChangedPayloadHasABadSignature) {
  auto token = IssueToken(Key('a'), "dev-operator", kNow, absl::Hours(8));
  std::vector<std::string> parts = absl::StrSplit(*token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  const size_t at = payload.find("dev-operator");
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, 12, "dev-admin");
  const std::string forged =
      absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(payload), ".", parts[2]);
  ExpectUnauthenticated(Verify(forged), "bad signature");
}

TEST(Token, ChangedSignatureIsABadSignature) {
  std::string token = *IssueToken(Key('a'), "dev-operator", kNow, absl::Hours(8));
  token[token.size() - 3] = token[token.size() - 3] == 'A' ? 'B' : 'A';
  ExpectUnauthenticated(Verify(token), "bad signature");
  // Truncated (to a whole number of bytes): too short to be an HMAC-SHA256.
  std::string truncated = *IssueToken(Key('a'), "dev-operator", kNow, absl::Hours(8));
  truncated.resize(truncated.size() - 3);
  ExpectUnauthenticated(Verify(truncated), "bad signature");
}

TEST(Token, SignedByAnotherKeyIsRefused) {
  auto token = IssueToken(Key('b'), "dev-operator", kNow, absl::Hours(8));
  ExpectUnauthenticated(Verify(*token), "signed with unknown key");
  // Forged with key b but claiming key a's id.
  std::vector<std::string> parts = absl::StrSplit(*token, '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  const size_t at = payload.find(Key('b').id);
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, Key('b').id.size(), Key('a').id);
  const std::string relabelled =
      absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(payload), ".", parts[2]);
  ExpectUnauthenticated(Verify(relabelled), "bad signature");
}

TEST(Token, EarlierKeysOfTheRingStillVerify) {
  auto old_token = IssueToken(Key('a'), "u1", kNow, absl::Hours(1));
  auto new_token = IssueToken(Key('b'), "u1", kNow, absl::Hours(1));
  const TokenKeyring ring({Key('b'), Key('a')});
  EXPECT_TRUE(Verify(*old_token, kNow, ring).ok());
  EXPECT_TRUE(Verify(*new_token, kNow, ring).ok());
}

TEST(Token, MalformedTokensSayMalformed) {
  const std::string good = *IssueToken(Key('a'), "u1", kNow, absl::Hours(1));
  for (const std::string& bad :
       {std::string(""), std::string("haven1"), std::string("haven2.") + good.substr(7),
        std::string("haven1.abc"), good + ".extra", std::string("haven1.!!!.abc"),
        std::string("haven1.") + absl::WebSafeBase64Escape("not json") + ".AAAA",
        std::string("haven1.") + absl::WebSafeBase64Escape(R"({"sub":"u1"})") + ".AAAA",
        std::string("haven1.") +
            absl::WebSafeBase64Escape(R"({"sub":"bad id!","iat":1,"exp":2,"kid":"x"})") + ".AAAA",
        std::string("haven1.") +
            absl::WebSafeBase64Escape(R"({"sub":"u1","iat":5,"exp":5,"kid":"x"})") + ".AAAA",
        std::string(3000, 'a')}) {
    ExpectUnauthenticated(Verify(bad), "bearer token malformed");
  }
  // Padding makes a second spelling of the same bytes: refused.
  ExpectUnauthenticated(Verify(good + "="), "malformed");
}

TEST(Token, IssueRefusesBadUsersAndLifetimes) {
  EXPECT_EQ(IssueToken(Key('a'), "", kNow, absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IssueToken(Key('a'), "a b", kNow, absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IssueToken(Key('a'), "u1", kNow, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IssueToken(Key('a'), "u1", kNow, kMaxTokenLifetime + absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IssueToken(Key('a'), "u1", kNow, kMaxTokenLifetime).ok());
}

TEST(TokenKey, FromHexNeedsThirtyTwoBytesOfHex) {
  EXPECT_TRUE(TokenKey::FromHex(std::string(64, 'f') + "\n", "k").ok());
  EXPECT_FALSE(TokenKey::FromHex(std::string(62, 'f'), "k").ok());
  auto bad = TokenKey::FromHex(std::string(63, 'f') + "g", "the key file");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("the key file"));
  EXPECT_EQ(TokenKey::FromHex(std::string(64, 'f'), "k")->id.size(), 12u);
  EXPECT_NE(Key('a').id, Key('b').id);
}

}  // namespace
}  // namespace haven::auth
