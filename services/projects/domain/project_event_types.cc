#include "services/projects/domain/project_event_types.h"

namespace haven::projects {

const services::EventTypeTable<v1::ProjectEvent>& ProjectEventTypes() {
  using Case = v1::ProjectEvent::EventCase;
  static const auto* const kTable = new services::EventTypeTable<v1::ProjectEvent>(
      "haven.projects.v1.ProjectEvent",
      {
          {Case::kRegistered, "project.registered"},
          {Case::kStarted, "project.started"},
          {Case::kSpendingRecorded, "project.spending_recorded"},
          {Case::kBeneficiariesReported, "project.beneficiaries_reported"},
          {Case::kEvaluationRecorded, "project.evaluation_recorded"},
          {Case::kAccepted, "project.accepted"},
      });
  return *kTable;
}

}  // namespace haven::projects
