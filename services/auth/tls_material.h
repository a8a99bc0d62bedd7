// The TLS directory havend serves from, and the server credentials made
// from it.
//
//   ca.crt              CA(s) whose client certificates are trusted (PEM)
//   server.crt          the server's certificate, chain after it (PEM)
//   server.key          its private key (PEM, mode 0600)
//   token-signing.key   the secret that signs bearer tokens (hex, mode 0600);
//                       optional: without it bearer tokens are refused
//   token-signing-*.key earlier secrets, still accepted after a rotation
//
// deploy/make-dev-certs.sh makes a development directory; docs/security.md
// describes production set-up.
#ifndef HAVEN_SERVICES_AUTH_TLS_MATERIAL_H_
#define HAVEN_SERVICES_AUTH_TLS_MATERIAL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "services/auth/token.h"

namespace haven::auth {

inline constexpr char kCaCertFile[] = "ca.crt";
inline constexpr char kServerCertFile[] = "server.crt";
inline constexpr char kServerKeyFile[] = "server.key";
inline constexpr char kTokenKeyFile[] = "token-signing.key";

struct TlsMaterial {
  std::string ca_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  absl::Time server_cert_expires;
  // Empty when the directory has no token key.
  TokenKeyring token_keys;
};

// Reads and checks `dir`.  NOT_FOUND naming the missing files when the
// directory or one of ca.crt, server.crt, server.key is missing (a fresh
// install); INVALID_ARGUMENT naming the file and the fault otherwise: a key
// file readable by group or others, a file that is not PEM, a key that does
// not match its certificate, a server certificate expired or not yet valid
// at `now`.
absl::StatusOr<TlsMaterial> LoadTlsMaterial(const std::string& dir, absl::Time now);

// The token keys of `dir`: token-signing.key first, then any
// token-signing-*.key.  An empty ring when there are none; INVALID_ARGUMENT
// for a bad or too widely readable key file.
absl::StatusOr<TokenKeyring> LoadTokenKeyring(const std::string& dir);

// The key that signs new tokens: token-signing.key of `dir`.  NOT_FOUND
// when there is none; INVALID_ARGUMENT for a bad or too widely readable one.
absl::StatusOr<TokenKey> LoadSigningKey(const std::string& dir);

// TLS credentials that ask clients for a certificate and verify it against
// ca.crt when one is presented, without requiring it (token clients use
// server-authenticated TLS), with an AuthProcessor (auth_processor.h)
// deciding who each call comes from.  `now` is the token verifier's clock.
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(
    const TlsMaterial& material, std::function<absl::Time()> now = absl::Now);

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_TLS_MATERIAL_H_
