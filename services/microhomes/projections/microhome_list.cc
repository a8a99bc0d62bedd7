// microhome_list: "u/" unit 0x00 order unit -> MicroHomeListEntry, where
// order is NewestFirst(registered_at_us).  A micro-home is a unit of its
// own, so each unit holds at most one row; the subtree query scans them
// all (services/common/stats/unit_list.h).
#include <memory>

#include "services/common/stats/entry_projection.h"
#include "services/common/stats/unit_list.h"
#include "services/microhomes/domain/microhome_event_types.h"
#include "services/microhomes/projections/microhome_projections.h"

namespace haven::microhomes {
namespace {

constexpr char kUnitRows[] = "u/";

std::string ListKey(const v1::MicroHomeListEntry& entry) {
  return stats::ListUnitPrefix(kUnitRows, entry.unit_id()) +
         stats::NewestFirst(entry.registered_at_us()) + entry.unit_id();
}

class MicroHomeListProjection final
    : public stats::EntryProjection<v1::MicroHomeEvent, v1::MicroHomeListEntry> {
 public:
  MicroHomeListProjection()
      : EntryProjection(MicroHomeEventTypes(), std::string(kMicroHomeEventTypePrefix),
                        &FoldListEntry, "micro-home entry") {}
  std::string name() const override { return kMicroHomeListNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent&, const v1::MicroHomeEvent&,
                       const v1::MicroHomeListEntry&, const v1::MicroHomeListEntry& after,
                       storage::NamespaceBatch& rows) const override {
    rows.Put(ListKey(after), after.SerializeAsString());
    return absl::OkStatus();
  }
};

bool Matches(const v1::MicroHomeListEntry& entry, const v1::ListMicroHomesRequest& request) {
  if (entry.closed() && !request.include_closed()) return false;
  if (request.demonstration_only() && !entry.demonstration()) return false;
  return request.kind() == v1::MICRO_HOME_KIND_UNSPECIFIED || entry.kind() == request.kind();
}

}  // namespace

std::unique_ptr<storage::Projection> MakeMicroHomeListProjection() {
  return std::make_unique<MicroHomeListProjection>();
}

absl::StatusOr<v1::ListMicroHomesResponse> ListMicroHomes(
    const storage::ReadModelStore& store, const std::vector<std::string>& unit_ids,
    const v1::ListMicroHomesRequest& request) {
  stats::ListPage page;
  page.page_size = request.page_size();
  page.page_token = request.page_token();
  auto listed = stats::ListByUnit(store, kMicroHomeListNamespace, kUnitRows, unit_ids, page,
                                  [&](const std::string& value, bool* corrupt) {
                                    v1::MicroHomeListEntry entry;
                                    if (!entry.ParseFromString(value)) {
                                      *corrupt = true;
                                      return false;
                                    }
                                    return Matches(entry, request);
                                  });
  if (!listed.ok()) return listed.status();
  v1::ListMicroHomesResponse response;
  for (const std::string& value : listed->values) {
    response.add_micro_homes()->ParseFromString(value);
  }
  response.set_next_page_token(listed->next_page_token);
  return response;
}

}  // namespace haven::microhomes
