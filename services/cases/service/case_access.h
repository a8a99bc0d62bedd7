// What authorisation needs to know of a case before a query reads it: the
// org unit it belongs to.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_ACCESS_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_ACCESS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::services {

// The org unit of case `case_id` (a well-formed id), as recorded when it was
// opened: a case keeps its unit for life.  nullopt if there is no such case.
// DATA_LOSS if its first event is no case.opened; the log's errors.
absl::StatusOr<std::optional<std::string>> CaseUnitOf(const storage::EventLog& log,
                                                      const std::string& case_id);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_ACCESS_H_
