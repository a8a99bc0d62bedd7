// How a project's events fold into its list entry and its record.
#include <algorithm>

#include "services/common/stats/calendar.h"
#include "services/projects/projections/project_projections.h"

namespace haven::projects {

using E = v1::ProjectEvent;

bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::ProjectEvent& event,
                   v1::ProjectListEntry* entry) {
  const bool registered = !entry->project_id().empty();
  if (registered == (event.event_case() == E::kRegistered)) return false;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::ProjectRegistered& e = event.registered();
      entry->set_project_id(recorded.stream);
      entry->set_unit_id(e.unit_id());
      entry->set_title(e.title());
      entry->set_funding_source(e.funding_source());
      entry->set_status(v1::PROJECT_STATUS_REGISTERED);
      entry->set_budget_fen(e.budget_fen());
      entry->set_planned_start_at_us(e.planned_start_at_us());
      entry->set_planned_end_at_us(e.planned_end_at_us());
      entry->set_registered_at_us(e.registered_at_us());
      break;
    }
    case E::kStarted:
      entry->set_status(v1::PROJECT_STATUS_STARTED);
      break;
    case E::kSpendingRecorded:
      entry->set_spent_fen(entry->spent_fen() + event.spending_recorded().amount_fen());
      break;
    case E::kBeneficiariesReported:
      entry->set_beneficiaries(entry->beneficiaries() +
                               event.beneficiaries_reported().beneficiaries());
      break;
    case E::kEvaluationRecorded:
      entry->set_evaluations(entry->evaluations() + 1);
      break;
    case E::kAccepted:
      entry->set_status(v1::PROJECT_STATUS_ACCEPTED);
      break;
    case E::EVENT_NOT_SET:
      break;
  }
  entry->set_updated_at_us(recorded.recorded_time_us);
  entry->set_version(recorded.version);
  return true;
}

bool FoldRecord(const storage::RecordedEvent& recorded, const v1::ProjectEvent& event,
                v1::ProjectRecord* record) {
  const bool registered = !record->project_id().empty();
  if (registered == (event.event_case() == E::kRegistered)) return false;
  const stats::DayNumber today = stats::CstDayOf(recorded.recorded_time_us);
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::ProjectRegistered& e = event.registered();
      record->set_project_id(recorded.stream);
      record->set_unit_id(e.unit_id());
      record->set_funding_source(e.funding_source());
      record->set_budget_fen(e.budget_fen());
      record->set_registered_recorded_day(today);
      record->set_planned_start_day(stats::CstDayOf(e.planned_start_at_us()));
      record->set_planned_end_day(stats::CstDayOf(e.planned_end_at_us()));
      break;
    }
    case E::kStarted:
      record->set_started(true);
      break;
    case E::kSpendingRecorded:
      record->set_spent_fen(record->spent_fen() + event.spending_recorded().amount_fen());
      break;
    case E::kBeneficiariesReported: {
      const v1::BeneficiariesReported& e = event.beneficiaries_reported();
      record->set_beneficiaries(record->beneficiaries() + e.beneficiaries());
      const bool known =
          std::any_of(record->townships().begin(), record->townships().end(),
                      [&](const auto& t) { return t.unit_id() == e.township_unit_id(); });
      if (!known) {
        v1::ProjectRecord::Township* t = record->add_townships();
        t->set_unit_id(e.township_unit_id());
        t->set_recorded_day(today);
      }
      break;
    }
    case E::kEvaluationRecorded: {
      v1::ProjectRecord::Evaluation* ev = record->add_evaluations();
      ev->set_stage(event.evaluation_recorded().stage());
      ev->set_held_day(stats::CstDayOf(event.evaluation_recorded().evaluated_at_us()));
      ev->set_recorded_day(today);
      break;
    }
    case E::kAccepted:
      record->set_accepted_day(stats::CstDayOf(event.accepted().accepted_at_us()));
      record->set_accepted_recorded_day(today);
      break;
    case E::EVENT_NOT_SET:
      break;
  }
  return true;
}

}  // namespace haven::projects
