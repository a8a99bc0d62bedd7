#include "services/projects/domain/project_decide.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/decide_support.h"
#include "services/common/field_rules.h"
#include "services/common/status_macros.h"

namespace haven::projects {
namespace {

using fields::CheckCount;
using fields::CheckEnum;
using fields::CheckFen;
using fields::CheckFreeText;
using fields::CheckId;
using fields::CheckLine;
using fields::FormatYuan;
using fields::InvalidField;
using fields::Presence;
using fields::Refuse;
using units::UnitLevel;
using Events = std::vector<v1::ProjectEvent>;
using Decision = absl::StatusOr<Events>;

constexpr int64_t kMaxBudgetFen =
    int64_t{100'000'000} * 100; // 100 million yuan
constexpr int kFullShareBp = 10'000;
constexpr int kMaxCostShares = 10;
constexpr int kMaxStageGoals = 20;
constexpr int kMaxBeneficiaries = 100'000;
constexpr int64_t kYearUs = 366 * fields::kMicrosPerDay;
constexpr int64_t kMaxRegistrationAgeUs = 5 * kYearUs;
constexpr int64_t kMaxDurationUs = 5 * kYearUs;

v1::ProjectEvent NewEvent(const DecideContext &ctx) {
  v1::ProjectEvent e;
  e.set_occurred_at_us(ctx.now_us);
  e.set_actor(ctx.actor);
  return e;
}

absl::Status CheckStepTime(absl::string_view path, int64_t given_us,
                           int64_t earliest_us, absl::string_view earliest_what,
                           const DecideContext &ctx, int64_t *resolved) {
  return fields::ResolveStepTime(path, given_us, ctx.now_us, earliest_us,
                                 earliest_what, resolved);
}

const char *StageName(v1::EvaluationStage stage) {
  switch (stage) {
  case v1::EVALUATION_STAGE_BEFORE_START:
    return "before-start";
  case v1::EVALUATION_STAGE_HALF_YEAR:
    return "half-year";
  case v1::EVALUATION_STAGE_YEAR_END:
    return "year-end";
  case v1::EVALUATION_STAGE_CLOSE:
    return "close";
  default:
    return "unknown";
  }
}

absl::Status CheckNotStarted(const ProjectState &s, absl::string_view command) {
  if (s.started)
    return absl::OkStatus();
  return Refuse("not_started",
                absl::StrCat(command, " follows start_project; the project has "
                                      "not started"));
}

Decision Register(const v1::RegisterProject &c, const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "register_project";
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(kCmd, "title"), c.title(),
                                  fields::kMaxShortTextChars,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "unit_id"), c.unit_id(),
                                Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "funding_source"),
                                  c.funding_source(), v1::FundingSource_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckLine(
      fields::FieldPath(kCmd, "funder"), c.funder(), fields::kMaxShortTextChars,
      c.funding_source() == v1::FUNDING_SOURCE_OWN ? Presence::kOptional
                                                   : Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFen(fields::FieldPath(kCmd, "budget_fen"),
                                 c.budget_fen(), 100, kMaxBudgetFen));
  if (c.cost_shares().empty() || c.cost_shares_size() > kMaxCostShares) {
    return InvalidField(
        fields::FieldPath(kCmd, "cost_shares"),
        absl::StrCat("1 to ", kMaxCostShares, " parties share the cost"));
  }
  int64_t shares = 0;
  for (int i = 0; i < c.cost_shares_size(); ++i) {
    const std::string path = absl::StrCat(kCmd, ".cost_shares[", i, "]");
    HAVEN_RETURN_IF_ERROR(
        CheckLine(fields::FieldPath(path, "party"), c.cost_shares(i).party(),
                  fields::kMaxShortTextChars, Presence::kRequired));
    HAVEN_RETURN_IF_ERROR(CheckCount(fields::FieldPath(path, "share_bp"),
                                     c.cost_shares(i).share_bp(), 1,
                                     kFullShareBp));
    shares += c.cost_shares(i).share_bp();
  }
  if (shares != kFullShareBp) {
    return InvalidField(
        fields::FieldPath(kCmd, "cost_shares"),
        absl::StrCat("the shares sum to ", shares,
                     " basis points; they must sum to 10,000 (100%)"));
  }
  HAVEN_RETURN_IF_ERROR(CheckFen(fields::FieldPath(kCmd, "per_person_fen"),
                                 c.per_person_fen(), 0, c.budget_fen()));
  if (!c.has_leader())
    return InvalidField(fields::FieldPath(kCmd, "leader"), "is required");
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(kCmd, "leader.name"),
                                  c.leader().name(), fields::kMaxNameChars,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(fields::CheckPhone(
      fields::FieldPath(kCmd, "leader.phone"), c.leader().phone()));
  HAVEN_RETURN_IF_ERROR(CheckFreeText(fields::FieldPath(kCmd, "overall_goal"),
                                      c.overall_goal(), fields::kMaxReasonChars,
                                      Presence::kRequired));
  if (c.planned_start_at_us() <= 0) {
    return InvalidField(fields::FieldPath(kCmd, "planned_start_at_us"),
                        "is required");
  }
  HAVEN_RETURN_IF_ERROR(fields::CheckTimeWithin(
      fields::FieldPath(kCmd, "planned_end_at_us"), c.planned_end_at_us(),
      c.planned_start_at_us() + 1, "the planned start", kMaxDurationUs));
  if (c.stage_goals_size() > kMaxStageGoals) {
    return InvalidField(fields::FieldPath(kCmd, "stage_goals"),
                        absl::StrCat("at most ", kMaxStageGoals));
  }
  for (int i = 0; i < c.stage_goals_size(); ++i) {
    const std::string path = absl::StrCat(kCmd, ".stage_goals[", i, "]");
    HAVEN_RETURN_IF_ERROR(
        CheckLine(fields::FieldPath(path, "goal"), c.stage_goals(i).goal(),
                  fields::kMaxShortTextChars, Presence::kRequired));
    HAVEN_RETURN_IF_ERROR(fields::CheckTimeWithin(
        fields::FieldPath(path, "due_at_us"), c.stage_goals(i).due_at_us(),
        c.planned_start_at_us(), "the planned start",
        c.planned_end_at_us() - c.planned_start_at_us()));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "registered_at_us"), c.registered_at_us(),
      ctx.now_us - kMaxRegistrationAgeUs, "five years ago", ctx, &at));
  const units::UnitFacts &unit = ctx.unit;
  if (!unit.exists) {
    return InvalidField(fields::FieldPath(kCmd, "unit_id"),
                        absl::StrCat("unit ", unit.id, " does not exist"));
  }
  if (!unit.open)
    return Refuse("unit_closed", absl::StrCat("unit ", unit.id, " is closed"));
  if (unit.level != UnitLevel::kCity && unit.level != UnitLevel::kCounty &&
      unit.level != UnitLevel::kTownship) {
    return Refuse("unit_level",
                  absl::StrCat("a project is run by a city, county or township "
                               "federation; unit ",
                               unit.id, " is ", units::LevelName(unit.level)));
  }
  v1::ProjectEvent e = NewEvent(ctx);
  v1::ProjectRegistered *r = e.mutable_registered();
  r->set_project_id(ctx.project_id);
  r->set_title(c.title());
  r->set_unit_id(c.unit_id());
  r->set_funding_source(c.funding_source());
  r->set_funder(c.funder());
  r->set_budget_fen(c.budget_fen());
  for (const v1::CostShareInput &share : c.cost_shares()) {
    v1::CostShare *out = r->add_cost_shares();
    out->set_party(share.party());
    out->set_share_bp(share.share_bp());
  }
  r->set_per_person_fen(c.per_person_fen());
  r->mutable_leader()->set_name(c.leader().name());
  r->mutable_leader()->set_phone(c.leader().phone());
  r->set_overall_goal(c.overall_goal());
  for (const v1::StageGoalInput &goal : c.stage_goals()) {
    v1::StageGoal *out = r->add_stage_goals();
    out->set_goal(goal.goal());
    out->set_due_at_us(goal.due_at_us());
  }
  r->set_planned_start_at_us(c.planned_start_at_us());
  r->set_planned_end_at_us(c.planned_end_at_us());
  r->set_registered_at_us(at);
  return Events{std::move(e)};
}

