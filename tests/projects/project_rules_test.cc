// The project aggregate's rules (services/projects/domain/RULES.md), one
// test per rule, each named for it; pure Decide/Evolve, no storage or gRPC.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/projects/domain/project_decide.h"
#include "services/projects/domain/project_state.h"

namespace haven::projects {
namespace {

using units::UnitFacts;
using units::UnitLevel;

constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kYuan = 100;

int64_t Cst(int y, int m, int d, int hh = 10) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::FixedTimeZone(8 * 3600)));
}

UnitFacts Unit(const std::string& id, UnitLevel level, std::vector<std::string> ancestors) {
  UnitFacts u;
  u.id = id;
  u.exists = true;
  u.open = true;
  u.level = level;
  u.ancestors = std::move(ancestors);
  return u;
}

const UnitFacts kCity = Unit("cd", UnitLevel::kCity, {});
const UnitFacts kCounty = Unit("cd-lx", UnitLevel::kCounty, {"cd"});
const UnitFacts kTownship = Unit("cd-lx-gt", UnitLevel::kTownship, {"cd", "cd-lx"});
const UnitFacts kVillage = Unit("cd-lx-gt-1", UnitLevel::kVillage, {"cd", "cd-lx", "cd-lx-gt"});
const UnitFacts kOtherTownship = Unit("cd-hs-a", UnitLevel::kTownship, {"cd", "cd-hs"});

