#include "seed/case_plan.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "seed/identity.h"
#include "seed/phrases.h"
#include "seed/random.h"

namespace haven::seed {
namespace {

namespace v1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;
using google::protobuf::Message;

constexpr int64_t kMinute = 60LL * 1000000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kCstOffsetUs = 8 * kHour;

// Region codes of other provinces, for women who moved to the city (the
// first six digits of their ID numbers).
const std::vector<std::string> kOtherRegions = {"340104", "341221", "410105", "411323", "510107",
                                                "512501", "362502", "430105", "320583", "321102",
                                                "371302", "420106", "522101", "450103"};

int CstYear(int64_t us) {
  const std::time_t t = static_cast<std::time_t>((us + kCstOffsetUs) / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// 0 = Monday ... 6 = Sunday, of the CST day `day` (days since 1970-01-01,
// a Thursday).
int Weekday(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

// The member of a command that is set.
Message* Member(v1::CaseCommand* command) {
  const auto* oneof = command->GetDescriptor()->FindOneofByName("command");
  const auto* field = command->GetReflection()->GetOneofFieldDescriptor(*command, oneof);
  return field == nullptr ? nullptr : command->GetReflection()->MutableMessage(command, field);
}

std::string SnakeToCamel(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

// Where the time fields of a step sit on the case's timeline.
struct TimeMeta {
  // Live model: 0 before the mediation; 1 from it on (the last day); 2 from
  // the first referral on (the server's clock: times are left 0).  Always 0
  // in the history model.
  int phase = 0;
  // Offsets count from now (future due dates); in the history model, from
  // the midnight before the step happens.
  bool from_now = false;
  std::vector<std::string> fields;
  // History model: the offset at which the step happens.
  int64_t at = 0;
};

struct Partner {
  std::string id;
  std::string name;
  v1::PartnerType type;
};

class CaseBuilder {
 public:
  CaseBuilder(const DirectoryPlan& dir, const std::vector<double>& weights, uint64_t index,
              int64_t now_us, int history_days)
      : dir_(dir),
        weights_(weights),
        rng_(dir.seed, "case", index),
        now_(now_us),
        history_days_(history_days) {
    plan_.index = index;
    plan_.case_id = CaseIdFor(dir.seed, index);
    city_prefix_ = dir.units[dir.city].name.substr(0, 6);  // Two characters.
  }

  CasePlan Build();

 private:
  // Adds a step whose time fields (named in `fields`) hold offsets from the
  // received time (or from now); returns its index.
  int Add(v1::CaseCommand command, const std::string& actor, std::vector<std::string> fields = {},
          int ref = -1, bool from_now = false) {
    PlannedStep step;
    step.command = std::move(command);
    step.actor = actor;
    step.ref_step = ref;
    char id[96];
    std::snprintf(id, sizeof id, "seed-%llu-%s-%02zu", static_cast<unsigned long long>(dir_.seed),
                  plan_.case_id.c_str() + 5, plan_.steps.size());
    step.request_id = id;
    plan_.steps.push_back(std::move(step));
    meta_.push_back({phase_, from_now, std::move(fields), o_});
    return static_cast<int>(plan_.steps.size() - 1);
  }

  bool history() const { return history_days_ > 0; }

  void Advance(int64_t lo, int64_t hi) { o_ += rng_.Between(lo, hi); }

  void ChooseWhatAndHow();
  void ChooseWhenAndWhere();
  void ChooseWho();
  void Open();
  void Contact(bool first);
  void Note();
  void Work();
  void WorkDomesticViolence();
  void WorkFamily();
  void WorkLabour();
  void WorkLand();
  void WorkOther();
  // Returns the mediation's final outcome (UNSPECIFIED when left pending).
  v1::MediationOutcome Mediation();
  void Consent(std::vector<v1::PartnerType> scope);
  // Refers and lets the partner answer; returns the outcome (UNSPECIFIED
  // when declined or still open).
  v1::ReferralOutcome Referral(const Partner& partner, bool with_progress);
  void Protection(v1::RiskLevel risk);
  void Assistance();
  void FollowUp(bool done);
  void Close();
  void Reopen();
  void LeaveOpen();
  void MapTimesLive();
  void MapTimesHistory();

  Partner LegalAid() const {
    const std::string c = CountySlug();
    return {"legal-aid-" + c, CountyName() + "法律援助中心", v1::PARTNER_TYPE_LEGAL_AID_CENTRE};
  }
  Partner LawFirm() {
    static const std::vector<std::string> kFirms = {"明德", "正和", "金诚", "天衡", "致远", "博爱"};
    const size_t k = rng_.Below(kFirms.size());
    return {"law-firm-" + std::to_string(k + 1), city_prefix_ + kFirms[k] + "律师事务所",
            v1::PARTNER_TYPE_LAWYER};
  }
  Partner LabourBureau() const {
    return {"labour-" + CountySlug(), CountyName() + "人力资源和社会保障局劳动保障监察大队",
            v1::PARTNER_TYPE_LABOUR_BUREAU};
  }
  Partner Police() const {
    return {"police-" + TownshipSlug(), TownshipName() + "派出所家庭暴力报警点",
            v1::PARTNER_TYPE_POLICE_ALARM_POINT};
  }
  Partner DisputeCentre() const {
    return {"dispute-centre-" + CountySlug(), CountyName() + "社会矛盾纠纷调处化解中心",
            v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE};
  }
  Partner CourtPanel() const {
    return {"court-panel-" + CountySlug(), CountyName() + "人民法院维权合议庭",
            v1::PARTNER_TYPE_COURT_RIGHTS_PANEL};
  }

  int County() const { return dir_.units[unit_].county >= 0 ? dir_.units[unit_].county : county_; }
  std::string CountyName() const { return dir_.units[County()].name; }
  std::string CountySlug() const {
    const std::string& id = dir_.units[County()].unit_id;
    return id.substr(id.rfind('-') + 1);  // "c01"
  }
  std::string TownshipName() const { return dir_.units[township_].name; }
  std::string TownshipSlug() const {
    const std::string& id = dir_.units[township_].unit_id;
    return id.substr(id.find('-') + 1);  // "c01-t03"
  }
  std::string Operator(int k) const {
    char id[32];
    std::snprintf(id, sizeof id, "op-%s-%02d", CountySlug().c_str(), k);
    return id;
  }

  const DirectoryPlan& dir_;
  const std::vector<double>& weights_;
  Rng rng_;
  const int64_t now_;
  const int history_days_;
  CasePlan plan_;
  std::vector<TimeMeta> meta_;
  std::string city_prefix_;

  // The timeline: µs after the received time, and the phase (see TimeMeta).
  int64_t o_ = 0;
  int phase_ = 0;

  // What the case is.
  v1::Category category_ = v1::CATEGORY_UNSPECIFIED;
  v1::Subcategory sub_ = v1::SUBCATEGORY_UNSPECIFIED;
  v1::Channel channel_ = v1::CHANNEL_UNSPECIFIED;
  bool will_close_ = true;
  int64_t received_ = 0;
  int unit_ = 0, village_ = 0, township_ = 0, county_ = 0;
  v1::Person seeker_;
  v1::Person respondent_;
  bool has_respondent_ = false;
  v1::Relationship relationship_ = v1::RELATIONSHIP_UNSPECIFIED;
  std::string company_;
  int age_ = 35, children_ = 1, years_married_ = 10;
  std::string assignee_;
  v1::RiskLevel risk_ = v1::RISK_LEVEL_UNSPECIFIED;
  bool has_tags_ = false;

  // What happened, for the closure.
  bool mediated_ = false, transferred_ = false, legal_resolved_ = false, referred_ = false;
  std::vector<int> open_referrals_;  // Steps of referrals without an outcome.
  bool assisted_ = false;
  std::vector<v1::PartnerType> consent_;
  bool in_shelter_ = false;
  int64_t last_discharge_ = INT64_MIN;
};

void CaseBuilder::ChooseWhatAndHow() {
  switch (rng_.Weighted({22, 38, 9, 9, 3.5, 1, 15})) {
    case 0:
      category_ = v1::CATEGORY_DOMESTIC_VIOLENCE;
      sub_ = std::vector<v1::Subcategory>{v1::SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE,
                                          v1::SUBCATEGORY_ELDER_ABUSE,
                                          v1::SUBCATEGORY_GIRL_ABUSE}[rng_.Weighted({78, 14, 8})];
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({34, 2, 20, 5, 6, 4, 21, 3, 5}));
      break;
    case 1:
      category_ = v1::CATEGORY_MARRIAGE_FAMILY;
      sub_ = static_cast<v1::Subcategory>(201 + rng_.Weighted({28, 10, 14, 12, 20, 16}));
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({35, 8, 34, 5, 1, 7, 0, 5, 5}));
      break;
    case 2:
      category_ = v1::CATEGORY_LABOUR_RIGHTS;
      sub_ = static_cast<v1::Subcategory>(301 + rng_.Weighted({25, 50, 25}));
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({35, 15, 35, 0, 0, 15, 0, 0, 0}));
      break;
    case 3:
      category_ = v1::CATEGORY_LAND_PROPERTY;
      sub_ = static_cast<v1::Subcategory>(401 + rng_.Weighted({45, 30, 25}));
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({15, 25, 45, 5, 0, 0, 0, 0, 10}));
      break;
    case 4:
      category_ = v1::CATEGORY_SEXUAL_HARASSMENT;
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({40, 0, 20, 0, 0, 25, 15, 0, 0}));
      break;
    case 5:
      category_ = v1::CATEGORY_TRAFFICKING;
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({30, 0, 30, 0, 0, 0, 40, 0, 0}));
      break;
    default:
      category_ = v1::CATEGORY_CONSULTATION;
      channel_ = static_cast<v1::Channel>(1 + rng_.Weighted({60, 0, 15, 0, 0, 20, 0, 5, 0}));
      break;
  }
  will_close_ = rng_.Chance(0.9);
}

