#include "services/children/service/children_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/projections/children_projections.h"
#include "services/children/service/children_view.h"
#include "services/common/aggregate_ids.h"
#include "services/common/command_rpc.h"
#include "services/common/directory_units.h"
#include "services/common/request_metadata.h"
#include "services/common/stats/calendar.h"
#include "services/common/stream_queries.h"

namespace haven::services {
namespace {

namespace v1 = children::v1;

constexpr uint32_t kDefaultAwaitingDays = 30;
constexpr uint32_t kMaxAwaitingDays = 3'650;

template <typename Request>
ChildrenCommandEnvelope EnvelopeOf(const Request& request) {
  ChildrenCommandEnvelope envelope{request.request_id(), request.child_id(), std::nullopt};
  if (request.has_expected_version()) envelope.expected_version = request.expected_version();
  return envelope;
}

ChildrenCommandEnvelope EnvelopeOf(const v1::RegisterChildRequest& request) {
  return {request.request_id(), request.child_id(), std::nullopt};
}

absl::Status NoChild(const std::string& child_id) {
  return absl::NotFoundError(absl::StrCat("child_not_found: there is no child ", child_id));
}

}  // namespace

ChildrenService::ChildrenService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                                 std::shared_ptr<storage::Clock> clock,
                                 const storage::ReadModelStore* read_models,
                                 storage::ProjectionRunner* projections)
    : log_(log),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      read_models_(read_models),
      projections_(projections) {}

grpc::Status ChildrenService::Finish(grpc::ServerContext& context, const char* rpc,
                                     const char* id_key, const std::string& loggable_id,
                                     const absl::StatusOr<ChildrenCommandResult>& result,
                                     v1::CommandResponse* response) {
  const CommandRpcLabel label{"children", rpc, id_key, result.ok() ? result->id : loggable_id};
  if (!result.ok()) return FinishCommandRpc(context, label, result.status());
  FinishCommandRpc(context, label, result->outcome);
  response->set_id(result->id);
  response->set_version(result->outcome.version);
  response->set_position(result->outcome.position);
  response->set_replayed(result->outcome.replayed);
  return grpc::Status::OK;
}

grpc::Status ChildrenService::Run(grpc::ServerContext& context, const char* rpc,
                                  const ChildrenCommandEnvelope& envelope,
                                  const v1::ChildCommand& command,
                                  v1::CommandResponse* response) {
  absl::StatusOr<ChildrenCommandResult> result = [&]() -> absl::StatusOr<ChildrenCommandResult> {
    auto actor = ActorOf(context);
    if (!actor.ok()) return actor.status();
    return RunChildCommand(log_, *directory_, *clock_, envelope, command, *actor);
  }();
  return Finish(context, rpc, "child_id", LoggablePrefixedId(envelope.id, kChildIdPrefix), result,
                response);
}

