// The child aggregate's decisions: a command, the child's state and what
// the directory and the mentor's record say, the events out, or the rule
// that refuses it (RULES.md).  Pure: everything comes from the arguments.
//
// Thread safety: pure function.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_DECIDE_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_commands.pb.h"
#include "haven/children/v1/children_events.pb.h"
#include "services/children/domain/child_state.h"
#include "services/common/unit_facts.h"

namespace haven::children {

// A mentor as the child's decision needs her (pair_child only); the
// service folds her stream and looks her unit up.
struct MentorFacts {
  std::string id;
  bool exists = false;
  v1::MentorKind kind = v1::MENTOR_KIND_UNSPECIFIED;
  int64_t registered_at_us = 0;
  units::UnitFacts unit;
};

struct ChildDecideContext {
  // The server's clock, µs since the Unix epoch, UTC.  Must be positive.
  int64_t now_us = 0;
  // Who acts; stamped on every event.  Required.
  std::string actor;
  // The child addressed; for register_child the new child's id.
  std::string child_id;
  // register_child: the unit it names; otherwise the child's unit.
  units::UnitFacts unit;
  // pair_child: the mentor it names.
  MentorFacts mentor;
};

// The unit under which a mentor's children live: her unit's county or
// district; for a unit above the counties (a city) the unit itself; for a
// unit outside the geographic tree its nearest county, else its city,
// else the unit itself.
std::string MentorArea(const units::UnitFacts& mentor_unit);

// Decides `command` against `state` (the default ChildState when there is
// no child yet).  Returns the events, each stamped with ctx.now_us and
// ctx.actor, or:
//   INVALID_ARGUMENT     "<command>.<field>: <rule>", or "context.actor".
//   FAILED_PRECONDITION  "<rule>: <detail>" (RULES.md).
//   NOT_FOUND            child_not_found; ALREADY_EXISTS child_exists.
//   INTERNAL             the service broke the contract (now_us, child_id).
// Checked in this order: the context; the child exists (or not); her care
// has not ended; the command's own fields; the state (pairing, terms,
// mentor); the dates against the state.
absl::StatusOr<std::vector<v1::ChildEvent>> Decide(const ChildState& state,
                                                   const v1::ChildCommand& command,
                                                   const ChildDecideContext& ctx);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_DECIDE_H_