Decision Start(const ProjectState &s, const v1::StartProject &c,
               const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "start_project";
  if (s.started)
    return Refuse("already_started", "the project has started already");
  if (!s.HasEvaluation(v1::EVALUATION_STAGE_BEFORE_START)) {
    return Refuse("before_start_evaluation_missing",
                  "a project starts after its before-start evaluation "
                  "(立项评估) is recorded");
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "started_at_us"),
                                      c.started_at_us(), s.registered_at_us,
                                      "the registration", ctx, &at));
  v1::ProjectEvent e = NewEvent(ctx);
  e.mutable_started()->set_started_at_us(at);
  return Events{std::move(e)};
}

Decision Spend(const ProjectState &s, const v1::RecordSpending &c,
               const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "record_spending";
  HAVEN_RETURN_IF_ERROR(CheckFen(fields::FieldPath(kCmd, "amount_fen"),
                                 c.amount_fen(), 1, kMaxBudgetFen));
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(kCmd, "item"), c.item(),
                                  fields::kMaxShortTextChars,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckNotStarted(s, kCmd));
  if (s.spent_fen + c.amount_fen() > s.budget_fen) {
    return Refuse(
        "budget_exceeded",
        absl::StrCat("the money is ring-fenced (专款专用): the budget is ",
                     FormatYuan(s.budget_fen), ", spent ",
                     FormatYuan(s.spent_fen), "; ", FormatYuan(c.amount_fen()),
                     " more would overspend by ",
                     FormatYuan(s.spent_fen + c.amount_fen() - s.budget_fen)));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "spent_at_us"),
                                      c.spent_at_us(), s.started_at_us,
                                      "the start", ctx, &at));
  v1::ProjectEvent e = NewEvent(ctx);
  e.mutable_spending_recorded()->set_amount_fen(c.amount_fen());
  e.mutable_spending_recorded()->set_item(c.item());
  e.mutable_spending_recorded()->set_spent_at_us(at);
  return Events{std::move(e)};
}

