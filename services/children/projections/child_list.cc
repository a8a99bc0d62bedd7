// child_list: "u/" unit 0x00 order child-id -> ChildListEntry, where order
// is NewestFirst(registered_at_us).  The entry is rewritten on every event
// of its child (the key never changes: a child keeps her unit and
// registration time).
#include <algorithm>

#include "services/children/projections/children_projection_base.h"
#include "services/children/projections/children_projections.h"
#include "services/common/stats/unit_list.h"

namespace haven::children {
namespace {

constexpr char kUnitRows[] = "u/";

std::string ListKey(const v1::ChildListEntry& entry) {
  return stats::ListUnitPrefix(kUnitRows, entry.unit_id()) +
         stats::NewestFirst(entry.registered_at_us()) + entry.child_id();
}

class ChildListProjection final : public ChildrenProjection {
 public:
  std::string name() const override { return kChildListNamespace; }

 protected:
  absl::Status OnChildEvent(const storage::RecordedEvent&, const v1::ChildEvent&,
                            const v1::ChildListEntry&, const v1::ChildListEntry& after,
                            storage::NamespaceBatch& rows) const override {
    rows.Put(ListKey(after), after.SerializeAsString());
    return absl::OkStatus();
  }
};

bool Matches(const v1::ChildListEntry& entry, const v1::ListChildrenRequest& request) {
  if (request.category() != v1::CHILD_CATEGORY_UNSPECIFIED &&
      entry.category() != request.category()) {
    return false;
  }
  if (request.statuses().empty()) return true;
  return std::find(request.statuses().begin(), request.statuses().end(), entry.status()) !=
         request.statuses().end();
}

}  // namespace

std::unique_ptr<storage::Projection> MakeChildListProjection() {
  return std::make_unique<ChildListProjection>();
}

absl::StatusOr<v1::ListChildrenResponse> ListChildren(const storage::ReadModelStore& store,
                                                      const std::vector<std::string>& unit_ids,
                                                      const v1::ListChildrenRequest& request) {
  stats::ListPage page;
  page.page_size = request.page_size();
  page.page_token = request.page_token();
  auto listed = stats::ListByUnit(store, kChildListNamespace, kUnitRows, unit_ids, page,
                                  [&](const std::string& value, bool* corrupt) {
                                    v1::ChildListEntry entry;
                                    if (!entry.ParseFromString(value)) {
                                      *corrupt = true;
                                      return false;
                                    }
                                    return Matches(entry, request);
                                  });
  if (!listed.ok()) return listed.status();
  v1::ListChildrenResponse response;
  for (const std::string& value : listed->values) {
    response.add_children()->ParseFromString(value);
  }
  response.set_next_page_token(listed->next_page_token);
  return response;
}

}  // namespace haven::children
