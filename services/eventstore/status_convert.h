// absl::Status -> grpc::Status, converted once where a call leaves the server.
#ifndef HAVEN_SERVICES_EVENTSTORE_STATUS_CONVERT_H_
#define HAVEN_SERVICES_EVENTSTORE_STATUS_CONVERT_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace haven::services {

// Same code (the numbering is shared), same message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_EVENTSTORE_STATUS_CONVERT_H_
