#include "services/loans/domain/loan_decide.h"

#include <algorithm>
#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/field_rules.h"
#include "services/common/id_number.h"

// Returns from the calling function if `expr` (an absl::Status) is not OK.
#define HAVEN_LOANS_RETURN_IF_ERROR(expr)               \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

namespace haven::loans {
namespace {

using fields::CheckCount;
using fields::CheckEnum;
using fields::CheckFen;
using fields::CheckFreeText;
using fields::CheckId;
using fields::CheckLine;
using fields::CheckPastTime;
using fields::InvalidField;
using fields::Presence;
using fields::TimeOrNow;
using Events = std::vector<v1::LoanEvent>;
using Decision = absl::StatusOr<Events>;

constexpr int64_t kMinAppliedFen = 1'000 * 100;      // 1,000 yuan
constexpr int64_t kMaxAppliedFen = 500'000 * 100;    // 500,000 yuan
constexpr int64_t kMaxRepaymentFen = 1'000'000 * 100;
constexpr int kMaxTermMonths = 36;
constexpr int kMaxRateBp = 2'000;  // 20% a year
constexpr int kMaxJobs = 1'000;
constexpr int kMaxHouseholdMembers = 20;
constexpr int64_t kMaxApplicationAgeUs = 366 * fields::kMicrosPerDay;

absl::Status Refuse(absl::string_view rule, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(rule, ": ", detail));
}

v1::LoanEvent NewEvent(const DecideContext& ctx) {
  v1::LoanEvent e;
  e.set_occurred_at_us(ctx.now_us);
  e.set_actor(ctx.actor);
  return e;
}

// "certify_loan.certified_at_us" etc.
std::string Path(absl::string_view command, absl::string_view field) {
  return absl::StrCat(command, ".", field);
}

// Resolves a time where 0 means now into *resolved: not in the future, not
// before `earliest_us` (the step it follows).
absl::Status CheckStepTime(absl::string_view path, int64_t given_us, int64_t earliest_us,
                           absl::string_view earliest_what, const DecideContext& ctx,
                           int64_t* resolved) {
  *resolved = TimeOrNow(given_us, ctx.now_us);
  return CheckPastTime(path, *resolved, ctx.now_us, earliest_us, earliest_what);
}

// Text from a bytes field, checked as one line or free text.
absl::Status CheckText(absl::string_view path, const std::string& text, size_t max_chars,
                       Presence presence, bool multiline = false) {
  return multiline ? CheckFreeText(path, text, max_chars, presence)
                   : CheckLine(path, text, max_chars, presence);
}

const char* LevelName(UnitLevel level) {
  switch (level) {
    case UnitLevel::kCity:
      return "a city";
    case UnitLevel::kCounty:
      return "a county or district";
    case UnitLevel::kTownship:
      return "a township or street";
    case UnitLevel::kVillage:
      return "a village or community";
    case UnitLevel::kOther:
      break;
  }
  return "not a unit of the chain";
}

bool IsOverVillage(const UnitFacts& unit, const UnitFacts& village) {
  return unit.id == village.id ||
         std::find(village.ancestors.begin(), village.ancestors.end(), unit.id) !=
             village.ancestors.end();
}

// The acting unit's id is well-formed (a field rule).
absl::Status CheckActingUnitId(absl::string_view command, const std::string& id) {
  return CheckId(Path(command, "acting_unit_id"), id, Presence::kRequired);
}

// The acting unit exists, is open, is of one of `levels` and is the
// applicant's village or above it.
absl::Status CheckActingUnit(absl::string_view command, const DecideContext& ctx,
                             std::initializer_list<UnitLevel> levels, absl::string_view who) {
  const UnitFacts& unit = ctx.acting_unit;
  if (!unit.exists) {
    return InvalidField(Path(command, "acting_unit_id"),
                        absl::StrCat("unit ", unit.id, " does not exist"));
  }
  if (!unit.open) return Refuse("unit_closed", absl::StrCat("unit ", unit.id, " is closed"));
  if (std::find(levels.begin(), levels.end(), unit.level) == levels.end()) {
    return Refuse("unit_level", absl::StrCat(command, " is done by ", who, "; unit ", unit.id,
                                             " is ", LevelName(unit.level)));
  }
  if (!IsOverVillage(unit, ctx.village)) {
    return Refuse("unit_not_over_applicant",
                  absl::StrCat("unit ", unit.id, " is not the applicant's village ",
                               ctx.village.id, " nor above it"));
  }
  return absl::OkStatus();
}

// step_out_of_order unless the loan is at one of `steps`.
absl::Status CheckStep(const LoanState& s, std::initializer_list<LoanStep> steps,
                       absl::string_view command, absl::string_view follows) {
  if (std::find(steps.begin(), steps.end(), s.step) != steps.end()) return absl::OkStatus();
  return Refuse("step_out_of_order", absl::StrCat(command, " follows ", follows, "; the loan is ",
                                                  StepName(s.step)));
}

int64_t MaturityOf(int64_t disbursed_at_us, int term_months) {
  const absl::TimeZone cst = absl::FixedTimeZone(8 * 3600);
  const absl::CivilSecond at = absl::ToCivilSecond(absl::FromUnixMicros(disbursed_at_us), cst);
  const absl::CivilSecond due(at.year(), at.month() + term_months, at.day(), at.hour(),
                              at.minute(), at.second());
  return absl::ToUnixMicros(absl::FromCivil(due, cst));
}

Decision Apply(const v1::ApplyForLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "apply_for_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "applicant_kind"), c.applicant_kind(),
                                        v1::ApplicantKind_IsValid, Presence::kRequired));
  if (!c.has_applicant()) return InvalidField(Path(kCmd, "applicant"), "is required");
  const v1::ApplicantInput& a = c.applicant();
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckText(Path(kCmd, "applicant.name"), a.name(), fields::kMaxNameChars, Presence::kRequired));
  std::string id_number = a.id_number();
  if (!id_number.empty()) {
    auto facts = fields::ParseIdNumber(Path(kCmd, "applicant.id_number"), id_number, ctx.now_us);
    if (!facts.ok()) return facts.status();
    if (id_number[17] == 'x') id_number[17] = 'X';
    if (c.applicant_kind() == v1::APPLICANT_KIND_WOMAN && facts->male) {
      return InvalidField(Path(kCmd, "applicant.id_number"),
                          "is a man's; a woman's loan is applied for by the woman herself");
    }
  }
  HAVEN_LOANS_RETURN_IF_ERROR(fields::CheckPhone(Path(kCmd, "applicant.phone"), a.phone()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckText(Path(kCmd, "applicant.address"), a.address(),
                                        fields::kMaxShortTextChars, Presence::kOptional));
  if (c.applicant_kind() == v1::APPLICANT_KIND_HOUSEHOLD) {
    HAVEN_LOANS_RETURN_IF_ERROR(CheckCount(Path(kCmd, "household_members"),
                                           c.household_members(), 1, kMaxHouseholdMembers));
  } else if (c.household_members() != 0) {
    return InvalidField(Path(kCmd, "household_members"), "is for households only");
  }
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckId(Path(kCmd, "village_unit_id"), c.village_unit_id(), Presence::kRequired));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "amount_fen"), c.amount_fen(), kMinAppliedFen, kMaxAppliedFen));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckCount(Path(kCmd, "term_months"), c.term_months(), 1, kMaxTermMonths));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "purpose"), c.purpose(),
                                        v1::LoanPurpose_IsValid, Presence::kRequired));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckText(Path(kCmd, "project"), c.project(),
                                        fields::kMaxShortTextChars, Presence::kRequired));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckCount(Path(kCmd, "jobs_expected"), c.jobs_expected(), 0, kMaxJobs));
  int64_t applied_at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "applied_at_us"), c.applied_at_us(),
                                            ctx.now_us - kMaxApplicationAgeUs, "366 days ago",
                                            ctx, &applied_at));
  const UnitFacts& village = ctx.village;
  if (!village.exists) {
    return InvalidField(Path(kCmd, "village_unit_id"),
                        absl::StrCat("unit ", village.id, " does not exist"));
  }
  if (!village.open) return Refuse("unit_closed", absl::StrCat("unit ", village.id, " is closed"));
  if (village.level != UnitLevel::kVillage) {
    return Refuse("unit_level", absl::StrCat("a loan is applied for in a village or community; "
                                             "unit ",
                                             village.id, " is ", LevelName(village.level)));
  }
  v1::LoanEvent e = NewEvent(ctx);
  v1::LoanApplied* applied = e.mutable_applied();
  applied->set_loan_id(ctx.loan_id);
  applied->set_applicant_kind(c.applicant_kind());
  applied->mutable_applicant()->set_name(a.name());
  applied->mutable_applicant()->set_id_number(id_number);
  applied->mutable_applicant()->set_phone(a.phone());
  applied->mutable_applicant()->set_address(a.address());
  applied->set_household_members(c.household_members());
  applied->set_village_unit_id(c.village_unit_id());
  applied->set_amount_fen(c.amount_fen());
  applied->set_term_months(c.term_months());
  applied->set_purpose(c.purpose());
  applied->set_project(c.project());
  applied->set_jobs_expected(c.jobs_expected());
  applied->set_applied_at_us(applied_at);
  return Events{std::move(e)};
}

