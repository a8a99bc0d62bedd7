#include "services/common/command_rpc.h"

#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {

bool IsServerFault(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInternal ||
         status.code() == absl::StatusCode::kDataLoss ||
         status.code() == absl::StatusCode::kUnknown;
}

absl::string_view RefusedName(const absl::Status& status) {
  absl::string_view message = status.message();
  return message.substr(0, message.find(':'));
}

grpc::Status FinishCommandRpc(grpc::ServerContext& context, const CommandRpcLabel& label,
                              const absl::StatusOr<CommandOutcome>& outcome) {
  if (outcome.ok()) {
    spdlog::info("{} {} {}={} version={} position={} replayed={} code=OK", label.service,
                 label.rpc, label.id_key, label.loggable_id, outcome->version, outcome->position,
                 outcome->replayed);
    return grpc::Status::OK;
  }
  const absl::Status& status = outcome.status();
  if (IsServerFault(status)) {
    spdlog::error("{} {} {}={} code={} status=\"{}\"", label.service, label.rpc, label.id_key,
                  label.loggable_id, absl::StatusCodeToString(status.code()), status.ToString());
  } else {
    spdlog::info("{} {} {}={} code={} refused={}", label.service, label.rpc, label.id_key,
                 label.loggable_id, absl::StatusCodeToString(status.code()),
                 std::string(RefusedName(status)));
  }
  return ToGrpcStatus(status, context);
}

grpc::Status FinishQueryRpc(grpc::ServerContext& context, const char* service, const char* rpc,
                            const absl::Status& status) {
  if (IsServerFault(status)) {
    spdlog::error("{} {} failed status=\"{}\"", service, rpc, status.ToString());
  }
  return ToGrpcStatus(status, context);
}

}  // namespace haven::services
