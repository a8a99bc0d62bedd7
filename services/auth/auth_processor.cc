#include "services/auth/auth_processor.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "services/auth/caller.h"
#include "services/auth/user_id.h"
#include "spdlog/spdlog.h"

namespace haven::auth {
namespace {

constexpr char kMethodCertificate[] = "certificate";
constexpr char kMethodToken[] = "token";
constexpr char kMethodNone[] = "none";

std::string First(const grpc::AuthContext& context, const char* property) {
  const std::vector<grpc::string_ref> values = context.FindPropertyValues(property);
  if (values.empty()) return "";
  return std::string(values.front().data(), values.front().size());
}

grpc::Status Refuse(const std::string& message) {
  spdlog::info("auth refused reason=\"{}\"", message);
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, message);
}

// What the connection's client certificate says, if it presented one.
struct CertificateIdentity {
  bool presented = false;
  std::string user_id;  // Empty with `error` set when it names no valid user.
  std::string error;
};

CertificateIdentity IdentityOfCertificate(const grpc::AuthContext& context) {
  CertificateIdentity identity;
  identity.presented = !context.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME).empty() ||
                       !context.FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME).empty();
  if (!identity.presented) return identity;
  std::set<std::string> users;
  for (const char* property : {GRPC_X509_SAN_PROPERTY_NAME, GRPC_PEER_URI_PROPERTY_NAME}) {
    for (const grpc::string_ref& value : context.FindPropertyValues(property)) {
      const std::string text(value.data(), value.size());
      if (absl::StartsWith(text, kUserUriPrefix)) users.insert(text.substr(sizeof kUserUriPrefix - 1));
    }
  }
  if (users.empty()) {
    identity.error = absl::StrCat("client certificate names no Haven user (it needs a subject ",
                                  "alternative name URI ", kUserUriPrefix, "<user id>)");
  } else if (users.size() > 1) {
    identity.error = "client certificate names more than one Haven user";
  } else if (!IsValidUserId(*users.begin())) {
    identity.error = absl::StrCat("client certificate's user id is not valid (", kUserIdRule, ")");
  } else {
    identity.user_id = *users.begin();
  }
  return identity;
}

}  // namespace

grpc::Status AuthProcessor::UserFromToken(const InputMetadata& auth_metadata,
                                          OutputMetadata* consumed_auth_metadata,
                                          std::optional<std::string>* user) {
  const auto [begin, end] = auth_metadata.equal_range("authorization");
  if (begin == end) return grpc::Status::OK;
  if (std::next(begin) != end) return Refuse("more than one authorization header");
  const std::string header(begin->second.data(), begin->second.size());
  // Services never see the token, so nothing can log it.
  consumed_auth_metadata->emplace("authorization", header);
  constexpr absl::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(header).substr(0, kScheme.size()), kScheme)) {
    return Refuse("authorization header: expected \"Bearer <token>\"");
  }
  if (token_keys_.empty()) {
    return Refuse("bearer tokens are not accepted by this server (it has no token-signing key)");
  }
  const std::string token(absl::StripAsciiWhitespace(header.substr(kScheme.size())));
  absl::StatusOr<TokenClaims> claims = VerifyToken(token_keys_, token, now_());
  if (!claims.ok()) return Refuse(std::string(claims.status().message()));
  *user = std::move(claims->user_id);
  return grpc::Status::OK;
}

grpc::Status AuthProcessor::Process(const InputMetadata& auth_metadata,
                                    grpc::AuthContext* context,
                                    OutputMetadata* consumed_auth_metadata,
                                    OutputMetadata* /*response_metadata*/) {
  std::optional<std::string> token_user;
  if (grpc::Status s = UserFromToken(auth_metadata, consumed_auth_metadata, &token_user);
      !s.ok()) {
    return s;
  }

  std::lock_guard<std::mutex> lock(mu_);
  const std::string bound_method = First(*context, kAuthMethodProperty);
  if (!bound_method.empty()) {  // A later call on a connection: the same caller as before.
    const std::string bound_user = First(*context, kUserIdProperty);
    if (bound_method == kMethodNone) {
      if (!token_user) return grpc::Status::OK;
      return Refuse(
          "this connection's first call carried no credentials; a bearer token must be sent on "
          "every call of a connection, from the first (open a new channel)");
    }
    if (bound_method == kMethodToken && !token_user) {
      return Refuse(
          "missing bearer token: this connection authenticated with one; send it on every call");
    }
    if (token_user && *token_user != bound_user) {
      return Refuse(bound_method == kMethodCertificate
                        ? "the bearer token names another user than the client certificate"
                        : "the bearer token names another user than earlier calls on this "
                          "connection (use one channel per user)");
    }
    return grpc::Status::OK;
  }

  // The connection's first call binds it.
  const CertificateIdentity certificate = IdentityOfCertificate(*context);
  if (certificate.presented) {
    if (!certificate.error.empty()) return Refuse(certificate.error);
    if (token_user && *token_user != certificate.user_id) {
      return Refuse("the bearer token names another user than the client certificate");
    }
    context->AddProperty(kUserIdProperty, certificate.user_id);
    context->AddProperty(kAuthMethodProperty, kMethodCertificate);
  } else if (token_user) {
    context->AddProperty(kUserIdProperty, *token_user);
    context->AddProperty(kAuthMethodProperty, kMethodToken);
  } else {
    context->AddProperty(kAuthMethodProperty, kMethodNone);
  }
  return grpc::Status::OK;
}

}  // namespace haven::auth
