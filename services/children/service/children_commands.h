// How a child or mentor command becomes events: the envelope checked, the
// units and the mentor it involves looked up, the aggregate's Decide run
// on its stream through RunAggregateCommand (request-id idempotency,
// expected version, "child_exists" / "child_not_found").  A pairing takes
// the mentor's place first and an ended pairing gives it back after
// (mentor_places.h).
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_commands.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

struct ChildrenCommandEnvelope {
  std::string request_id;
  // The child (or mentor) addressed; for a registration, empty means
  // "derive one from request_id".
  std::string id;
  // Required for every command but the registrations, which must not
  // have one.
  std::optional<uint64_t> expected_version;
};

struct ChildrenCommandResult {
  std::string id;
  CommandOutcome outcome;
};

// Runs a child's command for `actor`: request_id, child_id and
// expected_version checked (INVALID_ARGUMENT naming them), then as
// RunAggregateCommand with children::Decide.
absl::StatusOr<ChildrenCommandResult> RunChildCommand(storage::EventLog& log,
                                                      DirectoryView& directory,
                                                      const storage::Clock& clock,
                                                      const ChildrenCommandEnvelope& envelope,
                                                      const children::v1::ChildCommand& command,
                                                      const std::string& actor);

// The same for a mentor's command (register_mentor).
absl::StatusOr<ChildrenCommandResult> RunMentorCommand(storage::EventLog& log,
                                                       DirectoryView& directory,
                                                       const storage::Clock& clock,
                                                       const ChildrenCommandEnvelope& envelope,
                                                       const children::v1::MentorCommand& command,
                                                       const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_
