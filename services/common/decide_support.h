// The few helpers every context's decide function writes first: a refusal
// naming its rule, a field's path in the command, and a step's time
// (0 meaning now) checked against the clock and what it follows.  Loans
// and children keep their own copies in loan_decide.cc and
// child_decide.cc; micro-homes and projects use these.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_COMMON_DECIDE_SUPPORT_H_
#define HAVEN_SERVICES_COMMON_DECIDE_SUPPORT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/field_rules.h"

namespace haven::fields {

// FAILED_PRECONDITION "<rule>: <detail>".
inline absl::Status Refuse(absl::string_view rule, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(rule, ": ", detail));
}

// "record_activity.held_at_us".
inline std::string FieldPath(absl::string_view command, absl::string_view field) {
  return absl::StrCat(command, ".", field);
}

// Resolves a step's time where 0 means now into *resolved, then
// CheckPastTime: not after now (plus skew), not before `earliest_us`.
inline absl::Status ResolveStepTime(absl::string_view path, int64_t given_us, int64_t now_us,
                                    int64_t earliest_us, absl::string_view earliest_what,
                                    int64_t* resolved) {
  *resolved = TimeOrNow(given_us, now_us);
  return CheckPastTime(path, *resolved, now_us, earliest_us, earliest_what);
}

}  // namespace haven::fields

#endif  // HAVEN_SERVICES_COMMON_DECIDE_SUPPORT_H_
