// Where a target report gets its statistics: each context's own statistics
// rpc, called in-process with the caller's ServerContext, so that a report
// shows exactly what the caller would be shown by that context (its
// authorisation, its subtree expansion, its small cells withheld) and no
// second implementation of any statistic exists.
//
// Thread safety: Ask may be called concurrently if the services may.
#ifndef HAVEN_SERVICES_TARGETS_SERVICE_STATISTICS_SOURCES_H_
#define HAVEN_SERVICES_TARGETS_SERVICE_STATISTICS_SOURCES_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"

namespace haven::targets {

// A statistics question, as every context's statistics request asks it.
struct StatisticsAsk {
  std::string unit_subtree;
  std::string from_day;
  std::string to_day;
  std::optional<std::string> as_of_day;
  uint64_t min_position = 0;
};

struct StatisticsAnswer {
  std::unique_ptr<google::protobuf::Message> statistics;
  // Field paths withheld as small cells ("closure_rate", "disbursed").
  std::vector<std::string> suppressed_cells;
};

using StatisticsSource = std::function<absl::StatusOr<StatisticsAnswer>(
    grpc::ServerContext& context, const StatisticsAsk& ask)>;

// The source of each context, by name ("cases", "loans", ...).
using StatisticsSources = std::map<std::string, StatisticsSource>;

// The repeated string field "suppressed_cells" of `response` or of its
// statistics message.
std::vector<std::string> SuppressedCellsOf(const google::protobuf::Message& response);

// The source that calls `rpc` of `service`: any statistics rpc whose
// request has unit_subtree, from_day, to_day, as_of_day and min_position,
// and whose response holds `statistics` and, there or inside it,
// `suppressed_cells`.
template <typename Service, typename Request, typename Response>
StatisticsSource SourceOf(Service* service,
                          grpc::Status (Service::*rpc)(grpc::ServerContext*, const Request*,
                                                       Response*)) {
  return [service, rpc](grpc::ServerContext& context,
                        const StatisticsAsk& ask) -> absl::StatusOr<StatisticsAnswer> {
    Request request;
    request.set_unit_subtree(ask.unit_subtree);
    request.set_from_day(ask.from_day);
    request.set_to_day(ask.to_day);
    if (ask.as_of_day) request.set_as_of_day(*ask.as_of_day);
    request.set_min_position(ask.min_position);
    Response response;
    grpc::Status status = (service->*rpc)(&context, &request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
    }
    StatisticsAnswer answer;
    answer.suppressed_cells = SuppressedCellsOf(response);
    answer.statistics.reset(response.statistics().New());
    answer.statistics->CopyFrom(response.statistics());
    return answer;
  };
}

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_SERVICE_STATISTICS_SOURCES_H_
