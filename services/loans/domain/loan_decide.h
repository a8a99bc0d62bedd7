// The loan aggregate's decisions: a command, the loan's state and what the
// directory says about the units involved in, the events out, or the rule
// that refuses it.  Pure: everything comes from the arguments.
//
// Thread safety: pure function.
#ifndef HAVEN_SERVICES_LOANS_DOMAIN_LOAN_DECIDE_H_
#define HAVEN_SERVICES_LOANS_DOMAIN_LOAN_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/loans/v1/loan_commands.pb.h"
#include "haven/loans/v1/loan_events.pb.h"
#include "services/loans/domain/loan_state.h"

namespace haven::loans {

// The levels of the federation's chain (directory unit kinds: a county or
// district is kCounty, a township or street kTownship, a village or
// community kVillage).
enum class UnitLevel { kOther, kCity, kCounty, kTownship, kVillage };

// A unit as the directory knows it; the service looks it up.
struct UnitFacts {
  std::string id;
  bool exists = false;
  bool open = false;
  UnitLevel level = UnitLevel::kOther;
  // Ids from the root down to the unit's parent.
  std::vector<std::string> ancestors;
};

struct DecideContext {
  // The server's clock, µs since the Unix epoch, UTC.  Must be positive.
  int64_t now_us = 0;
  // Who acts; stamped on every event.  Required.
  std::string actor;
  // The loan addressed; for apply_for_loan the new loan's id.
  std::string loan_id;
  // The applicant's village: for apply_for_loan the unit it names, for
  // every other command the loan's.
  UnitFacts village;
  // The unit named by the command's acting_unit_id (unused by
  // apply_for_loan).
  UnitFacts acting_unit;
};

// Decides `command` against `state` (the default LoanState when there is no
// loan yet).  Returns the events, each stamped with ctx.now_us and
// ctx.actor, or:
//   INVALID_ARGUMENT     "<command>.<field>: <rule>", or "context.actor".
//   FAILED_PRECONDITION  "<rule>: <detail>" (RULES.md).
//   NOT_FOUND            loan_not_found; ALREADY_EXISTS loan_exists.
//   INTERNAL             the service broke the contract (now_us, loan_id).
// Checked in this order: the context; the loan exists (or not); it is not
// closed or settled; the command's own fields; the step order; the acting
// unit; the fields judged against the state (amounts, dates).
absl::StatusOr<std::vector<v1::LoanEvent>> Decide(const LoanState& state,
                                                  const v1::LoanCommand& command,
                                                  const DecideContext& ctx);

}  // namespace haven::loans

#endif  // HAVEN_SERVICES_LOANS_DOMAIN_LOAN_DECIDE_H_
