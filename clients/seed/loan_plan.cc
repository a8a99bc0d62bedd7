// The entrepreneurship loans of ProgrammeGenerator: the chain of
// domain.md ("the village women's congress certifies, the township
// federation submits the materials, the county federation gives its
// opinion"), the lender's decision and disbursement, then a quarter at a
// time the repayment and the interest subsidy (贴息), jobs reported, and
// settlement.  About one application in five ends before disbursement
// (withdrawn, not recommended, refused); about one loan in ten falls
// overdue once, and some of those stay overdue.
#include <algorithm>
#include <string>
#include <vector>

#include "haven/loans/v1/loan_commands.pb.h"
#include "seed/identity.h"
#include "seed/programme_plan.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace lv1 = haven::loans::v1;

// What the applicant means to do, by purpose (free text: personal data).
const std::vector<std::vector<std::string>> kProjects = {
    {},
    {"扩大大棚蔬菜种植面积", "种植优质葡萄二十亩", "发展食用菌种植", "种植有机茶叶",
     "建设草莓采摘园"},
    {"扩大生猪养殖规模", "发展稻田小龙虾养殖", "养殖土鸡三千羽", "发展湖羊养殖",
     "扩建螃蟹养殖塘口"},
    {"开办农产品加工作坊", "扩大手工布鞋加工", "开办豆制品加工坊", "发展竹编手工艺品加工"},
    {"开设农资经营店", "经营电商网店销售土特产", "开办乡村便利店", "经营农家乐"},
    {"开办家政服务站", "组建月嫂服务队", "开办课后托管服务", "开办居家养老护理服务"},
};

const std::vector<std::string> kUnfavourable = {"申请人已有未结清贷款，暂不推荐",
                                                "项目可行性论证不足，建议完善后再申请",
                                                "经营场地尚未落实，暂不推荐"};
const std::vector<std::string> kRefusals = {"担保条件不足", "申请人征信记录不符合要求",
                                            "还款能力评估未通过"};
const std::vector<std::string> kWithdrawals = {"家庭原因决定暂缓创业", "已通过其他渠道筹得资金",
                                               "项目合伙人退出，申请人撤回申请"};

class LoanBuilder {
 public:
  LoanBuilder(const ProgrammeGenerator& generator, uint64_t index)
      : g_(generator),
        dir_(generator.directory()),
        rng_(dir_.seed, "loan", index),
        id_(LoanIdFor(dir_.seed, index)),
        story_(generator, Programme::kLoans, id_, "haven.loans.v1.LoanService") {}

  ProgrammePlan Build();

 private:
  // An office-hours instant `lo`..`hi` days after the last step.
  int64_t After(int64_t lo, int64_t hi) {
    return OfficeTime(rng_, CstDayOf(story_.last_us()) + rng_.Between(lo, hi));
  }
  bool Add(lv1::LoanCommand command, int unit, int64_t at) {
    return story_.Add(id_, std::move(command), "op-" + dir_.units[unit].unit_id, at);
  }
  bool Withdraw(int unit) {
    lv1::LoanCommand c;
    c.mutable_withdraw_loan()->set_acting_unit_id(dir_.units[unit].unit_id);
    c.mutable_withdraw_loan()->set_reason(rng_.Pick(kWithdrawals));
    return Add(std::move(c), unit, After(1, 10));
  }
  void Apply();
  // The quarters after disbursement: repayments, subsidies, overdue, jobs.
  void Repay(int64_t approved_fen, int term, int rate_bp);

  const ProgrammeGenerator& g_;
  const DirectoryPlan& dir_;
  Rng rng_;
  const std::string id_;
  StoryBuilder story_;
  int village_ = 0, township_ = 0, county_ = 0;
  int64_t amount_fen_ = 0;
  int term_ = 12, jobs_expected_ = 1;
};

