#include "services/children/service/children_service.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/projections/children_projections.h"
#include "services/children/service/children_access.h"
#include "services/children/service/children_view.h"
#include "services/common/aggregate_ids.h"
#include "services/common/command_rpc.h"
#include "services/common/directory_units.h"
#include "services/common/request_metadata.h"
#include "services/common/small_cells.h"
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

bool Withheld(const std::vector<std::string>& withheld, const std::string& path) {
  return std::find(withheld.begin(), withheld.end(), path) != withheld.end();
}

// Withholds the small cells of statistics shown outside the caller's
// subtree and returns their paths.  Sums of money go with the count of
// their deliveries (or stipends); visits per pairing is a ratio of two
// counts and goes when either does.
std::vector<std::string> WithholdSmallCells(v1::ChildrenStatistics& statistics) {
  SmallCellRules rules;
  rules.rate_message = "";
  rules.not_counts = {"bucket", "awaiting_days"};
  rules.derived_from = {{"money_fen", "money_deliveries"},
                        {"goods_fen", "goods_deliveries"},
                        {"stipend_fen", "stipends"},
                        {"visits_per_pairing", "pairings_active"}};
  std::vector<std::string> withheld = SuppressSmallCells(statistics, rules);
  auto withhold_ratio = [&withheld](auto& message, const std::string& prefix) {
    if (message.visits_per_pairing() != 0 && Withheld(withheld, prefix + "visits")) {
      message.clear_visits_per_pairing();
      withheld.push_back(prefix + "visits_per_pairing");
    }
  };
  withhold_ratio(statistics, "");
  for (int i = 0; i < statistics.visits_by_term_size(); ++i) {
    withhold_ratio(*statistics.mutable_visits_by_term(i), absl::StrCat("visits_by_term[", i, "]."));
  }
  return withheld;
}

}  // namespace

ChildrenService::ChildrenService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
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

ChildrenCommandGate ChildrenService::GateFor(const access::Principal& caller, const char* what,
                                             std::optional<std::string> registers_in) const {
  if (caller.development) return nullptr;
  return [this, caller, what, registers_in = std::move(registers_in)](
             const std::string& id, const std::optional<std::string>& unit) -> absl::Status {
    if (registers_in) {
      if (auto s = authoriser_->CheckUnit(caller, *registers_in); !s.ok()) return s;
      // A new record; an id taken already is answered only to a caller who
      // may see the record that holds it.
      if (!unit) return absl::OkStatus();
    }
    return authoriser_->CheckRecord(caller, absl::StrCat(what, " ", id), unit);
  };
}

absl::Status ChildrenService::CheckInReach(const access::Principal& caller, const char* what,
                                           const std::string& id, UnitOf unit_of) const {
  if (caller.development) return absl::OkStatus();
  auto unit = unit_of(log_, id);
  if (!unit.ok()) return unit.status();
  return authoriser_->CheckRecord(caller, absl::StrCat(what, " ", id), *unit);
}

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
    auto caller = authoriser_->Authorize(context, access::Permission::kWorkProgrammes);
    if (!caller.ok()) return caller.status();
    std::optional<std::string> registers_in;
    if (command.has_register_child()) registers_in = command.register_child().unit_id();
    return RunChildCommand(log_, *directory_, *clock_, envelope, command, caller->user_id,
                           GateFor(*caller, "child", std::move(registers_in)));
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
    auto caller = authoriser_->Authorize(*context, access::Permission::kWorkProgrammes);
    if (!caller.ok()) return caller.status();
    v1::MentorCommand command;
    *command.mutable_register_mentor() = request->register_mentor();
    return RunMentorCommand(log_, *directory_, *clock_, envelope, command, caller->user_id,
                            GateFor(*caller, "mentor", request->register_mentor().unit_id()));
  }();
  return Finish(*context, "RegisterMentor", "mentor_id",
                LoggablePrefixedId(request->mentor_id(), kMentorIdPrefix), result, response);
}

grpc::Status ChildrenService::GetChild(grpc::ServerContext* context,
                                       const v1::GetChildRequest* request,
                                       v1::GetChildResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    if (auto s = ValidatePrefixedId(request->child_id(), kChildIdPrefix, "child_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    if (auto s = CheckInReach(*caller, "child", request->child_id(), &ChildUnitOf); !s.ok()) {
      return s;
    }
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
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    if (auto s = ValidatePrefixedId(request->child_id(), kChildIdPrefix, "child_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    if (auto s = CheckInReach(*caller, "child", request->child_id(), &ChildUnitOf); !s.ok()) {
      return s;
    }
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
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    if (auto s = ValidatePrefixedId(request->mentor_id(), kMentorIdPrefix, "mentor_id"); !s.ok()) {
      return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    if (auto s = CheckInReach(*caller, "mentor", request->mentor_id(), &MentorUnitOf); !s.ok()) {
      return s;
    }
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
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadProgrammes);
    if (!caller.ok()) return caller.status();
    auto scope = authoriser_->ScopeUnit(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context, *scope,
                                 request->min_position());
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
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
    if (!caller.ok()) return caller.status();
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
    auto scope = authoriser_->ScopeStatistics(*caller, request->unit_subtree());
    if (!scope.ok()) return scope.status();
    auto units = SubtreeForQuery(*directory_, read_models_, projections_, *context, scope->unit,
                                 request->min_position());
    if (!units.ok()) return units.status();
    auto statistics = children::ChildrenStatistics(*read_models_, *units, *period, awaiting_days);
    if (!statistics.ok()) return statistics.status();
    *response->mutable_statistics() = std::move(*statistics);
    if (!scope->exact) {
      for (std::string& path : WithholdSmallCells(*response->mutable_statistics())) {
        response->add_suppressed_cells(std::move(path));
      }
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "children", "GetChildrenStatistics", status);
}

}  // namespace haven::services
