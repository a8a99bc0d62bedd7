#include "services/access/domain/access_state.h"

namespace haven::access {

const User* AccessState::FindUser(absl::string_view user_id) const {
  auto it = users_.find(user_id);
  return it == users_.end() ? nullptr : &it->second;
}

const Partner* AccessState::FindPartner(absl::string_view partner_id) const {
  auto it = partners_.find(partner_id);
  return it == partners_.end() ? nullptr : &it->second;
}

int AccessState::EnabledAdmins() const {
  int n = 0;
  for (const auto& [id, user] : users_) n += user.role == v1::ROLE_ADMIN && !user.disabled;
  return n;
}

int AccessState::UsersOfPartner(absl::string_view partner_id) const {
  int n = 0;
  for (const auto& [id, user] : users_) n += user.partner_id == partner_id;
  return n;
}

}  // namespace haven::access
