// The case aggregate's decisions: a command and the case's current state in,
// the events that record what happened out, or the reason it cannot happen.
// Pure: no clock, no storage, no randomness; everything comes from the
// arguments, so the same inputs always give the same answer.
//
// Thread safety: pure function.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_DECIDE_H_
#define HAVEN_SERVICES_CASES_DOMAIN_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"

namespace haven::cases {

// What the service knows about a command that the command does not carry.
struct DecideContext {
  // The server's clock, µs since the Unix epoch, UTC.  Must be positive.
  int64_t now_us = 0;
  // Who acts; stamped on every event.  Required.
  std::string actor;
  // The case addressed; for open_case, the new case's id.  Required for
  // open_case.
  std::string case_id;
  // The id of what the command creates: the mediation (schedule_mediation),
  // referral (make_referral), protection order (apply_protection_order) or
  // follow-up (schedule_follow_up).  Required for those, ignored otherwise;
  // must not name an existing one.
  std::string new_id;
};

// Decides `command` against `state` (the fold of the case's events; the
// default CaseState for a case that does not exist yet).  Returns at least
// one event, each stamped with ctx.now_us and ctx.actor, or:
//   INVALID_ARGUMENT     a field breaks a rule: "<field path>: <rule>", the
//                        path starting at the command's member name, e.g.
//                        "open_case.seeker.id_number: ..."; also for a
//                        missing ctx.actor ("context.actor: ...").
//   FAILED_PRECONDITION  the case's state forbids it: "<rule>: <detail>",
//                        e.g. "case_closed: a closed case accepts only
//                        reopen_case".
//   NOT_FOUND            any command but open_case on a case that does not
//                        exist ("case_not_found: ...").
//   ALREADY_EXISTS       open_case on a case that exists ("case_exists: ...").
//   INTERNAL             the service broke the context's contract (now_us,
//                        case_id or new_id missing, new_id reused).
// Checked in this order: the context; whether the case exists (or not, for
// open_case) and is open (closed, for reopen_case); the command's fields;
// the command's own state rules, then the fields that are judged against
// the state (a discharge after its admission...).  The first broken rule is
// reported.  Every rule is listed in RULES.md.
absl::StatusOr<std::vector<v1::CaseEvent>> Decide(const CaseState& state,
                                                  const v1::CaseCommand& command,
                                                  const DecideContext& ctx);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_DECIDE_H_
