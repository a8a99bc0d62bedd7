// How a micro-home command becomes events: the envelope checked, the units
// it involves looked up in the directory, the aggregate's Decide run on the
// micro-home's stream through RunAggregateCommand (request-id idempotency,
// expected version, "micro_home_exists" / "micro_home_not_found").
#ifndef HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_COMMANDS_H_
#define HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/microhomes/v1/microhome_commands.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

struct MicroHomeCommandEnvelope {
  std::string request_id;
  // The micro-home's directory unit id.
  std::string unit_id;
  // Required for every command but register_micro_home, which must not
  // have one.
  std::optional<uint64_t> expected_version;
};

// INVALID_ARGUMENT "<field>: ..." unless `unit_id` is a well-formed
// directory unit id.
absl::Status ValidateMicroHomeUnitId(const std::string& unit_id, const char* field = "unit_id");

// The unit a command names as acting (designation, withdrawal, titles);
// empty for the others.
std::string ActingUnitOf(const microhomes::v1::MicroHomeCommand& command);

// Runs `command` for `actor`: request_id, unit_id and expected_version
// checked (INVALID_ARGUMENT naming them), then as RunAggregateCommand with
// microhomes::Decide.  Events are stamped with `clock`'s time.
absl::StatusOr<CommandOutcome> RunMicroHomeCommand(storage::EventLog& log,
                                                   DirectoryView& directory,
                                                   const storage::Clock& clock,
                                                   const MicroHomeCommandEnvelope& envelope,
                                                   const microhomes::v1::MicroHomeCommand& command,
                                                   const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_COMMANDS_H_
