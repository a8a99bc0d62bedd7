// The generated cases: for each case index, the commands that open and work
// it, in order, with who acts and a request id that is the same on every
// run (so re-seeding the same data writes nothing twice).
//
// The mixes follow ../shared/design/domain.md: channels mostly hotline
// calls and visits; marriage and family disputes the most common category,
// then domestic violence, consultations, labour and land rights; mediations
// ending in agreement about 60% of the time; referrals with the survivor's
// consent, accepted or declined; protection orders and shelter for some
// domestic-violence cases; about 90% of cases closed, most women satisfied,
// a few reopened.
//
// Times come in two models.
//
// History (CaseGenerator with history_days > 0; `haven_seed --data-dir`):
// the seeder owns the server's clock and moves it through the past.  Cases
// were received over the `history_days` days ending at `now`, and every
// fact of a case happens in order on one timeline: each step has the instant
// it happens (PlannedStep::at_us), the seeder sends it with the server's
// clock at ClockTickFor(at_us), and its business times (contacted_at_us,
// held_at_us, ...) are at or before that instant; commands without a time of
// their own take that clock.  Steps that would happen after `now` are not
// planned: recent cases are still under way.  Facts after the day a case came
// in fall in office hours (08:30-18:00).
//
// Live (history_days == 0; `haven_seed --server`): the server's clock is
// the real one.  Cases were received over the past year; the facts of a case
// (its contacts, referrals, follow-ups...) follow in causal order and never
// pass `now`.  Commands without a time of their own (notes, assignments,
// risk, closure) take the server's clock when they are sent.  The server
// accepts a mediation only if it is scheduled at most 24 hours in the past,
// so a case's mediation and everything after it happen within the last day.
#ifndef HAVEN_CLIENTS_SEED_CASE_PLAN_H_
#define HAVEN_CLIENTS_SEED_CASE_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "haven/cases/v1/case_commands.pb.h"
#include "seed/directory_plan.h"

namespace haven::seed {

struct PlannedStep {
  haven::cases::v1::CaseCommand command;
  std::string actor;       // Operator or partner id (haven-actor).
  std::string request_id;  // Stable across runs.
  // The step whose created id (mediation, referral, order, follow-up) this
  // command names; -1 for none.  SetReferencedId fills it in when sending.
  int ref_step = -1;
  // History model: when the step happens (see above); 0 in the live model.
  int64_t at_us = 0;
};

struct CasePlan {
  uint64_t index = 0;
  std::string case_id;
  int unit = -1;  // Index into DirectoryPlan::units.
  std::vector<PlannedStep> steps;
};

class CaseGenerator {
 public:
  // `now_us` anchors every time; `history_days` > 0 chooses the history
  // model over that many days (see above), 0 the live model.  The plan of a
  // case depends only on the directory, the index, now_us and history_days.
  CaseGenerator(const DirectoryPlan& directory, int64_t now_us, int history_days = 0);

  CasePlan Plan(uint64_t index) const;

  int64_t now_us() const { return now_us_; }
  int history_days() const { return history_days_; }
  // History model: the server's clock while the directory is created, the
  // day before the first case can come in.
  int64_t HistoryStartUs() const;

  // The margin kept before now for the last fact of a case, and the window
  // in which mediations happen (the server refuses a mediation scheduled
  // more than 24 hours in the past; 20 leaves 4 hours for seeding).
  static constexpr int64_t kNowMarginUs = 10LL * 60 * 1000000;
  static constexpr int64_t kMediationWindowUs = 20LL * 3600 * 1000000;

 private:
  const DirectoryPlan& directory_;
  const int64_t now_us_;
  const int history_days_;
  std::vector<double> unit_weights_;  // Parallel to directory_.units.
};

// History model: the server's clock for a step happening at `at_us`.  The
// clock stands at a few instants of each CST day (10:00, 12:00, 15:00, 18:00
// and the day's last microsecond); a step goes at the first of them at or
// after `at_us` (on the same CST day), but never past `now_us`.
int64_t ClockTickFor(int64_t at_us, int64_t now_us);

// The name of the CaseService rpc that takes this command, e.g.
// "ScheduleMediation" for schedule_mediation.
std::string RpcName(const haven::cases::v1::CaseCommand& command);

// Sets the id field of a command that names something created earlier:
// mediation_id, referral_id, order_id or follow_up_id.
void SetReferencedId(haven::cases::v1::CaseCommand* command, const std::string& id);

// "case-s<seed>-<index, 6 digits>".
std::string CaseIdFor(uint64_t seed, uint64_t index);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_CASE_PLAN_H_
