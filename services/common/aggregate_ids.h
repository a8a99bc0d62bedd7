// Ids of aggregates that name their event streams: a prefix ("loan-",
// "child-") followed by 1..64 characters of a-z, 0-9 and '-'.  An id the
// server makes is derived from the request id, so a retried creation names
// the same aggregate.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_COMMON_AGGREGATE_IDS_H_
#define HAVEN_SERVICES_COMMON_AGGREGATE_IDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace haven::services {

// INVALID_ARGUMENT "<field>: ..." unless `id` is `prefix` followed by 1..64
// characters of a-z, 0-9 and '-'.
absl::Status ValidatePrefixedId(const std::string& id, absl::string_view prefix,
                                const std::string& field);

// `prefix` + a UUID that depends only on `request_id` and `tag` (a
// context's constant, e.g. "haven.loans/loan-id").
std::string PrefixedIdForRequest(absl::string_view prefix, const std::string& request_id,
                                 const std::string& tag);

// The id itself if ValidatePrefixedId accepts it, else "-": what a log line
// may show of a client's input.
std::string LoggablePrefixedId(const std::string& id, absl::string_view prefix);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_AGGREGATE_IDS_H_
