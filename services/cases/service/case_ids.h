// How cases and what they create are named, and where a case is stored.
//
// A case id is "case-" followed by 1..64 characters of a-z, 0-9 and '-'.
// The case's event stream is named by the case id itself, so every case
// stream starts with kCaseStreamPrefix (a stream filter for projections)
// and no other stream does ("directory", "loan-...").
//
// Ids the server makes are derived from the request id, so a retried
// request names the same case, mediation, referral, order or follow-up.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_IDS_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_IDS_H_

#include <string>

#include "absl/status/status.h"
#include "haven/cases/v1/case_commands.pb.h"

namespace haven::services {

inline constexpr char kCaseIdPrefix[] = "case-";
inline constexpr char kCaseStreamPrefix[] = "case-";
inline constexpr size_t kMaxCaseIdSuffixChars = 64;

// INVALID_ARGUMENT naming `field` unless `case_id` has the form above
// ("is required" when empty).  The message never repeats the value.
absl::Status ValidateCaseId(const std::string& case_id, const std::string& field = "case_id");

// The event stream of a valid case id.
inline std::string CaseStream(const std::string& case_id) { return case_id; }

// "case-" + a UUID that depends only on `request_id`: the id OpenCase gives
// a case when the client names none.
std::string CaseIdForRequest(const std::string& request_id);

// The id the command creates ("mediation-<uuid>", "referral-<uuid>",
// "order-<uuid>", "follow-up-<uuid>"), derived from the request and case
// ids; empty for commands that create nothing of their own (open_case
// names the case, not a part of it).
std::string CreatedIdFor(const cases::v1::CaseCommand& command, const std::string& request_id,
                         const std::string& case_id);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_IDS_H_
