#include "services/auth/user_id.h"

namespace haven::auth {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsValidUserId(std::string_view id) {
  if (id.empty() || id.size() > 128 || !IsAlnum(id.front())) return false;
  for (char c : id) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '@' && c != '-') return false;
  }
  return true;
}

}  // namespace haven::auth
