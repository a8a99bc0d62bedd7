// absl::Status -> grpc::Status, converted once where a call leaves the server.
#ifndef HAVEN_SERVICES_COMMON_STATUS_CONVERT_H_
#define HAVEN_SERVICES_COMMON_STATUS_CONVERT_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace haven::services {

// Same code (the numbering is shared), same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Trailing metadata key of an ABORTED command: the stream's current version,
// or "none" when the stream does not exist.
inline constexpr char kCurrentVersionMetadataKey[] = "haven-current-version";

// ToGrpcStatus, and for a version conflict (ABORTED carrying the current
// version) also the trailing metadata kCurrentVersionMetadataKey.
grpc::Status ToGrpcStatus(const absl::Status& status, grpc::ServerContextBase& context);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_STATUS_CONVERT_H_
