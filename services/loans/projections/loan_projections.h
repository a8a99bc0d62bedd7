// The loan read models (PROJECTIONS.md): projections of the "loan." events,
// run by the server's ProjectionRunner, and the queries over their rows.
//
//   loan_list   a loan's list entry under "r/" loan id and, for listing by
//               unit, under "u/" unit 0x00 order loan id (newest first)
//   loan_stats  the entry under "r/" loan id, and counter rows
//               (services/common/stats/counter_rows.h) under "s/" by the
//               loan's village and the CST day each fact was recorded
//
// No row holds personal data: ids, enums, amounts and times only.
//
// Thread safety: projections as storage::Projection; the queries are pure
// functions of the store.
#ifndef HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTIONS_H_
#define HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/loans/v1/loan_service.pb.h"
#include "services/common/stats/calendar.h"
#include "services/loans/domain/loan_state.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::loans {

inline constexpr char kLoanListNamespace[] = "loan_list";
inline constexpr char kLoanStatsNamespace[] = "loan_stats";

// The loan status of a step.
v1::LoanStatus LoanStatusOf(LoanStep step);

// Folds one loan event into a loan's list entry (empty before the
// application).  False if the event cannot apply (anything before the
// application, a second application): the projections skip it.
bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::LoanEvent& event,
                   v1::LoanListEntry* entry);

// Both loan projections.
std::vector<std::unique_ptr<storage::Projection>> MakeLoanProjections();

// The loans whose village is one of `unit_ids` (a subtree the caller
// expanded), newest application first, filtered and paged as `request`
// says (its unit_subtree and min_position are not read here).
// INVALID_ARGUMENT page_size, page_token.
absl::StatusOr<v1::ListLoansResponse> ListLoans(const storage::ReadModelStore& store,
                                                const std::vector<std::string>& unit_ids,
                                                const v1::ListLoansRequest& request);

// The statistics of loans whose village is one of `unit_ids`, over the
// days [from, to], as of the end of day `as_of`.
absl::StatusOr<v1::LoanStatistics> LoanStatistics(const storage::ReadModelStore& store,
                                                  const std::vector<std::string>& unit_ids,
                                                  stats::DayNumber from, stats::DayNumber to,
                                                  stats::DayNumber as_of);

}  // namespace haven::loans

#endif  // HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTIONS_H_
