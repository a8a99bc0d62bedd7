// What every Haven RPC reads from its request metadata.
#ifndef HAVEN_SERVICES_COMMON_REQUEST_METADATA_H_
#define HAVEN_SERVICES_COMMON_REQUEST_METADATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"

namespace haven::services {

// Request metadata key naming the acting user, recorded on every event:
// printable ASCII, or any UTF-8 in the binary form kActorBinaryMetadataKey.
inline constexpr char kActorMetadataKey[] = "haven-actor";
inline constexpr char kActorBinaryMetadataKey[] = "haven-actor-bin";

// The acting user, "anonymous" when the client names none.
// INVALID_ARGUMENT if the value is not UTF-8 or is over 256 bytes.
absl::StatusOr<std::string> ActorOf(const grpc::ServerContextBase& context);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_REQUEST_METADATA_H_