// 两癌免费检查: 79 yuan a person, province 60%, county 40%.
v1::ProjectCommand RegisterCommand() {
  v1::ProjectCommand c;
  v1::RegisterProject* r = c.mutable_register_project();
  r->set_title("农村妇女两癌免费检查");
  r->set_unit_id(kCounty.id);
  r->set_funding_source(v1::FUNDING_SOURCE_FROM_ABOVE);
  r->set_funder("省妇联");
  r->set_budget_fen(2'000 * 79 * kYuan);
  v1::CostShareInput* province = r->add_cost_shares();
  province->set_party("省财政");
  province->set_share_bp(6'000);
  v1::CostShareInput* county = r->add_cost_shares();
  county->set_party("县财政");
  county->set_share_bp(4'000);
  r->set_per_person_fen(79 * kYuan);
  r->mutable_leader()->set_name("刘敏");
  r->set_overall_goal("为2000名农村妇女免费检查");
  v1::StageGoalInput* goal = r->add_stage_goals();
  goal->set_goal("上半年完成1000人");
  goal->set_due_at_us(Cst(2024, 6, 30));
  r->set_planned_start_at_us(Cst(2024, 3, 1));
  r->set_planned_end_at_us(Cst(2024, 12, 31));
  return c;
}

class ProjectRulesTest : public ::testing::Test {
 protected:
  DecideContext Ctx() const {
    DecideContext ctx;
    ctx.now_us = now_;
    ctx.actor = "liumin";
    ctx.project_id = "project-1";
    ctx.unit = unit_;
    ctx.township = township_;
    return ctx;
  }
  absl::StatusOr<std::vector<v1::ProjectEvent>> Try(const v1::ProjectCommand& c) {
    return Decide(state_, c, Ctx());
  }
  void Do(const v1::ProjectCommand& c) {
    auto events = Try(c);
    ASSERT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) Evolve(state_, e);
    now_ += kDayUs;
  }
  static v1::ProjectCommand Evaluation(v1::EvaluationStage stage,
                                       v1::Evaluator evaluator = v1::EVALUATOR_FEDERATION) {
    v1::ProjectCommand c;
    v1::RecordEvaluation* e = c.mutable_record_evaluation();
    e->set_stage(stage);
    e->set_evaluator(evaluator);
    e->set_conclusion(v1::EVALUATION_CONCLUSION_GOOD);
    e->set_report_ref("档案-2024-017");
    return c;
  }
  static v1::ProjectCommand Spending(int64_t fen) {
    v1::ProjectCommand c;
    c.mutable_record_spending()->set_amount_fen(fen);
    c.mutable_record_spending()->set_item("检查费");
    return c;
  }
  static v1::ProjectCommand Beneficiaries(const UnitFacts& township, int n = 120) {
    v1::ProjectCommand c;
    c.mutable_report_beneficiaries()->set_township_unit_id(township.id);
    c.mutable_report_beneficiaries()->set_beneficiaries(n);
    return c;
  }
  static v1::ProjectCommand StartCommand() {
    v1::ProjectCommand c;
    c.mutable_start_project();
    return c;
  }
  static v1::ProjectCommand AcceptCommand() {
    v1::ProjectCommand c;
    c.mutable_accept_project()->set_report_ref("验收-2024-03");
    return c;
  }
  void RegisterAndStart() {
    Do(RegisterCommand());
    Do(Evaluation(v1::EVALUATION_STAGE_BEFORE_START));
    Do(StartCommand());
  }

  static void ExpectRefused(const absl::StatusOr<std::vector<v1::ProjectEvent>>& result,
                            absl::StatusCode code, const std::string& prefix) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_TRUE(absl::StartsWith(result.status().message(), prefix)) << result.status();
  }
  static void ExpectRule(const absl::StatusOr<std::vector<v1::ProjectEvent>>& result,
                         const std::string& rule) {
    ExpectRefused(result, absl::StatusCode::kFailedPrecondition, rule + ":");
  }
  static void ExpectField(const absl::StatusOr<std::vector<v1::ProjectEvent>>& result,
                          const std::string& path) {
    ExpectRefused(result, absl::StatusCode::kInvalidArgument, path + ":");
  }

  int64_t now_ = Cst(2024, 2, 1);
  UnitFacts unit_ = kCounty;
  UnitFacts township_ = kTownship;
  ProjectState state_;
};

TEST_F(ProjectRulesTest, RegistrationKeepsBudgetAndPlan) {
  Do(RegisterCommand());
  EXPECT_TRUE(state_.exists);
  EXPECT_EQ(state_.budget_fen, 2'000 * 79 * kYuan);
  EXPECT_EQ(state_.unit_id, kCounty.id);
}

TEST_F(ProjectRulesTest, ProjectExists_RegisteringAgainIsRefused) {
  Do(RegisterCommand());
  ExpectRefused(Try(RegisterCommand()), absl::StatusCode::kAlreadyExists, "project_exists:");
}

TEST_F(ProjectRulesTest, ProjectNotFound_CommandWithoutAProject) {
  ExpectRefused(Try(StartCommand()), absl::StatusCode::kNotFound, "project_not_found:");
}

TEST_F(ProjectRulesTest, ProjectAccepted_AnAcceptedProjectTakesNothingMore) {
  RegisterAndStart();
  Do(Evaluation(v1::EVALUATION_STAGE_CLOSE, v1::EVALUATOR_FUNDER));
  Do(AcceptCommand());
  ExpectRule(Try(Spending(100)), "project_accepted");
  ExpectRule(Try(AcceptCommand()), "project_accepted");
}

TEST_F(ProjectRulesTest, UnitLevel_AProjectIsRunByACityCountyOrTownship) {
  unit_ = kVillage;
  ExpectRule(Try(RegisterCommand()), "unit_level");
}

TEST_F(ProjectRulesTest, UnitClosed_AClosedFederationRunsNoProject) {
  unit_.open = false;
  ExpectRule(Try(RegisterCommand()), "unit_closed");
}

TEST_F(ProjectRulesTest, UnitId_MustExist) {
  unit_.exists = false;
  ExpectField(Try(RegisterCommand()), "register_project.unit_id");
}

TEST_F(ProjectRulesTest, CostShares_SumToTheWholeBudget) {
  v1::ProjectCommand c = RegisterCommand();
  c.mutable_register_project()->mutable_cost_shares(1)->set_share_bp(3'000);
  auto result = Try(c);
  ExpectField(result, "register_project.cost_shares");
  EXPECT_TRUE(absl::StrContains(result.status().message(), "9000"));
  c.mutable_register_project()->clear_cost_shares();
  ExpectField(Try(c), "register_project.cost_shares");
}

TEST_F(ProjectRulesTest, Fields_RegistrationFieldsAreChecked) {
  v1::ProjectCommand c = RegisterCommand();
  c.mutable_register_project()->set_budget_fen(0);
  ExpectField(Try(c), "register_project.budget_fen");
  c = RegisterCommand();
  c.mutable_register_project()->set_funding_source(v1::FUNDING_SOURCE_UNSPECIFIED);
  ExpectField(Try(c), "register_project.funding_source");
  c = RegisterCommand();
  c.mutable_register_project()->set_funder("");
  ExpectField(Try(c), "register_project.funder");
  c.mutable_register_project()->set_funding_source(v1::FUNDING_SOURCE_OWN);
  EXPECT_TRUE(Try(c).ok());
  c = RegisterCommand();
  c.mutable_register_project()->mutable_leader()->set_name("刘\xc3");
  ExpectField(Try(c), "register_project.leader.name");
  c = RegisterCommand();
  c.mutable_register_project()->set_planned_end_at_us(Cst(2024, 2, 1));
  ExpectField(Try(c), "register_project.planned_end_at_us");
  c = RegisterCommand();
  c.mutable_register_project()->mutable_stage_goals(0)->set_due_at_us(Cst(2025, 6, 30));
  ExpectField(Try(c), "register_project.stage_goals[0].due_at_us");
  c = RegisterCommand();
  c.mutable_register_project()->set_per_person_fen(c.register_project().budget_fen() + 1);
  ExpectField(Try(c), "register_project.per_person_fen");
}

TEST_F(ProjectRulesTest, ContextActor_IsRequired) {
  DecideContext ctx = Ctx();
  ctx.actor.clear();
  ExpectField(Decide(state_, RegisterCommand(), ctx), "context.actor");
}

TEST_F(ProjectRulesTest, Command_NothingSetIsInvalid) {
  ExpectField(Try(v1::ProjectCommand()), "command");
}

TEST_F(ProjectRulesTest, BeforeStartEvaluationMissing_EvaluatedBeforeItStarts) {
  Do(RegisterCommand());
  ExpectRule(Try(StartCommand()), "before_start_evaluation_missing");
  Do(Evaluation(v1::EVALUATION_STAGE_BEFORE_START, v1::EVALUATOR_FUNDER));
  Do(StartCommand());
  EXPECT_TRUE(state_.started);
}

TEST_F(ProjectRulesTest, AlreadyStarted_StartedOnce) {
  RegisterAndStart();
  ExpectRule(Try(StartCommand()), "already_started");
}

TEST_F(ProjectRulesTest, NotStarted_NoSpendingBeneficiariesOrAcceptanceBeforeTheStart) {
  Do(RegisterCommand());
  ExpectRule(Try(Spending(100)), "not_started");
  ExpectRule(Try(Beneficiaries(kTownship)), "not_started");
  ExpectRule(Try(AcceptCommand()), "not_started");
}

TEST_F(ProjectRulesTest, BudgetExceeded_TheMoneyIsRingFenced) {
  RegisterAndStart();
  Do(Spending(150'000 * kYuan));
  Do(Spending(8'000 * kYuan));
  auto result = Try(Spending(1));
  ExpectRule(result, "budget_exceeded");
  EXPECT_TRUE(absl::StrContains(result.status().message(), "0.01 yuan")) << result.status();
  EXPECT_EQ(state_.spent_fen, state_.budget_fen);
}

TEST_F(ProjectRulesTest, UnitLevel_BeneficiariesAreCountedByTownship) {
  RegisterAndStart();
  township_ = kVillage;
  ExpectRule(Try(Beneficiaries(kVillage)), "unit_level");
}

TEST_F(ProjectRulesTest, UnitNotUnderProject_TheTownshipLiesUnderTheProjectsUnit) {
  RegisterAndStart();
  township_ = kOtherTownship;
  ExpectRule(Try(Beneficiaries(kOtherTownship)), "unit_not_under_project");
  township_ = kTownship;
  Do(Beneficiaries(kTownship));
}

TEST_F(ProjectRulesTest, TownshipUnitId_MustExist) {
  RegisterAndStart();
  township_.exists = false;
  ExpectField(Try(Beneficiaries(kTownship)), "report_beneficiaries.township_unit_id");
}

TEST_F(ProjectRulesTest, EvaluationStageOrder_BeforeStartBeforeTheStartTheRestAfter) {
  Do(RegisterCommand());
  ExpectRule(Try(Evaluation(v1::EVALUATION_STAGE_HALF_YEAR)), "evaluation_stage_order");
  Do(Evaluation(v1::EVALUATION_STAGE_BEFORE_START));
  Do(StartCommand());
  ExpectRule(Try(Evaluation(v1::EVALUATION_STAGE_BEFORE_START, v1::EVALUATOR_FUNDER)),
             "evaluation_stage_order");
  Do(Evaluation(v1::EVALUATION_STAGE_HALF_YEAR));
}

TEST_F(ProjectRulesTest, EvaluationRecorded_OncePerStageAndEvaluator) {
  RegisterAndStart();
  Do(Evaluation(v1::EVALUATION_STAGE_YEAR_END, v1::EVALUATOR_FEDERATION));
  ExpectRule(Try(Evaluation(v1::EVALUATION_STAGE_YEAR_END, v1::EVALUATOR_FEDERATION)),
             "evaluation_recorded");
  Do(Evaluation(v1::EVALUATION_STAGE_YEAR_END, v1::EVALUATOR_FUNDER));
}

TEST_F(ProjectRulesTest, Evaluation_FieldsAreChecked) {
  RegisterAndStart();
  v1::ProjectCommand c = Evaluation(v1::EVALUATION_STAGE_CLOSE);
  c.mutable_record_evaluation()->set_report_ref("");
  ExpectField(Try(c), "record_evaluation.report_ref");
  c = Evaluation(v1::EVALUATION_STAGE_CLOSE);
  c.mutable_record_evaluation()->set_evaluator(v1::EVALUATOR_UNSPECIFIED);
  ExpectField(Try(c), "record_evaluation.evaluator");
  c = Evaluation(v1::EVALUATION_STAGE_CLOSE);
  c.mutable_record_evaluation()->set_evaluated_at_us(Cst(2024, 1, 1));
  ExpectField(Try(c), "record_evaluation.evaluated_at_us");
}

TEST_F(ProjectRulesTest, CloseEvaluationMissing_AcceptedAfterTheCloseEvaluation) {
  RegisterAndStart();
  ExpectRule(Try(AcceptCommand()), "close_evaluation_missing");
  Do(Evaluation(v1::EVALUATION_STAGE_CLOSE));
  Do(AcceptCommand());
  EXPECT_TRUE(state_.accepted);
}

TEST_F(ProjectRulesTest, Spending_TimesAndAmountsAreChecked) {
  RegisterAndStart();
  ExpectField(Try(Spending(0)), "record_spending.amount_fen");
  v1::ProjectCommand c = Spending(100);
  c.mutable_record_spending()->set_spent_at_us(now_ + kDayUs);
  ExpectField(Try(c), "record_spending.spent_at_us");
  c.mutable_record_spending()->set_spent_at_us(Cst(2024, 1, 1));
  ExpectField(Try(c), "record_spending.spent_at_us");
}

TEST_F(ProjectRulesTest, EveryEventCarriesTheActorAndTheServersTime) {
  auto events = Try(RegisterCommand());
  ASSERT_TRUE(events.ok());
  EXPECT_EQ((*events)[0].actor(), "liumin");
  EXPECT_EQ((*events)[0].occurred_at_us(), now_);
  EXPECT_EQ((*events)[0].registered().project_id(), "project-1");
}

}  // namespace
}  // namespace haven::projects
