#include "services/targets/domain/target_event_types.h"

#include "absl/strings/str_cat.h"

namespace haven::targets {

const services::EventTypeTable<v1::TargetEvent>& TargetEventTypes() {
  using Case = v1::TargetEvent::EventCase;
  static const auto* const kTable = new services::EventTypeTable<v1::TargetEvent>(
      "haven.targets.v1.TargetEvent", {
                                          {Case::kTargetSet, "target.set"},
                                          {Case::kTargetWithdrawn, "target.withdrawn"},
                                      });
  return *kTable;
}

std::string TargetStreamOf(absl::string_view unit_id) {
  return absl::StrCat(kTargetStreamPrefix, unit_id);
}

}  // namespace haven::targets