void CaseBuilder::ChooseWhenAndWhere() {
  // The day: closed cases over the whole period (the past year when live);
  // open ones mostly recent.
  const int64_t last = history() ? history_days_ - 1 : 355;
  int64_t days_ago;
  if (will_close_) {
    days_ago = rng_.Between(std::min<int64_t>(1, last), last);
  } else {
    days_ago = rng_.Chance(0.7) ? rng_.Between(0, std::min<int64_t>(45, last))
                                : rng_.Between(std::min<int64_t>(46, last), last);
  }
  const int64_t today = (now_ + kCstOffsetUs) / kDay;
  int64_t day = today - days_ago;
  // Visits come on reception days (Monday to Friday), letters are opened
  // on working days.
  const bool office = channel_ == v1::CHANNEL_VISIT || channel_ == v1::CHANNEL_LETTER;
  if (office) {
    while (Weekday(day) >= 5) day = Weekday(day) == 5 ? day - 1 : day + 1;
    if (day > today) day -= 3;
  }
  int64_t time_of_day;
  if (office) {
    time_of_day = rng_.Between(8 * 60 + 30, 17 * 60 + 30) * kMinute;
  } else if (channel_ == v1::CHANNEL_POLICE_REFERRAL) {
    time_of_day = rng_.Chance(0.6) ? rng_.Between(18 * 60, 23 * 60 + 59) * kMinute
                                   : rng_.Between(0, 18 * 60) * kMinute;
  } else {
    time_of_day = rng_.Chance(0.9) ? rng_.Between(8 * 60, 21 * 60) * kMinute
                                   : rng_.Between(0, 24 * 60 - 1) * kMinute;
  }
  received_ = day * kDay - kCstOffsetUs + time_of_day + rng_.Between(0, 59) * 1000000;
  // At least three hours before now, so the first steps fit before it.
  // (Drawn whether needed or not: what a plan draws must not depend on
  // now, so that a later run sends the same commands under the same ids.)
  const int64_t latest = now_ - 3 * kHour;
  const int64_t back_off = rng_.Between(0, 120) * kMinute;
  if (received_ > latest) received_ = latest - back_off;

  // Where: a village or community by weight; some cases belong to the
  // township, county or city federation that took them; micro-home
  // referrals to a micro-home.
  const size_t v = rng_.Weighted(weights_);
  village_ = dir_.villages[v];
  township_ = dir_.units[village_].township;
  county_ = dir_.units[village_].county;
  unit_ = village_;
  if (channel_ == v1::CHANNEL_MICRO_HOME_REFERRAL && !dir_.micro_homes.empty() &&
      rng_.Chance(0.7)) {
    unit_ = dir_.micro_homes[rng_.Below(dir_.micro_homes.size())];
    village_ = dir_.units[unit_].village;
    township_ = dir_.units[unit_].township;
    county_ = dir_.units[unit_].county;
  } else {
    switch (rng_.Weighted({81, 12, 6, 1})) {
      case 1:
        unit_ = township_;
        break;
      case 2:
        unit_ = county_;
        break;
      case 3:
        unit_ = dir_.city;
        break;
      default:
        break;
    }
  }
  plan_.unit = unit_;
}

void CaseBuilder::ChooseWho() {
  // Her age by what the case is about.
  switch (sub_) {
    case v1::SUBCATEGORY_ELDER_ABUSE:
      age_ = static_cast<int>(rng_.Between(62, 88));
      break;
    case v1::SUBCATEGORY_GIRL_ABUSE:
      age_ = static_cast<int>(rng_.Between(28, 62));
      break;
    default:
      if (category_ == v1::CATEGORY_LABOUR_RIGHTS) {
        age_ = static_cast<int>(rng_.Between(22, 45));
      } else if (category_ == v1::CATEGORY_CONSULTATION) {
        age_ = static_cast<int>(rng_.Between(20, 70));
      } else {
        age_ = static_cast<int>(rng_.Between(23, 58));
      }
  }
  years_married_ = std::max(1, static_cast<int>(rng_.Between(1, std::max(2, age_ - 22))));
  children_ = static_cast<int>(rng_.Weighted({8, 50, 35, 7}));
  const int year = CstYear(received_) - age_;
  const auto [month, dayofmonth] = RandomBirthday(rng_, year);

  seeker_.set_name(FemaleName(rng_));
  seeker_.set_gender(v1::GENDER_FEMALE);
  if (rng_.Chance(0.92)) seeker_.set_phone(MobileNumber(rng_));
  if (rng_.Chance(0.75)) {
    const std::string region = rng_.Chance(0.85) ? dir_.units[county_].statistical_code.substr(0, 6)
                                                 : rng_.Pick(kOtherRegions);
    seeker_.set_id_number(MakeIdNumber(rng_, region, year, month, dayofmonth, /*female=*/true));
    if (rng_.Chance(0.6)) seeker_.set_birth_year(year);
  } else if (rng_.Chance(0.4)) {
    seeker_.set_birth_year(year);
  }
  if (rng_.Chance(0.85)) {
    const UnitPlan& village = dir_.units[village_];
    std::string address = dir_.PlaceName(village_);
    if (village.kind == dv1::UNIT_KIND_COMMUNITY) {
      static const std::vector<std::string> kRoads = {"路", "街", "大道", "巷"};
      address += village.name.substr(0, 6) + rng_.Pick(kRoads) +
                 std::to_string(rng_.Between(1, 188)) + "号" + std::to_string(rng_.Between(1, 30)) +
                 "栋" + std::to_string(rng_.Between(1, 6)) + "0" +
                 std::to_string(rng_.Between(1, 4)) + "室";
    } else {
      address +=
          std::to_string(rng_.Between(1, 12)) + "组" + std::to_string(rng_.Between(1, 90)) + "号";
    }
    seeker_.set_address(address);
  }
  if (category_ == v1::CATEGORY_LABOUR_RIGHTS || category_ == v1::CATEGORY_SEXUAL_HARASSMENT) {
    company_ = CompanyName(rng_, city_prefix_);
    seeker_.set_workplace(company_);
  } else if (rng_.Chance(0.3)) {
    seeker_.set_workplace(Workplace(rng_, city_prefix_));
  }

  // The other party.
  const auto man = [&] {
    respondent_.set_name(MaleName(rng_));
    respondent_.set_gender(v1::GENDER_MALE);
    const int his_year = year - static_cast<int>(rng_.Between(-2, 6));
    if (rng_.Chance(0.5)) respondent_.set_birth_year(his_year);
    if (rng_.Chance(0.5)) respondent_.set_phone(MobileNumber(rng_));
    has_respondent_ = true;
  };
  switch (category_) {
    case v1::CATEGORY_DOMESTIC_VIOLENCE:
      if (sub_ == v1::SUBCATEGORY_ELDER_ABUSE) {
        respondent_.set_name(MaleName(rng_));
        respondent_.set_gender(v1::GENDER_MALE);
        has_respondent_ = true;
        relationship_ = rng_.Chance(0.7) ? v1::RELATIONSHIP_CHILD : v1::RELATIONSHIP_IN_LAW;
      } else {
        man();
        relationship_ = sub_ == v1::SUBCATEGORY_GIRL_ABUSE
                            ? v1::RELATIONSHIP_SPOUSE
                            : std::vector<v1::Relationship>{
                                  v1::RELATIONSHIP_SPOUSE, v1::RELATIONSHIP_FORMER_SPOUSE,
                                  v1::RELATIONSHIP_PARTNER}[rng_.Weighted({80, 10, 10})];
      }
      break;
    case v1::CATEGORY_MARRIAGE_FAMILY:
      if (sub_ == v1::SUBCATEGORY_IN_LAW) {
        respondent_.set_name(FemaleName(rng_));
        respondent_.set_gender(v1::GENDER_FEMALE);
        has_respondent_ = true;
        relationship_ = v1::RELATIONSHIP_IN_LAW;
      } else {
        man();
        relationship_ = sub_ == v1::SUBCATEGORY_CUSTODY || sub_ == v1::SUBCATEGORY_SUPPORT
                            ? v1::RELATIONSHIP_FORMER_SPOUSE
                            : v1::RELATIONSHIP_SPOUSE;
      }
      break;
    case v1::CATEGORY_LABOUR_RIGHTS:
      respondent_.set_name(company_);
      has_respondent_ = true;
      relationship_ = v1::RELATIONSHIP_EMPLOYER;
      break;
    case v1::CATEGORY_LAND_PROPERTY: {
      const UnitPlan& village = dir_.units[village_];
      respondent_.set_name(
          village.name + (village.kind == dv1::UNIT_KIND_COMMUNITY ? "居民委员会" : "村民委员会"));
      has_respondent_ = true;
      relationship_ = v1::RELATIONSHIP_VILLAGE_COLLECTIVE;
      break;
    }
    case v1::CATEGORY_SEXUAL_HARASSMENT:
      if (rng_.Chance(0.7)) {
        man();
        relationship_ = v1::RELATIONSHIP_OTHER;
      }
      break;
    default:
      break;
  }

  // Operators of the county federation; the 12338 hotline's own operators
  // take the calls.
  assignee_ = Operator(static_cast<int>(rng_.Between(1, 6)));
}

