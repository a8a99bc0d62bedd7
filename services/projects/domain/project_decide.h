// The project aggregate's decisions: a command, the project's state and
// what the directory says about the units involved in, the events out, or
// the rule that refuses it (RULES.md).  Pure: everything comes from the
// arguments.
//
// Thread safety: pure function.
#ifndef HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_DECIDE_H_
#define HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/projects/v1/project_commands.pb.h"
#include "haven/projects/v1/project_events.pb.h"
#include "services/common/unit_facts.h"
#include "services/projects/domain/project_state.h"

namespace haven::projects {

struct DecideContext {
  // The server's clock, µs since the Unix epoch, UTC.  Must be positive.
  int64_t now_us = 0;
  // Who acts; stamped on every event.  Required.
  std::string actor;
  // The project addressed; for register_project the new project's id.
  std::string project_id;
  // The project's unit: for register_project the unit it names.
  units::UnitFacts unit;
  // For report_beneficiaries, the township it names.
  units::UnitFacts township;
};

// Decides `command` against `state` (the default ProjectState when there
// is no project yet).  Returns the events, each stamped with ctx.now_us and
// ctx.actor, or:
//   INVALID_ARGUMENT     "<command>.<field>: <rule>", or "context.actor".
//   FAILED_PRECONDITION  "<rule>: <detail>" (RULES.md).
//   NOT_FOUND            project_not_found; ALREADY_EXISTS project_exists.
//   INTERNAL             the service broke the contract (now_us, project_id).
// Checked in this order: the context; the project exists (or not); it is
// not accepted; the command's own fields; the state; the units; the times.
absl::StatusOr<std::vector<v1::ProjectEvent>> Decide(const ProjectState& state,
                                                     const v1::ProjectCommand& command,
                                                     const DecideContext& ctx);

}  // namespace haven::projects

#endif  // HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_DECIDE_H_
