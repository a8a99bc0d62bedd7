#include "services/auth/caller.h"

#include "grpcpp/security/auth_context.h"

namespace haven::auth {

std::optional<std::string> AuthenticatedUserId(const grpc::ServerContextBase& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return std::nullopt;
  const std::vector<grpc::string_ref> values = auth->FindPropertyValues(kUserIdProperty);
  if (values.empty() || values.front().empty()) return std::nullopt;
  return std::string(values.front().data(), values.front().size());
}

}  // namespace haven::auth
