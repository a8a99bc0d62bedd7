#include "services/projects/domain/project_state.h"

namespace haven::projects {

bool ProjectState::HasEvaluation(v1::EvaluationStage stage) const {
  for (const auto& [s, evaluator] : evaluations) {
    if (s == stage) return true;
  }
  return false;
}

void Evolve(ProjectState& s, const v1::ProjectEvent& event) {
  ++s.version;
  using E = v1::ProjectEvent;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::ProjectRegistered& e = event.registered();
      s.exists = true;
      s.project_id = e.project_id();
      s.unit_id = e.unit_id();
      s.budget_fen = e.budget_fen();
      s.registered_at_us = e.registered_at_us();
      s.planned_start_at_us = e.planned_start_at_us();
      s.planned_end_at_us = e.planned_end_at_us();
      break;
    }
    case E::kStarted:
      s.started = true;
      s.started_at_us = event.started().started_at_us();
      break;
    case E::kSpendingRecorded:
      s.spent_fen += event.spending_recorded().amount_fen();
      break;
    case E::kEvaluationRecorded:
      s.evaluations.emplace(event.evaluation_recorded().stage(),
                            event.evaluation_recorded().evaluator());
      break;
    case E::kAccepted:
      s.accepted = true;
      break;
    case E::kBeneficiariesReported:
    case E::EVENT_NOT_SET:
      break;
  }
}

ProjectState Fold(const std::vector<v1::ProjectEvent>& events) {
  ProjectState state;
  for (const v1::ProjectEvent& e : events) Evolve(state, e);
  return state;
}

}  // namespace haven::projects