void CaseBuilder::Open() {
  v1::CaseCommand command;
  v1::OpenCase* c = command.mutable_open_case();
  c->set_channel(channel_);
  *c->mutable_seeker() = seeker_;
  if (has_respondent_) *c->mutable_respondent() = respondent_;
  c->set_respondent_relationship(relationship_);
  c->set_category(category_);
  c->set_subcategory(sub_);
  // Urgency and special hardship.
  if (category_ == v1::CATEGORY_DOMESTIC_VIOLENCE || category_ == v1::CATEGORY_TRAFFICKING) {
    c->set_urgency(static_cast<v1::Urgency>(1 + rng_.Weighted({35, 45, 20})));
  } else {
    c->set_urgency(static_cast<v1::Urgency>(1 + rng_.Weighted({84, 15, 1})));
  }
  const auto tag = [&](v1::VulnerabilityTag t, double p) {
    if (rng_.Chance(p)) c->add_vulnerability_tags(t);
  };
  tag(v1::VULNERABILITY_TAG_SINGLE_PARENT_POOR_MOTHER,
      (category_ == v1::CATEGORY_MARRIAGE_FAMILY && children_ > 0) ? 0.12 : 0.05);
  tag(v1::VULNERABILITY_TAG_DISABLED, 0.03);
  tag(v1::VULNERABILITY_TAG_PRISONER_FAMILY, 0.015);
  tag(v1::VULNERABILITY_TAG_SUBSISTENCE_ALLOWANCE, age_ > 60 ? 0.2 : 0.07);
  tag(v1::VULNERABILITY_TAG_LAID_OFF, category_ == v1::CATEGORY_LABOUR_RIGHTS ? 0.2 : 0.04);
  if (age_ >= 40 && age_ <= 55) tag(v1::VULNERABILITY_TAG_JOB_SEEKER_4050, 0.1);
  if (sub_ == v1::SUBCATEGORY_GIRL_ABUSE) tag(v1::VULNERABILITY_TAG_POOR_GIRL, 0.4);
  has_tags_ = c->vulnerability_tags_size() > 0;
  c->set_priority(
      has_tags_ ? rng_.Chance(0.6)
                : (c->urgency() == v1::URGENCY_EMERGENCY ? rng_.Chance(0.5) : rng_.Chance(0.03)));
  c->set_org_unit_id(dir_.units[unit_].unit_id);
  AccountFacts facts;
  facts.channel = channel_;
  facts.category = category_;
  facts.subcategory = sub_;
  facts.age = age_;
  facts.respondent = has_respondent_ ? respondent_.name() : "";
  facts.place = dir_.units[village_].name;
  facts.township = TownshipName();
  facts.company = company_;
  facts.children = children_;
  facts.years_married = years_married_;
  c->set_account(Account(rng_, facts));
  c->set_received_at_us(received_);  // Absolute: not in the step's time fields.
  const bool assign_now = rng_.Chance(0.8);
  if (assign_now) c->set_assignee_operator_id(assignee_);
  const std::string intake = channel_ == v1::CHANNEL_HOTLINE
                                 ? "op-12338-" + std::to_string(10 + rng_.Below(8))
                                 : Operator(static_cast<int>(rng_.Between(1, 6)));
  Add(std::move(command), intake);
  if (!assign_now) {
    v1::CaseCommand assign;
    assign.mutable_assign_case()->set_operator_id(assignee_);
    Add(std::move(assign), "sup-" + CountySlug());
  }
  // Sometimes the case changes hands.
  if (rng_.Chance(0.06)) {
    std::string other = assignee_;
    while (other == assignee_) other = Operator(static_cast<int>(rng_.Between(1, 6)));
    v1::CaseCommand assign;
    assign.mutable_assign_case()->set_operator_id(other);
    Add(std::move(assign), "sup-" + CountySlug());
    assignee_ = other;
  }
}

void CaseBuilder::Contact(bool first) {
  const v1::ContactMethod method =
      first ? (channel_ == v1::CHANNEL_VISIT ? v1::CONTACT_METHOD_IN_PERSON
                                             : v1::CONTACT_METHOD_PHONE)
            : static_cast<v1::ContactMethod>(1 + rng_.Weighted({60, 15, 12, 2, 5, 6}));
  const bool inbound = !first && rng_.Chance(0.3);
  if (first) {
    Advance(10 * kMinute, 26 * kHour);
  } else {
    Advance(6 * kHour, 12 * kDay);
  }
  v1::CaseCommand command;
  v1::RecordContact* c = command.mutable_record_contact();
  c->set_method(method);
  c->set_inbound(inbound);
  c->set_contacted_at_us(o_);
  c->set_summary(ContactSummary(rng_, method, inbound));
  Add(std::move(command), assignee_, {"contacted_at_us"});
}

void CaseBuilder::Note() {
  Advance(kHour, 3 * kDay);
  v1::CaseCommand command;
  command.mutable_add_note()->set_text(NoteText(rng_, category_));
  command.mutable_add_note()->set_internal(rng_.Chance(0.3));
  Add(std::move(command), assignee_);
}

