// What a client may ask of the directory.  Plain values; Decide checks them.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_COMMANDS_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_COMMANDS_H_

#include <string>
#include <variant>

#include "haven/directory/v1/directory.pb.h"

namespace haven::directory {

struct CreateUnit {
  std::string unit_id;
  std::string name;
  v1::UnitKind kind = v1::UNIT_KIND_UNSPECIFIED;
  std::string parent_id;         // Empty only for the root city.
  std::string statistical_code;  // Empty: none.
};

struct RenameUnit {
  std::string unit_id;
  std::string name;
};

struct MoveUnit {
  std::string unit_id;
  std::string new_parent_id;
  std::string statistical_code;  // Empty: keep the current code.
};

struct CloseUnit {
  std::string unit_id;
  std::string reason;  // Optional.
};

using Command = std::variant<CreateUnit, RenameUnit, MoveUnit, CloseUnit>;

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_COMMANDS_H_
