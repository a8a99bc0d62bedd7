// What an admin may ask of the access aggregate.  Plain values; Decide
// checks them.
#ifndef HAVEN_SERVICES_ACCESS_DOMAIN_COMMANDS_H_
#define HAVEN_SERVICES_ACCESS_DOMAIN_COMMANDS_H_

#include <optional>
#include <string>
#include <variant>

#include "haven/access/v1/access.pb.h"

namespace haven::access {

// A role with its jurisdiction: the unit (operators, supervisors; optional
// for admins and auditors) or the partner organisation (partner users).
struct Assignment {
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string org_unit_id;
  std::string partner_id;
};

struct RegisterUser {
  std::string user_id;
  std::string display_name;
  Assignment assignment;
};

struct UpdateUser {
  std::string user_id;
  std::optional<std::string> display_name;  // nullopt: keep.
  std::optional<Assignment> assignment;     // nullopt: keep.
};

struct DisableUser {
  std::string user_id;
  std::string reason;  // Optional.
};

struct EnableUser {
  std::string user_id;
};

struct RegisterPartner {
  std::string partner_id;
  std::string name;
  std::string org_unit_id;
};

using Command = std::variant<RegisterUser, UpdateUser, DisableUser, EnableUser, RegisterPartner>;

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_DOMAIN_COMMANDS_H_
