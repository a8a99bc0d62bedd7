// The access_by_user read model: every access record under the user who
// read, in time order, so auditors can ask what a user read.  (What was read
// of a case needs no read model: it is the case's access stream.)
//
// Key: user id, 0x00, accessed_at_us and log position as big-endian 64-bit
// numbers.  Value: the AccessRecorded payload as recorded.
#ifndef HAVEN_SERVICES_AUDIT_ACCESS_BY_USER_H_
#define HAVEN_SERVICES_AUDIT_ACCESS_BY_USER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/audit/v1/audit.pb.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::audit {

inline constexpr char kAccessByUserNamespace[] = "audit_access_by_user";

class AccessByUserProjection final : public storage::Projection {
 public:
  std::string name() const override { return kAccessByUserNamespace; }
  bool Wants(const storage::RecordedEvent& event) const override;
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const override;
};

struct UserAccessPage {
  std::vector<v1::AccessEntry> entries;
  std::string next_page_token;  // empty on the last page
};

// The records of `user_id` accessed in [from_us, to_us) (to_us 0: no end),
// oldest first, at most `page_size`, from `page_token` (a previous page's
// next_page_token; INVALID_ARGUMENT "page_token: ..." if it is not one).
absl::StatusOr<UserAccessPage> ReadUserAccess(const storage::ReadModelStore& store,
                                              const std::string& user_id, int64_t from_us,
                                              int64_t to_us, uint32_t page_size,
                                              const std::string& page_token);

}  // namespace haven::audit

#endif  // HAVEN_SERVICES_AUDIT_ACCESS_BY_USER_H_
