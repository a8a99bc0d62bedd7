#include "services/microhomes/service/microhome_commands.h"

#include <vector>

#include "services/common/aggregate_command.h"
#include "services/common/directory_units.h"
#include "services/common/request_ids.h"
#include "services/directory/domain/validation.h"
#include "services/microhomes/domain/microhome_decide.h"
#include "services/microhomes/domain/microhome_event_types.h"
#include "services/microhomes/service/microhome_view.h"

namespace haven::services {
namespace {

namespace v1 = microhomes::v1;

}  // namespace

std::string ActingUnitOf(const v1::MicroHomeCommand& command) {
  using C = v1::MicroHomeCommand;
  switch (command.command_case()) {
    case C::kDesignateDemonstration:
      return command.designate_demonstration().acting_unit_id();
    case C::kWithdrawDemonstration:
      return command.withdraw_demonstration().acting_unit_id();
    case C::kGrantTitle:
      return command.grant_title().acting_unit_id();
    case C::kRecertifyTitle:
      return command.recertify_title().acting_unit_id();
    case C::kRevokeTitle:
      return command.revoke_title().acting_unit_id();
    default:
      return "";
  }
}

namespace {

bool IsMicroHomeUnit(DirectoryView& directory, const std::string& unit_id) {
  bool micro_home = false;
  directory.Read([&](const directory::Directory& d) {
    const directory::Unit* unit = d.Find(unit_id);
    micro_home = unit != nullptr && unit->kind == directory::v1::UNIT_KIND_MICRO_HOME;
  }).IgnoreError();
  return micro_home;
}

ProposedEvent EncodeForLog(const v1::MicroHomeEvent& event) {
  const auto& types = microhomes::MicroHomeEventTypes();
  return ProposedEvent{std::string(types.TypeOf(event)), types.Encode(event),
                       std::string(microhomes::kMicroHomeEventContentType)};
}

absl::StatusOr<FoldedMicroHome> FoldForCommand(const std::vector<storage::RecordedEvent>& h) {
  return FoldMicroHome(h);
}

const Aggregate<FoldedMicroHome, v1::MicroHomeEvent> kMicroHomeAggregate{
    "micro_home", "register_micro_home", &FoldForCommand, &EncodeForLog};

}  // namespace

absl::Status ValidateMicroHomeUnitId(const std::string& unit_id, const char* field) {
  return directory::ValidateUnitId(unit_id, field);
}

absl::StatusOr<CommandOutcome> RunMicroHomeCommand(storage::EventLog& log,
                                                   DirectoryView& directory,
                                                   const storage::Clock& clock,
                                                   const MicroHomeCommandEnvelope& envelope,
                                                   const v1::MicroHomeCommand& command,
                                                   const std::string& actor) {
  const bool registers = command.has_register_micro_home();
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (auto s = ValidateMicroHomeUnitId(envelope.unit_id); !s.ok()) return s;
  if (auto s = CheckExpectedVersionGiven("micro_home", "register_micro_home", registers,
                                         envelope.expected_version);
      !s.ok()) {
    return s;
  }
  auto decide = [&](const FoldedMicroHome& folded) {
    microhomes::DecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.home = LookUpUnit(directory, envelope.unit_id);
    ctx.home_is_micro_home_unit = IsMicroHomeUnit(directory, envelope.unit_id);
    ctx.acting_unit = LookUpUnit(directory, ActingUnitOf(command));
    return microhomes::Decide(folded.state, command, ctx);
  };
  const CommandContext context{microhomes::MicroHomeStream(envelope.unit_id),
                               envelope.expected_version, envelope.request_id, actor,
                               envelope.request_id};
  return RunAggregateCommand(log, kMicroHomeAggregate, envelope.unit_id, context, decide);
}

}  // namespace haven::services