// Each child command rpc: the request's command as a ChildCommand, run by Run.
#define HAVEN_CHILD_COMMAND_RPC(Rpc, member)                                                  \
  grpc::Status ChildrenService::Rpc(grpc::ServerContext* context,                             \
                                    const v1::Rpc##Request* request,                          \
                                    v1::CommandResponse* response) {                          \
    v1::ChildCommand command;                                                                 \
    *command.mutable_##member() = request->member();                                          \
    return Run(*context, #Rpc, EnvelopeOf(*request), command, response);                      \
  }

HAVEN_CHILD_COMMAND_RPC(RegisterChild, register_child)
HAVEN_CHILD_COMMAND_RPC(PairChild, pair_child)
HAVEN_CHILD_COMMAND_RPC(RecordVisit, record_visit)
HAVEN_CHILD_COMMAND_RPC(DeliverSupport, deliver_support)
HAVEN_CHILD_COMMAND_RPC(PayStipend, pay_stipend)
HAVEN_CHILD_COMMAND_RPC(CheckStatus, check_status)
HAVEN_CHILD_COMMAND_RPC(ReferCounselling, refer_counselling)
HAVEN_CHILD_COMMAND_RPC(EndPairing, end_pairing)

#undef HAVEN_CHILD_COMMAND_RPC

grpc::Status ChildrenService::RegisterMentor(grpc::ServerContext* context,
                                             const v1::RegisterMentorRequest* request,
                                             v1::CommandResponse* response) {
  const ChildrenCommandEnvelope envelope{request->request_id(), request->mentor_id(),
                                         std::nullopt};
  absl::StatusOr<ChildrenCommandResult> result = [&]() -> absl::StatusOr<ChildrenCommandResult> {
    auto actor = ActorOf(*context);
    if (!actor.ok()) return actor.status();
    v1::MentorCommand command;
    *command.mutable_register_mentor() = request->register_mentor();
    return RunMentorCommand(log_, *directory_, *clock_, envelope, command, *actor);
  }();
  return Finish(*context, "RegisterMentor", "mentor_id",
                LoggablePrefixedId(request->mentor_id(), kMentorIdPrefix), result, response);
}

grpc::Status ChildrenService::GetChild(grpc::ServerContext* context,
                                       const v1::GetChildRequest* request,
                                       v1::GetChildResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidatePrefixedId(request->child_id(), kChildIdPrefix, "child_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    std::optional<uint64_t> position;
    std::optional<int64_t> time;
    if (request->has_as_of_position()) position = request->as_of_position();
    if (request->has_as_of_time_us()) time = request->as_of_time_us();
    auto history = ReadStreamAsOf(log_, request->child_id(), position, time);
    if (!history.ok()) return history.status();
    if (history->empty()) return NoChild(request->child_id());
    auto folded = FoldChild(*history);
    if (!folded.ok()) return folded.status();
    *response->mutable_child() = ToChildView(*folded);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "GetChild", status);
}

grpc::Status ChildrenService::GetChildHistory(grpc::ServerContext* context,
                                              const v1::GetChildHistoryRequest* request,
                                              v1::GetChildHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidatePrefixedId(request->child_id(), kChildIdPrefix, "child_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    auto page =
        ReadHistoryPage(log_, request->child_id(), request->page_size(), request->page_token());
    if (page.status().code() == absl::StatusCode::kNotFound) return NoChild(request->child_id());
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& recorded : page->events) {
      auto event = children::DecodeChildEvent(recorded.type, recorded.payload);
      if (!event.ok()) return event.status();
      v1::ChildHistoryEntry* entry = response->add_entries();
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
    response->set_child_version(page->stream_version);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "GetChildHistory", status);
}

grpc::Status ChildrenService::GetMentor(grpc::ServerContext* context,
                                        const v1::GetMentorRequest* request,
                                        v1::GetMentorResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    if (auto s = ValidatePrefixedId(request->mentor_id(), kMentorIdPrefix, "mentor_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    auto history = ReadStreamAsOf(log_, request->mentor_id(), std::nullopt, std::nullopt);
    if (!history.ok()) return history.status();
    if (history->empty()) {
      return absl::NotFoundError(
          absl::StrCat("mentor_not_found: there is no mentor ", request->mentor_id()));
    }
    auto folded = FoldMentor(*history);
    if (!folded.ok()) return folded.status();
    *response->mutable_mentor() = ToMentorView(*folded);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "GetMentor", status);
}

grpc::Status ChildrenService::ListChildren(grpc::ServerContext* context,
                                           const v1::ListChildrenRequest* request,
                                           v1::ListChildrenResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context,
                                 request->unit_subtree(), request->min_position());
    if (!units.ok()) return units.status();
    auto answer = children::ListChildren(*read_models_, *units, *request);
    if (!answer.ok()) return answer.status();
    *response = std::move(*answer);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "ListChildren", status);
}

grpc::Status ChildrenService::GetChildrenStatistics(
    grpc::ServerContext* context, const v1::GetChildrenStatisticsRequest* request,
    v1::GetChildrenStatisticsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto period = stats::ParseStatsPeriod(request->from_day(), request->to_day(),
                                          request->has_as_of_day() ? &request->as_of_day()
                                                                   : nullptr);
    if (!period.ok()) return period.status();
    const uint32_t awaiting_days =
        request->has_awaiting_days() ? request->awaiting_days() : kDefaultAwaitingDays;
    if (awaiting_days > kMaxAwaitingDays) {
      return absl::InvalidArgumentError(
          absl::StrCat("awaiting_days: must be at most ", kMaxAwaitingDays));
    }
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context,
                                 request->unit_subtree(), request->min_position());
    if (!units.ok()) return units.status();
    auto statistics = children::ChildrenStatistics(*read_models_, *units, *period, awaiting_days);
    if (!statistics.ok()) return statistics.status();
    *response->mutable_statistics() = std::move(*statistics);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "GetChildrenStatistics", status);
}

}  // namespace haven::services