Decision Certify(const LoanState& s, const v1::CertifyLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "certify_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckText(Path(kCmd, "note"), c.note(), fields::kMaxReasonChars, Presence::kOptional, true));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kApplied}, kCmd, "apply_for_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kVillage}, "the applicant's village or community"));
  if (ctx.acting_unit.id != ctx.village.id) {
    return Refuse("unit_not_over_applicant",
                  absl::StrCat("only the applicant's own village ", ctx.village.id,
                               " certifies; unit ", ctx.acting_unit.id, " is another"));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "certified_at_us"), c.certified_at_us(),
                                            s.applied_at_us, "the application", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_certified()->set_unit_id(c.acting_unit_id());
  e.mutable_certified()->set_note(c.note());
  e.mutable_certified()->set_certified_at_us(at);
  return Events{std::move(e)};
}

Decision Submit(const LoanState& s, const v1::SubmitLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "submit_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kCertified}, kCmd, "certify_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kTownship}, "the township or street federation"));
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "submitted_at_us"), c.submitted_at_us(),
                                            s.certified_at_us, "the certification", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_submitted()->set_unit_id(c.acting_unit_id());
  e.mutable_submitted()->set_submitted_at_us(at);
  return Events{std::move(e)};
}

Decision Opinion(const LoanState& s, const v1::GiveCountyOpinion& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "give_county_opinion";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "opinion"), c.opinion(),
                                        v1::CountyOpinion_IsValid, Presence::kRequired));
  const bool favourable = c.opinion() == v1::COUNTY_OPINION_FAVOURABLE;
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckText(Path(kCmd, "reason"), c.reason(), fields::kMaxReasonChars,
                favourable ? Presence::kOptional : Presence::kRequired, true));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kSubmitted}, kCmd, "submit_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "given_at_us"), c.given_at_us(),
                                            s.submitted_at_us, "the submission", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  v1::CountyOpinionGiven* given = e.mutable_county_opinion_given();
  given->set_unit_id(c.acting_unit_id());
  given->set_opinion(c.opinion());
  given->set_reason(c.reason());
  given->set_given_at_us(at);
  return Events{std::move(e)};
}

