#include "services/common/request_metadata.h"

#include "absl/strings/str_cat.h"
#include "storage/validation.h"

namespace haven::services {

absl::StatusOr<std::string> ActorOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kActorBinaryMetadataKey);
  if (it == metadata.end()) it = metadata.find(kActorMetadataKey);
  if (it == metadata.end()) return std::string("anonymous");
  std::string actor(it->second.data(), it->second.size());
  if (actor.size() > storage::kMaxShortFieldBytes || !storage::IsValidUtf8(actor)) {
    return absl::InvalidArgumentError(absl::StrCat("metadata ", kActorMetadataKey,
                                                   ": must be UTF-8 of at most ",
                                                   storage::kMaxShortFieldBytes, " bytes"));
  }
  return actor;
}

}  // namespace haven::services