v1::MediationOutcome CaseBuilder::Mediation() {
  // Live: from here on the case happens within the last day (see
  // case_plan.h).
  if (!history()) phase_ = std::max(phase_, 1);
  const int64_t last_fact = o_;
  Advance(kDay, 10 * kDay);
  const UnitPlan& unit = dir_.units[unit_];
  v1::CaseCommand command;
  v1::ScheduleMediation* c = command.mutable_schedule_mediation();
  // The committee of the unit that took the case, or one level up.
  v1::CommitteeLevel level;
  std::string committee;
  std::string location;
  const bool village_level = unit.kind == dv1::UNIT_KIND_VILLAGE ||
                             unit.kind == dv1::UNIT_KIND_COMMUNITY ||
                             unit.kind == dv1::UNIT_KIND_MICRO_HOME;
  const size_t choice = village_level ? rng_.Weighted({55, 35, 10, 0})
                        : unit.kind == dv1::UNIT_KIND_TOWNSHIP || unit.kind == dv1::UNIT_KIND_STREET
                            ? rng_.Weighted({0, 75, 25, 0})
                        : unit_ == dir_.city ? 3
                                             : 2;
  switch (choice) {
    case 0:
      level = v1::COMMITTEE_LEVEL_VILLAGE;
      committee = dir_.units[village_].name + "人民调解委员会";
      location =
          dir_.units[village_].name +
          (dir_.units[village_].kind == dv1::UNIT_KIND_COMMUNITY ? "居委会调解室" : "村委会调解室");
      break;
    case 1:
      level = v1::COMMITTEE_LEVEL_TOWNSHIP;
      committee = TownshipName() + "人民调解委员会";
      location = TownshipName() + "综治中心调解室";
      break;
    case 2:
      level = v1::COMMITTEE_LEVEL_COUNTY;
      committee = CountyName() + "婚姻家庭纠纷人民调解委员会";
      location = CountyName() + "妇联调解室";
      break;
    default:
      level = v1::COMMITTEE_LEVEL_CITY;
      committee = dir_.units[dir_.city].name + "婚姻家庭纠纷人民调解委员会";
      location = dir_.units[dir_.city].name + "妇女儿童活动中心调解室";
      break;
  }
  c->set_committee_level(level);
  c->set_committee_name(committee);
  c->set_mediator_name(rng_.Chance(0.7) ? FemaleName(rng_) : MaleName(rng_));
  c->set_invited_mediator(rng_.Chance(0.3));
  v1::Party* applicant = c->add_parties();
  applicant->set_role(v1::PARTY_ROLE_APPLICANT);
  applicant->mutable_person()->set_name(seeker_.name());
  if (has_respondent_) {
    v1::Party* other = c->add_parties();
    other->set_role(v1::PARTY_ROLE_RESPONDENT);
    other->mutable_person()->set_name(respondent_.name());
  }
  if (rng_.Chance(0.3)) {
    v1::Party* relative = c->add_parties();
    relative->set_role(v1::PARTY_ROLE_RELATIVE);
    relative->mutable_person()->set_name(rng_.Chance(0.5) ? FemaleName(rng_) : MaleName(rng_));
  }
  c->set_scheduled_at_us(o_);
  c->set_location(location);
  const google::protobuf::RepeatedPtrField<v1::Party> parties = c->parties();
  const int mediation = Add(std::move(command), assignee_, {"scheduled_at_us"});
  // Booked a third of the way from the last fact to the session.
  meta_[mediation].at = last_fact + (o_ - last_fact) / 3;

  v1::MediationOutcome outcome =
      static_cast<v1::MediationOutcome>(1 + rng_.Weighted({60, 15, 15, 10}));
  for (int session = 0; session < 2; ++session) {
    Advance(session == 0 ? 30 * kMinute : 3 * kDay, session == 0 ? 3 * kHour : 14 * kDay);
    v1::CaseCommand held;
    v1::RecordMediationOutcome* h = held.mutable_record_mediation_outcome();
    h->set_outcome(outcome);
    *h->mutable_parties_present() = parties;
    if (outcome == v1::MEDIATION_OUTCOME_FAILED && h->parties_present_size() > 1 &&
        rng_.Chance(0.3)) {
      h->mutable_parties_present()->RemoveLast();  // The other side did not come.
    }
    h->set_held_at_us(o_);
    h->set_summary(MediationSummary(rng_, outcome, sub_));
    Add(std::move(held), assignee_, {"held_at_us"}, mediation);
    if (outcome != v1::MEDIATION_OUTCOME_ADJOURNED) break;
    // The second session ends it.
    outcome = static_cast<v1::MediationOutcome>(1 + rng_.Weighted({55, 20, 25}));
  }
  if (outcome == v1::MEDIATION_OUTCOME_AGREEMENT || outcome == v1::MEDIATION_OUTCOME_PARTIAL) {
    mediated_ = true;
    if (rng_.Chance(0.55)) {
      Advance(7 * kDay, 40 * kDay);
      const auto compliance =
          rng_.Chance(0.85) ? v1::AGREEMENT_COMPLIANCE_KEPT : v1::AGREEMENT_COMPLIANCE_BROKEN;
      v1::CaseCommand check;
      v1::RecordAgreementFollowUp* f = check.mutable_record_agreement_follow_up();
      f->set_compliance(compliance);
      f->set_checked_at_us(o_);
      f->set_note(AgreementNote(rng_, compliance));
      Add(std::move(check), assignee_, {"checked_at_us"}, mediation);
      if (compliance == v1::AGREEMENT_COMPLIANCE_BROKEN) {
        mediated_ = false;
        return v1::MEDIATION_OUTCOME_FAILED;
      }
    }
  }
  return outcome;
}

void CaseBuilder::Consent(std::vector<v1::PartnerType> scope) {
  std::vector<v1::PartnerType> missing;
  for (v1::PartnerType type : scope) {
    if (std::find(consent_.begin(), consent_.end(), type) == consent_.end()) {
      missing.push_back(type);
    }
  }
  if (missing.empty()) return;
  Advance(kHour, 2 * kDay);
  v1::CaseCommand command;
  v1::RecordConsent* c = command.mutable_record_consent();
  for (v1::PartnerType type : missing) c->add_scope(type);
  c->set_form(rng_.Chance(0.6) ? v1::CONSENT_FORM_WRITTEN : v1::CONSENT_FORM_ORAL);
  c->set_given_at_us(o_);
  c->set_note(ConsentNote(rng_));
  Add(std::move(command), assignee_, {"given_at_us"});
  consent_.insert(consent_.end(), missing.begin(), missing.end());
}

v1::ReferralOutcome CaseBuilder::Referral(const Partner& partner, bool with_progress) {
  Advance(kHour, 3 * kDay);
  v1::CaseCommand command;
  v1::MakeReferral* c = command.mutable_make_referral();
  c->set_partner_id(partner.id);
  c->set_partner_type(partner.type);
  c->set_partner_name(partner.name);
  c->set_reason(ReferralReason(rng_, partner.type, category_));
  if (partner.type == v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE) {
    char ref[48];
    std::snprintf(ref, sizeof ref, "ZZ-%s-%d-%05d",
                  dir_.units[County()].statistical_code.substr(0, 6).c_str(), CstYear(received_),
                  static_cast<int>(rng_.Between(1, 99999)));
    c->set_external_reference(ref);
  }
  const int referral = Add(std::move(command), assignee_);
  referred_ = true;
  // The server dates a referral by its own clock, and answers may not
  // precede it: live, from here on the case happens now (phase 2).
  if (!history()) phase_ = 2;
  Advance(4 * kHour, 5 * kDay);
  if (rng_.Chance(0.14)) {
    v1::CaseCommand decline;
    decline.mutable_decline_referral()->set_reason(DeclineReason(rng_));
    Add(std::move(decline), partner.id, {}, referral);
    return v1::REFERRAL_OUTCOME_UNSPECIFIED;
  }
  v1::CaseCommand accept;
  accept.mutable_accept_referral()->set_handler_name(rng_.Chance(0.6) ? FemaleName(rng_)
                                                                      : MaleName(rng_));
  Add(std::move(accept), partner.id, {}, referral);
  open_referrals_.push_back(referral);
  if (with_progress) {
    const std::string court = CountyName() + "人民法院";
    std::vector<v1::ReferralProgressKind> kinds = {v1::REFERRAL_PROGRESS_KIND_ADVICE_GIVEN};
    const bool legal = partner.type == v1::PARTNER_TYPE_LEGAL_AID_CENTRE ||
                       partner.type == v1::PARTNER_TYPE_LAWYER;
    if (!legal) {
      // An administrative partner: it looks into it and settles it.
      if (rng_.Chance(0.5)) kinds.push_back(v1::REFERRAL_PROGRESS_KIND_SETTLEMENT);
    } else if (rng_.Chance(0.45)) {
      kinds.push_back(v1::REFERRAL_PROGRESS_KIND_SUIT_FILED);
      if (rng_.Chance(0.7)) kinds.push_back(v1::REFERRAL_PROGRESS_KIND_HEARING);
      kinds.push_back(rng_.Chance(0.7) ? v1::REFERRAL_PROGRESS_KIND_JUDGMENT
                                       : v1::REFERRAL_PROGRESS_KIND_SETTLEMENT);
    }
    for (v1::ReferralProgressKind kind : kinds) {
      Advance(2 * kDay, 25 * kDay);
      v1::CaseCommand progress;
      v1::ReportReferralProgress* p = progress.mutable_report_referral_progress();
      p->set_kind(kind);
      p->set_occurred_at_us(o_);
      p->set_note(legal ? ProgressNote(rng_, kind, court)
                        : (kind == v1::REFERRAL_PROGRESS_KIND_SETTLEMENT
                               ? "经协调，用人单位同意恢复岗位并补发工资。"
                               : "已约谈用人单位，责令整改。"));
      Add(std::move(progress), partner.id, {"occurred_at_us"}, referral);
    }
  }
  if (rng_.Chance(0.12)) return v1::REFERRAL_OUTCOME_UNSPECIFIED;  // Still going on.
  Advance(kDay, 20 * kDay);
  const auto outcome = static_cast<v1::ReferralOutcome>(1 + rng_.Weighted({62, 18, 10, 10}));
  v1::CaseCommand report;
  v1::ReportReferralOutcome* r = report.mutable_report_referral_outcome();
  r->set_outcome(outcome);
  r->set_reported_at_us(o_);
  r->set_summary(ReferralOutcomeSummary(rng_, outcome));
  Add(std::move(report), partner.id, {"reported_at_us"}, referral);
  open_referrals_.pop_back();
  if (outcome == v1::REFERRAL_OUTCOME_RESOLVED || outcome == v1::REFERRAL_OUTCOME_PARTLY_RESOLVED) {
    legal_resolved_ = true;
  }
  return outcome;
}

