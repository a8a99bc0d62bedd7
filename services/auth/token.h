// Signed bearer tokens with an expiry, for clients that cannot hold a
// client certificate.
//
// A token is three dot-separated parts:
//
//   haven1.<payload>.<signature>
//
// payload is base64url (no padding) of a JSON object with exactly the keys
// "sub" (user id), "iat" and "exp" (issued and expires, Unix seconds) and
// "kid" (the signing key's id); signature is base64url of
// HMAC-SHA256(key, "haven1." + payload).  Tokens carry no personal data and
// cannot be revoked one by one: keep their lifetime short, or rotate the key
// (docs/security.md).
#ifndef HAVEN_SERVICES_AUTH_TOKEN_H_
#define HAVEN_SERVICES_AUTH_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace haven::auth {

// A secret that signs and verifies tokens.
struct TokenKey {
  std::string id;      // 12 hex digits of SHA-256(secret); names the key in tokens.
  std::string secret;  // At least 32 bytes.

  // INVALID_ARGUMENT if `secret` is shorter than 32 bytes.
  static absl::StatusOr<TokenKey> FromSecret(std::string secret);
  // A key file holds the secret as hex digits (`openssl rand -hex 32`),
  // surrounding whitespace ignored.  INVALID_ARGUMENT naming `what` when it
  // is not hex or too short.
  static absl::StatusOr<TokenKey> FromHex(std::string_view hex, std::string_view what);
};

// The keys a server accepts.  The first one signs new tokens; the others
// let tokens signed before a key rotation live out their lifetime.
class TokenKeyring {
 public:
  TokenKeyring() = default;
  explicit TokenKeyring(std::vector<TokenKey> keys) : keys_(std::move(keys)) {}

  bool empty() const { return keys_.empty(); }
  // The key with this id, or null.
  const TokenKey* Find(std::string_view id) const;
  const std::vector<TokenKey>& keys() const { return keys_; }

 private:
  std::vector<TokenKey> keys_;
};

struct TokenClaims {
  std::string user_id;
  int64_t issued_at = 0;   // Unix seconds.
  int64_t expires_at = 0;  // Unix seconds.
  std::string key_id;
};

// Tokens live at most this long.
inline constexpr absl::Duration kMaxTokenLifetime = absl::Hours(24 * 31);
// How far a token's issue time may lie ahead of the server's clock.
inline constexpr absl::Duration kClockSkewAllowance = absl::Minutes(5);

// A token for `user_id`, valid from `issued` for `lifetime`.  INVALID_ARGUMENT
// for a bad user id or a lifetime that is not positive or exceeds
// kMaxTokenLifetime.
absl::StatusOr<std::string> IssueToken(const TokenKey& key, std::string_view user_id,
                                       absl::Time issued, absl::Duration lifetime);

// The claims of `token` if it is well formed, signed by a key of `keys`
// and valid at `now`.  Otherwise UNAUTHENTICATED saying which: "malformed
// (...)", "signed with unknown key ...", "bad signature", "expired at
// <RFC 3339 time>", "issued in the future".
absl::StatusOr<TokenClaims> VerifyToken(const TokenKeyring& keys, std::string_view token,
                                        absl::Time now);

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_TOKEN_H_
