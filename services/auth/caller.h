// Who the transport authenticated for a call.
//
// In secure mode havend's AuthMetadataProcessor (services/auth, TLS with
// client certificates or signed bearer tokens) records the authenticated
// user id as the AuthContext property kUserIdProperty.  Authorisation reads
// it from here and nowhere else: the haven-actor metadata a client sends is
// a claim, never an identity.
#ifndef HAVEN_SERVICES_AUTH_CALLER_H_
#define HAVEN_SERVICES_AUTH_CALLER_H_

#include <optional>
#include <string>

#include "grpcpp/server_context.h"

namespace haven::auth {

// The AuthContext property holding the authenticated user id.
inline constexpr char kUserIdProperty[] = "haven.user_id";
// The AuthContext property naming how it was authenticated:
// "certificate" or "token"; "none" (and no user id) for a connection whose
// calls carry no credentials (auth_processor.h).
inline constexpr char kAuthMethodProperty[] = "haven.auth_method";

// The user id the transport authenticated for this call, or nullopt when
// the call carries no credentials (or the server runs plaintext).
std::optional<std::string> AuthenticatedUserId(const grpc::ServerContextBase& context);

// How the transport authenticated the call ("certificate" or "token"), or
// nullopt when it did not.
std::optional<std::string> AuthenticationMethod(const grpc::ServerContextBase& context);

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_CALLER_H_