Decision Decision_(const LoanState& s, const v1::RecordLenderDecision& c,
                   const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "record_lender_decision";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckText(Path(kCmd, "lender"), c.lender(),
                                        fields::kMaxShortTextChars, Presence::kRequired));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "decision"), c.decision(),
                                        v1::LenderDecision_IsValid, Presence::kRequired));
  const bool approved = c.decision() == v1::LENDER_DECISION_APPROVED;
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckText(Path(kCmd, "reason"), c.reason(), fields::kMaxReasonChars,
                approved ? Presence::kOptional : Presence::kRequired, true));
  if (!approved && c.approved_amount_fen() != 0) {
    return InvalidField(Path(kCmd, "approved_amount_fen"), "must be 0 for a refusal");
  }
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckStep(s, {LoanStep::kRecommended}, kCmd, "a favourable give_county_opinion"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  if (approved) {
    HAVEN_LOANS_RETURN_IF_ERROR(CheckFen(Path(kCmd, "approved_amount_fen"),
                                         c.approved_amount_fen(), kMinAppliedFen, s.applied_fen));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "decided_at_us"), c.decided_at_us(),
                                            s.opinion_at_us, "the county's opinion", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  v1::LenderDecided* decided = e.mutable_lender_decided();
  decided->set_unit_id(c.acting_unit_id());
  decided->set_lender(c.lender());
  decided->set_decision(c.decision());
  decided->set_approved_amount_fen(c.approved_amount_fen());
  decided->set_reason(c.reason());
  decided->set_decided_at_us(at);
  return Events{std::move(e)};
}