void LoanBuilder::Apply() {
  village_ = g_.DrawVillage(rng_);
  township_ = dir_.units[village_].township;
  county_ = dir_.units[village_].county;
  const bool household = rng_.Chance(0.12);
  // A county's 2.3 million yuan to 27 women is about 85,000 yuan each;
  // 2.46 million to 57 households about 43,000.
  const int64_t yuan = household ? std::vector<int64_t>{30000, 50000, 80000}[rng_.Weighted(
                                       {30, 40, 30})]
                                 : std::vector<int64_t>{50000, 60000, 80000, 100000}[rng_.Weighted(
                                       {15, 10, 25, 50})];
  amount_fen_ = yuan * 100;
  term_ = std::vector<int>{12, 24, 36}[rng_.Weighted({30, 50, 20})];
  jobs_expected_ = static_cast<int>(rng_.Between(2, 9));
  const int purpose = 1 + static_cast<int>(rng_.Weighted({30, 30, 12, 18, 10}));

  lv1::LoanCommand c;
  lv1::ApplyForLoan* a = c.mutable_apply_for_loan();
  a->set_applicant_kind(household ? lv1::APPLICANT_KIND_HOUSEHOLD : lv1::APPLICANT_KIND_WOMAN);
  lv1::ApplicantInput* who = a->mutable_applicant();
  who->set_name(FemaleName(rng_));
  const int year = static_cast<int>(rng_.Between(1968, 1996));
  const auto [month, day] = RandomBirthday(rng_, year);
  who->set_id_number(
      MakeIdNumber(rng_, dir_.units[county_].statistical_code.substr(0, 6), year, month, day, true));
  who->set_phone(MobileNumber(rng_));
  who->set_address(dir_.PlaceName(village_) + std::to_string(rng_.Between(1, 12)) + "组" +
                   std::to_string(rng_.Between(1, 60)) + "号");
  a->set_household_members(household ? static_cast<int32_t>(rng_.Between(2, 6)) : 0);
  a->set_village_unit_id(dir_.units[village_].unit_id);
  a->set_amount_fen(amount_fen_);
  a->set_term_months(term_);
  a->set_purpose(static_cast<lv1::LoanPurpose>(purpose));
  a->set_project(rng_.Pick(kProjects[purpose]));
  a->set_jobs_expected(jobs_expected_);
  const int64_t applied_day = CstDayOf(g_.FirstDayUs()) + rng_.Between(0, g_.history_days() - 1);
  Add(std::move(c), village_, OfficeTime(rng_, applied_day));
}

ProgrammePlan LoanBuilder::Build() {
  Apply();
  const std::string county_id = dir_.units[county_].unit_id;
  {
    lv1::LoanCommand c;
    c.mutable_certify_loan()->set_acting_unit_id(dir_.units[village_].unit_id);
    c.mutable_certify_loan()->set_note("经村妇代会核实，申请人品行良好，项目真实可行。");
    if (!Add(std::move(c), village_, After(2, 10))) return story_.Finish();
  }
  if (rng_.Chance(0.03)) {
    Withdraw(village_);
    return story_.Finish();
  }
  {
    lv1::LoanCommand c;
    c.mutable_submit_loan()->set_acting_unit_id(dir_.units[township_].unit_id);
    if (!Add(std::move(c), township_, After(3, 12))) return story_.Finish();
  }
  const bool favourable = !rng_.Chance(0.06);
  {
    lv1::LoanCommand c;
    lv1::GiveCountyOpinion* o = c.mutable_give_county_opinion();
    o->set_acting_unit_id(county_id);
    o->set_opinion(favourable ? lv1::COUNTY_OPINION_FAVOURABLE : lv1::COUNTY_OPINION_UNFAVOURABLE);
    if (!favourable) o->set_reason(rng_.Pick(kUnfavourable));
    if (!Add(std::move(c), county_, After(5, 20)) || !favourable) return story_.Finish();
  }
  if (rng_.Chance(0.02)) {
    Withdraw(township_);
    return story_.Finish();
  }
  const bool approved = !rng_.Chance(0.05);
  // The lender sometimes approves less than was asked: 80%, in whole
  // thousands of yuan.
  const int64_t approved_fen =
      rng_.Chance(0.15) ? amount_fen_ * 8 / 10 / 100000 * 100000 : amount_fen_;
  {
    lv1::LoanCommand c;
    lv1::RecordLenderDecision* d = c.mutable_record_lender_decision();
    d->set_acting_unit_id(county_id);
    d->set_lender(dir_.units[county_].name +
                  (rng_.Chance(0.5) ? "农村信用合作联社" : "农村商业银行"));
    d->set_decision(approved ? lv1::LENDER_DECISION_APPROVED : lv1::LENDER_DECISION_REFUSED);
    if (approved) {
      d->set_approved_amount_fen(approved_fen);
    } else {
      d->set_reason(rng_.Pick(kRefusals));
    }
    if (!Add(std::move(c), county_, After(7, 25)) || !approved) return story_.Finish();
  }
  const int rate_bp = std::vector<int>{435, 475, 490, 550}[rng_.Below(4)];
  {
    lv1::LoanCommand c;
    lv1::DisburseLoan* d = c.mutable_disburse_loan();
    d->set_acting_unit_id(county_id);
    d->set_amount_fen(approved_fen);
    d->set_term_months(term_);
    d->set_annual_rate_bp(rate_bp);
    if (!Add(std::move(c), county_, After(3, 15))) return story_.Finish();
  }
  Repay(approved_fen, term_, rate_bp);
  return story_.Finish();
}

