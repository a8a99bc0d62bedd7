// Evolve: how each directory event changes the state.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_EVOLVE_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_EVOLVE_H_

#include "absl/status/status.h"
#include "haven/directory/v1/directory.pb.h"
#include "services/directory/domain/directory.h"

namespace haven::directory {

// Applies `event` to `state`, leaving next_version() to the caller (the
// event's version is the log's business).  Events come from Decide, so they
// fit the state; one that does not (an unknown unit, a second root) means a
// corrupt stream: INTERNAL, and `state` is left unchanged.  An event with
// no case set (written by a newer version) is skipped.
absl::Status Evolve(Directory& state, const v1::DirectoryEvent& event);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_EVOLVE_H_
