// The one way a command becomes events: load the aggregate's stream, check
// the version the client saw, decide, append with that exact version, and
// answer a retried request with its first result.  Every bounded context's
// service calls ExecuteCommand with its own decide function.
#ifndef HAVEN_SERVICES_COMMON_COMMAND_EXECUTOR_H_
#define HAVEN_SERVICES_COMMON_COMMAND_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::services {

struct CommandContext {
  // The aggregate's stream, e.g. "case-<id>".
  std::string stream;
  // The stream version the client's decision was based on; nullopt for a
  // command that creates the aggregate (the stream must not exist yet).
  std::optional<uint64_t> expected_version;
  // Unique per request; retries resend it.  See request_ids.h.
  std::string request_id;
  // Who acts (recorded on every event) and the transaction it belongs to.
  std::string actor;
  std::string correlation_id;
};

// An event a decide function proposes; the executor adds ids and envelope.
struct ProposedEvent {
  std::string type;
  std::string payload;
  std::string content_type;
};

struct CommandOutcome {
  uint64_t version = 0;   // The stream's version after the command.
  uint64_t position = 0;  // Log position of the command's last event.
  bool replayed = false;  // A retry: the first result, nothing written.
};

// Decides from the stream's committed history (oldest first); returns the
// events to append, or the error to give the client.
using DecideFunction = std::function<absl::StatusOr<std::vector<ProposedEvent>>(
    const std::vector<storage::RecordedEvent>& history)>;

// Errors: those of `decide`; INVALID_ARGUMENT for a bad request id;
// ABORTED (carrying the current version, see storage::CurrentVersionOf) if
// the stream is not at `expected_version` (or exists when it should not);
// NOT_FOUND if `expected_version` is set and the stream does not exist;
// the log's errors.  A decide that proposes no events is INTERNAL.
absl::StatusOr<CommandOutcome> ExecuteCommand(storage::EventLog& log,
                                              const CommandContext& context,
                                              const DecideFunction& decide);

// Every event of `stream`, oldest first (empty if it does not exist), read
// no further than `up_to_position` when given (for as-of views).
absl::StatusOr<std::vector<storage::RecordedEvent>> ReadWholeStream(
    const storage::EventLog& log, const std::string& stream,
    std::optional<uint64_t> up_to_position = std::nullopt);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_COMMAND_EXECUTOR_H_
