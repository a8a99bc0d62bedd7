// The women's micro-homes of ProgrammeGenerator: every micro-home unit of
// the directory registered with its kind, host and paired executive --
// those that existed before Haven entered in its first weeks with their
// past (registration, designation and titles of earlier years), the others
// over the period (100 a year by default).  About a quarter become
// demonstration sites (25 a year) and hold the standard's activities: a
// reception every week, a gathering every month, an activity every
// quarter, a banquet every year; about one in five of them falls short.
// Titles are granted by the county (some later by the city), re-certified
// when due, a few revoked (摘牌) or the demonstration withdrawn.  Other
// micro-homes hold activities now and then.
#include <algorithm>
#include <string>
#include <vector>

#include "haven/microhomes/v1/microhome_commands.pb.h"
#include "seed/identity.h"
#include "seed/programme_plan.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace mv1 = haven::microhomes::v1;

const std::vector<std::vector<std::string>> kTopics = {
    {},
    {"倾听家庭困扰", "接待来访妇女咨询", "婚姻家庭矛盾调解"},
    {"家庭教育分享会", "姐妹茶话会", "反家暴法宣传座谈"},
    {"插花手工活动", "健康讲座进微家", "亲子阅读活动", "巾帼志愿服务"},
    {"新春团圆宴", "重阳敬老宴", "邻里百家宴"},
};
const std::vector<std::string> kRevocations = {"活动开展不经常，未达到示范标准",
                                               "阵地已改作他用，不再具备示范条件"};

// A step of the micro-home, before they are put in order.
struct Timed {
  int64_t at;
  mv1::MicroHomeCommand command;
  int acting;  // The unit whose operator records it.
};

class MicroHomeBuilder {
 public:
  MicroHomeBuilder(const ProgrammeGenerator& generator, size_t index)
      : g_(generator),
        dir_(generator.directory()),
        rng_(dir_.seed, "microhome", index),
        unit_(dir_.micro_homes[index]),
        story_(generator, Programme::kMicroHomes, "microhome-" + dir_.units[unit_].unit_id,
               "haven.microhomes.v1.MicroHomeService") {}

  ProgrammePlan Build();

 private:
  mv1::ExecutiveInput Executive(int n) {
    mv1::ExecutiveInput e;
    e.set_executive_id("exec-" + dir_.units[unit_].unit_id + "-" + std::to_string(n));
    e.set_name(FemaleName(rng_));
    e.set_phone(MobileNumber(rng_));
    return e;
  }
  void Push(int64_t at, mv1::MicroHomeCommand command, int acting) {
    steps_.push_back({at, std::move(command), acting});
  }
  void Activity(int64_t at, mv1::ActivityKind kind) {
    mv1::MicroHomeCommand c;
    mv1::RecordActivity* a = c.mutable_record_activity();
    a->set_activity_kind(kind);
    static const int kAttendance[][2] = {{0, 0}, {1, 10}, {8, 30}, {15, 60}, {20, 80}};
    a->set_attendance(static_cast<int32_t>(rng_.Between(kAttendance[kind][0], kAttendance[kind][1])));
    a->set_topic(rng_.Pick(kTopics[kind]));
    Push(at, std::move(c), dir_.units[unit_].township);
  }
  void Register(int64_t entry);
  // The standard's activities from day `from` to day `to`; `short_of` skips
  // some.
  void StandardActivities(int64_t from, int64_t to, bool short_of);
  // Activities now and then from day `from` to day `to`.
  void OtherActivities(int64_t from, int64_t to);
  mv1::MicroHomeCommand Title(const std::string& title_id, mv1::TitleLevel level, int acting,
                              int64_t granted_at);

  const ProgrammeGenerator& g_;
  const DirectoryPlan& dir_;
  Rng rng_;
  const int unit_;
  StoryBuilder story_;
  std::vector<Timed> steps_;
  int64_t registered_at_ = 0;
};

void MicroHomeBuilder::Register(int64_t entry) {
  mv1::MicroHomeCommand c;
  mv1::RegisterMicroHome* r = c.mutable_register_micro_home();
  r->set_kind(static_cast<mv1::MicroHomeKind>(1 + rng_.Weighted({20, 25, 20, 20, 15})));
  r->set_venue(static_cast<mv1::Venue>(1 + rng_.Weighted({25, 30, 45})));
  r->mutable_host()->set_name(FemaleName(rng_));
  r->mutable_host()->set_phone(MobileNumber(rng_));
  *r->add_executives() = Executive(1);
  r->set_place(dir_.PlaceName(dir_.units[unit_].village) + std::to_string(rng_.Between(1, 99)) +
               "号");
  r->set_registered_at_us(registered_at_);
  Push(entry, std::move(c), dir_.units[unit_].township);
}

