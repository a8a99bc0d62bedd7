// Loan ids: "loan-" followed by 1..64 characters of a-z, 0-9 and '-'; the
// loan's event stream is named by its id.  An id the server makes is
// derived from the request id, so a retried ApplyForLoan names the same
// loan.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_LOANS_SERVICE_LOAN_IDS_H_
#define HAVEN_SERVICES_LOANS_SERVICE_LOAN_IDS_H_

#include <string>

#include "absl/status/status.h"

namespace haven::services {

inline constexpr char kLoanIdPrefix[] = "loan-";

// INVALID_ARGUMENT naming `field` unless `loan_id` has the form above.
absl::Status ValidateLoanId(const std::string& loan_id, const std::string& field = "loan_id");

// "loan-" + a UUID that depends only on `request_id`.
std::string LoanIdForRequest(const std::string& request_id);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_LOANS_SERVICE_LOAN_IDS_H_
