// The evaluation schedule of a project and how its evaluations kept it
// (PROJECTIONS.md).
#include <algorithm>

#include "absl/time/civil_time.h"
#include "services/projects/projections/project_projections.h"

namespace haven::projects {

std::vector<DueEvaluation> EvaluationSchedule(const v1::ProjectRecord &record) {
  const stats::DayNumber start = record.planned_start_day();
  const stats::DayNumber end = record.planned_end_day();
  std::vector<DueEvaluation> out;
  out.push_back({v1::EVALUATION_STAGE_BEFORE_START, start});
  // The same day six months on (normalised: 31 August + 6 months = 3 March).
  const absl::CivilDay s = stats::ToCivilDay(start);
  const stats::DayNumber half =
      stats::ToDayNumber(absl::CivilDay(s.year(), s.month() + 6, s.day()));
  if (half < end)
    out.push_back({v1::EVALUATION_STAGE_HALF_YEAR, half});
  const stats::DayNumber year_end = stats::LastDayOfYear(stats::YearOf(start));
  if (year_end < end)
    out.push_back({v1::EVALUATION_STAGE_YEAR_END, year_end});
  out.push_back({v1::EVALUATION_STAGE_CLOSE, end});
  return out;
}

void AddEvaluationsDue(const v1::ProjectRecord &record,
                       const stats::StatsPeriod &period,
                       v1::ProjectStatistics *out) {
  if (record.registered_recorded_day() > period.as_of)
    return;
  const stats::DayNumber end = std::min(period.to, period.as_of);
  const bool accepted = record.has_accepted_day() &&
                        record.accepted_recorded_day() <= period.as_of;
  for (const DueEvaluation &due : EvaluationSchedule(record)) {
    if (due.due_day < period.from || due.due_day > end)
      continue;
    if (accepted && record.accepted_day() < due.due_day)
      continue;
    out->set_evaluations_due(out->evaluations_due() + 1);
    std::optional<stats::DayNumber> done;
    for (const v1::ProjectRecord::Evaluation &e : record.evaluations()) {
      if (e.stage() != due.stage || e.recorded_day() > period.as_of)
        continue;
      if (!done || e.held_day() < *done)
        done = e.held_day();
    }
    if (done && *done <= due.due_day) {
      out->set_evaluations_on_time(out->evaluations_on_time() + 1);
      continue;
    }
    if (due.due_day >= period.as_of)
      continue; // not late yet
    out->set_evaluations_late(out->evaluations_late() + 1);
    if (!done)
      out->set_evaluations_missing(out->evaluations_missing() + 1);
    v1::LateEvaluation *late = out->add_late();
    late->set_project_id(record.project_id());
    late->set_stage(due.stage);
    late->set_due_day(stats::DayText(due.due_day));
    if (done)
      late->set_done_day(stats::DayText(*done));
  }
}

} // namespace haven::projects
