// The queries every context answers from one aggregate's own stream: the
// aggregate as it was at a log position or a time (its events up to then),
// and its history a page at a time; and the wait for min_position (read
// your writes) on the log itself.
//
// Thread safety: pure functions of the log, which may be written meanwhile.
#ifndef HAVEN_SERVICES_COMMON_STREAM_QUERIES_H_
#define HAVEN_SERVICES_COMMON_STREAM_QUERIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "storage/event_log.h"

namespace haven::services {

// OK once the log's head has reached `min_position` (at once for 0);
// DEADLINE_EXCEEDED "min_position: ..." when the call's deadline (or 30
// seconds) passes first.
absl::Status WaitForLogPosition(const storage::EventLog& log,
                                const grpc::ServerContextBase& context, uint64_t min_position);

// The events of `stream` at or before `as_of_position`, or recorded at or
// before `as_of_time_us` (at most one of the two; INVALID_ARGUMENT
// "as_of_time_us: ..." for both), or all of them.  Empty if there were none
// then.
absl::StatusOr<std::vector<storage::RecordedEvent>> ReadStreamAsOf(
    const storage::EventLog& log, const std::string& stream,
    std::optional<uint64_t> as_of_position, std::optional<int64_t> as_of_time_us);

// One page of a stream's events from the version a page token names ("" is
// the first page).  INVALID_ARGUMENT "page_size: ..." above 1,000 (0 means
// 100), "page_token: ..." for a token this function did not give; NOT_FOUND
// if the stream does not exist.
struct HistoryPage {
  std::vector<storage::RecordedEvent> events;
  std::string next_page_token;  // empty on the last page
  uint64_t stream_version = 0;  // the stream's last version
};
absl::StatusOr<HistoryPage> ReadHistoryPage(const storage::EventLog& log,
                                            const std::string& stream, uint32_t page_size,
                                            const std::string& page_token);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_STREAM_QUERIES_H_
