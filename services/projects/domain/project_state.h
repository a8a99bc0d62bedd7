// The state of one funded project, as the aggregate needs it to decide
// commands: built by folding its events (Evolve), never edited otherwise.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_STATE_H_
#define HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_STATE_H_

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "haven/projects/v1/project_events.pb.h"

namespace haven::projects {

struct ProjectState {
  bool exists = false;
  // Version of the last event folded in (from 0); -1 before any.
  int64_t version = -1;

  std::string project_id;
  std::string unit_id;
  int64_t budget_fen = 0;
  int64_t spent_fen = 0;
  int64_t registered_at_us = 0;
  int64_t planned_start_at_us = 0;
  int64_t planned_end_at_us = 0;
  bool started = false;
  int64_t started_at_us = 0;
  bool accepted = false;
  // (stage, evaluator) of every evaluation recorded.
  std::set<std::pair<int, int>> evaluations;

  bool HasEvaluation(v1::EvaluationStage stage) const;
};

// Applies one event and advances the version.  Trusts the log: checks
// nothing; an event with no member set only advances the version.
void Evolve(ProjectState& state, const v1::ProjectEvent& event);

ProjectState Fold(const std::vector<v1::ProjectEvent>& events);

}  // namespace haven::projects

#endif  // HAVEN_SERVICES_PROJECTS_DOMAIN_PROJECT_STATE_H_
