// How a child or mentor command becomes events: the envelope checked, the
// units and the mentor it involves looked up, the aggregate's Decide run
// on its stream through RunAggregateCommand (request-id idempotency,
// expected version, "child_exists" / "child_not_found").  A pairing takes
// the mentor's place first and an ended pairing gives it back after
// (mentor_places.h).
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_

#include <cstdint>
#include <functional>
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

// Authorises a command on the child (or mentor) `id` the envelope
// addresses, given the unit she was registered in (nullopt: there is no
// such record yet), before anything is read for the decision or written;
// its error is the command's answer.
using ChildrenCommandGate =
    std::function<absl::Status(const std::string& id, const std::optional<std::string>& unit)>;

// Runs a child's command for `actor`: request_id, child_id and
// expected_version checked (INVALID_ARGUMENT naming them), then `gate` (if
// any) on the child as she is, then as RunAggregateCommand with
// children::Decide.  The gate sees the record before the executor answers
// anything of it (the child does not exist, her version moved on, she
// exists already, a retry's first result), so those answers reach only a
// caller the gate lets through.  A record's unit never changes, so the
// gate's unit is the one the command is decided on.
absl::StatusOr<ChildrenCommandResult> RunChildCommand(storage::EventLog& log,
                                                      DirectoryView& directory,
                                                      const storage::Clock& clock,
                                                      const ChildrenCommandEnvelope& envelope,
                                                      const children::v1::ChildCommand& command,
                                                      const std::string& actor,
                                                      const ChildrenCommandGate& gate = nullptr);

// The same for a mentor's command (register_mentor).
absl::StatusOr<ChildrenCommandResult> RunMentorCommand(storage::EventLog& log,
                                                       DirectoryView& directory,
                                                       const storage::Clock& clock,
                                                       const ChildrenCommandEnvelope& envelope,
                                                       const children::v1::MentorCommand& command,
                                                       const std::string& actor,
                                                       const ChildrenCommandGate& gate = nullptr);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_COMMANDS_H_
