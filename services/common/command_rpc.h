// The gRPC side of a command, the same in every context's service: the
// acting user from the request metadata, one key=value log line per
// command (service, rpc, aggregate id, version, position, status code and
// the field or rule refused; never personal data), and the status as it
// leaves the server.
#ifndef HAVEN_SERVICES_COMMON_COMMAND_RPC_H_
#define HAVEN_SERVICES_COMMON_COMMAND_RPC_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "services/common/command_executor.h"

namespace haven::services {

// INTERNAL, DATA_LOSS and UNKNOWN: the server's fault, logged as errors.
bool IsServerFault(const absl::Status& status);

// What a refusal names: the field path or rule before the first ':'.
absl::string_view RefusedName(const absl::Status& status);

// Where a command rpc's log line comes from and what it addressed.
struct CommandRpcLabel {
  const char* service;  // "loans"
  const char* rpc;      // "ApplyForLoan"
  const char* id_key;   // "loan_id"
  // The aggregate's id if well-formed, else "-" (never arbitrary input).
  std::string loggable_id;
};

// Logs the command's outcome and converts a failure for the client
// (ToGrpcStatus, with the current version of a conflict).  OK when
// `outcome` is.
grpc::Status FinishCommandRpc(grpc::ServerContext& context, const CommandRpcLabel& label,
                              const absl::StatusOr<CommandOutcome>& outcome);

// Logs a failed query (server faults only) and converts the status.
grpc::Status FinishQueryRpc(grpc::ServerContext& context, const char* service, const char* rpc,
                            const absl::Status& status);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_COMMAND_RPC_H_
