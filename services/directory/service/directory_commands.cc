#include "services/directory/service/directory_commands.h"

#include <vector>

#include "services/common/request_ids.h"
#include "services/directory/domain/decide.h"
#include "services/directory/domain/events.h"

namespace haven::services {
namespace {

absl::StatusOr<std::vector<ProposedEvent>> Propose(
    const absl::StatusOr<directory::v1::DirectoryEvent>& event) {
  if (!event.ok()) return event.status();
  return std::vector<ProposedEvent>{
      {directory::EventTypeOf(*event), event->SerializeAsString(), directory::kContentType}};
}

}  // namespace

absl::StatusOr<CommandOutcome> RunDirectoryCommand(storage::EventLog& log, DirectoryView& view,
                                                   const directory::Command& command,
                                                   std::optional<uint64_t> expected_version,
                                                   const std::string& request_id,
                                                   const std::string& actor) {
  if (auto s = ValidateRequestId(request_id); !s.ok()) return s;
  if (auto s = directory::ValidateCommand(command); !s.ok()) return s;
  // `history` is the whole stream as the executor read it.  The view has
  // usually folded exactly that; if it has moved on, fold `history` afresh
  // (the append will then be refused as stale anyway).
  auto decide = [&view, &command](const std::vector<storage::RecordedEvent>& history)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    std::optional<absl::StatusOr<directory::v1::DirectoryEvent>> event;
    auto read = view.Read([&](const directory::Directory& state) {
      if (state.next_version() == history.size()) event = directory::Decide(state, command);
    });
    if (!read.ok()) return read;
    if (event) return Propose(*event);
    auto fresh = FoldDirectory(history);
    if (!fresh.ok()) return fresh.status();
    return Propose(directory::Decide(*fresh, command));
  };
  CommandContext context{directory::kStream, expected_version, request_id, actor, request_id};
  if (expected_version) return ExecuteCommand(log, context, decide);

  absl::StatusOr<CommandOutcome> outcome;
  for (int attempt = 0; attempt < kDirectoryCommandAttempts; ++attempt) {
    auto next = view.NextVersion();
    if (!next.ok()) return next.status();
    context.expected_version = *next == 0 ? std::nullopt : std::optional<uint64_t>(*next - 1);
    outcome = ExecuteCommand(log, context, decide);
    if (outcome.status().code() != absl::StatusCode::kAborted) break;
  }
  return outcome;
}

}  // namespace haven::services