Decision Disburse(const LoanState& s, const v1::DisburseLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "disburse_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckCount(Path(kCmd, "term_months"), c.term_months(), 1, kMaxTermMonths));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckCount(Path(kCmd, "annual_rate_bp"), c.annual_rate_bp(), 1, kMaxRateBp));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckStep(s, {LoanStep::kApproved}, kCmd, "an approving record_lender_decision"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "amount_fen"), c.amount_fen(), kMinAppliedFen, s.approved_fen));
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "disbursed_at_us"), c.disbursed_at_us(),
                                            s.decided_at_us, "the lender's decision", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  v1::LoanDisbursed* d = e.mutable_disbursed();
  d->set_unit_id(c.acting_unit_id());
  d->set_amount_fen(c.amount_fen());
  d->set_term_months(c.term_months());
  d->set_annual_rate_bp(c.annual_rate_bp());
  d->set_disbursed_at_us(at);
  d->set_matures_at_us(MaturityOf(at, c.term_months()));
  return Events{std::move(e)};
}

Decision Subsidy(const LoanState& s, const v1::PaySubsidy& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "pay_subsidy";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckCount(Path(kCmd, "period"), c.period(), 1, kMaxTermMonths));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "amount_fen"), c.amount_fen(), 1, kMaxRepaymentFen));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kDisbursed}, kCmd, "disburse_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  if (s.subsidy_periods.count(c.period()) > 0) {
    return Refuse("subsidy_period_paid",
                  absl::StrCat("the subsidy for period ", c.period(), " is paid already"));
  }
  if (c.period() > s.disbursed_term_months) {
    return InvalidField(Path(kCmd, "period"), absl::StrCat("must be within the loan's term of ",
                                                           s.disbursed_term_months, " months"));
  }
  if (s.subsidy_paid_fen + c.amount_fen() > s.term_interest_fen()) {
    return InvalidField(Path(kCmd, "amount_fen"),
                        absl::StrCat("would bring the subsidy to ",
                                     fields::FormatYuan(s.subsidy_paid_fen + c.amount_fen()),
                                     ", more than the loan's interest over its term (",
                                     fields::FormatYuan(s.term_interest_fen()), ")"));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "paid_at_us"), c.paid_at_us(),
                                            s.disbursed_at_us, "the disbursement", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_subsidy_paid()->set_unit_id(c.acting_unit_id());
  e.mutable_subsidy_paid()->set_period(c.period());
  e.mutable_subsidy_paid()->set_amount_fen(c.amount_fen());
  e.mutable_subsidy_paid()->set_paid_at_us(at);
  return Events{std::move(e)};
}

