#include "services/microhomes/service/microhome_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/command_rpc.h"
#include "services/common/directory_units.h"
#include "services/common/request_metadata.h"
#include "services/common/small_cells.h"
#include "services/common/stats/calendar.h"
#include "services/common/stream_queries.h"
#include "services/microhomes/domain/microhome_event_types.h"
#include "services/microhomes/projections/microhome_projections.h"
#include "services/microhomes/service/microhome_view.h"

namespace haven::services {
namespace {

namespace v1 = microhomes::v1;

template <typename Request>
MicroHomeCommandEnvelope EnvelopeOf(const Request& request) {
  MicroHomeCommandEnvelope envelope{request.request_id(), request.unit_id(), std::nullopt};
  if (request.has_expected_version()) envelope.expected_version = request.expected_version();
  return envelope;
}

MicroHomeCommandEnvelope EnvelopeOf(const v1::RegisterMicroHomeRequest& request) {
  return {request.request_id(), request.unit_id(), std::nullopt};
}

std::string Loggable(const std::string& unit_id) {
  return ValidateMicroHomeUnitId(unit_id).ok() ? unit_id : "-";
}

absl::Status NoMicroHome(const std::string& unit_id) {
  return absl::NotFoundError(
      absl::StrCat("micro_home_not_found: unit ", unit_id, " has no micro-home"));
}

// The period of a compliance or statistics request.
template <typename Request>
absl::StatusOr<stats::StatsPeriod> PeriodOf(const Request& request) {
  return stats::ParseStatsPeriod(request.from_day(), request.to_day(),
                                 request.has_as_of_day() ? &request.as_of_day() : nullptr);
}

}  // namespace

MicroHomeService::MicroHomeService(storage::EventLog& log,
                                   std::shared_ptr<DirectoryView> directory,
                                   std::shared_ptr<storage::Clock> clock,
                                   const storage::ReadModelStore* read_models,
                                   storage::ProjectionRunner* projections,
                                   std::shared_ptr<access::Authoriser> authoriser)
    : log_(log),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      read_models_(read_models),
      projections_(projections),
      authoriser_(std::move(authoriser)) {}

absl::StatusOr<access::Principal> MicroHomeService::AuthorizeRead(
    const grpc::ServerContext& context, const std::string& unit_id) const {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadProgrammes);
  if (!caller.ok()) return caller;
  // Out of reach and missing read the same.
  auto current = ReadStreamAsOf(log_, microhomes::MicroHomeStream(unit_id), std::nullopt,
                                std::nullopt);
  if (!current.ok()) return current.status();
  std::optional<std::string> unit;
  if (!current->empty()) unit = unit_id;
  if (auto s = authoriser_->CheckRecord(*caller, absl::StrCat("micro-home ", unit_id), unit);
      !s.ok()) {
    return s;
  }
  return caller;
}

absl::StatusOr<std::vector<std::string>> MicroHomeService::ReadableSubtree(
    const grpc::ServerContext& context, const std::string& requested, uint64_t min_position) {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadProgrammes);
  if (!caller.ok()) return caller.status();
  auto scope = authoriser_->ScopeUnit(*caller, requested);
  if (!scope.ok()) return scope.status();
  return SubtreeForQuery(*directory_, read_models_, projections_, context, *scope, min_position);
}

grpc::Status MicroHomeService::Run(grpc::ServerContext& context, const char* rpc,
                                   const MicroHomeCommandEnvelope& envelope,
                                   const v1::MicroHomeCommand& command,
                                   v1::CommandResponse* response) {
  absl::StatusOr<CommandOutcome> outcome = [&]() -> absl::StatusOr<CommandOutcome> {
    auto caller = authoriser_->Authorize(context, access::Permission::kWorkProgrammes);
    if (!caller.ok()) return caller.status();
    // The unit she acts for (the acting unit, else the micro-home itself)
    // must be hers; the rules then require it to be over the micro-home.
    const std::string acting = ActingUnitOf(command);
    if (auto s = authoriser_->CheckUnit(*caller, acting.empty() ? envelope.unit_id : acting);
        !s.ok()) {
      return s;
    }
    return RunMicroHomeCommand(log_, *directory_, *clock_, envelope, command, caller->user_id);
  }();
  const CommandRpcLabel label{"microhomes", rpc, "unit_id", Loggable(envelope.unit_id)};
  grpc::Status status = FinishCommandRpc(context, label, outcome);
  if (!outcome.ok()) return status;
  response->set_unit_id(envelope.unit_id);
  response->set_version(outcome->version);
  response->set_position(outcome->position);
  response->set_replayed(outcome->replayed);
  return grpc::Status::OK;
}

