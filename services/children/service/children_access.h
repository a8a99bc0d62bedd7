// What authorisation needs to know of a child or a mentor before a command
// or a query touches her: the org unit she was registered in.  Neither has
// a command that changes it, so the unit read here is the unit a command
// will be decided on.
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_ACCESS_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_ACCESS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::services {

// The unit of child `child_id` (a well-formed id) as registered; nullopt if
// there is no such child.  DATA_LOSS if her first event is no
// child.registered; the log's errors.
absl::StatusOr<std::optional<std::string>> ChildUnitOf(const storage::EventLog& log,
                                                       const std::string& child_id);

// The same for mentor `mentor_id`.
absl::StatusOr<std::optional<std::string>> MentorUnitOf(const storage::EventLog& log,
                                                        const std::string& mentor_id);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_ACCESS_H_
