#include "services/auth/caller.h"

#include "grpcpp/security/auth_context.h"

namespace haven::auth {
namespace {

std::optional<std::string> PropertyOf(const grpc::ServerContextBase& context,
                                      const char* property) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return std::nullopt;
  const std::vector<grpc::string_ref> values = auth->FindPropertyValues(property);
  if (values.empty() || values.front().empty()) return std::nullopt;
  return std::string(values.front().data(), values.front().size());
}

}  // namespace

std::optional<std::string> AuthenticatedUserId(const grpc::ServerContextBase& context) {
  return PropertyOf(context, kUserIdProperty);
}

std::optional<std::string> AuthenticationMethod(const grpc::ServerContextBase& context) {
  // A connection whose first call carried no credentials is marked "none".
  if (!AuthenticatedUserId(context)) return std::nullopt;
  return PropertyOf(context, kAuthMethodProperty);
}

}  // namespace haven::auth
