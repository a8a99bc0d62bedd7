#include "services/microhomes/domain/microhome_event_types.h"

#include "absl/strings/str_cat.h"

namespace haven::microhomes {

const services::EventTypeTable<v1::MicroHomeEvent>& MicroHomeEventTypes() {
  using Case = v1::MicroHomeEvent::EventCase;
  static const auto* const kTable = new services::EventTypeTable<v1::MicroHomeEvent>(
      "haven.microhomes.v1.MicroHomeEvent",
      {
          {Case::kRegistered, "microhome.registered"},
          {Case::kHostChanged, "microhome.host_changed"},
          {Case::kExecutivePaired, "microhome.executive_paired"},
          {Case::kExecutiveUnpaired, "microhome.executive_unpaired"},
          {Case::kDemonstrationDesignated, "microhome.demonstration_designated"},
          {Case::kDemonstrationWithdrawn, "microhome.demonstration_withdrawn"},
          {Case::kActivityRecorded, "microhome.activity_recorded"},
          {Case::kTitleGranted, "microhome.title_granted"},
          {Case::kTitleRecertified, "microhome.title_recertified"},
          {Case::kTitleRevoked, "microhome.title_revoked"},
          {Case::kClosed, "microhome.closed"},
      });
  return *kTable;
}

std::string MicroHomeStream(const std::string& unit_id) {
  return absl::StrCat(kMicroHomeStreamPrefix, unit_id);
}

}  // namespace haven::microhomes