void LoanBuilder::Repay(int64_t approved_fen, int term, int rate_bp) {
  const std::string county_id = dir_.units[county_].unit_id;
  const int64_t disbursed_day = CstDayOf(story_.last_us());
  const int quarters = term / 3;
  // A quarter's interest: what the borrower pays and the subsidy refunds.
  const int64_t quarter_interest = approved_fen * rate_bp * 3 / (10000 * 12);
  const int64_t principal = approved_fen / quarters;
  const bool troubled = rng_.Chance(0.10);
  const int troubled_quarter = static_cast<int>(rng_.Between(2, std::max(2, quarters)));
  const bool stays_overdue = rng_.Chance(0.4);
  int jobs = std::max(0, jobs_expected_ + static_cast<int>(rng_.Between(-2, 2)));
  int64_t repaid = 0;
  for (int q = 1; q <= quarters; ++q) {
    const int64_t due_day = disbursed_day + q * 91;
    const int64_t this_principal = q == quarters ? approved_fen - repaid : principal;
    if (troubled && q == troubled_quarter) {
      lv1::LoanCommand c;
      c.mutable_mark_overdue()->set_acting_unit_id(county_id);
      c.mutable_mark_overdue()->set_overdue_fen(this_principal);
      if (!Add(std::move(c), county_, OfficeTime(rng_, due_day + rng_.Between(8, 15)))) return;
      if (stays_overdue) return;
    }
    {
      lv1::LoanCommand c;
      lv1::RecordRepayment* r = c.mutable_record_repayment();
      r->set_acting_unit_id(county_id);
      r->set_principal_fen(this_principal);
      r->set_interest_fen(quarter_interest);
      const int64_t late = troubled && q == troubled_quarter ? rng_.Between(30, 70) : 0;
      if (!Add(std::move(c), county_, OfficeTime(rng_, due_day + late + rng_.Between(0, 5)))) {
        return;
      }
      repaid += this_principal;
    }
    if (quarter_interest > 0) {
      lv1::LoanCommand c;
      c.mutable_pay_subsidy()->set_acting_unit_id(county_id);
      c.mutable_pay_subsidy()->set_period(q * 3);
      c.mutable_pay_subsidy()->set_amount_fen(quarter_interest);
      if (!Add(std::move(c), county_, After(5, 20))) return;
    }
    if (q == 1 || q == 4) {
      if (q == 4) jobs += static_cast<int>(rng_.Between(0, 3));
      lv1::LoanCommand c;
      c.mutable_report_jobs_created()->set_acting_unit_id(dir_.units[village_].unit_id);
      c.mutable_report_jobs_created()->set_jobs_created(jobs);
      if (!Add(std::move(c), village_, After(0, 10))) return;
    }
  }
  lv1::LoanCommand c;
  c.mutable_settle_loan()->set_acting_unit_id(county_id);
  Add(std::move(c), county_, After(0, 3));
}

}  // namespace

ProgrammePlan ProgrammeGenerator::Loan(uint64_t index) const {
  return LoanBuilder(*this, index).Build();
}

}  // namespace haven::seed
