#include "services/targets/service/target_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/command_rpc.h"
#include "services/common/directory_units.h"
#include "services/common/stats/calendar.h"
#include "services/common/stream_queries.h"
#include "services/directory/domain/validation.h"
#include "services/targets/domain/indicators.h"
#include "services/targets/domain/target_decide.h"
#include "services/targets/domain/target_event_types.h"
#include "services/targets/service/target_commands.h"
#include "services/targets/service/target_report.h"

namespace haven::services {
namespace {

namespace v1 = targets::v1;

// The unit a query names: well-formed and in the directory.
absl::Status CheckQueryUnit(DirectoryView& directory, const std::string& unit_id) {
  if (auto s = directory::ValidateUnitId(unit_id, "unit_id"); !s.ok()) return s;
  if (!LookUpUnit(directory, unit_id).exists) {
    return absl::InvalidArgumentError("unit_id: no such unit in the directory");
  }
  return absl::OkStatus();
}

void ToProto(const targets::TargetKey& key, const targets::TargetEntry& entry, v1::Target* target) {
  target->set_year(key.year);
  target->set_period(key.period);
  target->set_indicator(key.indicator);
  if (const targets::IndicatorInfo* indicator = targets::FindIndicator(key.indicator)) {
    target->set_kind(indicator->kind);
  }
  target->set_comparison(entry.comparison);
  target->set_value(entry.value);
  target->set_note(entry.note);
  target->set_set_at_us(entry.set_at_us);
  target->set_set_by(entry.set_by);
  target->set_revisions(entry.revisions);
}

}  // namespace

TargetService::TargetService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
                             std::shared_ptr<storage::Clock> clock,
                             std::shared_ptr<access::Authoriser> authoriser,
                             targets::StatisticsSources sources)
    : log_(log),
      directory_(std::move(directory)),
      clock_(std::move(clock)),
      authoriser_(std::move(authoriser)),
      sources_(std::move(sources)) {}

absl::StatusOr<std::string> TargetService::ScopeQuery(const grpc::ServerContext& context,
                                                      const std::string& requested) const {
  auto caller = authoriser_->Authorize(context, access::Permission::kReadStatistics);
  if (!caller.ok()) return caller.status();
  auto scope = authoriser_->ScopeStatistics(*caller, requested);
  if (!scope.ok()) return scope.status();
  if (auto s = CheckQueryUnit(*directory_, scope->unit); !s.ok()) return s;
  return scope->unit;
}

template <typename Request, typename Run>
grpc::Status TargetService::RunCommand(grpc::ServerContext& context, const char* rpc,
                                       const Request& request, const Run& run,
                                       v1::CommandResponse* response) {
  absl::StatusOr<CommandOutcome> outcome = [&]() -> absl::StatusOr<CommandOutcome> {
    auto caller = authoriser_->Authorize(context, access::Permission::kPlanTargets);
    if (!caller.ok()) return caller.status();
    if (auto s = authoriser_->CheckUnit(*caller, request.unit_id()); !s.ok()) return s;
    return run(log_, *directory_, *clock_, request, caller->user_id);
  }();
  const bool loggable = directory::ValidateUnitId(request.unit_id(), "unit_id").ok();
  const CommandRpcLabel label{"targets", rpc, "unit_id", loggable ? request.unit_id() : "-"};
  grpc::Status status = FinishCommandRpc(context, label, outcome);
  if (!outcome.ok()) return status;
  response->set_unit_id(request.unit_id());
  response->set_version(outcome->version);
  response->set_position(outcome->position);
  response->set_replayed(outcome->replayed);
  return grpc::Status::OK;
}

grpc::Status TargetService::SetTarget(grpc::ServerContext* context,
                                      const v1::SetTargetRequest* request,
                                      v1::CommandResponse* response) {
  return RunCommand(*context, "SetTarget", *request, &RunSetTarget, response);
}

grpc::Status TargetService::WithdrawTarget(grpc::ServerContext* context,
                                           const v1::WithdrawTargetRequest* request,
                                           v1::CommandResponse* response) {
  return RunCommand(*context, "WithdrawTarget", *request, &RunWithdrawTarget, response);
}

