#include "services/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/auth/user_id.h"

namespace haven::auth {
namespace {

constexpr char kPrefix[] = "haven1.";
constexpr size_t kMinSecretBytes = 32;
// Far more than a token needs; bounds the work an attacker can cause.
constexpr size_t kMaxTokenBytes = 2048;

std::string Hmac(const std::string& secret, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// Strict base64url: no padding, and only the canonical encoding of the
// bytes it decodes to (so a token has exactly one spelling).
bool DecodeBase64Url(std::string_view text, std::string* out) {
  if (!absl::WebSafeBase64Unescape(absl::string_view(text.data(), text.size()), out)) return false;
  return absl::WebSafeBase64Escape(*out) == text;
}

absl::Status Unauthenticated(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token ", std::string(why)));
}

absl::Status Malformed(std::string_view why) {
  return Unauthenticated(absl::StrCat("malformed (", std::string(why), ")"));
}

std::string Rfc3339(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

absl::StatusOr<TokenClaims> ParseClaims(const std::string& json_text) {
  const nlohmann::json json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.size() != 4) {
    return Malformed("payload is not a JSON object of sub, iat, exp and kid");
  }
  const auto sub = json.find("sub");
  const auto iat = json.find("iat");
  const auto exp = json.find("exp");
  const auto kid = json.find("kid");
  if (sub == json.end() || !sub->is_string() || iat == json.end() ||
      !iat->is_number_integer() || exp == json.end() || !exp->is_number_integer() ||
      kid == json.end() || !kid->is_string()) {
    return Malformed("payload is not a JSON object of sub, iat, exp and kid");
  }
  TokenClaims claims{sub->get<std::string>(), iat->get<int64_t>(), exp->get<int64_t>(),
                     kid->get<std::string>()};
  if (!IsValidUserId(claims.user_id)) return Malformed("sub is not a valid user id");
  if (claims.expires_at <= claims.issued_at) return Malformed("exp is not after iat");
  return claims;
}

}  // namespace

absl::StatusOr<TokenKey> TokenKey::FromSecret(std::string secret) {
  if (secret.size() < kMinSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token key: the secret must be at least ", kMinSecretBytes, " bytes"));
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  std::string id = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  id.resize(12);
  return TokenKey{std::move(id), std::move(secret)};
}

absl::StatusOr<TokenKey> TokenKey::FromHex(std::string_view hex, std::string_view what) {
  const absl::string_view text = absl::StripAsciiWhitespace(absl::string_view(hex.data(), hex.size()));
  bool is_hex = text.size() % 2 == 0;
  for (char c : text) is_hex = is_hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!is_hex || text.size() < 2 * kMinSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), ": expected at least ", 2 * kMinSecretBytes,
                     " hex digits (make one with: openssl rand -hex 32)"));
  }
  return FromSecret(absl::HexStringToBytes(text));
}

const TokenKey* TokenKeyring::Find(std::string_view id) const {
  for (const TokenKey& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

absl::StatusOr<std::string> IssueToken(const TokenKey& key, std::string_view user_id,
                                       absl::Time issued, absl::Duration lifetime) {
  if (!IsValidUserId(user_id)) {
    return absl::InvalidArgumentError(absl::StrCat("user: ", kUserIdRule));
  }
  if (lifetime <= absl::ZeroDuration() || lifetime > kMaxTokenLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ttl: must be positive and at most ", absl::FormatDuration(kMaxTokenLifetime)));
  }
  const int64_t iat = absl::ToUnixSeconds(issued);
  const int64_t exp = iat + absl::ToInt64Seconds(lifetime);
  const nlohmann::json payload = {
      {"sub", std::string(user_id)}, {"iat", iat}, {"exp", exp}, {"kid", key.id}};
  const std::string signed_part = absl::StrCat(kPrefix, absl::WebSafeBase64Escape(payload.dump()));
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(Hmac(key.secret, signed_part)));
}

absl::StatusOr<TokenClaims> VerifyToken(const TokenKeyring& keys, std::string_view token,
                                        absl::Time now) {
  if (token.size() > kMaxTokenBytes) return Malformed("longer than 2048 bytes");
  if (token.substr(0, sizeof kPrefix - 1) != kPrefix) {
    return Malformed("expected haven1.<payload>.<signature>");
  }
  const size_t dot = token.find('.', sizeof kPrefix - 1);
  if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos) {
    return Malformed("expected haven1.<payload>.<signature>");
  }
  const std::string_view signed_part = token.substr(0, dot);
  std::string payload, signature;
  if (!DecodeBase64Url(signed_part.substr(sizeof kPrefix - 1), &payload) ||
      !DecodeBase64Url(token.substr(dot + 1), &signature)) {
    return Malformed("not base64url");
  }
  absl::StatusOr<TokenClaims> claims = ParseClaims(payload);
  if (!claims.ok()) return claims.status();
  const TokenKey* key = keys.Find(claims->key_id);
  if (key == nullptr) {
    return Unauthenticated(absl::StrCat("signed with unknown key \"", claims->key_id,
                                        "\" (rotated out, or issued by another server)"));
  }
  const std::string expected = Hmac(key->secret, signed_part);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Unauthenticated("has a bad signature");
  }
  const int64_t now_s = absl::ToUnixSeconds(now);
  if (claims->expires_at <= now_s) {
    return Unauthenticated(absl::StrCat("expired at ", Rfc3339(claims->expires_at)));
  }
  if (claims->issued_at > now_s + absl::ToInt64Seconds(kClockSkewAllowance)) {
    return Unauthenticated(absl::StrCat("issued in the future (", Rfc3339(claims->issued_at),
                                        "); is the server's clock right?"));
  }
  return claims;
}

}  // namespace haven::auth
