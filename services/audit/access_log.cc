#include "services/audit/access_log.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/uuid.h"
#include "storage/validation.h"

namespace haven::audit {
namespace {

absl::Status BadPurpose(absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat("metadata ", kPurposeMetadataKey, ": ", rule));
}

// Code points of well-formed UTF-8 (count the bytes that do not continue one).
int CodePoints(const std::string& text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasControlCharacter(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

std::string AccessStream(const std::string& case_id) {
  return absl::StrCat(kAccessStreamPrefix, case_id);
}

absl::StatusOr<std::string> DeclaredPurpose(const grpc::ServerContextBase& context,
                                            bool required) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kPurposeBinaryMetadataKey);
  if (it == metadata.end()) it = metadata.find(kPurposeMetadataKey);
  if (it == metadata.end() || it->second.empty()) {
    if (!required) return std::string();
    return BadPurpose("a read of personal data must declare its purpose");
  }
  std::string purpose(it->second.data(), it->second.size());
  if (!storage::IsValidUtf8(purpose)) return BadPurpose("must be UTF-8");
  if (HasControlCharacter(purpose)) return BadPurpose("must not contain control characters");
  if (CodePoints(purpose) > kMaxPurposeChars) {
    return BadPurpose(absl::StrCat("at most ", kMaxPurposeChars, " characters"));
  }
  return purpose;
}

absl::StatusOr<uint64_t> RecordAccess(storage::EventLog& log, const storage::Clock& clock,
                                      v1::AccessRecorded record) {
  if (record.case_id().empty()) return absl::InvalidArgumentError("access record: no case_id");
  if (record.user_id().empty()) return absl::InvalidArgumentError("access record: no user_id");
  record.set_accessed_at_us(clock.NowMicros());
  storage::NewEvent event;
  event.event_id = storage::NewRandomUuid();
  event.type = kAccessRecordedType;
  event.content_type = "application/x-protobuf; type=haven.audit.v1.AccessRecorded";
  event.actor = record.user_id();
  event.payload = record.SerializeAsString();
  std::vector<storage::NewEvent> events;
  events.push_back(std::move(event));
  auto appended = log.Append(AccessStream(record.case_id()), storage::ExpectedVersion::Any(),
                             std::move(events));
  if (!appended.ok()) return appended.status();
  return appended->last_position;
}

}  // namespace haven::audit