Decision Beneficiaries(const ProjectState &s, const v1::ReportBeneficiaries &c,
                       const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "report_beneficiaries";
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "township_unit_id"),
                                c.township_unit_id(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckCount(fields::FieldPath(kCmd, "beneficiaries"),
                                   c.beneficiaries(), 1, kMaxBeneficiaries));
  HAVEN_RETURN_IF_ERROR(CheckNotStarted(s, kCmd));
  const units::UnitFacts &township = ctx.township;
  if (!township.exists) {
    return InvalidField(fields::FieldPath(kCmd, "township_unit_id"),
                        absl::StrCat("unit ", township.id, " does not exist"));
  }
  if (township.level != UnitLevel::kTownship) {
    return Refuse(
        "unit_level",
        absl::StrCat("beneficiaries are counted by township or street; "
                     "unit ",
                     township.id, " is ", units::LevelName(township.level)));
  }
  if (!units::IsAtOrUnder(township, s.unit_id)) {
    return Refuse("unit_not_under_project",
                  absl::StrCat("township ", township.id,
                               " is not under the project's unit ", s.unit_id));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "reported_at_us"),
                                      c.reported_at_us(), s.started_at_us,
                                      "the start", ctx, &at));
  v1::ProjectEvent e = NewEvent(ctx);
  e.mutable_beneficiaries_reported()->set_township_unit_id(
      c.township_unit_id());
  e.mutable_beneficiaries_reported()->set_beneficiaries(c.beneficiaries());
  e.mutable_beneficiaries_reported()->set_reported_at_us(at);
  return Events{std::move(e)};
}

