#include "services/common/aggregate_ids.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

constexpr size_t kMaxSuffixChars = 64;

bool IsIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

absl::Status ValidatePrefixedId(const std::string& id, absl::string_view prefix,
                                const std::string& field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  bool ok = absl::StartsWith(id, prefix) && id.size() > prefix.size() &&
            id.size() <= prefix.size() + kMaxSuffixChars;
  for (size_t i = prefix.size(); ok && i < id.size(); ++i) ok = IsIdChar(id[i]);
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be \"", prefix, "\" followed by 1..64 characters of a-z, 0-9 and '-'"));
  }
  return absl::OkStatus();
}

std::string PrefixedIdForRequest(absl::string_view prefix, const std::string& request_id,
                                 const std::string& tag) {
  return absl::StrCat(prefix, EventIdFor(request_id, tag, 0));
}

std::string LoggablePrefixedId(const std::string& id, absl::string_view prefix) {
  return ValidatePrefixedId(id, prefix, "id").ok() ? id : "-";
}

}  // namespace haven::services
