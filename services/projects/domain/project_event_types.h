// The one table of project event type strings ("project.registered", ...)
// and how a ProjectEvent travels in the event log
// (services/common/event_types.h).
#ifndef HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_EVENT_TYPES_H_
#define HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_EVENT_TYPES_H_

#include "absl/strings/string_view.h"
#include "haven/projects/v1/project_events.pb.h"
#include "services/common/event_types.h"

namespace haven::projects {

inline constexpr absl::string_view kProjectEventContentType =
    "application/x-protobuf; type=haven.projects.v1.ProjectEvent";
// Every project event type starts with this (a filter prefix for the log).
inline constexpr absl::string_view kProjectEventTypePrefix = "project.";
// Project ids (and their streams) start with this.
inline constexpr absl::string_view kProjectIdPrefix = "project-";

const services::EventTypeTable<v1::ProjectEvent>& ProjectEventTypes();

}  // namespace haven::projects

#endif  // HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_EVENT_TYPES_H_
