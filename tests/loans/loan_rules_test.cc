// The loan aggregate's rules (services/loans/domain/RULES.md), one test per
// rule, each named for it; pure Decide/Evolve, no storage or gRPC.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/loans/domain/loan_decide.h"
#include "services/loans/domain/loan_state.h"

namespace haven::loans {
namespace {

constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kYuan = 100;

int64_t Cst(int y, int m, int d, int hh = 10) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::FixedTimeZone(8 * 3600)));
}

UnitFacts Unit(const std::string& id, UnitLevel level, std::vector<std::string> ancestors,
               bool open = true) {
  UnitFacts u;
  u.id = id;
  u.exists = true;
  u.open = open;
  u.level = level;
  u.ancestors = std::move(ancestors);
  return u;
}

// 南京市 / 玄武区 / 梅园街道 / 梅园社区, and a neighbour in another district.
const UnitFacts kCity = Unit("nj", UnitLevel::kCity, {});
const UnitFacts kCounty = Unit("nj-xw", UnitLevel::kCounty, {"nj"});
const UnitFacts kTownship = Unit("nj-xw-my", UnitLevel::kTownship, {"nj", "nj-xw"});
const UnitFacts kVillage = Unit("nj-xw-my-1", UnitLevel::kVillage, {"nj", "nj-xw", "nj-xw-my"});
const UnitFacts kOtherVillage =
    Unit("nj-xw-my-2", UnitLevel::kVillage, {"nj", "nj-xw", "nj-xw-my"});
const UnitFacts kOtherCounty = Unit("nj-qh", UnitLevel::kCounty, {"nj"});
const UnitFacts kOtherTownship = Unit("nj-qh-a", UnitLevel::kTownship, {"nj", "nj-qh"});

// A valid woman's ID number (GB 11643 check character).
constexpr char kWomanId[] = "11010519491231002X";
constexpr char kManId[] = "110105194912310011";

