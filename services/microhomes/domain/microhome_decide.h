// The micro-home aggregate's decisions: a command, the micro-home's state
// and what the directory says about the units involved in, the events out,
// or the rule that refuses it (RULES.md).  Pure: everything comes from the
// arguments.
//
// Thread safety: pure function.
#ifndef HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_DECIDE_H_
#define HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/microhomes/v1/microhome_commands.pb.h"
#include "haven/microhomes/v1/microhome_events.pb.h"
#include "services/common/unit_facts.h"
#include "services/microhomes/domain/microhome_state.h"

namespace haven::microhomes {

struct DecideContext {
  // The server's clock, µs since the Unix epoch, UTC.  Must be positive.
  int64_t now_us = 0;
  // Who acts; stamped on every event.  Required.
  std::string actor;
  // The micro-home's unit as the directory knows it, and whether the unit
  // is of kind micro-home.
  units::UnitFacts home;
  bool home_is_micro_home_unit = false;
  // The unit named by the command's acting_unit_id, if it names one.
  units::UnitFacts acting_unit;
};

// How far back a registration may be dated.
inline constexpr int64_t kMaxRegistrationAgeUs = 5 * 366 * 86'400'000'000LL;
// A title may be re-certified from this long before it expires.
inline constexpr int64_t kRecertificationWindowUs = 90 * 86'400'000'000LL;

// Decides `command` against `state` (the default MicroHomeState when there
// is none yet).  Returns the events, each stamped with ctx.now_us and
// ctx.actor, or:
//   INVALID_ARGUMENT     "<command>.<field>: <rule>", "unit_id: ...", or
//                        "context.actor".
//   FAILED_PRECONDITION  "<rule>: <detail>" (RULES.md).
//   NOT_FOUND            micro_home_not_found; ALREADY_EXISTS
//                        micro_home_exists.
//   INTERNAL             the service broke the contract (now_us).
// Checked in this order: the context; the micro-home exists (or not); it
// is not closed; the command's own fields; the state; the units; the
// times against the state.
absl::StatusOr<std::vector<v1::MicroHomeEvent>> Decide(const MicroHomeState& state,
                                                       const v1::MicroHomeCommand& command,
                                                       const DecideContext& ctx);

}  // namespace haven::microhomes

#endif  // HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_DECIDE_H_
