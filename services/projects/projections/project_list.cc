// project_list: "u/" unit 0x00 order project-id -> ProjectListEntry, where
// order is NewestFirst(registered_at_us) (services/common/stats/unit_list.h).
#include <algorithm>
#include <memory>

#include "services/common/stats/entry_projection.h"
#include "services/common/stats/unit_list.h"
#include "services/projects/domain/project_event_types.h"
#include "services/projects/projections/project_projections.h"

namespace haven::projects {
namespace {

constexpr char kUnitRows[] = "u/";

std::string ListKey(const v1::ProjectListEntry& entry) {
  return stats::ListUnitPrefix(kUnitRows, entry.unit_id()) +
         stats::NewestFirst(entry.registered_at_us()) + entry.project_id();
}

class ProjectListProjection final
    : public stats::EntryProjection<v1::ProjectEvent, v1::ProjectListEntry> {
 public:
  ProjectListProjection()
      : EntryProjection(ProjectEventTypes(), std::string(kProjectEventTypePrefix),
                        &FoldListEntry, "project entry") {}
  std::string name() const override { return kProjectListNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent&, const v1::ProjectEvent&,
                       const v1::ProjectListEntry&, const v1::ProjectListEntry& after,
                       storage::NamespaceBatch& rows) const override {
    rows.Put(ListKey(after), after.SerializeAsString());
    return absl::OkStatus();
  }
};

bool Matches(const v1::ProjectListEntry& entry, const v1::ListProjectsRequest& request) {
  if (request.funding_source() != v1::FUNDING_SOURCE_UNSPECIFIED &&
      entry.funding_source() != request.funding_source()) {
    return false;
  }
  if (request.statuses().empty()) return true;
  return std::find(request.statuses().begin(), request.statuses().end(), entry.status()) !=
         request.statuses().end();
}

}  // namespace

std::unique_ptr<storage::Projection> MakeProjectListProjection() {
  return std::make_unique<ProjectListProjection>();
}

absl::StatusOr<v1::ListProjectsResponse> ListProjects(const storage::ReadModelStore& store,
                                                      const std::vector<std::string>& unit_ids,
                                                      const v1::ListProjectsRequest& request) {
  stats::ListPage page;
  page.page_size = request.page_size();
  page.page_token = request.page_token();
  auto listed = stats::ListByUnit(store, kProjectListNamespace, kUnitRows, unit_ids, page,
                                  [&](const std::string& value, bool* corrupt) {
                                    v1::ProjectListEntry entry;
                                    if (!entry.ParseFromString(value)) {
                                      *corrupt = true;
                                      return false;
                                    }
                                    return Matches(entry, request);
                                  });
  if (!listed.ok()) return listed.status();
  v1::ListProjectsResponse response;
  for (const std::string& value : listed->values) response.add_projects()->ParseFromString(value);
  response.set_next_page_token(listed->next_page_token);
  return response;
}

}  // namespace haven::projects
