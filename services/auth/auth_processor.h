// Decides who each call on a TLS connection comes from, and records it in
// the AuthContext for authorisation (caller.h).
//
// Identity, in order:
//  1. a verified client certificate: the user id is the certificate's
//     subject alternative name URI "haven:user/<id>" (the CN is not used:
//     certificates of an existing PKI carry people's names there, and must
//     not become Haven identities by accident).  A certificate without such
//     a URI, or with two, fails the call UNAUTHENTICATED;
//  2. otherwise a header "authorization: Bearer <token>" (token.h); a bad,
//     expired or badly signed token fails the call UNAUTHENTICATED saying
//     which.  The header is removed before the call reaches the service;
//  3. otherwise nothing is recorded: health checks and reflection work, and
//     authorisation refuses every other rpc UNAUTHENTICATED.
//
// gRPC's AuthContext belongs to the connection, not the call: what Process
// records stays for every later call on that connection (grpc/grpc#28809),
// and other calls may be reading it.  So the first call on a connection
// binds it, once, to what it carried: a certificate user, a token user, or
// no credentials (haven.auth_method "none", no user id).  Every later call
// on the connection must carry the same: a connection bound by a token
// needs a valid token for the same user on every call; one bound without
// credentials takes no token.  Anything else fails UNAUTHENTICATED.  One
// connection, one caller: clients acting for several users open a channel
// per user and send the token on every call (e.g. AccessTokenCredentials).
// Writing the context only once, before any service has seen a call of the
// connection, also keeps the services' reads free of races.
//
// gRPC calls Process for every call on connections made with
// MakeServerCredentials (tls_material.h), before the call reaches any
// service; it is not blocking (no I/O), so gRPC runs it inline.
#ifndef HAVEN_SERVICES_AUTH_AUTH_PROCESSOR_H_
#define HAVEN_SERVICES_AUTH_AUTH_PROCESSOR_H_

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "services/auth/token.h"

namespace haven::auth {

// The URI prefix that names a Haven user in a certificate's SAN.
inline constexpr char kUserUriPrefix[] = "haven:user/";

class AuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  AuthProcessor(TokenKeyring token_keys, std::function<absl::Time()> now)
      : token_keys_(std::move(token_keys)), now_(std::move(now)) {}

  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  // The user a bearer token in `auth_metadata` names, nullopt without one.
  grpc::Status UserFromToken(const InputMetadata& auth_metadata,
                             OutputMetadata* consumed_auth_metadata,
                             std::optional<std::string>* user);

  const TokenKeyring token_keys_;
  const std::function<absl::Time()> now_;
  // Connections' AuthContexts are written once, the first time a call on
  // them authenticates; this orders that write with concurrent calls.
  std::mutex mu_;
};

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_AUTH_PROCESSOR_H_
