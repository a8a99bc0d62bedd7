// Applying a case's events to its state.  Evolve trusts the log: every
// event was decided against the state it follows, so it checks nothing and
// never fails.  An event naming an unknown mediation, referral, order or
// follow-up creates the entry; an event with no member set (a kind this
// code does not know) only advances the version.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_EVOLVE_H_
#define HAVEN_SERVICES_CASES_DOMAIN_EVOLVE_H_

#include <vector>

#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"

namespace haven::cases {

// Applies one event and advances state.version by one.
void Evolve(CaseState& state, const v1::CaseEvent& event);

// The state after `events`, oldest first, starting from no case.
CaseState Fold(const std::vector<v1::CaseEvent>& events);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_EVOLVE_H_
