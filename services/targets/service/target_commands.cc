#include "services/targets/service/target_commands.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/directory_units.h"
#include "services/common/request_ids.h"
#include "services/directory/domain/validation.h"
#include "services/targets/domain/target_decide.h"
#include "services/targets/domain/target_event_types.h"

namespace haven::services {
namespace {

namespace v1 = targets::v1;

template <typename Request, typename Decide>
absl::StatusOr<CommandOutcome> RunTargetCommand(storage::EventLog& log, DirectoryView& directory,
                                                const storage::Clock& clock,
                                                const Request& request, const std::string& actor,
                                                const Decide& decide) {
  if (auto s = ValidateRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = directory::ValidateUnitId(request.unit_id(), "unit_id"); !s.ok()) return s;
  std::optional<uint64_t> expected;
  if (request.has_expected_version()) expected = request.expected_version();
  const std::string stream = targets::TargetStreamOf(request.unit_id());
  targets::DecideContext context;
  context.unit = LookUpUnit(directory, request.unit_id());
  context.now_us = clock.NowMicros();
  auto decide_on_history = [&](const std::vector<storage::RecordedEvent>& history)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    absl::StatusOr<targets::TargetsState> state = FoldTargets(history);
    if (!state.ok()) return state.status();
    absl::StatusOr<std::vector<v1::TargetEvent>> events = decide(*state, request, context);
    if (!events.ok()) return events.status();
    const auto& types = targets::TargetEventTypes();
    std::vector<ProposedEvent> proposed;
    for (const v1::TargetEvent& event : *events) {
      proposed.push_back({std::string(types.TypeOf(event)), types.Encode(event),
                          std::string(targets::kTargetEventContentType)});
    }
    return proposed;
  };
  const CommandContext command{stream, expected, request.request_id(), actor,
                               request.request_id()};
  absl::StatusOr<CommandOutcome> outcome = ExecuteCommand(log, command, decide_on_history);
  if (!outcome.ok() && outcome.status().code() == absl::StatusCode::kNotFound &&
      !absl::StartsWith(outcome.status().message(), "targets_not_found")) {
    return absl::NotFoundError(
        absl::StrCat("targets_not_found: unit ", request.unit_id(),
                     " has no targets yet; its first target is set without expected_version"));
  }
  return outcome;
}

}  // namespace

absl::StatusOr<targets::TargetsState> FoldTargets(
    const std::vector<storage::RecordedEvent>& history) {
  targets::TargetsState state;
  const auto& types = targets::TargetEventTypes();
  for (const storage::RecordedEvent& recorded : history) {
    absl::StatusOr<v1::TargetEvent> event = types.Decode(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    targets::Evolve(state, *event, recorded.actor);
  }
  return state;
}

absl::StatusOr<CommandOutcome> RunSetTarget(storage::EventLog& log, DirectoryView& directory,
                                            const storage::Clock& clock,
                                            const v1::SetTargetRequest& request,
                                            const std::string& actor) {
  return RunTargetCommand(log, directory, clock, request, actor, &targets::DecideSetTarget);
}

absl::StatusOr<CommandOutcome> RunWithdrawTarget(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const v1::WithdrawTargetRequest& request,
                                                 const std::string& actor) {
  return RunTargetCommand(log, directory, clock, request, actor, &targets::DecideWithdrawTarget);
}

}  // namespace haven::services
