#include "services/cases/service/case_ids.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

using Cmd = cases::v1::CaseCommand;

bool IsCaseIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// The prefix of the id `command` creates; nullptr if it creates none.
const char* CreatedKind(const Cmd& command) {
  switch (command.command_case()) {
    case Cmd::kScheduleMediation:
      return "mediation";
    case Cmd::kMakeReferral:
      return "referral";
    case Cmd::kApplyProtectionOrder:
      return "order";
    case Cmd::kScheduleFollowUp:
      return "follow-up";
    default:
      return nullptr;
  }
}

}  // namespace

absl::Status ValidateCaseId(const std::string& case_id, const std::string& field) {
  if (case_id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  const size_t prefix = sizeof(kCaseIdPrefix) - 1;
  bool ok = absl::StartsWith(case_id, kCaseIdPrefix) && case_id.size() > prefix &&
            case_id.size() <= prefix + kMaxCaseIdSuffixChars;
  for (size_t i = prefix; ok && i < case_id.size(); ++i) ok = IsCaseIdChar(case_id[i]);
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be \"case-\" followed by 1..",
                                                   kMaxCaseIdSuffixChars,
                                                   " characters of a-z, 0-9 and '-'"));
  }
  return absl::OkStatus();
}

std::string CaseIdForRequest(const std::string& request_id) {
  // The "stream" argument only separates this use of the hash from others.
  return absl::StrCat(kCaseIdPrefix, EventIdFor(request_id, "haven.cases/case-id", 0));
}

std::string CreatedIdFor(const Cmd& command, const std::string& request_id,
                         const std::string& case_id) {
  const char* kind = CreatedKind(command);
  if (kind == nullptr) return "";
  return absl::StrCat(kind, "-",
                      EventIdFor(request_id, absl::StrCat("haven.cases/", kind, "/", case_id), 0));
}

}  // namespace haven::services
