#include "services/access/service/bootstrap.h"

#include "absl/strings/str_cat.h"
#include "services/access/domain/decide.h"
#include "services/access/domain/events.h"
#include "services/common/command_executor.h"

namespace haven::services {

absl::StatusOr<bool> BootstrapAdmin(storage::EventLog& log, const std::string& user_id) {
  if (auto s = access::ValidatePrincipalId(user_id, "bootstrap_admin"); !s.ok()) return s;
  const access::RegisterUser command{user_id, user_id, {access::v1::ROLE_ADMIN, "", ""}};
  auto decide = [&](const std::vector<storage::RecordedEvent>&)
      -> absl::StatusOr<std::vector<ProposedEvent>> {
    auto events = access::Decide(access::AccessState(), command);
    if (!events.ok()) return events.status();
    std::vector<ProposedEvent> proposed;
    for (const auto& e : *events) {
      proposed.push_back({access::EventTypeOf(e), e.SerializeAsString(), access::kContentType});
    }
    return proposed;
  };
  const std::string request_id = absl::StrCat("bootstrap-admin-", user_id);
  const CommandContext context{access::kStream, std::nullopt, request_id, kBootstrapActor,
                               request_id};
  auto outcome = ExecuteCommand(log, context, decide);
  if (outcome.status().code() == absl::StatusCode::kAborted) return false;  // Users exist.
  if (!outcome.ok()) return outcome.status();
  return !outcome->replayed;
}

}  // namespace haven::services
