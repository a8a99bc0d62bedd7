// The funded projects of ProgrammeGenerator (项目化管理): registered by the
// city, a county or a township federation with a funding source, a budget
// and its cost shares (e.g. province 60%, county 40%), a leader, goals and
// a planned period of six to thirteen months; evaluated before the start,
// then started, money spent a month at a time within the budget (专款专用),
// beneficiaries reported by township, evaluated at half-year, year end and
// close (by the federation, and by the funder at the close), accepted.
#include <algorithm>
#include <string>
#include <vector>

#include "haven/projects/v1/project_commands.pb.h"
#include "seed/identity.h"
#include "seed/programme_plan.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace pv1 = haven::projects::v1;

struct Kind {
  const char* title;
  const char* goal;
  const char* item;
  int64_t per_person_yuan;  // 0: none
};

const std::vector<Kind> kKinds = {
    {"妇女儿童免费法律援助项目", "为困难妇女儿童提供免费法律咨询和代理服务", "律师值班补贴", 0},
    {"农村妇女两癌免费筛查项目", "为适龄农村妇女开展宫颈癌、乳腺癌免费检查", "筛查费用结算",
     79},
    {"母亲水窖安全饮水项目", "解决山区农户安全饮水问题", "水窖建设材料款", 0},
    {"春蕾计划助学项目", "资助家庭困难女童完成学业", "助学金发放", 1200},
    {"巾帼创业就业技能培训项目", "开展农村妇女创业就业技能培训", "培训场地及讲课费", 300},
    {"家庭教育指导服务项目", "开展家庭教育讲座和亲子活动", "讲座及活动材料费", 0},
};

class ProjectBuilder {
 public:
  ProjectBuilder(const ProgrammeGenerator& generator, uint64_t index)
      : g_(generator),
        dir_(generator.directory()),
        rng_(dir_.seed, "project", index),
        id_(ProjectIdFor(dir_.seed, index)),
        story_(generator, Programme::kProjects, id_, "haven.projects.v1.ProjectService") {}

  ProgrammePlan Build();

 private:
  bool Add(pv1::ProjectCommand command, int64_t at) {
    return story_.Add(id_, std::move(command), actor_, at);
  }
  bool Evaluate(pv1::EvaluationStage stage, pv1::Evaluator evaluator, int64_t at) {
    pv1::ProjectCommand c;
    pv1::RecordEvaluation* e = c.mutable_record_evaluation();
    e->set_stage(stage);
    e->set_evaluator(evaluator);
    e->set_conclusion(static_cast<pv1::EvaluationConclusion>(1 + rng_.Weighted({50, 42, 8})));
    e->set_report_ref("archive/" + id_ + "/evaluation-" + std::to_string(stage) + "-" +
                      std::to_string(evaluator));
    return Add(std::move(c), at);
  }
  // The unit running it and the townships it covers.
  void ChooseWhere();

  const ProgrammeGenerator& g_;
  const DirectoryPlan& dir_;
  Rng rng_;
  const std::string id_;
  StoryBuilder story_;
  std::string actor_;
  int unit_ = 0;
  std::vector<int> townships_;
};

void ProjectBuilder::ChooseWhere() {
  const int village = g_.DrawVillage(rng_);
  const int township = dir_.units[village].township;
  const int county = dir_.units[village].county;
  switch (rng_.Weighted({20, 50, 30})) {
    case 0:
      unit_ = dir_.city;
      for (int k = static_cast<int>(rng_.Between(3, 6)); k > 0; --k) {
        townships_.push_back(dir_.townships[rng_.Below(dir_.townships.size())]);
      }
      break;
    case 1: {
      unit_ = county;
      std::vector<int> own;
      for (int t : dir_.townships) {
        if (dir_.units[t].county == county) own.push_back(t);
      }
      for (int k = static_cast<int>(rng_.Between(2, 5)); k > 0; --k) {
        townships_.push_back(own[rng_.Below(own.size())]);
      }
      break;
    }
    default:
      unit_ = township;
      townships_.push_back(township);
      break;
  }
  std::sort(townships_.begin(), townships_.end());
  townships_.erase(std::unique(townships_.begin(), townships_.end()), townships_.end());
  actor_ = "op-" + dir_.units[unit_].unit_id;
}