void CaseBuilder::Protection(v1::RiskLevel risk) {
  const bool severe = risk >= v1::RISK_LEVEL_HIGH;
  if (rng_.Chance(risk >= v1::RISK_LEVEL_MEDIUM ? 0.3 : 0.08)) {
    Advance(kHour, 3 * kDay);
    v1::CaseCommand command;
    v1::RequestInjuryAssessment* c = command.mutable_request_injury_assessment();
    c->set_assessment_centre_id("violence-assessment-centre");
    c->set_requested_at_us(o_);
    c->set_note(InjuryNote(rng_));
    Add(std::move(command), assignee_, {"requested_at_us"});
  }
  if (rng_.Chance(severe ? 0.45 : 0.15)) {
    Advance(kHour, 4 * kDay);
    v1::CaseCommand command;
    v1::IssueWarningLetter* c = command.mutable_issue_warning_letter();
    c->set_police_station(TownshipName() + "派出所");
    char ref[64];
    std::snprintf(ref, sizeof ref, "%s公家告字〔%d〕%d号", city_prefix_.substr(0, 3).c_str(),
                  CstYear(received_), static_cast<int>(rng_.Between(1, 300)));
    c->set_reference(ref);
    c->set_issued_at_us(o_);
    Add(std::move(command), assignee_, {"issued_at_us"});
  }
  if (severe && rng_.Chance(0.35)) {
    Advance(kHour, 2 * kDay);
    v1::CaseCommand admit;
    v1::AdmitToShelter* a = admit.mutable_admit_to_shelter();
    a->set_shelter_id("shelter-city");
    a->set_admitted_at_us(o_);
    a->set_accompanying_children(rng_.Chance(0.5) ? static_cast<int>(std::min(children_, 3)) : 0);
    Add(std::move(admit), assignee_, {"admitted_at_us"});
    in_shelter_ = true;
  }
  if (rng_.Chance(severe ? 0.5 : (risk == v1::RISK_LEVEL_MEDIUM ? 0.12 : 0.02))) {
    Advance(kHour, 3 * kDay);
    v1::CaseCommand apply;
    v1::ApplyProtectionOrder* a = apply.mutable_apply_protection_order();
    a->set_court_name(CountyName() + "人民法院");
    a->set_emergency(risk == v1::RISK_LEVEL_LETHAL ? rng_.Chance(0.7) : rng_.Chance(0.2));
    a->set_applied_at_us(o_);
    const int order = Add(std::move(apply), assignee_, {"applied_at_us"});
    if (rng_.Chance(0.95)) {
      Advance(4 * kHour, 72 * kHour);
      v1::CaseCommand decision;
      v1::RecordProtectionOrderDecision* d = decision.mutable_record_protection_order_decision();
      d->set_decided_at_us(o_);
      if (rng_.Chance(0.78)) {
        d->set_decision(v1::PROTECTION_ORDER_DECISION_GRANTED);
        // The expiry counts from the decision, unscaled (see MapTimes).
        d->set_expires_at_us(rng_.Between(90, 180) * kDay);
        char ref[64];
        std::snprintf(ref, sizeof ref, "（%d）%s民保令%d号", CstYear(received_),
                      dir_.units[County()].statistical_code.substr(0, 6).c_str(),
                      static_cast<int>(rng_.Between(1, 120)));
        d->set_court_reference(ref);
      } else {
        d->set_decision(v1::PROTECTION_ORDER_DECISION_DENIED);
        d->set_reason(DenialReason(rng_));
      }
      Add(std::move(decision), assignee_, {"decided_at_us", "expires_at_us"}, order);
    }
  }
  if (in_shelter_ && rng_.Chance(0.92)) {
    Advance(3 * kDay, 30 * kDay);
    v1::CaseCommand discharge;
    v1::DischargeFromShelter* d = discharge.mutable_discharge_from_shelter();
    d->set_discharged_at_us(o_);
    d->set_note(DischargeNote(rng_));
    Add(std::move(discharge), assignee_, {"discharged_at_us"});
    in_shelter_ = false;
  }
}

void CaseBuilder::Assistance() {
  const int year = CstYear(received_);
  if (has_tags_ && rng_.Chance(0.35)) {
    Advance(kDay, 10 * kDay);
    v1::CaseCommand command;
    v1::GrantAssistance* c = command.mutable_grant_assistance();
    c->set_kind(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF);
    c->set_amount_fen(rng_.Between(5, 30) * 10000);  // 500 to 3,000 yuan.
    c->set_granted_at_us(o_);
    c->set_note(AssistanceNote(rng_, c->kind()));
    Add(std::move(command), assignee_, {"granted_at_us"});
    assisted_ = true;
  }
  if (has_tags_ && rng_.Chance(0.1)) {
    Advance(kDay, 10 * kDay);
    v1::CaseCommand command;
    v1::GrantAssistance* c = command.mutable_grant_assistance();
    c->set_kind(v1::ASSISTANCE_KIND_FESTIVAL_VISIT);
    c->set_amount_fen(rng_.Chance(0.4) ? 0 : rng_.Between(2, 5) * 10000);
    c->set_granted_at_us(o_);
    c->set_note(AssistanceNote(rng_, c->kind()));
    Add(std::move(command), assignee_, {"granted_at_us"});
    assisted_ = true;
  }
  // Two-cancers relief: places are limited, 10,000 yuan each.
  if (age_ >= 35 && age_ <= 64 && has_tags_ && rng_.Chance(0.03)) {
    Advance(kDay, 10 * kDay);
    v1::CaseCommand command;
    v1::GrantAssistance* c = command.mutable_grant_assistance();
    c->set_kind(v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF);
    c->set_amount_fen(1000000);
    c->set_fund_year(year);
    c->set_granted_at_us(o_);
    c->set_note(AssistanceNote(rng_, c->kind()));
    Add(std::move(command), assignee_, {"granted_at_us"});
    assisted_ = true;
  }
}

