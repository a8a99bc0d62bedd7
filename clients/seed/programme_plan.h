// The generated programmes besides the cases: entrepreneurship loans,
// children and their mentors, women's micro-homes and funded projects,
// each a "story" of commands to one or more aggregates, in order, with who
// acts, when it happens and a request id that is the same on every run.
//
// Only the history model (haven_seed --data-dir): every story happens
// along the `history_days` ending at `now`, a step at a plausible instant
// (on weekdays in office hours, after the step before it); its business
// time fields (applied_at_us, visited_at_us, held_at_us...) are that
// instant unless the story dates a fact earlier (micro-homes that existed
// before Haven are entered with their past).  Steps after `now` are not
// planned: the latest loans, pairings and projects are still under way.
//
// The proportions follow ../shared/design/domain.md: a county disburses
// some 25 loans a year, about 1.9 million yuan (the page's county: 27 and
// 2.3 million), most of them repaid on time, a few overdue; about nine children in ten are paired one-to-one,
// visited about monthly, some paid 1,200 yuan a term, some pairings end
// and the child is paired again; a quarter of the micro-homes become
// demonstration sites holding the weekly, monthly, quarterly and yearly
// activities of the standard (a few fall short), with county and city
// titles granted, re-certified and revoked; projects by funding source,
// evaluated before the start, at half-year, year end and close, spending
// within the budget, accepted at the end.
#ifndef HAVEN_CLIENTS_SEED_PROGRAMME_PLAN_H_
#define HAVEN_CLIENTS_SEED_PROGRAMME_PLAN_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "seed/directory_plan.h"
#include "seed/random.h"

namespace haven::seed {

enum class Programme { kLoans, kChildren, kMicroHomes, kProjects, kTargets };

struct ProgrammeStep {
  // A LoanCommand, ChildCommand, MentorCommand, MicroHomeCommand or
  // ProjectCommand with its member set, the rpc named after the member; or
  // a request that is its own command (SetTargetRequest: SetTarget).
  std::shared_ptr<const google::protobuf::Message> command;
  // The aggregate the command goes to (the request's field 2): a loan,
  // child, mentor or project id, or a micro-home's unit id.
  std::string aggregate_id;
  std::string actor;
  std::string request_id;  // Stable across runs.
  int64_t at_us = 0;       // When it happens; the seeder's clock goes at ClockTickFor(at_us).
};

struct ProgrammePlan {
  Programme programme = Programme::kLoans;
  std::string id;       // "loan-s1-000001", "child-s1-000001", "microhome-s1-mh01"...
  std::string service;  // "haven.loans.v1.LoanService"
  std::vector<ProgrammeStep> steps;
};

// How many stories of each programme; the micro-homes are the directory's.
struct ProgrammeOptions {
  uint64_t loans = 250;
  uint64_t children = 3000;
  uint64_t projects = 40;
  // The cases seeded beside them (the targets' yearly case counts).
  uint64_t cases = 100000;

  // The defaults scaled from the number of cases (100,000 cases: 250
  // loans, 3,000 children, 40 projects).
  static ProgrammeOptions ScaledFromCases(uint64_t cases);
};

class ProgrammeGenerator {
 public:
  // `history_days` > 0; the plans depend only on the directory, the
  // options, the index, now_us and history_days.
  ProgrammeGenerator(const DirectoryPlan& directory, const ProgrammeOptions& options,
                     int64_t now_us, int history_days);

  ProgrammePlan Loan(uint64_t index) const;       // 1 .. options.loans
  ProgrammePlan Child(uint64_t index) const;      // 1 .. options.children
  ProgrammePlan MicroHome(size_t index) const;    // 0 .. directory.micro_homes.size() - 1
  ProgrammePlan Project(uint64_t index) const;    // 1 .. options.projects
  // The yearly targets of the city (0) and of each county (1 .. counties).
  ProgrammePlan Targets(size_t index) const;
  // Every story: the loans, the children, the micro-homes, the projects,
  // the targets.
  std::vector<ProgrammePlan> PlanAll() const;

  const DirectoryPlan& directory() const { return directory_; }
  int64_t now_us() const { return now_us_; }
  int history_days() const { return history_days_; }
  // The first CST midnight of the history (after the directory is made).
  int64_t FirstDayUs() const;
  // A village or community drawn by weight (as the cases draw them).
  int DrawVillage(Rng& rng) const;

 private:
  const DirectoryPlan& directory_;
  const ProgrammeOptions options_;
  const int64_t now_us_;
  const int history_days_;
  std::vector<double> village_weights_;
};

// What a set of stories adds up to: commands by rpc and the figures the
// domain page quotes (for --dry-run and the tests).
struct ProgrammeTally {
  std::map<std::string, uint64_t> rpcs;  // "DisburseLoan" -> count
  uint64_t loans = 0, loans_disbursed = 0, loans_settled = 0, loans_overdue = 0;
  int64_t disbursed_fen = 0, subsidy_fen = 0;
  int64_t jobs_reported = 0;  // The last report of each loan.
  uint64_t children = 0, children_paired = 0, re_pairings = 0, pairings_ended = 0, mentors = 0;
  int64_t support_fen = 0, stipend_fen = 0;
  uint64_t micro_homes = 0, demonstration = 0, titles_granted = 0, titles_recertified = 0,
           titles_revoked = 0, activities = 0;
  uint64_t projects = 0, projects_accepted = 0;
  int64_t budget_fen = 0, spent_fen = 0;
  uint64_t steps = 0;
};
ProgrammeTally Tally(const std::vector<ProgrammePlan>& plans);

// The rpc that takes a step: its command's member in CamelCase, e.g.
// "CertifyLoan" for certify_loan.
std::string ProgrammeRpcName(const ProgrammeStep& step);

// "loan-s<seed>-<index, 6 digits>" and so on.
std::string LoanIdFor(uint64_t seed, uint64_t index);
std::string ChildIdFor(uint64_t seed, uint64_t index);
std::string ProjectIdFor(uint64_t seed, uint64_t index);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_PROGRAMME_PLAN_H_
