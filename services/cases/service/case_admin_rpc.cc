// CaseService::GetProjectionStatus and RebuildProjections: the case
// projections' runner, seen and driven over gRPC.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cases/service/case_service.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {

namespace v1 = cases::v1;

grpc::Status CaseService::GetProjectionStatus(grpc::ServerContext* context,
                                              const v1::GetProjectionStatusRequest* /*request*/,
                                              v1::GetProjectionStatusResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kViewProjections);
  if (!caller.ok()) return ToGrpcStatus(caller.status(), *context);
  if (projections_ == nullptr) {
    return ToGrpcStatus(absl::UnavailableError("read_models: this server runs no case projections"),
                        *context);
  }
  for (const storage::ProjectionStatus& status : projections_->Lag()) {
    v1::ProjectionState* out = response->add_projections();
    out->set_name(status.name);
    out->set_checkpoint(status.checkpoint);
    out->set_head(status.head);
    out->set_lag(status.lag);
    out->set_rebuilding(status.rebuilding);
    out->set_rebuild_target(status.rebuild_target);
    if (!status.error.ok()) out->set_error(status.error.ToString());
    out->set_failed_position(status.failed_position);
  }
  return grpc::Status::OK;
}

grpc::Status CaseService::RebuildProjections(grpc::ServerContext* context,
                                             const v1::RebuildProjectionsRequest* request,
                                             v1::RebuildProjectionsResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kRebuildProjections);
  if (!caller.ok()) return ToGrpcStatus(caller.status(), *context);
  if (projections_ == nullptr) {
    return ToGrpcStatus(absl::UnavailableError("read_models: this server runs no case projections"),
                        *context);
  }
  std::vector<std::string> known;
  for (const storage::ProjectionStatus& status : projections_->Lag()) known.push_back(status.name);
  if (!request->all() && request->names().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("names: name the projections, or set all"),
                        *context);
  }
  std::vector<std::string> names;
  if (request->all()) {
    names = known;
  } else {
    for (const std::string& name : request->names()) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return ToGrpcStatus(
            absl::InvalidArgumentError(absl::StrCat("names: no projection \"", name,
                                                    "\"; there are ", absl::StrJoin(known, ", "))),
            *context);
      }
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  spdlog::info("cases RebuildProjections started names={} actor={}", absl::StrJoin(names, ","),
               caller->user_id);

  const auto start = std::chrono::steady_clock::now();
  uint64_t events = 0;
  absl::Status status;
  if (request->all()) {
    events = log_.HeadPosition();
    status = projections_->RebuildAll();
  } else {
    for (const std::string& name : names) {
      events += log_.HeadPosition();
      status = projections_->Rebuild(name);
      if (!status.ok()) break;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    spdlog::error("cases RebuildProjections failed status=\"{}\"", status.ToString());
    if (status.code() == absl::StatusCode::kFailedPrecondition) {
      status = absl::UnavailableError(status.message());
    }
    return ToGrpcStatus(status, *context);
  }
  for (const std::string& name : names) response->add_rebuilt(name);
  response->set_events(events);
  response->set_seconds(seconds);
  response->set_events_per_second(seconds > 0 ? static_cast<double>(events) / seconds : 0);
  spdlog::info("cases RebuildProjections done names={} events={} seconds={:.3f} events_per_s={:.0f}",
               absl::StrJoin(names, ","), events, seconds, response->events_per_second());
  return grpc::Status::OK;
}

}  // namespace haven::services