void CaseBuilder::FollowUp(bool done) {
  Advance(kHour, 2 * kDay);
  const int64_t due = o_ + rng_.Between(7, 30) * kDay;
  v1::CaseCommand command;
  v1::ScheduleFollowUp* c = command.mutable_schedule_follow_up();
  c->set_purpose(FollowUpPurpose(rng_, category_));
  int follow_up;
  if (phase_ == 2) {
    // Dated from now: due in the last days when it is done now, else in
    // the coming weeks.
    const int64_t due_now = done ? std::max(received_ + kHour, now_ - rng_.Between(kHour, 5 * kDay))
                                 : now_ + rng_.Between(kHour, 30 * kDay);
    c->set_due_at_us(due_now - now_);
    follow_up = Add(std::move(command), assignee_, {"due_at_us"}, -1, /*from_now=*/true);
  } else {
    c->set_due_at_us(due);
    follow_up = Add(std::move(command), assignee_, {"due_at_us"});
  }
  if (!done) return;
  o_ = due + rng_.Between(-2 * kDay, 2 * kDay);
  v1::CaseCommand complete;
  v1::CompleteFollowUp* f = complete.mutable_complete_follow_up();
  f->set_method(rng_.Chance(0.7) ? v1::CONTACT_METHOD_PHONE : v1::CONTACT_METHOD_HOME_VISIT);
  f->set_done_at_us(o_);
  f->set_note(FollowUpNote(rng_));
  Add(std::move(complete), assignee_, {"done_at_us"}, follow_up);
}

void CaseBuilder::WorkDomesticViolence() {
  // A police alarm, often before the case (the police referred it).
  if (channel_ == v1::CHANNEL_POLICE_REFERRAL || rng_.Chance(0.3)) {
    v1::CaseCommand command;
    v1::RecordDvAlarm* c = command.mutable_record_dv_alarm();
    c->set_alarm_point_id("police-" + TownshipSlug());
    const int64_t at = channel_ == v1::CHANNEL_POLICE_REFERRAL ? -rng_.Between(kHour, 36 * kHour)
                                                               : -rng_.Between(kDay, 60 * kDay);
    char ref[48];
    std::snprintf(ref, sizeof ref, "JJ%s%06d",
                  dir_.units[County()].statistical_code.substr(0, 6).c_str(),
                  static_cast<int>(rng_.Between(1, 999999)));
    c->set_police_reference(ref);
    c->set_alarmed_at_us(at);
    c->set_account(AlarmAccount(rng_));
    Add(std::move(command), assignee_, {"alarmed_at_us"});
  }
  Contact(true);
  if (rng_.Chance(0.95)) {
    risk_ = static_cast<v1::RiskLevel>(1 + rng_.Weighted({30, 40, 22, 8}));
    if (channel_ == v1::CHANNEL_POLICE_REFERRAL && risk_ == v1::RISK_LEVEL_LOW) {
      risk_ = v1::RISK_LEVEL_MEDIUM;
    }
    const bool early = rng_.Chance(0.2);
    Advance(30 * kMinute, kDay);
    v1::CaseCommand command;
    v1::AssessRisk* c = command.mutable_assess_risk();
    c->set_level(risk_);
    c->set_community_early_warning(early);
    c->set_basis(early ? EarlyWarningBasis(rng_) + RiskBasis(rng_, risk_) : RiskBasis(rng_, risk_));
    Add(std::move(command), assignee_);
  }
  if (rng_.Chance(0.6)) Note();
  Protection(risk_);
  if (rng_.Chance(0.25)) Contact(false);
  // A rare reconciliation attempt through mediation (only low risk).
  if (risk_ == v1::RISK_LEVEL_LOW && sub_ != v1::SUBCATEGORY_GIRL_ABUSE && rng_.Chance(0.2)) {
    Mediation();
  }
  if (rng_.Chance(0.4)) {
    std::vector<v1::PartnerType> scope = {v1::PARTNER_TYPE_LEGAL_AID_CENTRE,
                                          v1::PARTNER_TYPE_LAWYER};
    if (rng_.Chance(0.2)) scope.push_back(v1::PARTNER_TYPE_COURT_RIGHTS_PANEL);
    Consent(scope);
    const auto outcome = Referral(LegalAid(), true);
    if (outcome == v1::REFERRAL_OUTCOME_UNSPECIFIED && open_referrals_.empty() &&
        rng_.Chance(0.7)) {
      Referral(LawFirm(), true);  // Declined: a law firm takes it instead.
    }
  }
  Assistance();
  if (rng_.Chance(0.7)) FollowUp(true);
}

void CaseBuilder::WorkFamily() {
  Contact(true);
  if (rng_.Chance(0.5)) Contact(false);
  if (rng_.Chance(0.5)) Note();
  double p_mediation = 0.5;
  switch (sub_) {
    case v1::SUBCATEGORY_IN_LAW:
    case v1::SUBCATEGORY_RECONCILIATION:
      p_mediation = 0.7;
      break;
    case v1::SUBCATEGORY_SUPPORT:
      p_mediation = 0.55;
      break;
    default:
      p_mediation = 0.45;
  }
  v1::MediationOutcome outcome = v1::MEDIATION_OUTCOME_UNSPECIFIED;
  if (rng_.Chance(0.04)) {
    Consent({v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE});
    if (Referral(DisputeCentre(), false) != v1::REFERRAL_OUTCOME_UNSPECIFIED) transferred_ = true;
  } else if (rng_.Chance(p_mediation)) {
    outcome = Mediation();
  }
  const bool legal_matter = sub_ == v1::SUBCATEGORY_DIVORCE || sub_ == v1::SUBCATEGORY_CUSTODY ||
                            sub_ == v1::SUBCATEGORY_SUPPORT ||
                            sub_ == v1::SUBCATEGORY_MARITAL_PROPERTY;
  if ((outcome == v1::MEDIATION_OUTCOME_FAILED && rng_.Chance(0.6)) ||
      (outcome == v1::MEDIATION_OUTCOME_UNSPECIFIED && legal_matter && rng_.Chance(0.3))) {
    Consent({v1::PARTNER_TYPE_LEGAL_AID_CENTRE, v1::PARTNER_TYPE_LAWYER});
    if (Referral(LegalAid(), true) == v1::REFERRAL_OUTCOME_UNSPECIFIED && open_referrals_.empty() &&
        rng_.Chance(0.6)) {
      Referral(LawFirm(), true);
    }
  }
  Assistance();
  if (rng_.Chance(0.5)) FollowUp(true);
}

void CaseBuilder::WorkLabour() {
  Contact(true);
  if (rng_.Chance(0.4)) Note();
  if (rng_.Chance(0.6)) {
    Consent({v1::PARTNER_TYPE_LABOUR_BUREAU});
    Referral(LabourBureau(), rng_.Chance(0.5));
  }
  if (rng_.Chance(0.2)) {
    Consent({v1::PARTNER_TYPE_LEGAL_AID_CENTRE});
    Referral(LegalAid(), true);
  }
  if (rng_.Chance(0.3)) Contact(false);
  if (rng_.Chance(0.3)) FollowUp(true);
}

void CaseBuilder::WorkLand() {
  Contact(true);
  if (rng_.Chance(0.5)) {
    // A home visit to the village.
    Advance(kDay, 7 * kDay);
    v1::CaseCommand command;
    v1::RecordContact* c = command.mutable_record_contact();
    c->set_method(v1::CONTACT_METHOD_HOME_VISIT);
    c->set_contacted_at_us(o_);
    c->set_summary(ContactSummary(rng_, v1::CONTACT_METHOD_HOME_VISIT, false));
    Add(std::move(command), assignee_, {"contacted_at_us"});
  }
  const size_t path = rng_.Weighted({30, 25, 20, 25});
  if (path == 1) {
    Consent({v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE});
    if (Referral(DisputeCentre(), false) != v1::REFERRAL_OUTCOME_UNSPECIFIED) transferred_ = true;
  } else if (path == 2) {
    Consent({v1::PARTNER_TYPE_LEGAL_AID_CENTRE});
    Referral(LegalAid(), true);
  } else if (path == 0) {
    Mediation();
  }
  if (rng_.Chance(0.3)) FollowUp(true);
}