Decision Evaluate(const ProjectState &s, const v1::RecordEvaluation &c,
                  const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "record_evaluation";
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "stage"), c.stage(),
                                  v1::EvaluationStage_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "evaluator"),
                                  c.evaluator(), v1::Evaluator_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(
      CheckEnum(fields::FieldPath(kCmd, "conclusion"), c.conclusion(),
                v1::EvaluationConclusion_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "report_ref"),
                                c.report_ref(), Presence::kRequired));
  const bool before_start = c.stage() == v1::EVALUATION_STAGE_BEFORE_START;
  if (before_start == s.started) {
    return Refuse("evaluation_stage_order",
                  absl::StrCat("a ", StageName(c.stage()), " evaluation comes ",
                               before_start ? "before" : "after",
                               " the start; the project has ",
                               s.started ? "started" : "not started"));
  }
  if (s.evaluations.count({c.stage(), c.evaluator()}) > 0) {
    return Refuse(
        "evaluation_recorded",
        absl::StrCat("the ", StageName(c.stage()),
                     " evaluation by this evaluator is recorded already"));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "evaluated_at_us"), c.evaluated_at_us(),
      before_start ? s.registered_at_us : s.started_at_us,
      before_start ? "the registration" : "the start", ctx, &at));
  v1::ProjectEvent e = NewEvent(ctx);
  v1::EvaluationRecorded *r = e.mutable_evaluation_recorded();
  r->set_stage(c.stage());
  r->set_evaluator(c.evaluator());
  r->set_conclusion(c.conclusion());
  r->set_report_ref(c.report_ref());
  r->set_evaluated_at_us(at);
  return Events{std::move(e)};
}

Decision Accept(const ProjectState &s, const v1::AcceptProject &c,
                const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "accept_project";
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "report_ref"),
                                c.report_ref(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckNotStarted(s, kCmd));
  if (!s.HasEvaluation(v1::EVALUATION_STAGE_CLOSE)) {
    return Refuse("close_evaluation_missing",
                  "a project is accepted after its close evaluation (结项评估) "
                  "is recorded");
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "accepted_at_us"),
                                      c.accepted_at_us(), s.started_at_us,
                                      "the start", ctx, &at));
  v1::ProjectEvent e = NewEvent(ctx);
  e.mutable_accepted()->set_report_ref(c.report_ref());
  e.mutable_accepted()->set_accepted_at_us(at);
  return Events{std::move(e)};
}

} // namespace

absl::StatusOr<std::vector<v1::ProjectEvent>>
Decide(const ProjectState &state, const v1::ProjectCommand &command,
       const DecideContext &ctx) {
  if (ctx.now_us <= 0)
    return absl::InternalError("context.now_us: required");
  if (ctx.actor.empty())
    return InvalidField("context.actor", "who acts is required");
  using C = v1::ProjectCommand;
  if (command.command_case() == C::COMMAND_NOT_SET) {
    return InvalidField("command", "no command is set");
  }
  if (command.command_case() == C::kRegisterProject) {
    if (ctx.project_id.empty())
      return absl::InternalError("context.project_id: required");
    if (state.exists) {
      return absl::AlreadyExistsError(absl::StrCat(
          "project_exists: project ", ctx.project_id, " already exists"));
    }
    return Register(command.register_project(), ctx);
  }
  if (!state.exists) {
    return absl::NotFoundError(absl::StrCat(
        "project_not_found: there is no project ", ctx.project_id));
  }
  if (state.accepted) {
    return Refuse("project_accepted",
                  "the project is accepted (验收) and takes nothing more");
  }
  switch (command.command_case()) {
  case C::kStartProject:
    return Start(state, command.start_project(), ctx);
  case C::kRecordSpending:
    return Spend(state, command.record_spending(), ctx);
  case C::kReportBeneficiaries:
    return Beneficiaries(state, command.report_beneficiaries(), ctx);
  case C::kRecordEvaluation:
    return Evaluate(state, command.record_evaluation(), ctx);
  case C::kAcceptProject:
    return Accept(state, command.accept_project(), ctx);
  case C::kRegisterProject:
  case C::COMMAND_NOT_SET:
    break;
  }
  return absl::InternalError("command: not handled");
}

} // namespace haven::projects
