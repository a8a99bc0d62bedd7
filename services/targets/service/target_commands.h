// How a target command becomes events: the envelope checked, the unit
// looked up in the directory, the unit's target stream folded and the
// domain's decision appended through ExecuteCommand (request-id
// idempotency, expected version).  A unit's first command comes without
// an expected version (its stream does not exist yet); every later one
// with the version ListTargets answered.
#ifndef HAVEN_SERVICES_TARGETS_SERVICE_TARGET_COMMANDS_H_
#define HAVEN_SERVICES_TARGETS_SERVICE_TARGET_COMMANDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/targets/v1/target_service.pb.h"
#include "services/common/command_executor.h"
#include "services/directory/service/directory_view.h"
#include "services/targets/domain/target_state.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

// The unit's targets after `history` (its stream, oldest first), each
// target's set_by the actor of the event that set it.  DATA_LOSS naming
// the stream and version if an event does not decode.
absl::StatusOr<targets::TargetsState> FoldTargets(
    const std::vector<storage::RecordedEvent>& history);

// Run SetTarget / WithdrawTarget for `actor`.  INVALID_ARGUMENT
// request_id, unit_id and the domain's fields; FAILED_PRECONDITION the
// domain's rules; ABORTED when the unit's targets are not at
// expected_version (or exist when it is absent); NOT_FOUND
// "targets_not_found" for an expected version of a unit without targets.
absl::StatusOr<CommandOutcome> RunSetTarget(storage::EventLog& log, DirectoryView& directory,
                                            const storage::Clock& clock,
                                            const targets::v1::SetTargetRequest& request,
                                            const std::string& actor);
absl::StatusOr<CommandOutcome> RunWithdrawTarget(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const targets::v1::WithdrawTargetRequest& request,
                                                 const std::string& actor);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_TARGETS_SERVICE_TARGET_COMMANDS_H_
