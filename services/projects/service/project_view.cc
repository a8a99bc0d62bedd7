#include "services/projects/service/project_view.h"

#include "absl/strings/str_cat.h"
#include "services/projects/domain/project_event_types.h"

namespace haven::services {
namespace {

namespace v1 = projects::v1;

void Note(const v1::ProjectEvent& event, v1::ProjectView* view) {
  using E = v1::ProjectEvent;
  switch (event.event_case()) {
    case E::kRegistered:
      view->set_project_id(event.registered().project_id());
      view->set_status(v1::PROJECT_STATUS_REGISTERED);
      *view->mutable_registration() = event.registered();
      view->set_remaining_fen(event.registered().budget_fen());
      break;
    case E::kStarted:
      view->set_status(v1::PROJECT_STATUS_STARTED);
      view->set_started_at_us(event.started().started_at_us());
      break;
    case E::kSpendingRecorded:
      view->set_spent_fen(view->spent_fen() + event.spending_recorded().amount_fen());
      view->set_remaining_fen(view->registration().budget_fen() - view->spent_fen());
      break;
    case E::kBeneficiariesReported: {
      const v1::BeneficiariesReported& e = event.beneficiaries_reported();
      view->set_beneficiaries(view->beneficiaries() + e.beneficiaries());
      v1::TownshipCoverage* coverage = nullptr;
      for (v1::TownshipCoverage& t : *view->mutable_townships()) {
        if (t.township_unit_id() == e.township_unit_id()) coverage = &t;
      }
      if (coverage == nullptr) {
        coverage = view->add_townships();
        coverage->set_township_unit_id(e.township_unit_id());
      }
      coverage->set_beneficiaries(coverage->beneficiaries() + e.beneficiaries());
      break;
    }
    case E::kEvaluationRecorded: {
      const v1::EvaluationRecorded& e = event.evaluation_recorded();
      v1::EvaluationView* ev = view->add_evaluations();
      ev->set_stage(e.stage());
      ev->set_evaluator(e.evaluator());
      ev->set_conclusion(e.conclusion());
      ev->set_report_ref(e.report_ref());
      ev->set_evaluated_at_us(e.evaluated_at_us());
      break;
    }
    case E::kAccepted:
      view->set_status(v1::PROJECT_STATUS_ACCEPTED);
      view->set_accepted_at_us(event.accepted().accepted_at_us());
      view->set_acceptance_report_ref(event.accepted().report_ref());
      break;
    case E::EVENT_NOT_SET:
      break;
  }
}

}  // namespace

absl::StatusOr<FoldedProject> FoldProject(const std::vector<storage::RecordedEvent>& history) {
  FoldedProject folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = projects::ProjectEventTypes().Decode(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    Note(*event, &folded.view);
    projects::Evolve(folded.state, *event);
    folded.view.set_version(static_cast<uint64_t>(folded.state.version));
    folded.view.set_position(recorded.position);
    folded.view.set_updated_at_us(recorded.recorded_time_us);
  }
  return folded;
}

}  // namespace haven::services
