// The access log: a record of every read of a case's personal data, kept in
// the event log (proto/haven/audit/v1/audit.proto).  Serving such a read
// means: check the caller may read it, read it, RecordAccess, and only if
// that succeeded return the data.
#ifndef HAVEN_SERVICES_AUDIT_ACCESS_LOG_H_
#define HAVEN_SERVICES_AUDIT_ACCESS_LOG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "haven/audit/v1/audit.pb.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::audit {

inline constexpr char kAccessStreamPrefix[] = "access-";
inline constexpr char kAccessRecordedType[] = "AccessRecorded";

// Request metadata declaring why the caller reads: printable ASCII, or any
// UTF-8 in the binary form.
inline constexpr char kPurposeMetadataKey[] = "haven-purpose";
inline constexpr char kPurposeBinaryMetadataKey[] = "haven-purpose-bin";
inline constexpr int kMaxPurposeChars = 200;

// The stream of `case_id`'s access records.
std::string AccessStream(const std::string& case_id);

// The purpose the call declares.  Empty when it declares none and
// `required` is false; INVALID_ARGUMENT "metadata haven-purpose: ..." when
// it declares none and `required`, or one that is not 1..200 characters of
// UTF-8 without control characters.
absl::StatusOr<std::string> DeclaredPurpose(const grpc::ServerContextBase& context,
                                            bool required);

// Appends `record`, stamped with `clock`'s time, to its case's access
// stream and returns once it is durable, with its log position.  Errors are
// the log's (UNAVAILABLE, ...) or INVALID_ARGUMENT for a record without a
// case or user: the caller must then fail the read.
absl::StatusOr<uint64_t> RecordAccess(storage::EventLog& log, const storage::Clock& clock,
                                      v1::AccessRecorded record);

}  // namespace haven::audit

#endif  // HAVEN_SERVICES_AUDIT_ACCESS_LOG_H_
