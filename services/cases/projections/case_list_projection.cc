#include "services/cases/projections/case_list_projection.h"

#include <algorithm>
#include <vector>

#include "services/cases/projections/case_list_keys.h"
#include "services/cases/projections/row_codec.h"

namespace haven::cases {

absl::Status CaseListProjection::OnEvent(const storage::RecordedEvent& /*recorded*/,
                                         const v1::CaseEvent& /*event*/,
                                         const rowpb::CaseRecord& before,
                                         const rowpb::CaseRecord& after,
                                         storage::NamespaceBatch& rows) const {
  std::vector<std::string> old_keys;
  std::string old_value;
  if (Exists(before)) {
    old_keys = list_keys::IndexKeys(before);
    old_value = SerializeDeterministic(list_keys::EntryOf(before));
  }
  const std::vector<std::string> new_keys = list_keys::IndexKeys(after);
  const std::string new_value = SerializeDeterministic(list_keys::EntryOf(after));
  const bool same_value = Exists(before) && old_value == new_value;
  // Both key lists are sorted: one merge pass finds what to delete and write.
  auto o = old_keys.begin();
  auto n = new_keys.begin();
  while (o != old_keys.end() || n != new_keys.end()) {
    if (n == new_keys.end() || (o != old_keys.end() && *o < *n)) {
      rows.Delete(*o++);
    } else if (o == old_keys.end() || *n < *o) {
      rows.Put(*n++, new_value);
    } else {
      if (!same_value) rows.Put(*n, new_value);
      ++o;
      ++n;
    }
  }
  return absl::OkStatus();
}

}  // namespace haven::cases
