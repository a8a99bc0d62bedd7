#include "services/loans/service/loan_ids.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

constexpr size_t kMaxSuffixChars = 64;

bool IsIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

absl::Status ValidateLoanId(const std::string& loan_id, const std::string& field) {
  if (loan_id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  const size_t prefix = sizeof(kLoanIdPrefix) - 1;
  bool ok = absl::StartsWith(loan_id, kLoanIdPrefix) && loan_id.size() > prefix &&
            loan_id.size() <= prefix + kMaxSuffixChars;
  for (size_t i = prefix; ok && i < loan_id.size(); ++i) ok = IsIdChar(loan_id[i]);
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be \"loan-\" followed by 1..64 characters of a-z, 0-9 and '-'"));
  }
  return absl::OkStatus();
}

std::string LoanIdForRequest(const std::string& request_id) {
  return absl::StrCat(kLoanIdPrefix, EventIdFor(request_id, "haven.loans/loan-id", 0));
}

}  // namespace haven::services
