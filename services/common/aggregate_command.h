// A command against one aggregate's stream, run the same way in every
// bounded context: the stream folded into the aggregate's state, the
// context's decide function asked for events, the events encoded and
// appended through ExecuteCommand (request-id idempotency, expected
// version), and the executor's refusals reworded in the context's terms
// ("loan_exists", "loan_not_found").  A context's command runner is its
// envelope, its decide call and one RunAggregateCommand.
//
// Thread safety: as ExecuteCommand.
#ifndef HAVEN_SERVICES_COMMON_AGGREGATE_COMMAND_H_
#define HAVEN_SERVICES_COMMON_AGGREGATE_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/command_executor.h"
#include "storage/event_log.h"

namespace haven::services {

// What the runner knows of an aggregate: `State` is what its decide
// function reads, `Event` what it returns.
template <typename State, typename Event>
struct Aggregate {
  // "case", "loan": the aggregate in messages and in the rules
  // "<name>_exists" and "<name>_not_found".
  const char* name;
  // The command that creates one, "open_case", "apply_for_loan".
  const char* create_command;
  // The state after a stream's events, oldest first (an empty history is
  // the state before creation).  DATA_LOSS if an event does not decode.
  absl::StatusOr<State> (*fold)(const std::vector<storage::RecordedEvent>& history);
  // How an event is stored: its type string, payload and content type.
  ProposedEvent (*encode)(const Event& event);
};

// INVALID_ARGUMENT "expected_version: ..." unless a command that creates
// the aggregate comes without an expected version and every other command
// with one.
absl::Status CheckExpectedVersionGiven(absl::string_view name, absl::string_view create_command,
                                       bool creates, const std::optional<uint64_t>& expected);

// The executor's refusals in the aggregate's terms: for a creating command,
// ABORTED (the stream exists) becomes ALREADY_EXISTS "<name>_exists: ...";
// for the others NOT_FOUND becomes "<name>_not_found: ..." (unless decide
// said so already).  INVALID_ARGUMENT "context.actor: ..." from a decide
// function becomes "metadata haven-actor: ...".  Anything else unchanged.
absl::Status RewordCommandError(const absl::Status& status, absl::string_view name,
                                absl::string_view create_command, const std::string& id,
                                bool creates);

// Runs `decide` (State -> absl::StatusOr<std::vector<Event>>) on the
// aggregate `id` kept in context.stream.  A command without
// context.expected_version creates it.  Errors: ExecuteCommand's and
// decide's, reworded by RewordCommandError.
template <typename State, typename Event, typename Decide>
absl::StatusOr<CommandOutcome> RunAggregateCommand(storage::EventLog& log,
                                                   const Aggregate<State, Event>& aggregate,
                                                   const std::string& id,
                                                   const CommandContext& context,
                                                   const Decide& decide) {
  auto decide_on_history = [&](const std::vector<storage::RecordedEvent>& history)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    absl::StatusOr<State> state = aggregate.fold(history);
    if (!state.ok()) return state.status();
    absl::StatusOr<std::vector<Event>> events = decide(*state);
    if (!events.ok()) return events.status();
    std::vector<ProposedEvent> proposed;
    proposed.reserve(events->size());
    for (const Event& event : *events) proposed.push_back(aggregate.encode(event));
    return proposed;
  };
  absl::StatusOr<CommandOutcome> outcome = ExecuteCommand(log, context, decide_on_history);
  if (!outcome.ok()) {
    return RewordCommandError(outcome.status(), aggregate.name, aggregate.create_command, id,
                              !context.expected_version.has_value());
  }
  return outcome;
}

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_AGGREGATE_COMMAND_H_
