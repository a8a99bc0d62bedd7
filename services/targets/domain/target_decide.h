// The targets aggregate's decisions: a command against a unit's targets
// becomes events, or the refusal naming the field or rule (RULES.md).
// Pure: the unit's facts and the time come in DecideContext.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_DECIDE_H_
#define HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_DECIDE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/targets/v1/target_service.pb.h"
#include "services/common/unit_facts.h"
#include "services/targets/domain/target_state.h"

namespace haven::targets {

struct DecideContext {
  int64_t now_us = 0;
  // The unit the command names (request unit_id).
  units::UnitFacts unit;
};

// TargetSet.  INVALID_ARGUMENT unit_id, year, period, indicator,
// comparison, value, note; FAILED_PRECONDITION unit_closed,
// target_unchanged.
absl::StatusOr<std::vector<v1::TargetEvent>> DecideSetTarget(const TargetsState& state,
                                                             const v1::SetTargetRequest& command,
                                                             const DecideContext& context);

// TargetWithdrawn.  INVALID_ARGUMENT unit_id, year, period, indicator,
// reason; FAILED_PRECONDITION target_not_set.
absl::StatusOr<std::vector<v1::TargetEvent>> DecideWithdrawTarget(
    const TargetsState& state, const v1::WithdrawTargetRequest& command,
    const DecideContext& context);

// INVALID_ARGUMENT "year: ..." outside 2000..2100.
absl::Status CheckTargetYear(int year, absl::string_view path = "year");

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_DECIDE_H_
