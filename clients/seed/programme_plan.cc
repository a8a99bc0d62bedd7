#include "seed/programme_plan.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "haven/children/v1/children_commands.pb.h"
#include "haven/loans/v1/loan_commands.pb.h"
#include "haven/microhomes/v1/microhome_commands.pb.h"
#include "haven/projects/v1/project_commands.pb.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace lv1 = haven::loans::v1;
namespace cv1 = haven::children::v1;
namespace mv1 = haven::microhomes::v1;
namespace pv1 = haven::projects::v1;

std::string IdFor(const char* prefix, uint64_t seed, uint64_t index) {
  char id[64];
  std::snprintf(id, sizeof id, "%s-s%llu-%06llu", prefix, static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(index));
  return id;
}

void TallyLoan(const lv1::LoanCommand& c, ProgrammeTally* t, std::set<std::string>* overdue,
               std::map<std::string, int64_t>* jobs, const std::string& id) {
  if (c.has_apply_for_loan()) ++t->loans;
  if (c.has_disburse_loan()) {
    ++t->loans_disbursed;
    t->disbursed_fen += c.disburse_loan().amount_fen();
  }
  if (c.has_pay_subsidy()) t->subsidy_fen += c.pay_subsidy().amount_fen();
  if (c.has_mark_overdue()) overdue->insert(id);
  if (c.has_settle_loan()) ++t->loans_settled;
  if (c.has_report_jobs_created()) (*jobs)[id] = c.report_jobs_created().jobs_created();
}

void TallyChild(const cv1::ChildCommand& c, ProgrammeTally* t, std::set<std::string>* paired,
                const std::string& id) {
  if (c.has_register_child()) ++t->children;
  if (c.has_pair_child()) {
    if (!paired->insert(id).second) ++t->re_pairings;
  }
  if (c.has_end_pairing()) ++t->pairings_ended;
  if (c.has_deliver_support()) t->support_fen += c.deliver_support().amount_fen();
  if (c.has_pay_stipend()) t->stipend_fen += c.pay_stipend().amount_fen();
}

void TallyMicroHome(const mv1::MicroHomeCommand& c, ProgrammeTally* t) {
  if (c.has_register_micro_home()) ++t->micro_homes;
  if (c.has_designate_demonstration()) ++t->demonstration;
  if (c.has_grant_title()) ++t->titles_granted;
  if (c.has_recertify_title()) ++t->titles_recertified;
  if (c.has_revoke_title()) ++t->titles_revoked;
  if (c.has_record_activity()) ++t->activities;
}

void TallyProject(const pv1::ProjectCommand& c, ProgrammeTally* t) {
  if (c.has_register_project()) {
    ++t->projects;
    t->budget_fen += c.register_project().budget_fen();
  }
  if (c.has_record_spending()) t->spent_fen += c.record_spending().amount_fen();
  if (c.has_accept_project()) ++t->projects_accepted;
}

}  // namespace

ProgrammeOptions ProgrammeOptions::ScaledFromCases(uint64_t cases) {
  ProgrammeOptions options;
  options.loans = (cases + 200) / 400;
  options.children = (cases * 3 + 50) / 100;
  options.projects = (cases + 1250) / 2500;
  options.cases = cases;
  return options;
}

ProgrammeGenerator::ProgrammeGenerator(const DirectoryPlan& directory,
                                       const ProgrammeOptions& options, int64_t now_us,
                                       int history_days)
    : directory_(directory),
      options_(options),
      now_us_(now_us),
      history_days_(std::max(1, history_days)) {
  for (int v : directory_.villages) village_weights_.push_back(directory_.units[v].weight);
}

int64_t ProgrammeGenerator::FirstDayUs() const {
  return CstMidnight(CstDayOf(now_us_) - history_days_ + 1);
}

int ProgrammeGenerator::DrawVillage(Rng& rng) const {
  return directory_.villages[rng.Weighted(village_weights_)];
}

std::vector<ProgrammePlan> ProgrammeGenerator::PlanAll() const {
  std::vector<ProgrammePlan> plans;
  for (uint64_t i = 1; i <= options_.loans; ++i) plans.push_back(Loan(i));
  for (uint64_t i = 1; i <= options_.children; ++i) plans.push_back(Child(i));
  for (size_t i = 0; i < directory_.micro_homes.size(); ++i) plans.push_back(MicroHome(i));
  for (uint64_t i = 1; i <= options_.projects; ++i) plans.push_back(Project(i));
  for (size_t i = 0; i <= directory_.counties.size(); ++i) plans.push_back(Targets(i));
  // A story whose first step would fall after now has not begun.
  plans.erase(std::remove_if(plans.begin(), plans.end(),
                             [](const ProgrammePlan& plan) { return plan.steps.empty(); }),
              plans.end());
  return plans;
}

ProgrammeTally Tally(const std::vector<ProgrammePlan>& plans) {
  ProgrammeTally t;
  std::set<std::string> overdue, paired, mentors;
  std::map<std::string, int64_t> jobs;
  for (const ProgrammePlan& plan : plans) {
    for (const ProgrammeStep& step : plan.steps) {
      ++t.steps;
      ++t.rpcs[ProgrammeRpcName(step)];
      const google::protobuf::Message* m = step.command.get();
      if (const auto* c = dynamic_cast<const lv1::LoanCommand*>(m)) {
        TallyLoan(*c, &t, &overdue, &jobs, step.aggregate_id);
      } else if (const auto* c = dynamic_cast<const cv1::ChildCommand*>(m)) {
        TallyChild(*c, &t, &paired, step.aggregate_id);
      } else if (dynamic_cast<const cv1::MentorCommand*>(m) != nullptr) {
        ++t.mentors;
      } else if (const auto* c = dynamic_cast<const mv1::MicroHomeCommand*>(m)) {
        TallyMicroHome(*c, &t);
      } else if (const auto* c = dynamic_cast<const pv1::ProjectCommand*>(m)) {
        TallyProject(*c, &t);
      }
    }
  }
  t.loans_overdue = overdue.size();
  t.children_paired = paired.size();
  for (const auto& [id, n] : jobs) t.jobs_reported += n;
  return t;
}

std::string ProgrammeRpcName(const ProgrammeStep& step) {
  const google::protobuf::Message& command = *step.command;
  const auto* oneof = command.GetDescriptor()->FindOneofByName("command");
  if (oneof == nullptr) {  // A request that is its own command: SetTargetRequest.
    const std::string& name = command.GetDescriptor()->name();
    constexpr size_t kSuffix = sizeof("Request") - 1;
    return name.size() > kSuffix ? name.substr(0, name.size() - kSuffix) : name;
  }
  const auto* field = command.GetReflection()->GetOneofFieldDescriptor(command, oneof);
  if (field == nullptr) return "";
  std::string out;
  bool upper = true;
  for (char c : field->name()) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

std::string LoanIdFor(uint64_t seed, uint64_t index) { return IdFor("loan", seed, index); }
std::string ChildIdFor(uint64_t seed, uint64_t index) { return IdFor("child", seed, index); }
std::string ProjectIdFor(uint64_t seed, uint64_t index) { return IdFor("project", seed, index); }

}  // namespace haven::seed
