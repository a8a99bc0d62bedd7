// Evolve: how each access event changes the state.
#ifndef HAVEN_SERVICES_ACCESS_DOMAIN_EVOLVE_H_
#define HAVEN_SERVICES_ACCESS_DOMAIN_EVOLVE_H_

#include "absl/status/status.h"
#include "haven/access/v1/access.pb.h"
#include "services/access/domain/access_state.h"

namespace haven::access {

// Applies `event` to `state`, leaving next_version() to the caller.  An
// event that does not fit (an unknown user, a second registration) means a
// corrupt stream: INTERNAL, and `state` is left unchanged.  An event with
// no case set (written by a newer version) is skipped.
absl::Status Evolve(AccessState& state, const v1::AccessEvent& event);

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_DOMAIN_EVOLVE_H_