ProgrammePlan ProjectBuilder::Build() {
  ChooseWhere();
  const Kind& kind = kKinds[rng_.Below(kKinds.size())];
  const auto source = static_cast<pv1::FundingSource>(1 + rng_.Weighted({30, 30, 5, 15, 20}));
  const std::string& unit_name = dir_.units[unit_].name;
  // Larger programmes higher up: 50,000 yuan to 2 million.
  const int64_t budget_yuan =
      (unit_ == dir_.city ? rng_.Between(40, 200) : rng_.Between(5, 60)) * 10000;
  const int64_t budget_fen = budget_yuan * 100;
  const int64_t first = CstDayOf(g_.FirstDayUs());
  const int64_t registered = OfficeTime(rng_, first + rng_.Between(0, g_.history_days() - 1));
  const int64_t planned_start = CstMidnight(CstDayOf(registered) + rng_.Between(20, 60));
  const int64_t planned_end = planned_start + rng_.Between(180, 400) * kDayUs;

  pv1::ProjectCommand c;
  pv1::RegisterProject* r = c.mutable_register_project();
  r->set_title(unit_name + kind.title);
  r->set_unit_id(dir_.units[unit_].unit_id);
  r->set_funding_source(source);
  static const char* const kFunders[] = {"", "江苏省妇女联合会", "人民政府", "联合国儿童基金会",
                                         "慈善总会", ""};
  if (source == pv1::FUNDING_SOURCE_GOVERNMENT_PURCHASE) {
    r->set_funder(unit_name + kFunders[source]);
  } else if (source == pv1::FUNDING_SOURCE_SOCIAL) {
    r->set_funder(dir_.units[dir_.city].name + kFunders[source]);
  } else if (source != pv1::FUNDING_SOURCE_OWN) {
    r->set_funder(kFunders[source]);
  }
  r->set_budget_fen(budget_fen);
  // Province 60% and county 40%, or the funder and the federation, or all
  // its own.
  const auto share = [&](const std::string& party, int bp) {
    pv1::CostShareInput* s = r->add_cost_shares();
    s->set_party(party);
    s->set_share_bp(bp);
  };
  if (source == pv1::FUNDING_SOURCE_FROM_ABOVE) {
    share("省级财政", 6000);
    share(unit_name + "财政", 4000);
  } else if (source == pv1::FUNDING_SOURCE_OWN) {
    share(unit_name + "妇联", 10000);
  } else {
    share(r->funder(), 7000);
    share(unit_name + "妇联", 3000);
  }
  if (kind.per_person_yuan > 0) r->set_per_person_fen(kind.per_person_yuan * 100);
  r->mutable_leader()->set_name(FemaleName(rng_));
  r->mutable_leader()->set_phone(MobileNumber(rng_));
  r->set_overall_goal(kind.goal);
  pv1::StageGoalInput* stage = r->add_stage_goals();
  stage->set_goal("完成项目启动和宣传动员");
  stage->set_due_at_us(planned_start + 30 * kDayUs);
  stage = r->add_stage_goals();
  stage->set_goal("完成年度目标任务的一半");
  stage->set_due_at_us(planned_start + (planned_end - planned_start) / 2);
  r->set_planned_start_at_us(planned_start);
  r->set_planned_end_at_us(planned_end);
  if (!Add(std::move(c), registered)) return story_.Finish();

  if (!Evaluate(pv1::EVALUATION_STAGE_BEFORE_START, pv1::EVALUATOR_FEDERATION,
                OfficeTime(rng_, CstDayOf(registered) + rng_.Between(5, 15)))) {
    return story_.Finish();
  }
  pv1::ProjectCommand start;
  start.mutable_start_project();
  if (!Add(std::move(start), OfficeTime(rng_, CstDayOf(planned_start) + rng_.Between(0, 5)))) {
    return story_.Finish();
  }
  const int64_t started_day = CstDayOf(story_.last_us());
  const int64_t end_day = CstDayOf(planned_end);
  // Spending a month at a time, some 85-98% of the budget in all; the
  // beneficiaries reported by township at mid-term; the half-year and
  // year-end evaluations when they fall due.
  const int months = static_cast<int>((end_day - started_day) / 30);
  const int64_t to_spend = budget_fen * rng_.Between(85, 98) / 100;
  int64_t spent = 0;
  bool reported = false, half_year = false, year_end = false;
  const CivilDate start_date = CstDate(story_.last_us());
  const int64_t year_end_day = DayOf(start_date.year, 12, 20) + rng_.Between(0, 8);
  for (int m = 1; m <= months; ++m) {
    const int64_t day = started_day + 30 * m - rng_.Between(0, 10);
    if (!half_year && day >= started_day + 182) {
      half_year = true;
      if (!Evaluate(pv1::EVALUATION_STAGE_HALF_YEAR, pv1::EVALUATOR_FEDERATION,
                    OfficeTime(rng_, started_day + 182 + rng_.Between(0, 10)))) {
        return story_.Finish();
      }
    }
    if (!year_end && day >= year_end_day) {
      year_end = true;
      if (year_end_day > started_day + 30 &&
          !Evaluate(pv1::EVALUATION_STAGE_YEAR_END, pv1::EVALUATOR_FEDERATION,
                    OfficeTime(rng_, year_end_day))) {
        return story_.Finish();
      }
    }
    const int64_t amount = m == months ? to_spend - spent
                                       : std::min(to_spend - spent,
                                                  to_spend / months * rng_.Between(70, 130) / 100);
    if (amount > 0) {
      pv1::ProjectCommand s;
      s.mutable_record_spending()->set_amount_fen(amount);
      s.mutable_record_spending()->set_item(kind.item);
      if (!Add(std::move(s), OfficeTime(rng_, day))) return story_.Finish();
      spent += amount;
    }
    if (!reported && m * 2 >= months) {
      reported = true;
      for (int t : townships_) {
        pv1::ProjectCommand b;
        b.mutable_report_beneficiaries()->set_township_unit_id(dir_.units[t].unit_id);
        b.mutable_report_beneficiaries()->set_beneficiaries(
            static_cast<int32_t>(rng_.Between(30, 800)));
        if (!Add(std::move(b), OfficeTime(rng_, day + rng_.Between(1, 5)))) {
          return story_.Finish();
        }
      }
    }
  }
  const int64_t close_at = OfficeTime(rng_, end_day + rng_.Between(0, 15));
  if (!Evaluate(pv1::EVALUATION_STAGE_CLOSE, pv1::EVALUATOR_FEDERATION, close_at)) {
    return story_.Finish();
  }
  if (source != pv1::FUNDING_SOURCE_OWN && rng_.Chance(0.5) &&
      !Evaluate(pv1::EVALUATION_STAGE_CLOSE, pv1::EVALUATOR_FUNDER,
                OfficeTime(rng_, CstDayOf(close_at) + rng_.Between(1, 10)))) {
    return story_.Finish();
  }
  if (rng_.Chance(0.9)) {
    pv1::ProjectCommand a;
    a.mutable_accept_project()->set_report_ref("archive/" + id_ + "/acceptance");
    Add(std::move(a), OfficeTime(rng_, CstDayOf(story_.last_us()) + rng_.Between(5, 30)));
  }
  return story_.Finish();
}

}  // namespace

ProgrammePlan ProgrammeGenerator::Project(uint64_t index) const {
  return ProjectBuilder(*this, index).Build();
}

}  // namespace haven::seed