// Each command rpc: the request's command as a MicroHomeCommand, run by Run.
#define HAVEN_MICROHOME_COMMAND_RPC(Rpc, member)                                      \
  grpc::Status MicroHomeService::Rpc(grpc::ServerContext* context,                    \
                                     const v1::Rpc##Request* request,                 \
                                     v1::CommandResponse* response) {                 \
    v1::MicroHomeCommand command;                                                     \
    *command.mutable_##member() = request->member();                                  \
    return Run(*context, #Rpc, EnvelopeOf(*request), command, response);              \
  }

HAVEN_MICROHOME_COMMAND_RPC(RegisterMicroHome, register_micro_home)
HAVEN_MICROHOME_COMMAND_RPC(ChangeHost, change_host)
HAVEN_MICROHOME_COMMAND_RPC(PairExecutive, pair_executive)
HAVEN_MICROHOME_COMMAND_RPC(UnpairExecutive, unpair_executive)
HAVEN_MICROHOME_COMMAND_RPC(DesignateDemonstration, designate_demonstration)
HAVEN_MICROHOME_COMMAND_RPC(WithdrawDemonstration, withdraw_demonstration)
HAVEN_MICROHOME_COMMAND_RPC(RecordActivity, record_activity)
HAVEN_MICROHOME_COMMAND_RPC(GrantTitle, grant_title)
HAVEN_MICROHOME_COMMAND_RPC(RecertifyTitle, recertify_title)
HAVEN_MICROHOME_COMMAND_RPC(RevokeTitle, revoke_title)
HAVEN_MICROHOME_COMMAND_RPC(CloseMicroHome, close_micro_home)

#undef HAVEN_MICROHOME_COMMAND_RPC

grpc::Status MicroHomeService::GetMicroHome(grpc::ServerContext* context,
                                            const v1::GetMicroHomeRequest* request,
                                            v1::GetMicroHomeResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateMicroHomeUnitId(request->unit_id()); !s.ok()) return s;
    if (auto caller = AuthorizeRead(*context, request->unit_id()); !caller.ok()) {
      return caller.status();
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    std::optional<uint64_t> position;
    std::optional<int64_t> time;
    if (request->has_as_of_position()) position = request->as_of_position();
    if (request->has_as_of_time_us()) time = request->as_of_time_us();
    auto history =
        ReadStreamAsOf(log_, microhomes::MicroHomeStream(request->unit_id()), position, time);
    if (!history.ok()) return history.status();
    if (history->empty()) return NoMicroHome(request->unit_id());
    auto folded = FoldMicroHome(*history);
    if (!folded.ok()) return folded.status();
    *response->mutable_micro_home() = std::move(folded->view);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "microhomes", "GetMicroHome", status);
}

grpc::Status MicroHomeService::GetMicroHomeHistory(grpc::ServerContext* context,
                                                   const v1::GetMicroHomeHistoryRequest* request,
                                                   v1::GetMicroHomeHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidateMicroHomeUnitId(request->unit_id()); !s.ok()) return s;
    if (auto caller = AuthorizeRead(*context, request->unit_id()); !caller.ok()) {
      return caller.status();
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    auto page = ReadHistoryPage(log_, microhomes::MicroHomeStream(request->unit_id()),
                                request->page_size(), request->page_token());
    if (page.status().code() == absl::StatusCode::kNotFound) {
      return NoMicroHome(request->unit_id());
    }
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& recorded : page->events) {
      auto event = microhomes::MicroHomeEventTypes().Decode(recorded.type, recorded.payload);
      if (!event.ok()) return event.status();
      v1::MicroHomeHistoryEntry* entry = response->add_entries();
      entry->set_version(recorded.version);
      entry->set_position(recorded.position);
      entry->set_recorded_at_us(recorded.recorded_time_us);
      entry->set_actor(recorded.actor);
      entry->set_event_type(recorded.type);
      *entry->mutable_event() = std::move(*event);
      entry->set_event_id(recorded.event_id);
      entry->set_request_id(recorded.causation_id);
    }
    response->set_next_page_token(page->next_page_token);
    response->set_micro_home_version(page->stream_version);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "microhomes", "GetMicroHomeHistory", status);
}

grpc::Status MicroHomeService::ListMicroHomes(grpc::ServerContext* context,
                                              const v1::ListMicroHomesRequest* request,
                                              v1::ListMicroHomesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto units = ReadableSubtree(*context, request->unit_subtree(), request->min_position());
    if (!units.ok()) return units.status();
    auto answer = microhomes::ListMicroHomes(*read_models_, *units, *request);
    if (!answer.ok()) return answer.status();
    *response = std::move(*answer);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "microhomes", "ListMicroHomes", status);
}

grpc::Status MicroHomeService::GetMicroHomeCompliance(
    grpc::ServerContext* context, const v1::GetMicroHomeComplianceRequest* request,
    v1::GetMicroHomeComplianceResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto period = PeriodOf(*request);
    if (!period.ok()) return period.status();
    auto units = ReadableSubtree(*context, request->unit_subtree(), request->min_position());
    if (!units.ok()) return units.status();
    auto answer =
        microhomes::MicroHomeCompliance(*read_models_, *units, *period, request->short_only());
    if (!answer.ok()) return answer.status();
    *response->mutable_compliance() = std::move(*answer);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "microhomes", "GetMicroHomeCompliance", status);
}

grpc::Status MicroHomeService::GetMicroHomeStatistics(
    grpc::ServerContext* context, const v1::GetMicroHomeStatisticsRequest* request,
    v1::GetMicroHomeStatisticsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto period = PeriodOf(*request);
    if (!period.ok()) return period.status();
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeStatistics(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context, scope->unit,
                                 request->min_position());
    if (!units.ok()) return units.status();
    auto answer = microhomes::MicroHomeStatistics(*read_models_, *units, *period);
    if (!answer.ok()) return answer.status();
    *response->mutable_statistics() = std::move(*answer);
    if (!scope->exact) {
      SmallCellRules rules;
      rules.rate_message = "";
      rules.derived_from = {{"attendance", "count"}};
      for (std::string& path : SuppressSmallCells(*response->mutable_statistics(), rules)) {
        response->mutable_suppressed_cells()->Add(std::move(path));
      }
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "microhomes", "GetMicroHomeStatistics", status);
}

}  // namespace haven::services
