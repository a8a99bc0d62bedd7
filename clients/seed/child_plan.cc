// The children and mentors of ProgrammeGenerator: a child registered in
// her village or township, a mentor of her county registered and paired
// with her one-to-one (a mentor per pairing: 2,698 cadres for 2,698
// children), visits about monthly, support now and then, status checks
// each term, a stipend of 1,200 yuan a term for about a third of them, a
// few counselling referrals.  About one pairing in five ends: when the
// mentor leaves or the child moves within the area she awaits a new
// pairing ("pairings change people but never break") and is paired again
// with a new mentor days to weeks later; when she returns to her parents,
// moves away or ages out, her care ends.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "haven/children/v1/children_commands.pb.h"
#include "seed/identity.h"
#include "seed/programme_plan.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace cv1 = haven::children::v1;

const std::vector<std::string> kGuardians = {"祖母", "外祖母", "祖父", "外祖父", "母亲", "父亲",
                                             "姑妈"};
const std::vector<std::string> kVisitNotes = {
    "辅导作业，了解在校情况", "与监护人交流孩子的生活和学习", "陪孩子过生日", "带孩子参观科技馆",
    "电话询问近况，孩子情绪稳定", "送去学习用品，叮嘱注意安全"};
const std::vector<std::pair<std::string, int64_t>> kGoods = {
    {"书包和文具", 300}, {"冬衣两套", 500}, {"课外读物二十本", 400}, {"学习台灯和书桌", 600}};
const std::vector<std::string> kCentres = {"儿童心理行为矫正中心", "青少年心理健康辅导站"};
const std::vector<std::string> kConcerns = {"长期情绪低落，不愿与人交流", "近期多次逃学，沉迷网络"};
// Notes by why a pairing ends, in the order of kReasons below.
const std::vector<std::string> kEndNotes = {"结对干部工作调动", "孩子随祖父母搬到邻村居住",
                                            "父母返乡，孩子回到父母身边", "孩子随父母外出就学",
                                            "孩子初中毕业，年满十六周岁"};

class ChildBuilder {
 public:
  ChildBuilder(const ProgrammeGenerator& generator, uint64_t index)
      : g_(generator),
        dir_(generator.directory()),
        rng_(dir_.seed, "child", index),
        id_(ChildIdFor(dir_.seed, index)),
        story_(generator, Programme::kChildren, id_, "haven.children.v1.ChildrenService") {}

  ProgrammePlan Build();

 private:
  int64_t After(int64_t lo, int64_t hi) {
    return OfficeTime(rng_, CstDayOf(story_.last_us()) + rng_.Between(lo, hi));
  }
  bool Add(cv1::ChildCommand command, int64_t at) {
    return story_.Add(id_, std::move(command), actor_, at);
  }
  bool Register();
  // Registers a mentor and pairs her; false once the story reached now.
  bool Pair(int64_t at);
  // The life of pairing `pairing_no` until `end_day` (or now); false once
  // the story reached now.
  bool Accompany(int64_t end_day);

  const ProgrammeGenerator& g_;
  const DirectoryPlan& dir_;
  Rng rng_;
  const std::string id_;
  StoryBuilder story_;
  std::string actor_;
  int unit_ = 0, county_ = 0;
  int birth_year_ = 2012;
  bool stipend_ = false;
  int pairing_no_ = 0;
  std::set<std::string> terms_paid_, terms_checked_;
};