mv1::MicroHomeCommand MicroHomeBuilder::Title(const std::string& title_id, mv1::TitleLevel level,
                                              int acting, int64_t granted_at) {
  mv1::MicroHomeCommand c;
  mv1::GrantTitle* t = c.mutable_grant_title();
  t->set_title_id(title_id);
  t->set_title(rng_.Chance(0.8) ? mv1::TITLE_NAME_DEMONSTRATION_MICRO_HOME
                                : mv1::TITLE_NAME_MODEL_WOMENS_HOME);
  t->set_level(level);
  t->set_acting_unit_id(dir_.units[acting].unit_id);
  t->set_granted_at_us(granted_at);
  return c;
}

void MicroHomeBuilder::StandardActivities(int64_t from, int64_t to, bool short_of) {
  // Weeks from the Monday on or after `from`.
  const int64_t monday = from + (7 - ((from % 7) + 7 + 3) % 7) % 7;
  for (int64_t week = monday; week + 4 <= to; week += 7) {
    if (short_of && rng_.Chance(0.35)) continue;
    Activity(OfficeTime(rng_, week + rng_.Between(0, 4)), mv1::ACTIVITY_KIND_RECEPTION);
  }
  const CivilDate start = CstDate(CstMidnight(from));
  for (int m = 0;; ++m) {
    const int64_t first = DayOf(start.year, start.month + m, 1);
    if (first > to) break;
    const int64_t day = first + rng_.Between(2, 20);
    if (day < from || day > to) continue;
    if (!(short_of && rng_.Chance(0.2))) {
      Activity(OfficeTime(rng_, day), mv1::ACTIVITY_KIND_GATHERING);
    }
    const int month = (start.month + m - 1) % 12 + 1;
    if (month % 3 == 1) {
      const int64_t quarter_day = first + rng_.Between(10, 60);
      if (quarter_day >= from && quarter_day <= to) Activity(OfficeTime(rng_, quarter_day), mv1::ACTIVITY_KIND_ACTIVITY);
    }
    if (month == 1) {  // The new year's banquet, around the Spring Festival.
      const int64_t banquet_day = first + rng_.Between(19, 40);
      if (banquet_day >= from && banquet_day <= to) Activity(OfficeTime(rng_, banquet_day), mv1::ACTIVITY_KIND_BANQUET);
    }
  }
}

void MicroHomeBuilder::OtherActivities(int64_t from, int64_t to) {
  for (int64_t day = from + rng_.Between(7, 40); day <= to; day += rng_.Between(15, 60)) {
    Activity(OfficeTime(rng_, day),
             static_cast<mv1::ActivityKind>(1 + rng_.Weighted({30, 40, 25, 5})));
  }
}