v1::LoanCommand ApplyCommand() {
  v1::LoanCommand c;
  v1::ApplyForLoan* a = c.mutable_apply_for_loan();
  a->set_applicant_kind(v1::APPLICANT_KIND_WOMAN);
  a->mutable_applicant()->set_name("王秀英");
  a->mutable_applicant()->set_id_number(kWomanId);
  a->mutable_applicant()->set_phone("13912345678");
  a->set_village_unit_id(kVillage.id);
  a->set_amount_fen(80'000 * kYuan);
  a->set_term_months(24);
  a->set_purpose(v1::LOAN_PURPOSE_PLANTING);
  a->set_project("香菇种植大棚两个");
  a->set_jobs_expected(5);
  return c;
}

class LoanRulesTest : public ::testing::Test {
 protected:
  DecideContext Ctx(const UnitFacts& acting) const {
    DecideContext ctx;
    ctx.now_us = now_;
    ctx.actor = "wangfang";
    ctx.loan_id = "loan-1";
    ctx.village = kVillage;
    ctx.acting_unit = acting;
    return ctx;
  }

  absl::StatusOr<std::vector<v1::LoanEvent>> Try(const v1::LoanCommand& c,
                                                 const UnitFacts& acting) {
    return Decide(state_, c, Ctx(acting));
  }

  // Decides and folds; fails the test if refused.
  void Do(const v1::LoanCommand& c, const UnitFacts& acting) {
    auto events = Try(c, acting);
    ASSERT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) Evolve(state_, e);
    now_ += kDayUs;
  }

  void Apply() { Do(ApplyCommand(), kCity); }
  void Certify() {
    v1::LoanCommand c;
    c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
    Do(c, kVillage);
  }
  void Submit() {
    v1::LoanCommand c;
    c.mutable_submit_loan()->set_acting_unit_id(kTownship.id);
    Do(c, kTownship);
  }
  void Opinion(v1::CountyOpinion opinion = v1::COUNTY_OPINION_FAVOURABLE) {
    Do(OpinionCommand(opinion), kCounty);
  }
  static v1::LoanCommand OpinionCommand(v1::CountyOpinion opinion) {
    v1::LoanCommand c;
    c.mutable_give_county_opinion()->set_acting_unit_id(kCounty.id);
    c.mutable_give_county_opinion()->set_opinion(opinion);
    if (opinion == v1::COUNTY_OPINION_UNFAVOURABLE) {
      c.mutable_give_county_opinion()->set_reason("项目风险过高");
    }
    return c;
  }
  static v1::LoanCommand DecisionCommand(v1::LenderDecision decision, int64_t fen) {
    v1::LoanCommand c;
    v1::RecordLenderDecision* d = c.mutable_record_lender_decision();
    d->set_acting_unit_id(kCounty.id);
    d->set_lender("玄武区农村信用合作联社");
    d->set_decision(decision);
    d->set_approved_amount_fen(fen);
    if (decision == v1::LENDER_DECISION_REFUSED) d->set_reason("担保不足");
    return c;
  }
  void Approve(int64_t fen = 50'000 * kYuan) {
    Do(DecisionCommand(v1::LENDER_DECISION_APPROVED, fen), kCounty);
  }
  static v1::LoanCommand DisburseCommand(int64_t fen, int term = 24, int rate_bp = 435) {
    v1::LoanCommand c;
    c.mutable_disburse_loan()->set_acting_unit_id(kCounty.id);
    c.mutable_disburse_loan()->set_amount_fen(fen);
    c.mutable_disburse_loan()->set_term_months(term);
    c.mutable_disburse_loan()->set_annual_rate_bp(rate_bp);
    return c;
  }
  void Disburse(int64_t fen = 50'000 * kYuan) { Do(DisburseCommand(fen), kCounty); }
  static v1::LoanCommand RepayCommand(int64_t principal, int64_t interest = 0) {
    v1::LoanCommand c;
    c.mutable_record_repayment()->set_acting_unit_id(kCounty.id);
    c.mutable_record_repayment()->set_principal_fen(principal);
    c.mutable_record_repayment()->set_interest_fen(interest);
    return c;
  }
  static v1::LoanCommand SubsidyCommand(int period, int64_t fen) {
    v1::LoanCommand c;
    c.mutable_pay_subsidy()->set_acting_unit_id(kCounty.id);
    c.mutable_pay_subsidy()->set_period(period);
    c.mutable_pay_subsidy()->set_amount_fen(fen);
    return c;
  }
  static v1::LoanCommand OverdueCommand(int64_t fen) {
    v1::LoanCommand c;
    c.mutable_mark_overdue()->set_acting_unit_id(kCounty.id);
    c.mutable_mark_overdue()->set_overdue_fen(fen);
    return c;
  }
  static v1::LoanCommand SettleCommand() {
    v1::LoanCommand c;
    c.mutable_settle_loan()->set_acting_unit_id(kCounty.id);
    return c;
  }
  static v1::LoanCommand JobsCommand(const UnitFacts& unit, int jobs) {
    v1::LoanCommand c;
    c.mutable_report_jobs_created()->set_acting_unit_id(unit.id);
    c.mutable_report_jobs_created()->set_jobs_created(jobs);
    return c;
  }
  static v1::LoanCommand WithdrawCommand(const UnitFacts& unit) {
    v1::LoanCommand c;
    c.mutable_withdraw_loan()->set_acting_unit_id(unit.id);
    c.mutable_withdraw_loan()->set_reason("家中变故，不再申请");
    return c;
  }
  void ToDisbursed() {
    Apply();
    Certify();
    Submit();
    Opinion();
    Approve();
    Disburse();
  }

  // The refusal's code and the rule (or field path) its message starts with.
  static void ExpectRefused(const absl::StatusOr<std::vector<v1::LoanEvent>>& r,
                            absl::StatusCode code, const std::string& rule) {
    ASSERT_FALSE(r.ok()) << "accepted, expected " << rule;
    EXPECT_EQ(r.status().code(), code) << r.status();
    EXPECT_TRUE(absl::StartsWith(r.status().message(), rule + ":")) << r.status();
  }
  static void ExpectRule(const absl::StatusOr<std::vector<v1::LoanEvent>>& r,
                         const std::string& rule) {
    ExpectRefused(r, absl::StatusCode::kFailedPrecondition, rule);
  }
  static void ExpectField(const absl::StatusOr<std::vector<v1::LoanEvent>>& r,
                          const std::string& path) {
    ExpectRefused(r, absl::StatusCode::kInvalidArgument, path);
  }

  int64_t now_ = Cst(2024, 3, 1);
  LoanState state_;
};

// ---- Whether the loan takes the command at all.

TEST_F(LoanRulesTest, LoanExists_ApplyingAgainIsRefused) {
  Apply();
  ExpectRefused(Try(ApplyCommand(), kCity), absl::StatusCode::kAlreadyExists, "loan_exists");
}

TEST_F(LoanRulesTest, LoanNotFound_CommandOnAMissingLoan) {
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
  ExpectRefused(Try(c, kVillage), absl::StatusCode::kNotFound, "loan_not_found");
}

TEST_F(LoanRulesTest, ContextActor_IsRequired) {
  DecideContext ctx = Ctx(kCity);
  ctx.actor.clear();
  ExpectField(Decide(state_, ApplyCommand(), ctx), "context.actor");
}

TEST_F(LoanRulesTest, Command_NothingSetIsInvalid) {
  ExpectField(Try(v1::LoanCommand(), kCity), "command");
}

// ---- The chain, in order.

TEST_F(LoanRulesTest, StepOutOfOrder_SubmitBeforeCertification) {
  Apply();
  v1::LoanCommand c;
  c.mutable_submit_loan()->set_acting_unit_id(kTownship.id);
  ExpectRule(Try(c, kTownship), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_CertifyingTwice) {
  Apply();
  Certify();
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
  ExpectRule(Try(c, kVillage), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_OpinionBeforeSubmission) {
  Apply();
  Certify();
  ExpectRule(Try(OpinionCommand(v1::COUNTY_OPINION_FAVOURABLE), kCounty), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_LenderDecisionBeforeTheCountyOpinion) {
  Apply();
  Certify();
  Submit();
  ExpectRule(Try(DecisionCommand(v1::LENDER_DECISION_APPROVED, 50'000 * kYuan), kCounty),
             "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_DisbursementBeforeApproval) {
  Apply();
  Certify();
  Submit();
  Opinion();
  ExpectRule(Try(DisburseCommand(50'000 * kYuan), kCounty), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_SubsidyOnlyOnADisbursedLoan) {
  Apply();
  Certify();
  Submit();
  Opinion();
  Approve();
  ExpectRule(Try(SubsidyCommand(1, 100 * kYuan), kCounty), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_RepaymentBeforeDisbursement) {
  Apply();
  ExpectRule(Try(RepayCommand(100 * kYuan), kCounty), "step_out_of_order");
}

TEST_F(LoanRulesTest, StepOutOfOrder_JobsReportedOnlyOnceDisbursed) {
  Apply();
  ExpectRule(Try(JobsCommand(kVillage, 3), kVillage), "step_out_of_order");
}

// ---- Who acts: a unit of the step's level above the applicant's village.

TEST_F(LoanRulesTest, UnitLevel_ALoanIsAppliedForInAVillage) {
  DecideContext ctx = Ctx(kCity);
  ctx.village = kTownship;
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_village_unit_id(kTownship.id);
  ExpectRule(Decide(state_, c, ctx), "unit_level");
}

TEST_F(LoanRulesTest, UnitClosed_NoApplicationInAClosedVillage) {
  DecideContext ctx = Ctx(kCity);
  ctx.village.open = false;
  ExpectRule(Decide(state_, ApplyCommand(), ctx), "unit_closed");
}

TEST_F(LoanRulesTest, VillageUnitId_UnknownUnitIsInvalid) {
  DecideContext ctx = Ctx(kCity);
  ctx.village.exists = false;
  ExpectField(Decide(state_, ApplyCommand(), ctx), "apply_for_loan.village_unit_id");
}

TEST_F(LoanRulesTest, UnitLevel_OnlyAVillageCertifies) {
  Apply();
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kTownship.id);
  ExpectRule(Try(c, kTownship), "unit_level");
}

TEST_F(LoanRulesTest, UnitNotOverApplicant_AnotherVillageCannotCertify) {
  Apply();
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kOtherVillage.id);
  ExpectRule(Try(c, kOtherVillage), "unit_not_over_applicant");
}

TEST_F(LoanRulesTest, UnitLevel_OnlyATownshipSubmits) {
  Apply();
  Certify();
  v1::LoanCommand c;
  c.mutable_submit_loan()->set_acting_unit_id(kCounty.id);
  ExpectRule(Try(c, kCounty), "unit_level");
}

TEST_F(LoanRulesTest, UnitNotOverApplicant_ATownshipOfAnotherDistrictCannotSubmit) {
  Apply();
  Certify();
  v1::LoanCommand c;
  c.mutable_submit_loan()->set_acting_unit_id(kOtherTownship.id);
  ExpectRule(Try(c, kOtherTownship), "unit_not_over_applicant");
}

TEST_F(LoanRulesTest, UnitLevel_OnlyACountyGivesTheOpinion) {
  Apply();
  Certify();
  Submit();
  v1::LoanCommand c = OpinionCommand(v1::COUNTY_OPINION_FAVOURABLE);
  c.mutable_give_county_opinion()->set_acting_unit_id(kCity.id);
  ExpectRule(Try(c, kCity), "unit_level");
}

TEST_F(LoanRulesTest, UnitNotOverApplicant_AnotherCountyCannotGiveTheOpinion) {
  Apply();
  Certify();
  Submit();
  v1::LoanCommand c = OpinionCommand(v1::COUNTY_OPINION_FAVOURABLE);
  c.mutable_give_county_opinion()->set_acting_unit_id(kOtherCounty.id);
  ExpectRule(Try(c, kOtherCounty), "unit_not_over_applicant");
}

TEST_F(LoanRulesTest, UnitLevel_OnlyTheCountyRecordsDisbursement) {
  Apply();
  Certify();
  Submit();
  Opinion();
  Approve();
  v1::LoanCommand c = DisburseCommand(50'000 * kYuan);
  c.mutable_disburse_loan()->set_acting_unit_id(kTownship.id);
  ExpectRule(Try(c, kTownship), "unit_level");
}

TEST_F(LoanRulesTest, UnitClosed_AClosedUnitDoesNotAct) {
  Apply();
  UnitFacts closed = kVillage;
  closed.open = false;
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
  ExpectRule(Try(c, closed), "unit_closed");
}

TEST_F(LoanRulesTest, ActingUnitId_RequiredAndKnown) {
  Apply();
  v1::LoanCommand c;
  c.mutable_certify_loan();
  ExpectField(Try(c, kVillage), "certify_loan.acting_unit_id");
  c.mutable_certify_loan()->set_acting_unit_id("nowhere");
  UnitFacts unknown;
  unknown.id = "nowhere";
  ExpectField(Try(c, unknown), "certify_loan.acting_unit_id");
}

// ---- A closed loan takes nothing more.

TEST_F(LoanRulesTest, LoanClosed_AnUnfavourableOpinionEndsTheLoan) {
  Apply();
  Certify();
  Submit();
  Opinion(v1::COUNTY_OPINION_UNFAVOURABLE);
  EXPECT_EQ(state_.step, LoanStep::kNotRecommended);
  ExpectRule(Try(DecisionCommand(v1::LENDER_DECISION_APPROVED, 50'000 * kYuan), kCounty),
             "loan_closed");
}

TEST_F(LoanRulesTest, LoanClosed_ARefusedLoanTakesNothingMore) {
  Apply();
  Certify();
  Submit();
  Opinion();
  Do(DecisionCommand(v1::LENDER_DECISION_REFUSED, 0), kCounty);
  ExpectRule(Try(DisburseCommand(50'000 * kYuan), kCounty), "loan_closed");
  ExpectRule(Try(WithdrawCommand(kVillage), kVillage), "loan_closed");
}

TEST_F(LoanRulesTest, LoanClosed_AWithdrawnLoanTakesNothingMore) {
  Apply();
  Certify();
  Do(WithdrawCommand(kVillage), kVillage);
  EXPECT_EQ(state_.step, LoanStep::kWithdrawn);
  v1::LoanCommand c;
  c.mutable_submit_loan()->set_acting_unit_id(kTownship.id);
  ExpectRule(Try(c, kTownship), "loan_closed");
}

TEST_F(LoanRulesTest, WithdrawAfterDisbursement_IsRefused) {
  ToDisbursed();
  ExpectRule(Try(WithdrawCommand(kCounty), kCounty), "withdraw_after_disbursement");
}

TEST_F(LoanRulesTest, LoanSettled_NoRepaymentAfterSettlement) {
  ToDisbursed();
  Do(RepayCommand(50'000 * kYuan, 2'000 * kYuan), kCounty);
  Do(SettleCommand(), kCounty);
  ExpectRule(Try(RepayCommand(100 * kYuan), kCounty), "loan_settled");
  ExpectRule(Try(SubsidyCommand(1, 100 * kYuan), kCounty), "loan_settled");
}

TEST_F(LoanRulesTest, LoanSettled_JobsMayStillBeReported) {
  ToDisbursed();
  Do(RepayCommand(50'000 * kYuan), kCounty);
  Do(SettleCommand(), kCounty);
  Do(JobsCommand(kTownship, 7), kTownship);
  EXPECT_EQ(state_.jobs_created, 7);
}

// ---- Amounts that make sense.

TEST_F(LoanRulesTest, AppliedAmount_From1000To500000Yuan) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_amount_fen(999 * kYuan);
  ExpectField(Try(c, kCity), "apply_for_loan.amount_fen");
  c.mutable_apply_for_loan()->set_amount_fen(500'001 * kYuan);
  ExpectField(Try(c, kCity), "apply_for_loan.amount_fen");
}

TEST_F(LoanRulesTest, ApprovedAmount_AtMostTheAmountAppliedFor) {
  Apply();
  Certify();
  Submit();
  Opinion();
  ExpectField(Try(DecisionCommand(v1::LENDER_DECISION_APPROVED, 80'001 * kYuan), kCounty),
              "record_lender_decision.approved_amount_fen");
}

TEST_F(LoanRulesTest, DisbursedAmount_AtMostTheApprovedAmount) {
  Apply();
  Certify();
  Submit();
  Opinion();
  Approve(50'000 * kYuan);
  ExpectField(Try(DisburseCommand(50'000 * kYuan + 1), kCounty), "disburse_loan.amount_fen");
}

TEST_F(LoanRulesTest, Repayment_NotMoreThanTheOutstandingPrincipal) {
  ToDisbursed();
  Do(RepayCommand(30'000 * kYuan), kCounty);
  ExpectField(Try(RepayCommand(20'000 * kYuan + 1), kCounty), "record_repayment.principal_fen");
}

TEST_F(LoanRulesTest, Repayment_RepaysSomething) {
  ToDisbursed();
  ExpectField(Try(RepayCommand(0, 0), kCounty), "record_repayment.principal_fen");
}

TEST_F(LoanRulesTest, SubsidyPeriodPaid_OncePerPeriod) {
  ToDisbursed();
  Do(SubsidyCommand(1, 100 * kYuan), kCounty);
  ExpectRule(Try(SubsidyCommand(1, 100 * kYuan), kCounty), "subsidy_period_paid");
}

TEST_F(LoanRulesTest, SubsidyPeriod_WithinTheLoansTerm) {
  ToDisbursed();  // 24 months
  ExpectField(Try(SubsidyCommand(25, 100 * kYuan), kCounty), "pay_subsidy.period");
}

TEST_F(LoanRulesTest, Subsidy_NeverMoreThanTheLoansInterest) {
  ToDisbursed();  // 50,000 yuan, 4.35%, 24 months: 4,350 yuan of interest
  Do(SubsidyCommand(1, 4'000 * kYuan), kCounty);
  ExpectField(Try(SubsidyCommand(2, 351 * kYuan), kCounty), "pay_subsidy.amount_fen");
  Do(SubsidyCommand(2, 350 * kYuan), kCounty);
  EXPECT_EQ(state_.subsidy_paid_fen, 4'350 * kYuan);
}

TEST_F(LoanRulesTest, AlreadyOverdue_MarkedOnceUntilRepaid) {
  ToDisbursed();
  Do(OverdueCommand(5'000 * kYuan), kCounty);
  ExpectRule(Try(OverdueCommand(1'000 * kYuan), kCounty), "already_overdue");
  Do(RepayCommand(5'000 * kYuan), kCounty);  // repayments clear what is past due first
  EXPECT_FALSE(state_.overdue());
  Do(OverdueCommand(1'000 * kYuan), kCounty);
  EXPECT_TRUE(state_.overdue());
}

TEST_F(LoanRulesTest, Overdue_NotMoreThanTheOutstandingPrincipal) {
  ToDisbursed();
  ExpectField(Try(OverdueCommand(50'000 * kYuan + 1), kCounty), "mark_overdue.overdue_fen");
}

TEST_F(LoanRulesTest, BalanceOutstanding_SettledOnlyWhenFullyRepaid) {
  ToDisbursed();
  Do(RepayCommand(49'999 * kYuan), kCounty);
  ExpectRule(Try(SettleCommand(), kCounty), "balance_outstanding");
  Do(RepayCommand(1 * kYuan), kCounty);
  Do(SettleCommand(), kCounty);
  EXPECT_EQ(state_.step, LoanStep::kSettled);
}

// ---- Dates that make sense.

TEST_F(LoanRulesTest, Dates_CertificationNotBeforeTheApplication) {
  Apply();
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
  c.mutable_certify_loan()->set_certified_at_us(state_.applied_at_us - 1);
  ExpectField(Try(c, kVillage), "certify_loan.certified_at_us");
}

TEST_F(LoanRulesTest, Dates_NotInTheFuture) {
  Apply();
  v1::LoanCommand c;
  c.mutable_certify_loan()->set_acting_unit_id(kVillage.id);
  c.mutable_certify_loan()->set_certified_at_us(now_ + kDayUs);
  ExpectField(Try(c, kVillage), "certify_loan.certified_at_us");
}

TEST_F(LoanRulesTest, Dates_ApplicationAtMost366DaysAgo) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_applied_at_us(now_ - 367 * kDayUs);
  ExpectField(Try(c, kCity), "apply_for_loan.applied_at_us");
  c.mutable_apply_for_loan()->set_applied_at_us(now_ - 300 * kDayUs);
  EXPECT_TRUE(Try(c, kCity).ok());
}

TEST_F(LoanRulesTest, Dates_RepaymentNotBeforeDisbursement) {
  ToDisbursed();
  v1::LoanCommand c = RepayCommand(100 * kYuan);
  c.mutable_record_repayment()->set_repaid_at_us(state_.disbursed_at_us - 1);
  ExpectField(Try(c, kCounty), "record_repayment.repaid_at_us");
}

TEST_F(LoanRulesTest, Dates_SettlementNotBeforeTheLastRepayment) {
  ToDisbursed();
  Do(RepayCommand(50'000 * kYuan), kCounty);
  v1::LoanCommand c = SettleCommand();
  c.mutable_settle_loan()->set_settled_at_us(state_.last_fact_at_us - 1);
  ExpectField(Try(c, kCounty), "settle_loan.settled_at_us");
}

TEST_F(LoanRulesTest, Dates_MaturityIsTheTermInCalendarMonths) {
  ToDisbursed();
  const absl::CivilSecond disbursed = absl::ToCivilSecond(
      absl::FromUnixMicros(state_.disbursed_at_us), absl::FixedTimeZone(8 * 3600));
  const absl::CivilSecond matures = absl::ToCivilSecond(
      absl::FromUnixMicros(state_.matures_at_us), absl::FixedTimeZone(8 * 3600));
  EXPECT_EQ(matures.year(), disbursed.year() + 2);
  EXPECT_EQ(matures.month(), disbursed.month());
  EXPECT_EQ(matures.day(), disbursed.day());
}

// ---- Fields.

TEST_F(LoanRulesTest, Fields_ApplicantNameIsRequired) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->mutable_applicant()->set_name("　 ");
  ExpectField(Try(c, kCity), "apply_for_loan.applicant.name");
}

TEST_F(LoanRulesTest, Fields_TextMustBeUtf8) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->mutable_applicant()->set_name("王\xff");
  ExpectField(Try(c, kCity), "apply_for_loan.applicant.name");
  c = ApplyCommand();
  c.mutable_apply_for_loan()->set_project(std::string("\xe9\x9d", 2));
  ExpectField(Try(c, kCity), "apply_for_loan.project");
}

TEST_F(LoanRulesTest, Fields_IdNumberIsChecked) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->mutable_applicant()->set_id_number("110105194912310021");
  ExpectField(Try(c, kCity), "apply_for_loan.applicant.id_number");
}

TEST_F(LoanRulesTest, Fields_AWomansLoanIsNotOnAMansIdNumber) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->mutable_applicant()->set_id_number(kManId);
  ExpectField(Try(c, kCity), "apply_for_loan.applicant.id_number");
  c.mutable_apply_for_loan()->set_applicant_kind(v1::APPLICANT_KIND_HOUSEHOLD);
  c.mutable_apply_for_loan()->set_household_members(4);
  EXPECT_TRUE(Try(c, kCity).ok());
}

TEST_F(LoanRulesTest, Fields_PhoneIsChecked) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->mutable_applicant()->set_phone("2391234567");
  ExpectField(Try(c, kCity), "apply_for_loan.applicant.phone");
}

TEST_F(LoanRulesTest, Fields_HouseholdMembersForHouseholdsOnly) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_household_members(3);
  ExpectField(Try(c, kCity), "apply_for_loan.household_members");
  c.mutable_apply_for_loan()->set_applicant_kind(v1::APPLICANT_KIND_HOUSEHOLD);
  c.mutable_apply_for_loan()->set_household_members(0);
  ExpectField(Try(c, kCity), "apply_for_loan.household_members");
}

TEST_F(LoanRulesTest, Fields_PurposeIsAKnownValue) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_purpose(static_cast<v1::LoanPurpose>(42));
  ExpectField(Try(c, kCity), "apply_for_loan.purpose");
}

TEST_F(LoanRulesTest, Fields_TermFrom1To36Months) {
  v1::LoanCommand c = ApplyCommand();
  c.mutable_apply_for_loan()->set_term_months(37);
  ExpectField(Try(c, kCity), "apply_for_loan.term_months");
  Apply();
  Certify();
  Submit();
  Opinion();
  Approve();
  ExpectField(Try(DisburseCommand(50'000 * kYuan, 0), kCounty), "disburse_loan.term_months");
}

TEST_F(LoanRulesTest, Fields_RateFrom1To2000BasisPoints) {
  Apply();
  Certify();
  Submit();
  Opinion();
  Approve();
  ExpectField(Try(DisburseCommand(50'000 * kYuan, 24, 2'001), kCounty),
              "disburse_loan.annual_rate_bp");
}

TEST_F(LoanRulesTest, Fields_AnUnfavourableOpinionGivesItsReason) {
  Apply();
  Certify();
  Submit();
  v1::LoanCommand c = OpinionCommand(v1::COUNTY_OPINION_UNFAVOURABLE);
  c.mutable_give_county_opinion()->clear_reason();
  ExpectField(Try(c, kCounty), "give_county_opinion.reason");
}

TEST_F(LoanRulesTest, Fields_ARefusalGivesItsReasonAndNoAmount) {
  Apply();
  Certify();
  Submit();
  Opinion();
  v1::LoanCommand c = DecisionCommand(v1::LENDER_DECISION_REFUSED, 0);
  c.mutable_record_lender_decision()->clear_reason();
  ExpectField(Try(c, kCounty), "record_lender_decision.reason");
  ExpectField(Try(DecisionCommand(v1::LENDER_DECISION_REFUSED, 100 * kYuan), kCounty),
              "record_lender_decision.approved_amount_fen");
}

// ---- The whole chain.

TEST_F(LoanRulesTest, Story_FromApplicationToSettlementWithJobs) {
  ToDisbursed();
  Do(SubsidyCommand(1, 181 * kYuan), kCounty);
  Do(OverdueCommand(2'000 * kYuan), kCounty);
  Do(RepayCommand(2'000 * kYuan, 300 * kYuan), kCounty);
  Do(JobsCommand(kVillage, 4), kVillage);
  Do(RepayCommand(48'000 * kYuan, 1'900 * kYuan), kCounty);
  Do(SettleCommand(), kCounty);
  EXPECT_EQ(state_.step, LoanStep::kSettled);
  EXPECT_EQ(state_.version, 11);
  EXPECT_EQ(state_.outstanding_fen(), 0);
  EXPECT_EQ(state_.interest_repaid_fen, 2'200 * kYuan);
  EXPECT_EQ(state_.subsidy_paid_fen, 181 * kYuan);
  EXPECT_EQ(state_.jobs_created, 4);
  EXPECT_FALSE(state_.overdue());
}

TEST_F(LoanRulesTest, Evolve_EveryEventIsStampedWithTimeAndActor) {
  auto events = Try(ApplyCommand(), kCity);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].occurred_at_us(), now_);
  EXPECT_EQ((*events)[0].actor(), "wangfang");
  EXPECT_EQ((*events)[0].applied().applied_at_us(), now_);
}

}  // namespace
}  // namespace haven::loans
