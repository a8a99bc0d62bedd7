// Decide: what a command means for the directory, as one event or an error.
// Pure: no I/O, no clock; the same state and command give the same answer.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_DECIDE_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_DECIDE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "haven/directory/v1/directory.pb.h"
#include "services/directory/domain/commands.h"
#include "services/directory/domain/directory.h"

namespace haven::directory {

// Checks the command's fields on their own (see validation.h):
// INVALID_ARGUMENT naming the field.  Decide checks them too; callers use
// this to refuse bad input before they load anything.
absl::Status ValidateCommand(const Command& command);

// The event `command` produces on `state`.  Names are stored trimmed.
// Errors, each naming the field or the rule ("rule kind_order: ..."):
//   INVALID_ARGUMENT     a malformed field (unit_id, name, kind, parent_id,
//                        new_parent_id, statistical_code, reason), or a root
//                        that is not a city, or a city with a parent;
//   NOT_FOUND            unit_id, parent_id or new_parent_id names no unit;
//   ALREADY_EXISTS       CreateUnit with a unit_id that is taken;
//   FAILED_PRECONDITION  a rule of the tree:
//     single_root          there is one root, the city;
//     parent_open          a unit joins only an open parent;
//     unit_open            a closed unit is not renamed, moved or closed;
//     kind_order           city > county/district > township/street >
//                          village/community > micro-home; committees and
//                          member organisations under the city or a county;
//     sibling_name_unique  open children of one parent have distinct names;
//     code_unique          no two open units hold one code;
//     code_prefix          a code starts with the significant digits of its
//                          parent's code, when both have one;
//     name_changes         a rename gives a different name;
//     parent_changes       a move goes to a different parent;
//     no_cycle             a unit does not move into its own subtree;
//     root_stays           the root city is not moved or closed;
//     no_open_children     a unit is closed only when its children are.
absl::StatusOr<v1::DirectoryEvent> Decide(const Directory& state, const Command& command);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_DECIDE_H_
