#include "services/audit/access_by_user.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "services/audit/access_log.h"
#include "storage/key_format.h"

namespace haven::audit {
namespace {

using storage::keys::DecodeFixed64BigEndian;
using storage::keys::PutFixed64BigEndian;

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
constexpr size_t kSuffixBytes = 16;  // accessed_at_us, position

std::string UserPrefix(const std::string& user_id) {
  std::string prefix = user_id;
  prefix.push_back('\0');
  return prefix;
}

// Times before 1970 cannot be recorded; clamp so the key order is the
// numeric order.
uint64_t TimeKey(int64_t us) { return static_cast<uint64_t>(std::max<int64_t>(us, 0)); }

}  // namespace

bool AccessByUserProjection::Wants(const storage::RecordedEvent& event) const {
  return event.type == kAccessRecordedType;
}

absl::Status AccessByUserProjection::Apply(const storage::RecordedEvent& event,
                                           storage::NamespaceBatch& rows) const {
  v1::AccessRecorded record;
  if (!record.ParseFromString(event.payload)) {
    return absl::DataLossError("audit_access_by_user: an AccessRecorded payload does not parse");
  }
  std::string key = UserPrefix(record.user_id());
  PutFixed64BigEndian(&key, TimeKey(record.accessed_at_us()));
  PutFixed64BigEndian(&key, event.position);
  rows.Put(key, event.payload);
  return absl::OkStatus();
}

absl::StatusOr<UserAccessPage> ReadUserAccess(const storage::ReadModelStore& store,
                                              const std::string& user_id, int64_t from_us,
                                              int64_t to_us, uint32_t page_size,
                                              const std::string& page_token) {
  if (page_size > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: at most 1000");
  }
  const uint32_t limit = page_size == 0 ? kDefaultPageSize : page_size;
  const std::string prefix = UserPrefix(user_id);
  storage::ScanOptions scan;
  scan.prefix = prefix;
  scan.start = prefix;
  PutFixed64BigEndian(&scan.start, TimeKey(from_us));
  if (!page_token.empty()) {
    std::string suffix;
    if (!absl::WebSafeBase64Unescape(page_token, &suffix) || suffix.size() != kSuffixBytes) {
      return absl::InvalidArgumentError("page_token: not a token from a previous page");
    }
    // Just after the last key returned.
    scan.start = prefix + suffix;
    scan.start.push_back('\0');
  }
  if (to_us > 0) {
    scan.end = prefix;
    PutFixed64BigEndian(&scan.end, TimeKey(to_us));
  }
  scan.limit = limit + 1;  // one more tells whether there is a next page
  auto rows = store.Scan(kAccessByUserNamespace, scan);
  if (!rows.ok()) return rows.status();

  UserAccessPage page;
  for (size_t i = 0; i < rows->size() && i < limit; ++i) {
    const storage::KeyValue& row = (*rows)[i];
    v1::AccessEntry& entry = page.entries.emplace_back();
    entry.set_position(DecodeFixed64BigEndian(
        std::string_view(row.key).substr(prefix.size() + sizeof(uint64_t))));
    if (!entry.mutable_record()->ParseFromString(row.value)) {
      return absl::DataLossError("audit_access_by_user: a row does not parse");
    }
  }
  if (rows->size() > limit) {
    const std::string& last = (*rows)[limit - 1].key;
    absl::WebSafeBase64Escape(last.substr(prefix.size()), &page.next_page_token);
  }
  return page;
}

}  // namespace haven::audit
