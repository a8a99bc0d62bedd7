// The project read models (PROJECTIONS.md): projections of the "project."
// events, run by the server's ProjectionRunner, and the queries over their
// rows.
//
//   project_list   a project's list entry under "r/" project id and, for
//                  listing by unit, under "u/" unit 0x00 order project id
//   project_stats  its record (ProjectRecord) under "r/" project id and
//                  "p/" unit 0x00 project id, and counter rows
//                  (services/common/stats/counter_rows.h) under "s/" by its
//                  unit and the CST day each fact was recorded
//
// No row holds personal data: ids, titles, enums, money, counts and days.
//
// Thread safety: projections as storage::Projection; the queries are pure
// functions of the store.
#ifndef HAVEN_SERVICES_PROJECTS_PROJECTIONS_PROJECT_PROJECTIONS_H_
#define HAVEN_SERVICES_PROJECTS_PROJECTIONS_PROJECT_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/projects/v1/project_read_models.pb.h"
#include "haven/projects/v1/project_service.pb.h"
#include "services/common/stats/calendar.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::projects {

inline constexpr char kProjectListNamespace[] = "project_list";
inline constexpr char kProjectStatsNamespace[] = "project_stats";

// Folds one project event into its list entry, or into its record (both
// empty before the registration).  False if the event cannot apply.
bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::ProjectEvent& event,
                   v1::ProjectListEntry* entry);
bool FoldRecord(const storage::RecordedEvent& recorded, const v1::ProjectEvent& event,
                v1::ProjectRecord* record);

// Both project projections.
std::vector<std::unique_ptr<storage::Projection>> MakeProjectProjections();

// The projects whose unit is one of `unit_ids`, newest registration first,
// filtered and paged as `request` says.  INVALID_ARGUMENT page_size,
// page_token.
absl::StatusOr<v1::ListProjectsResponse> ListProjects(const storage::ReadModelStore& store,
                                                      const std::vector<std::string>& unit_ids,
                                                      const v1::ListProjectsRequest& request);

// The evaluation schedule of one project: each stage it wants and the CST
// day it is due (see ProjectStatistics in project_service.proto).
struct DueEvaluation {
  v1::EvaluationStage stage;
  stats::DayNumber due_day;
};
std::vector<DueEvaluation> EvaluationSchedule(const v1::ProjectRecord& record);

// Adds the evaluation counts of `record` over the period to `out`
// (evaluations_due, _on_time, _late, _missing and the late list, unsorted).
void AddEvaluationsDue(const v1::ProjectRecord& record, const stats::StatsPeriod& period,
                       v1::ProjectStatistics* out);

// The statistics of the projects whose unit is one of `unit_ids`.
absl::StatusOr<v1::ProjectStatistics> ProjectStatistics(const storage::ReadModelStore& store,
                                                        const std::vector<std::string>& unit_ids,
                                                        const stats::StatsPeriod& period);

}  // namespace haven::projects

#endif  // HAVEN_SERVICES_PROJECTS_PROJECTIONS_PROJECT_PROJECTIONS_H_