grpc::Status TargetService::ListTargets(grpc::ServerContext* context,
                                        const v1::ListTargetsRequest* request,
                                        v1::ListTargetsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto unit_id = ScopeQuery(*context, request->unit_id());
    if (!unit_id.ok()) return unit_id.status();
    if (request->year() != 0) {
      if (auto s = targets::CheckTargetYear(request->year()); !s.ok()) return s;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    std::optional<uint64_t> position;
    std::optional<int64_t> time;
    if (request->has_as_of_position()) position = request->as_of_position();
    if (request->has_as_of_time_us()) time = request->as_of_time_us();
    auto history = ReadStreamAsOf(log_, targets::TargetStreamOf(*unit_id), position, time);
    if (!history.ok()) return history.status();
    auto state = FoldTargets(*history);
    if (!state.ok()) return state.status();
    response->set_unit_id(*unit_id);
    if (state->version >= 0) response->set_version(static_cast<uint64_t>(state->version));
    for (const auto& [key, entry] : state->targets) {
      if (request->year() != 0 && key.year != request->year()) continue;
      ToProto(key, entry, response->add_targets());
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "targets", "ListTargets", status);
}

grpc::Status TargetService::ListIndicators(grpc::ServerContext* context,
                                           const v1::ListIndicatorsRequest* /*request*/,
                                           v1::ListIndicatorsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
    if (!caller.ok()) return caller.status();
    for (const targets::IndicatorInfo& indicator : targets::AllIndicators()) {
      *response->add_indicators() = indicator.ToProto();
    }
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "targets", "ListIndicators", status);
}

grpc::Status TargetService::GetTargetReport(grpc::ServerContext* context,
                                            const v1::GetTargetReportRequest* request,
                                            v1::GetTargetReportResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    auto unit_id = ScopeQuery(*context, request->unit_id());
    if (!unit_id.ok()) return unit_id.status();
    if (auto s = targets::CheckTargetYear(request->year()); !s.ok()) return s;
    if (!v1::TargetPeriod_IsValid(request->period())) {
      return absl::InvalidArgumentError("period: not a TargetPeriod");
    }
    const targets::PeriodDays days = targets::DaysOf(request->year(), request->period());
    stats::DayNumber as_of = std::min(days.to, stats::CstDayOf(clock_->NowMicros()));
    if (request->has_as_of_day()) {
      auto day = stats::ParseDay(request->as_of_day(), "as_of_day");
      if (!day.ok()) return day.status();
      as_of = *day;
    }
    if (auto s = WaitForLogPosition(log_, *context, request->min_position()); !s.ok()) return s;
    // The targets in force now; asked as of a day, as they stood at its end.
    std::optional<int64_t> targets_as_of;
    if (request->has_as_of_day()) targets_as_of = stats::CstDayStartUs(as_of + 1) - 1;
    auto history = ReadStreamAsOf(log_, targets::TargetStreamOf(*unit_id), std::nullopt,
                                  targets_as_of);
    if (!history.ok()) return history.status();
    auto state = FoldTargets(*history);
    if (!state.ok()) return state.status();
    auto fetch = [&](const std::string& context_name, stats::DayNumber from,
                     stats::DayNumber to) -> absl::StatusOr<targets::StatisticsAnswer> {
      auto source = sources_.find(context_name);
      if (source == sources_.end()) {
        return absl::UnavailableError(
            absl::StrCat("statistics: this server keeps no ", context_name, " statistics"));
      }
      targets::StatisticsAsk ask{*unit_id, stats::DayText(from), stats::DayText(to),
                                 stats::DayText(as_of), request->min_position()};
      return source->second(*context, ask);
    };
    auto report = targets::BuildTargetReport(*state, *unit_id, request->year(),
                                             request->period(), as_of, fetch);
    if (!report.ok()) return report.status();
    *response = std::move(*report);
    return absl::OkStatus();
  }();
  return FinishQueryRpc(*context, "targets", "GetTargetReport", status);
}

}  // namespace haven::services
