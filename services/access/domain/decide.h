// Decide: what an admin's command means for the access aggregate, as events
// or an error.  Pure: no I/O, no clock.  Whether an org unit exists and is
// open is the directory's business; the service checks it (see
// services/access/service/access_commands.h).
#ifndef HAVEN_SERVICES_ACCESS_DOMAIN_DECIDE_H_
#define HAVEN_SERVICES_ACCESS_DOMAIN_DECIDE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/access/v1/access.pb.h"
#include "services/access/domain/access_state.h"
#include "services/access/domain/commands.h"

namespace haven::access {

inline constexpr size_t kMaxIdBytes = 64;

// 1..64 ASCII letters, digits, '-', '_', '.' or '@', the first a letter or
// digit.  INVALID_ARGUMENT naming `field`.
absl::Status ValidatePrincipalId(absl::string_view id, absl::string_view field);

// The fields a role needs and forbids (see v1::Role): INVALID_ARGUMENT
// naming "role", "org_unit_id" or "partner_id".
absl::Status ValidateAssignment(const Assignment& assignment);

// Checks the command's fields on their own: INVALID_ARGUMENT naming the
// field.  Decide checks them too.
absl::Status ValidateCommand(const Command& command);

// The events `command` produces on `state` (one, or two for an UpdateUser
// that renames and reassigns).  Names and reasons are stored trimmed.
// Errors, each naming the field or the rule ("rule last_admin: ..."):
//   INVALID_ARGUMENT     a malformed field (see ValidateCommand);
//   NOT_FOUND            user_id or partner_id names no user or partner;
//   ALREADY_EXISTS       a user or partner id that is taken;
//   FAILED_PRECONDITION  a rule:
//     user_changes   an update changes something;
//     user_enabled   a disabled user is not disabled again;
//     user_disabled  an enabled user is not enabled again;
//     last_admin     the last enabled admin is neither disabled nor
//                    given another role (nobody could manage users then).
absl::StatusOr<std::vector<v1::AccessEvent>> Decide(const AccessState& state,
                                                    const Command& command);

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_DOMAIN_DECIDE_H_
