// The case service's queries, answered from the case's own event stream:
// the case as it is or was (GetCase) and its timeline (GetCaseHistory).
//
// Thread safety: pure functions of the log, which may be written meanwhile;
// each answer reflects at least every event committed before the call.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_QUERIES_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_QUERIES_H_

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "haven/cases/v1/case_service.pb.h"
#include "storage/event_log.h"

namespace haven::services {

// The longest a query waits for min_position when its call has no deadline.
inline constexpr std::chrono::seconds kMaxMinPositionWait{30};

// Returns once the log's head has reached `min_position` (at once for 0).
// DEADLINE_EXCEEDED "min_position: ..." if it has not by `deadline` (or
// kMaxMinPositionWait from now, whichever is sooner).
absl::Status WaitForPosition(const storage::EventLog& log, uint64_t min_position,
                             std::chrono::system_clock::time_point deadline);

// The case as it is, or as it was at request.as_of_position or
// request.as_of_time_us.  Does not wait for min_position.  Errors:
// INVALID_ARGUMENT (case_id, as_of_time_us with as_of_position); NOT_FOUND
// case_not_found; DATA_LOSS; the log's.
absl::StatusOr<cases::v1::GetCaseResponse> GetCase(const storage::EventLog& log,
                                                   const cases::v1::GetCaseRequest& request);

// One page of the case's timeline.  Does not wait for min_position.
// Errors: INVALID_ARGUMENT (case_id, page_size, page_token); NOT_FOUND
// case_not_found; DATA_LOSS; the log's.
absl::StatusOr<cases::v1::GetCaseHistoryResponse> GetCaseHistory(
    const storage::EventLog& log, const cases::v1::GetCaseHistoryRequest& request);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_QUERIES_H_
