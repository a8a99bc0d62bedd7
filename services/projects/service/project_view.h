// A project read back from its event stream: the events decoded and folded
// into the aggregate's state and into the ProjectView of GetProject.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_VIEW_H_
#define HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_VIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "haven/projects/v1/project_service.pb.h"
#include "services/projects/domain/project_state.h"
#include "storage/event.h"

namespace haven::services {

struct FoldedProject {
  projects::ProjectState state;
  projects::v1::ProjectView view;
};

// Folds a project stream's first events in order.  DATA_LOSS naming the
// stream and version if an event does not decode.
absl::StatusOr<FoldedProject> FoldProject(const std::vector<storage::RecordedEvent>& history);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_PROJECTS_SERVICE_PROJECT_VIEW_H_