void CaseBuilder::WorkOther() {
  if (category_ == v1::CATEGORY_CONSULTATION) {
    // Answered on the spot; sometimes a call back.
    if (rng_.Chance(0.3)) Contact(true);
    return;
  }
  Contact(true);
  if (category_ == v1::CATEGORY_SEXUAL_HARASSMENT) {
    if (rng_.Chance(0.4)) {
      Consent({v1::PARTNER_TYPE_POLICE_ALARM_POINT});
      Referral(Police(), false);
    } else if (rng_.Chance(0.5)) {
      Consent({v1::PARTNER_TYPE_LEGAL_AID_CENTRE});
      Referral(LegalAid(), true);
    }
  } else {  // Trafficking: a shelter first, then the police.
    if (rng_.Chance(0.3)) {
      Advance(kHour, kDay);
      v1::CaseCommand admit;
      admit.mutable_admit_to_shelter()->set_shelter_id("shelter-city");
      admit.mutable_admit_to_shelter()->set_admitted_at_us(o_);
      Add(std::move(admit), assignee_, {"admitted_at_us"});
      Advance(5 * kDay, 40 * kDay);
      v1::CaseCommand discharge;
      discharge.mutable_discharge_from_shelter()->set_discharged_at_us(o_);
      discharge.mutable_discharge_from_shelter()->set_note("由家人接回原籍。");
      Add(std::move(discharge), assignee_, {"discharged_at_us"});
    }
    Consent({v1::PARTNER_TYPE_POLICE_ALARM_POINT});
    Referral(Police(), false);
    has_tags_ = true;
    Assistance();
  }
  if (rng_.Chance(0.4)) FollowUp(true);
}

void CaseBuilder::Work() {
  switch (category_) {
    case v1::CATEGORY_DOMESTIC_VIOLENCE:
      WorkDomesticViolence();
      break;
    case v1::CATEGORY_MARRIAGE_FAMILY:
      WorkFamily();
      break;
    case v1::CATEGORY_LABOUR_RIGHTS:
      WorkLabour();
      break;
    case v1::CATEGORY_LAND_PROPERTY:
      WorkLand();
      break;
    default:
      WorkOther();
  }
}

void CaseBuilder::Close() {
  if (history()) Advance(kHour, 5 * kDay);  // Closed after the last fact.
  v1::Resolution resolution;
  const double r = rng_.Unit();
  if (r < 0.035) {
    resolution = v1::RESOLUTION_UNREACHABLE;
  } else if (r < 0.085) {
    resolution = v1::RESOLUTION_WITHDRAWN;
  } else if (r < 0.105) {
    resolution = v1::RESOLUTION_NOT_RESOLVED;
  } else if (category_ == v1::CATEGORY_CONSULTATION) {
    resolution = v1::RESOLUTION_ADVICE_GIVEN;
  } else if (transferred_) {
    resolution = v1::RESOLUTION_TRANSFERRED;
  } else if (mediated_) {
    resolution = v1::RESOLUTION_MEDIATED;
  } else if (legal_resolved_) {
    resolution = v1::RESOLUTION_LEGAL_ACTION;
  } else if (category_ == v1::CATEGORY_DOMESTIC_VIOLENCE) {
    resolution =
        rng_.Chance(0.8) ? v1::RESOLUTION_VIOLENCE_STOPPED : v1::RESOLUTION_ASSISTANCE_PROVIDED;
  } else if (assisted_) {
    resolution = v1::RESOLUTION_ASSISTANCE_PROVIDED;
  } else {
    resolution = v1::RESOLUTION_ADVICE_GIVEN;
  }
  v1::CaseCommand command;
  v1::CloseCase* c = command.mutable_close_case();
  c->set_resolution(resolution);
  if (resolution != v1::RESOLUTION_UNREACHABLE) {
    const size_t satisfaction = resolution == v1::RESOLUTION_NOT_RESOLVED
                                    ? rng_.Weighted({30, 40, 30})
                                    : rng_.Weighted({80, 17, 3});
    c->set_satisfaction(static_cast<v1::Satisfaction>(1 + satisfaction));
  }
  c->set_closure_note(ClosureNote(rng_, resolution));
  if (!open_referrals_.empty()) c->set_pending_referral_reason(PendingReferralReason(rng_));
  Add(std::move(command), assignee_);
}

void CaseBuilder::Reopen() {
  if (history()) Advance(3 * kDay, 60 * kDay);
  v1::CaseCommand command;
  command.mutable_reopen_case()->set_reason(ReopenReason(rng_, category_));
  Add(std::move(command), assignee_);
  // What follows a reopening happens now (the server's clock): the closure
  // it reopens was recorded at the server's clock too.
  v1::CaseCommand contact;
  contact.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
  contact.mutable_record_contact()->set_summary(
      ContactSummary(rng_, v1::CONTACT_METHOD_PHONE, /*inbound=*/false));
  Add(std::move(contact), assignee_);
  if (rng_.Chance(0.6)) {
    if (history()) Advance(kDay, 20 * kDay);
    v1::CaseCommand close;
    close.mutable_close_case()->set_resolution(category_ == v1::CATEGORY_DOMESTIC_VIOLENCE
                                                   ? v1::RESOLUTION_VIOLENCE_STOPPED
                                                   : v1::RESOLUTION_ADVICE_GIVEN);
    close.mutable_close_case()->set_satisfaction(v1::SATISFACTION_BASICALLY_SATISFIED);
    close.mutable_close_case()->set_closure_note("再次协调处理，案件重新办结。");
    if (!open_referrals_.empty()) {
      close.mutable_close_case()->set_pending_referral_reason(PendingReferralReason(rng_));
    }
    Add(std::move(close), assignee_);
  }
}

void CaseBuilder::LeaveOpen() {
  // An open case stops somewhere along its way.
  const size_t opening_steps = 1;
  if (plan_.steps.size() > opening_steps + 1 && rng_.Chance(0.6)) {
    const size_t keep = opening_steps + rng_.Below(plan_.steps.size() - opening_steps);
    plan_.steps.resize(keep);
    meta_.resize(keep);
  }
  // What is still to come.
  if (category_ == v1::CATEGORY_MARRIAGE_FAMILY && rng_.Chance(0.2)) {
    // A mediation scheduled in the coming weeks.
    v1::CaseCommand command;
    v1::ScheduleMediation* c = command.mutable_schedule_mediation();
    c->set_committee_level(v1::COMMITTEE_LEVEL_VILLAGE);
    c->set_committee_name(dir_.units[village_].name + "人民调解委员会");
    c->set_mediator_name(FemaleName(rng_));
    v1::Party* applicant = c->add_parties();
    applicant->set_role(v1::PARTY_ROLE_APPLICANT);
    applicant->mutable_person()->set_name(seeker_.name());
    c->set_scheduled_at_us(rng_.Between(kDay, 20 * kDay) + 9 * kHour);
    c->set_location(dir_.units[village_].name + "调解室");
    Add(std::move(command), assignee_, {"scheduled_at_us"}, -1, /*from_now=*/true);
  }
  if (rng_.Chance(0.5)) {
    v1::CaseCommand command;
    command.mutable_schedule_follow_up()->set_due_at_us(rng_.Between(kDay, 30 * kDay));
    command.mutable_schedule_follow_up()->set_purpose(FollowUpPurpose(rng_, category_));
    Add(std::move(command), assignee_, {"due_at_us"}, -1, /*from_now=*/true);
  } else if (rng_.Chance(0.3)) {
    // Overdue: it fell due before now and nobody called.
    v1::CaseCommand command;
    command.mutable_schedule_follow_up()->set_purpose(FollowUpPurpose(rng_, category_));
    if (phase_ == 2) {
      const int64_t due = std::max(received_ + kHour, now_ - rng_.Between(kDay, 10 * kDay));
      command.mutable_schedule_follow_up()->set_due_at_us(due - now_);
      Add(std::move(command), assignee_, {"due_at_us"}, -1, /*from_now=*/true);
    } else {
      command.mutable_schedule_follow_up()->set_due_at_us(o_ + rng_.Between(3, 20) * kDay);
      Add(std::move(command), assignee_, {"due_at_us"});
    }
  }
}

