#include "services/access/service/access_commands.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/access/domain/decide.h"
#include "services/access/domain/events.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

absl::StatusOr<std::vector<ProposedEvent>> Propose(
    const absl::StatusOr<std::vector<access::v1::AccessEvent>>& events) {
  if (!events.ok()) return events.status();
  std::vector<ProposedEvent> proposed;
  for (const access::v1::AccessEvent& e : *events) {
    proposed.push_back({access::EventTypeOf(e), e.SerializeAsString(), access::kContentType});
  }
  return proposed;
}

// The unit the command assigns, if any.
std::string UnitOf(const access::Command& command) {
  if (const auto* c = std::get_if<access::RegisterUser>(&command)) {
    return c->assignment.org_unit_id;
  }
  if (const auto* c = std::get_if<access::UpdateUser>(&command)) {
    return c->assignment ? c->assignment->org_unit_id : "";
  }
  if (const auto* c = std::get_if<access::RegisterPartner>(&command)) return c->org_unit_id;
  return "";
}

absl::Status CheckUnit(DirectoryView& directory, const std::string& unit_id) {
  if (unit_id.empty()) return absl::OkStatus();
  if (!directory.Exists(unit_id)) {
    return absl::InvalidArgumentError(absl::StrCat("org_unit_id: no unit \"", unit_id, "\""));
  }
  if (!directory.IsOpen(unit_id)) {
    return absl::FailedPreconditionError(
        absl::StrCat("rule unit_open: unit \"", unit_id, "\" is closed"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommandOutcome> RunAccessCommand(storage::EventLog& log, AccessView& view,
                                                DirectoryView& directory,
                                                const access::Command& command,
                                                std::optional<uint64_t> expected_version,
                                                const std::string& request_id,
                                                const std::string& actor) {
  if (auto s = ValidateRequestId(request_id); !s.ok()) return s;
  if (auto s = access::ValidateCommand(command); !s.ok()) return s;
  // `history` is the whole stream as the executor read it.  The view has
  // usually folded exactly that; if it has moved on, fold `history` afresh
  // (the append will then be refused as stale anyway).
  auto decide = [&](const std::vector<storage::RecordedEvent>& history)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    if (auto s = CheckUnit(directory, UnitOf(command)); !s.ok()) return s;
    std::optional<absl::StatusOr<std::vector<access::v1::AccessEvent>>> events;
    auto read = view.Read([&](const access::AccessState& state) {
      if (state.next_version() == history.size()) events = access::Decide(state, command);
    });
    if (!read.ok()) return read;
    if (events) return Propose(*events);
    auto fresh = FoldAccess(history);
    if (!fresh.ok()) return fresh.status();
    return Propose(access::Decide(*fresh, command));
  };
  CommandContext context{access::kStream, expected_version, request_id, actor, request_id};
  if (expected_version) return ExecuteCommand(log, context, decide);

  absl::StatusOr<CommandOutcome> outcome;
  for (int attempt = 0; attempt < kAccessCommandAttempts; ++attempt) {
    auto next = view.NextVersion();
    if (!next.ok()) return next.status();
    context.expected_version = *next == 0 ? std::nullopt : std::optional<uint64_t>(*next - 1);
    outcome = ExecuteCommand(log, context, decide);
    if (outcome.status().code() != absl::StatusCode::kAborted) break;
  }
  return outcome;
}

}  // namespace haven::services