bool ChildBuilder::Register() {
  const int village = g_.DrawVillage(rng_);
  unit_ = rng_.Chance(0.8) ? village : dir_.units[village].township;
  county_ = dir_.units[village].county;
  actor_ = "op-" + dir_.units[dir_.units[village].township].unit_id;
  // Children already in care are entered in the first two months; new
  // ones come over the whole period.
  const int64_t first = CstDayOf(g_.FirstDayUs());
  const int64_t day = rng_.Chance(0.4) ? first + rng_.Between(0, std::min(60, g_.history_days() - 1))
                                       : first + rng_.Between(0, g_.history_days() - 1);
  const int64_t at = OfficeTime(rng_, day);
  const int age = static_cast<int>(rng_.Between(5, 15));
  birth_year_ = CstDate(at).year - age - 1;
  const auto [month, mday] = RandomBirthday(rng_, birth_year_);
  const bool girl = rng_.Chance(0.52);

  cv1::ChildCommand c;
  cv1::RegisterChild* r = c.mutable_register_child();
  r->set_category(static_cast<cv1::ChildCategory>(1 + rng_.Weighted({70, 10, 12, 8})));
  cv1::ChildInput* child = r->mutable_child();
  child->set_name(girl ? FemaleName(rng_) : MaleName(rng_));
  child->set_id_number(MakeIdNumber(rng_, dir_.units[county_].statistical_code.substr(0, 6),
                                    birth_year_, month, mday, girl));
  child->set_birth_date(DayText({birth_year_, month, mday}));
  child->set_girl(girl);
  cv1::GuardianInput* guardian = child->mutable_guardian();
  const std::string& relationship = rng_.Pick(kGuardians);
  const bool woman = relationship != "祖父" && relationship != "外祖父" && relationship != "父亲";
  guardian->set_name(woman ? FemaleName(rng_) : MaleName(rng_));
  guardian->set_relationship(relationship);
  guardian->set_phone(MobileNumber(rng_));
  const std::string township = dir_.units[dir_.units[village].township].name;
  child->set_school(township + (age >= 12 ? "初级中学" : "中心小学"));
  child->set_address(dir_.PlaceName(village) + std::to_string(rng_.Between(1, 80)) + "号");
  r->set_unit_id(dir_.units[unit_].unit_id);
  stipend_ = rng_.Chance(0.3);
  return Add(std::move(c), at);
}

bool ChildBuilder::Pair(int64_t at) {
  ++pairing_no_;
  // A mentor of the child's county: a cadre of the township or county
  // federation, a caring mother or proxy parent of her village.
  const size_t kind = rng_.Weighted({60, 25, 10, 5});
  const int mentor_unit = kind == 0 ? (rng_.Chance(0.6) ? dir_.units[unit_].township : county_)
                                    : (dir_.units[unit_].village >= 0 ? dir_.units[unit_].village
                                                                      : unit_);
  const std::string mentor_id = "mentor-" + id_.substr(6) + "-" + std::to_string(pairing_no_);
  cv1::MentorCommand m;
  cv1::RegisterMentor* r = m.mutable_register_mentor();
  r->set_kind(static_cast<cv1::MentorKind>(1 + kind));
  r->mutable_mentor()->set_name(FemaleName(rng_));
  r->mutable_mentor()->set_phone(MobileNumber(rng_));
  if (kind == 0) r->mutable_mentor()->set_organisation(dir_.units[mentor_unit].name + "妇联");
  r->set_unit_id(dir_.units[mentor_unit].unit_id);
  r->set_capacity(1);
  if (!story_.Add(mentor_id, std::move(m), actor_, at)) return false;
  cv1::ChildCommand c;
  c.mutable_pair_child()->set_mentor_id(mentor_id);
  return Add(std::move(c), After(0, 2));
}