Decision Repay(const LoanState& s, const v1::RecordRepayment& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "record_repayment";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "principal_fen"), c.principal_fen(), 0, kMaxRepaymentFen));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "interest_fen"), c.interest_fen(), 0, kMaxRepaymentFen));
  if (c.principal_fen() == 0 && c.interest_fen() == 0) {
    return InvalidField(Path(kCmd, "principal_fen"), "a repayment repays something");
  }
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kDisbursed}, kCmd, "disburse_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  if (c.principal_fen() > s.outstanding_fen()) {
    return InvalidField(Path(kCmd, "principal_fen"),
                        absl::StrCat("must not exceed the outstanding ",
                                     fields::FormatYuan(s.outstanding_fen())));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "repaid_at_us"), c.repaid_at_us(),
                                            s.disbursed_at_us, "the disbursement", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_repayment_recorded()->set_unit_id(c.acting_unit_id());
  e.mutable_repayment_recorded()->set_principal_fen(c.principal_fen());
  e.mutable_repayment_recorded()->set_interest_fen(c.interest_fen());
  e.mutable_repayment_recorded()->set_repaid_at_us(at);
  return Events{std::move(e)};
}

Decision Overdue(const LoanState& s, const v1::MarkOverdue& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "mark_overdue";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckFen(Path(kCmd, "overdue_fen"), c.overdue_fen(), 1, kMaxAppliedFen));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kDisbursed}, kCmd, "disburse_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  if (s.overdue()) {
    return Refuse("already_overdue", absl::StrCat("the loan is overdue already (",
                                                  fields::FormatYuan(s.overdue_fen), ")"));
  }
  if (c.overdue_fen() > s.outstanding_fen()) {
    return InvalidField(Path(kCmd, "overdue_fen"),
                        absl::StrCat("must not exceed the outstanding ",
                                     fields::FormatYuan(s.outstanding_fen())));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "overdue_at_us"), c.overdue_at_us(),
                                            s.disbursed_at_us, "the disbursement", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_overdue()->set_unit_id(c.acting_unit_id());
  e.mutable_overdue()->set_overdue_fen(c.overdue_fen());
  e.mutable_overdue()->set_overdue_at_us(at);
  return Events{std::move(e)};
}

Decision Settle(const LoanState& s, const v1::SettleLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "settle_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStep(s, {LoanStep::kDisbursed}, kCmd, "disburse_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kCounty}, "the county or district federation"));
  if (s.outstanding_fen() > 0) {
    return Refuse("balance_outstanding",
                  absl::StrCat(fields::FormatYuan(s.outstanding_fen()),
                               " of principal is still outstanding"));
  }
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "settled_at_us"), c.settled_at_us(),
                                            s.last_fact_at_us, "the last repayment", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_settled()->set_unit_id(c.acting_unit_id());
  e.mutable_settled()->set_settled_at_us(at);
  return Events{std::move(e)};
}

Decision Jobs(const LoanState& s, const v1::ReportJobsCreated& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "report_jobs_created";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckCount(Path(kCmd, "jobs_created"), c.jobs_created(), 0, kMaxJobs));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckStep(s, {LoanStep::kDisbursed, LoanStep::kSettled}, kCmd, "disburse_loan"));
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx, {UnitLevel::kVillage, UnitLevel::kTownship, UnitLevel::kCounty},
                      "the village, township or county over the applicant"));
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "reported_at_us"), c.reported_at_us(),
                                            s.disbursed_at_us, "the disbursement", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_jobs_reported()->set_unit_id(c.acting_unit_id());
  e.mutable_jobs_reported()->set_jobs_created(c.jobs_created());
  e.mutable_jobs_reported()->set_reported_at_us(at);
  return Events{std::move(e)};
}

