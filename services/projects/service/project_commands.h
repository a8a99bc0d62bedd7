// How a project command becomes events: the envelope checked, the units it
// involves looked up in the directory, the aggregate's Decide run on the
// project's stream through RunAggregateCommand (request-id idempotency,
// expected version, "project_exists" / "project_not_found").
#ifndef HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_COMMANDS_H_
#define HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "haven/projects/v1/project_commands.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

struct ProjectCommandEnvelope {
  std::string request_id;
  // For register_project, empty means "derive one from request_id".
  std::string project_id;
  std::optional<uint64_t> expected_version;
};

struct ProjectCommandResult {
  std::string project_id;
  CommandOutcome outcome;
};

// INVALID_ARGUMENT "<field>: ..." unless `project_id` is "project-" and
// 1..64 characters of a-z, 0-9 and '-'.
absl::Status ValidateProjectId(const std::string& project_id,
                               const std::string& field = "project_id");

// Runs `command` for `actor`: request_id, project_id and expected_version
// checked (INVALID_ARGUMENT naming them), then as RunAggregateCommand with
// projects::Decide.  Events are stamped with `clock`'s time.
absl::StatusOr<ProjectCommandResult> RunProjectCommand(
    storage::EventLog& log, DirectoryView& directory, const storage::Clock& clock,
    const ProjectCommandEnvelope& envelope, const projects::v1::ProjectCommand& command,
    const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_COMMANDS_H_