ProgrammePlan MicroHomeBuilder::Build() {
  const int township = dir_.units[unit_].township;
  const int county = dir_.units[unit_].county;
  const int64_t first = CstDayOf(g_.FirstDayUs());
  const int64_t today = CstDayOf(story_.limit_us());
  const bool existed = rng_.Chance(0.2);
  const int64_t entry_day =
      first + (existed ? rng_.Between(0, 30) : rng_.Between(0, g_.history_days() - 1));
  const int64_t entry = OfficeTime(rng_, entry_day);
  // Registered (and designated, and titled) years ago, entered now.
  const int64_t registered_ago = existed ? rng_.Between(500, 1400) : 0;
  registered_at_ = existed ? entry - registered_ago * kDayUs : 0;
  Register(entry);
  const bool demonstration = rng_.Chance(existed ? 0.6 : 0.25);
  const bool short_of = rng_.Chance(0.2);
  int64_t designated_day = 0;
  int64_t activities_from = entry_day + 1;
  if (demonstration) {
    const int designating = rng_.Chance(0.5) ? township : county;
    mv1::MicroHomeCommand c;
    mv1::DesignateDemonstration* d = c.mutable_designate_demonstration();
    d->set_acting_unit_id(dir_.units[designating].unit_id);
    mv1::FiveHaves* five = d->mutable_five_haves();
    five->set_place(true);
    five->set_host(true);
    five->set_rules(true);
    five->set_activities(true);
    five->set_display(true);
    int64_t at;
    if (existed) {
      const int64_t designated_ago = registered_ago - rng_.Between(60, 200);
      d->set_designated_at_us(entry - designated_ago * kDayUs);
      at = entry + 10 * kMinuteUs;
      designated_day = entry_day - designated_ago;
    } else {
      designated_day = entry_day + rng_.Between(60, 200);
      at = OfficeTime(rng_, designated_day);
      activities_from = designated_day + 1;
    }
    Push(at, std::move(c), designating);
    // What happens to the site: a county title (sometimes a city one
    // later), re-certified when due; a few revoked or withdrawn.
    const bool withdrawn = rng_.Chance(0.05);
    const int64_t withdrawn_day =
        withdrawn ? std::max(entry_day, designated_day) + rng_.Between(120, 360) : today + 1;
    const bool titled = rng_.Chance(0.7);
    const int64_t granted_day = designated_day + rng_.Between(30, existed ? 120 : 150);
    if (titled && granted_day < withdrawn_day) {
      // A title of the years before Haven carries its date.
      const int64_t granted_at = existed ? CstMidnight(granted_day) + 10 * kHourUs : 0;
      const int64_t at_grant = existed ? entry + 20 * kMinuteUs : OfficeTime(rng_, granted_day);
      Push(at_grant, Title("county-1", mv1::TITLE_LEVEL_COUNTY, county, granted_at), county);
      // Two years after the grant; re-certified from 90 days before.
      const int64_t expiry_day = granted_day + 730;
      const int64_t recertify_day =
          std::max(expiry_day - rng_.Between(20, 80), entry_day + rng_.Between(5, 30));
      const bool revoked = rng_.Chance(0.1);
      const int64_t revoke_day = std::max(granted_day, entry_day) + rng_.Between(100, 400);
      if (revoked && revoke_day < withdrawn_day) {
        mv1::MicroHomeCommand r;
        r.mutable_revoke_title()->set_title_id("county-1");
        r.mutable_revoke_title()->set_acting_unit_id(dir_.units[county].unit_id);
        r.mutable_revoke_title()->set_reason(rng_.Pick(kRevocations));
        Push(OfficeTime(rng_, revoke_day), std::move(r), county);
      }
      if ((!revoked || recertify_day < revoke_day) && recertify_day < withdrawn_day) {
        mv1::MicroHomeCommand r;
        r.mutable_recertify_title()->set_title_id("county-1");
        r.mutable_recertify_title()->set_acting_unit_id(dir_.units[county].unit_id);
        Push(OfficeTime(rng_, recertify_day), std::move(r), county);
      }
      const int64_t city_day = std::max(granted_day, entry_day) + rng_.Between(100, 300);
      if (rng_.Chance(0.2) && city_day < withdrawn_day) {
        const auto level = rng_.Chance(0.1) ? mv1::TITLE_LEVEL_PROVINCE : mv1::TITLE_LEVEL_CITY;
        Push(OfficeTime(rng_, city_day), Title("city-1", level, dir_.city, 0), dir_.city);
      }
    }
    if (withdrawn) {
      mv1::MicroHomeCommand w;
      w.mutable_withdraw_demonstration()->set_acting_unit_id(dir_.units[designating].unit_id);
      w.mutable_withdraw_demonstration()->set_reason(rng_.Pick(kRevocations));
      Push(OfficeTime(rng_, withdrawn_day), std::move(w), designating);
    }
    if (!existed) OtherActivities(entry_day + 1, designated_day - 1);
    StandardActivities(std::max(activities_from, designated_day + 1),
                       std::min(today, withdrawn_day - 1), short_of);
    if (withdrawn) OtherActivities(withdrawn_day + 1, today);
  } else {
    OtherActivities(activities_from, today);
  }
  if (rng_.Chance(0.15)) {
    const int64_t day = entry_day + rng_.Between(30, 300);
    mv1::MicroHomeCommand p;
    *p.mutable_pair_executive()->mutable_executive() = Executive(2);
    Push(OfficeTime(rng_, day), std::move(p), township);
    if (rng_.Chance(0.5)) {
      mv1::MicroHomeCommand u;
      u.mutable_unpair_executive()->set_executive_id(Executive(1).executive_id());
      u.mutable_unpair_executive()->set_reason("原结对执委工作调动");
      Push(OfficeTime(rng_, day + rng_.Between(30, 200)), std::move(u), township);
    }
  }
  std::stable_sort(steps_.begin(), steps_.end(),
                   [](const Timed& a, const Timed& b) { return a.at < b.at; });
  for (Timed& step : steps_) {
    if (!story_.Add(dir_.units[unit_].unit_id, std::move(step.command),
                    "op-" + dir_.units[step.acting].unit_id, step.at)) {
      break;
    }
  }
  return story_.Finish();
}

}  // namespace

ProgrammePlan ProgrammeGenerator::MicroHome(size_t index) const {
  return MicroHomeBuilder(*this, index).Build();
}

}  // namespace haven::seed