Decision Withdraw(const LoanState& s, const v1::WithdrawLoan& c, const DecideContext& ctx) {
  constexpr absl::string_view kCmd = "withdraw_loan";
  HAVEN_LOANS_RETURN_IF_ERROR(CheckActingUnitId(kCmd, c.acting_unit_id()));
  HAVEN_LOANS_RETURN_IF_ERROR(CheckText(Path(kCmd, "reason"), c.reason(), fields::kMaxReasonChars,
                                        Presence::kRequired, true));
  if (s.step == LoanStep::kDisbursed) {
    return Refuse("withdraw_after_disbursement",
                  "the money is lent; a disbursed loan is repaid and settled, not withdrawn");
  }
  HAVEN_LOANS_RETURN_IF_ERROR(
      CheckActingUnit(kCmd, ctx,
                      {UnitLevel::kVillage, UnitLevel::kTownship, UnitLevel::kCounty},
                      "the village, township or county over the applicant"));
  int64_t at = 0;
  HAVEN_LOANS_RETURN_IF_ERROR(CheckStepTime(Path(kCmd, "withdrawn_at_us"), c.withdrawn_at_us(),
                                            s.applied_at_us, "the application", ctx, &at));
  v1::LoanEvent e = NewEvent(ctx);
  e.mutable_withdrawn()->set_unit_id(c.acting_unit_id());
  e.mutable_withdrawn()->set_reason(c.reason());
  e.mutable_withdrawn()->set_withdrawn_at_us(at);
  return Events{std::move(e)};
}

bool Closed(LoanStep step) {
  return step == LoanStep::kNotRecommended || step == LoanStep::kRefused ||
         step == LoanStep::kWithdrawn;
}

}  // namespace

absl::StatusOr<std::vector<v1::LoanEvent>> Decide(const LoanState& state,
                                                  const v1::LoanCommand& command,
                                                  const DecideContext& ctx) {
  if (ctx.now_us <= 0) return absl::InternalError("context.now_us: required");
  if (ctx.actor.empty()) return InvalidField("context.actor", "who acts is required");
  if (command.command_case() == v1::LoanCommand::COMMAND_NOT_SET) {
    return InvalidField("command", "no command is set");
  }
  using C = v1::LoanCommand;
  if (command.command_case() == C::kApplyForLoan) {
    if (ctx.loan_id.empty()) return absl::InternalError("context.loan_id: required");
    if (state.exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("loan_exists: loan ", ctx.loan_id, " already exists"));
    }
    return Apply(command.apply_for_loan(), ctx);
  }
  if (!state.exists) {
    return absl::NotFoundError(absl::StrCat("loan_not_found: there is no loan ", ctx.loan_id));
  }
  if (Closed(state.step)) {
    return Refuse("loan_closed", absl::StrCat("the loan is ", StepName(state.step),
                                              " and takes nothing more"));
  }
  if (state.step == LoanStep::kSettled && command.command_case() != C::kReportJobsCreated) {
    return Refuse("loan_settled", "a settled loan takes only reports of jobs created");
  }
  switch (command.command_case()) {
    case C::kCertifyLoan:
      return Certify(state, command.certify_loan(), ctx);
    case C::kSubmitLoan:
      return Submit(state, command.submit_loan(), ctx);
    case C::kGiveCountyOpinion:
      return Opinion(state, command.give_county_opinion(), ctx);
    case C::kRecordLenderDecision:
      return Decision_(state, command.record_lender_decision(), ctx);
    case C::kDisburseLoan:
      return Disburse(state, command.disburse_loan(), ctx);
    case C::kPaySubsidy:
      return Subsidy(state, command.pay_subsidy(), ctx);
    case C::kRecordRepayment:
      return Repay(state, command.record_repayment(), ctx);
    case C::kMarkOverdue:
      return Overdue(state, command.mark_overdue(), ctx);
    case C::kSettleLoan:
      return Settle(state, command.settle_loan(), ctx);
    case C::kReportJobsCreated:
      return Jobs(state, command.report_jobs_created(), ctx);
    case C::kWithdrawLoan:
      return Withdraw(state, command.withdraw_loan(), ctx);
    case C::kApplyForLoan:
    case C::COMMAND_NOT_SET:
      break;
  }
  return absl::InternalError("command: not handled");
}

}  // namespace haven::loans
