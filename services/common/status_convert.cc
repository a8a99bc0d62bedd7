#include "services/common/status_convert.h"

#include "absl/strings/str_cat.h"
#include "storage/event_log.h"

#include <string>

namespace haven::services {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

grpc::Status ToGrpcStatus(const absl::Status& status, grpc::ServerContextBase& context) {
  if (status.code() == absl::StatusCode::kAborted) {
    const int64_t current = storage::CurrentVersionOf(status);
    if (current >= -1) {
      context.AddTrailingMetadata(kCurrentVersionMetadataKey,
                                  current < 0 ? "none" : absl::StrCat(current));
    }
  }
  return ToGrpcStatus(status);
}

}  // namespace haven::services