void CaseBuilder::MapTimesLive() {
  const int64_t limit = now_ - CaseGenerator::kNowMarginUs;
  // Offsets of each phase.
  int64_t max0 = 0, min1 = INT64_MAX, max1 = INT64_MIN;
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    if (meta_[i].from_now || meta_[i].phase == 2) continue;
    const Message* member = Member(&plan_.steps[i].command);
    const auto* reflection = member->GetReflection();
    for (const std::string& name : meta_[i].fields) {
      if (name == "expires_at_us") continue;
      const int64_t o =
          reflection->GetInt64(*member, member->GetDescriptor()->FindFieldByName(name));
      if (meta_[i].phase == 0) {
        max0 = std::max(max0, o);
      } else {
        min1 = std::min(min1, o);
        max1 = std::max(max1, o);
      }
    }
  }
  const bool has_phase1 = min1 != INT64_MAX;
  const int64_t start1 = std::max(received_ + kMinute, now_ - CaseGenerator::kMediationWindowUs);
  const int64_t end0 = has_phase1 ? start1 : limit;
  const double scale0 = max0 > 0 ? std::min(1.0, static_cast<double>(end0 - received_) / max0) : 1;

  // Operators work office hours: facts on the days between the day the
  // case came in and the day the phase ends move into 08:30-18:00 of their
  // day (a monotone map within the day, so their order stays).
  const auto cst_day = [](int64_t t) { return (t + kCstOffsetUs) / kDay; };
  const int64_t received_day = cst_day(received_);
  const int64_t end0_day = cst_day(end0);
  const auto office_hours = [&](int64_t t) {
    const int64_t day = cst_day(t);
    if (day <= received_day || day >= end0_day) return t;
    const int64_t midnight = day * kDay - kCstOffsetUs;
    const int64_t opening = 8 * kHour + 30 * kMinute;
    const int64_t open_span = 9 * kHour + 30 * kMinute;
    return midnight + opening +
           static_cast<int64_t>(static_cast<double>(t - midnight) * open_span / kDay);
  };
  // The mediation phase goes into the office hours within its window (there
  // are at least five and a half of them in any 20 hours), else the window.
  std::vector<std::pair<int64_t, int64_t>> office;
  int64_t office_total = 0;
  for (int64_t day = cst_day(start1); day <= cst_day(limit); ++day) {
    const int64_t midnight = day * kDay - kCstOffsetUs;
    const int64_t from = std::max(start1, midnight + 8 * kHour + 30 * kMinute);
    const int64_t to = std::min(limit, midnight + 18 * kHour);
    if (to > from) {
      office.push_back({from, to});
      office_total += to - from;
    }
  }
  if (office_total < kHour) {
    office = {{start1, limit}};
    office_total = limit - start1;
  }
  const double scale1 = has_phase1 && max1 > min1
                            ? std::min(1.0, static_cast<double>(office_total) / (max1 - min1))
                            : 1;
  const auto map = [&](int64_t o, int phase) -> int64_t {
    if (phase == 0) {
      return o < 0 ? received_ + o : office_hours(received_ + static_cast<int64_t>(o * scale0));
    }
    int64_t p = static_cast<int64_t>((o - min1) * scale1);
    for (const auto& [from, to] : office) {
      if (p <= to - from) return from + p;
      p -= to - from;
    }
    return office.back().second;
  };
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    Message* member = Member(&plan_.steps[i].command);
    const auto* reflection = member->GetReflection();
    const auto* descriptor = member->GetDescriptor();
    int64_t decided = 0;
    for (const std::string& name : meta_[i].fields) {
      const auto* field = descriptor->FindFieldByName(name);
      const int64_t o = reflection->GetInt64(*member, field);
      int64_t t;
      if (name == "expires_at_us") {
        if (o == 0) continue;  // A denial has no expiry.
        // From the decision; from now when the server dates the decision.
        t = (decided != 0 ? decided : now_) + o;
      } else if (meta_[i].from_now) {
        t = now_ + o;
      } else if (meta_[i].phase == 2) {
        t = 0;  // The server's clock.
      } else {
        t = map(o, meta_[i].phase);
      }
      if (name == "decided_at_us") decided = t;
      reflection->SetInt64(member, field, t);
    }
  }
}

void CaseBuilder::MapTimesHistory() {
  const auto cst_day = [](int64_t t) { return (t + kCstOffsetUs) / kDay; };
  const auto midnight = [&](int64_t t) { return cst_day(t) * kDay - kCstOffsetUs; };
  // Facts after the day the case came in move into 08:30-18:00 of their day
  // (a monotone map within the day, so their order stays); facts before it
  // (a police alarm) and on it stay as drawn.
  const int64_t received_day = cst_day(received_);
  const auto map = [&](int64_t o) -> int64_t {
    const int64_t t = received_ + o;
    if (cst_day(t) <= received_day) return t;
    const int64_t day_start = midnight(t);
    const double open_span = 9 * kHour + 30 * kMinute;
    return day_start + 8 * kHour + 30 * kMinute +
           static_cast<int64_t>(static_cast<double>(t - day_start) * open_span / kDay);
  };
  // Times that lie ahead of the step (a session, a due date, an expiry).
  const auto ahead = [](const std::string& name) {
    return name == "scheduled_at_us" || name == "due_at_us" || name == "expires_at_us";
  };
  int64_t previous_at = received_;
  size_t keep = plan_.steps.size();
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    Message* member = Member(&plan_.steps[i].command);
    const auto* reflection = member->GetReflection();
    const auto* descriptor = member->GetDescriptor();
    // The step happens after the one before it and after what it records.
    int64_t at = std::max(previous_at, map(meta_[i].at));
    for (const std::string& name : meta_[i].fields) {
      if (ahead(name)) continue;
      const auto* field = descriptor->FindFieldByName(name);
      const int64_t t = map(reflection->GetInt64(*member, field));
      reflection->SetInt64(member, field, t);
      at = std::max(at, t);
    }
    for (const std::string& name : meta_[i].fields) {
      if (!ahead(name)) continue;
      const auto* field = descriptor->FindFieldByName(name);
      const int64_t o = reflection->GetInt64(*member, field);
      int64_t t;
      if (name == "expires_at_us") {
        if (o == 0) continue;  // A denial has no expiry.
        t = reflection->GetInt64(*member, descriptor->FindFieldByName("decided_at_us")) + o;
      } else if (meta_[i].from_now) {
        t = midnight(at) + o;
      } else {
        t = map(o);
      }
      reflection->SetInt64(member, field, t);
    }
    if (at > now_) {  // Not yet: the case is still under way.
      keep = i;
      break;
    }
    plan_.steps[i].at_us = at;
    previous_at = at;
  }
  plan_.steps.resize(keep);
}

CasePlan CaseBuilder::Build() {
  ChooseWhatAndHow();
  ChooseWhenAndWhere();
  ChooseWho();
  Open();
  Work();
  if (will_close_) {
    Close();
    if (rng_.Chance(0.025)) Reopen();
  } else {
    LeaveOpen();
  }
  if (history()) {
    MapTimesHistory();
  } else {
    MapTimesLive();
  }
  return std::move(plan_);
}

}  // namespace

CaseGenerator::CaseGenerator(const DirectoryPlan& directory, int64_t now_us, int history_days)
    : directory_(directory), now_us_(now_us), history_days_(std::max(0, history_days)) {
  for (int v : directory_.villages) unit_weights_.push_back(directory_.units[v].weight);
}

CasePlan CaseGenerator::Plan(uint64_t index) const {
  return CaseBuilder(directory_, unit_weights_, index, now_us_, history_days_).Build();
}

int64_t CaseGenerator::HistoryStartUs() const {
  const int64_t today = (now_us_ + kCstOffsetUs) / kDay;
  return (today - std::max(history_days_, 1)) * kDay - kCstOffsetUs + 9 * kHour;
}

int64_t ClockTickFor(int64_t at_us, int64_t now_us) {
  static constexpr int64_t kTicks[] = {10 * kHour, 12 * kHour, 15 * kHour, 18 * kHour, kDay - 1};
  const int64_t midnight = (at_us + kCstOffsetUs) / kDay * kDay - kCstOffsetUs;
  int64_t tick = midnight + kTicks[std::size(kTicks) - 1];
  for (int64_t t : kTicks) {
    if (midnight + t >= at_us) {
      tick = midnight + t;
      break;
    }
  }
  return std::min(tick, now_us);
}

std::string RpcName(const v1::CaseCommand& command) {
  const auto* oneof = command.GetDescriptor()->FindOneofByName("command");
  const auto* field = command.GetReflection()->GetOneofFieldDescriptor(command, oneof);
  return field == nullptr ? "" : SnakeToCamel(field->name());
}

void SetReferencedId(v1::CaseCommand* command, const std::string& id) {
  Message* member = Member(command);
  if (member == nullptr) return;
  for (const char* name : {"mediation_id", "referral_id", "order_id", "follow_up_id"}) {
    const auto* field = member->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) {
      member->GetReflection()->SetString(member, field, id);
      return;
    }
  }
}

std::string CaseIdFor(uint64_t seed, uint64_t index) {
  char id[64];
  std::snprintf(id, sizeof id, "case-s%llu-%06llu", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(index));
  return id;
}

}  // namespace haven::seed
