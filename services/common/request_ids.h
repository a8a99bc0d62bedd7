// Event ids derived from a command's request id, so that a retried request
// produces the same ids and the log's idempotency answers it.
#ifndef HAVEN_SERVICES_COMMON_REQUEST_IDS_H_
#define HAVEN_SERVICES_COMMON_REQUEST_IDS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"

namespace haven::services {

// A UUID (version 8, RFC 9562's custom form) that depends only on its
// inputs: a stable 128-bit FNV-1a hash of request id, stream and index.
// Not a security measure: request ids come from authenticated clients.
std::string EventIdFor(const std::string& request_id, const std::string& stream, size_t index);

// A request id is 1..128 bytes of printable ASCII (a UUID is typical).
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateRequestId(const std::string& request_id,
                               const std::string& field = "request_id");

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_REQUEST_IDS_H_
