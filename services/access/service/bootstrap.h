// The first admin: a new data directory has no user, and in enforced mode
// nobody could register one.  havend names her (ServerSecurity::
// bootstrap_admin) and registers her on start while the access stream is
// empty; once anyone is registered, the setting does nothing.
#ifndef HAVEN_SERVICES_ACCESS_SERVICE_BOOTSTRAP_H_
#define HAVEN_SERVICES_ACCESS_SERVICE_BOOTSTRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::services {

// The actor recorded on the bootstrap registration.
inline constexpr char kBootstrapActor[] = "havend-bootstrap";

// Registers `user_id` as an admin without a unit if the "principals" stream is
// empty.  Returns true if it did, false if the stream already had events
// (then nothing is written).  Errors: INVALID_ARGUMENT "bootstrap_admin:
// ..." for a malformed id; the log's.
absl::StatusOr<bool> BootstrapAdmin(storage::EventLog& log, const std::string& user_id);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_ACCESS_SERVICE_BOOTSTRAP_H_