bool ChildBuilder::Accompany(int64_t end_day) {
  int64_t next_support = CstDayOf(story_.last_us()) + rng_.Between(20, 120);
  for (;;) {
    const int64_t day = CstDayOf(story_.last_us()) + rng_.Between(20, 45);
    if (day > end_day) return true;
    const int64_t at = OfficeTime(rng_, day);
    const std::string term = SchoolTerm(CstDate(at));
    if (stipend_ && terms_paid_.count(term) == 0) {
      terms_paid_.insert(term);
      cv1::ChildCommand c;
      c.mutable_pay_stipend()->set_pairing_no(pairing_no_);
      c.mutable_pay_stipend()->set_term(term);
      c.mutable_pay_stipend()->set_amount_fen(1200 * 100);
      if (!Add(std::move(c), at)) return false;
    }
    {
      cv1::ChildCommand c;
      cv1::RecordVisit* v = c.mutable_record_visit();
      v->set_pairing_no(pairing_no_);
      v->set_kind(static_cast<cv1::VisitKind>(1 + rng_.Weighted({50, 20, 10, 20})));
      v->set_note(rng_.Pick(kVisitNotes));
      if (!Add(std::move(c), at)) return false;
    }
    if (terms_checked_.insert(term).second) {
      cv1::ChildCommand c;
      cv1::CheckStatus* s = c.mutable_check_status();
      s->set_schooling(static_cast<cv1::SchoolingStatus>(1 + rng_.Weighted({93, 5, 1, 1})));
      s->set_living(static_cast<cv1::LivingStatus>(1 + rng_.Weighted({55, 38, 7})));
      if (!Add(std::move(c), at)) return false;
      if (rng_.Chance(0.03)) {
        cv1::ChildCommand r;
        r.mutable_refer_counselling()->set_centre(dir_.units[county_].name + rng_.Pick(kCentres));
        r.mutable_refer_counselling()->set_concern(rng_.Pick(kConcerns));
        if (!Add(std::move(r), After(1, 7))) return false;
      }
    }
    if (day >= next_support) {
      next_support = day + rng_.Between(90, 180);
      cv1::ChildCommand c;
      cv1::DeliverSupport* d = c.mutable_deliver_support();
      if (rng_.Chance(0.5)) {
        d->set_kind(cv1::SUPPORT_KIND_MONEY);
        d->set_amount_fen(rng_.Between(2, 10) * 100 * 100);
      } else {
        const auto& [goods, yuan] = rng_.Pick(kGoods);
        d->set_kind(cv1::SUPPORT_KIND_GOODS);
        d->set_goods(goods);
        d->set_amount_fen(yuan * 100);
      }
      if (!Add(std::move(c), After(0, 3))) return false;
    }
  }
}

ProgrammePlan ChildBuilder::Build() {
  if (!Register()) return story_.Finish();
  if (rng_.Chance(0.04)) return story_.Finish();  // Not paired yet.
  if (!Pair(After(1, 20))) return story_.Finish();
  const int64_t today = CstDayOf(story_.limit_us());
  for (int round = 0; round < 3; ++round) {
    const bool ends = rng_.Chance(round == 0 ? 0.2 : 0.1);
    const int64_t end_day = ends ? CstDayOf(story_.last_us()) + rng_.Between(60, 400) : today;
    if (!Accompany(std::min(end_day, today)) || !ends || end_day > today) break;
    // Why the pairing ends: the mentor left or the child moved within the
    // area (she awaits a new mentor), or her care ends.
    size_t why = rng_.Weighted({40, 15, 25, 10, 10});
    const int age = CstDate(OfficeTime(rng_, end_day)).year - birth_year_ - 1;
    if (why == 4 && age < 16) why = 2;
    static const cv1::PairingEndReason kReasons[] = {
        cv1::PAIRING_END_REASON_MENTOR_LEFT, cv1::PAIRING_END_REASON_MOVED_WITHIN_AREA,
        cv1::PAIRING_END_REASON_RETURNED_TO_PARENTS, cv1::PAIRING_END_REASON_MOVED_AWAY,
        cv1::PAIRING_END_REASON_AGED_OUT};
    cv1::ChildCommand c;
    cv1::EndPairing* e = c.mutable_end_pairing();
    e->set_pairing_no(pairing_no_);
    e->set_reason(kReasons[why]);
    e->set_note(kEndNotes[why]);
    if (!Add(std::move(c), OfficeTime(rng_, end_day))) break;
    if (why >= 2) break;  // Care ended.
    if (!Pair(After(5, 90))) break;
  }
  return story_.Finish();
}

}  // namespace

ProgrammePlan ProgrammeGenerator::Child(uint64_t index) const {
  return ChildBuilder(*this, index).Build();
}

}  // namespace haven::seed
