// The micro-home aggregate's rules (services/microhomes/domain/RULES.md),
// one test per rule, each named for it; pure Decide/Evolve, no storage or
// gRPC.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/microhomes/domain/microhome_decide.h"
#include "services/microhomes/domain/microhome_state.h"

namespace haven::microhomes {
namespace {

using units::UnitFacts;
using units::UnitLevel;

constexpr int64_t kDayUs = 86'400'000'000;

int64_t Cst(int y, int m, int d, int hh = 10) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::FixedTimeZone(8 * 3600)));
}

UnitFacts Unit(const std::string& id, UnitLevel level, std::vector<std::string> ancestors,
               std::vector<UnitLevel> levels, bool open = true) {
  UnitFacts u;
  u.id = id;
  u.exists = true;
  u.open = open;
  u.level = level;
  u.ancestors = std::move(ancestors);
  u.ancestor_levels = std::move(levels);
  return u;
}

// 南京市 / 玄武区 / 梅园街道 / 梅园社区 / 微家, and a neighbouring district.
const UnitFacts kCity = Unit("nj", UnitLevel::kCity, {}, {});
const UnitFacts kCounty = Unit("nj-xw", UnitLevel::kCounty, {"nj"}, {UnitLevel::kCity});
const UnitFacts kTownship = Unit("nj-xw-my", UnitLevel::kTownship, {"nj", "nj-xw"},
                                 {UnitLevel::kCity, UnitLevel::kCounty});
const UnitFacts kVillage =
    Unit("nj-xw-my-1", UnitLevel::kVillage, {"nj", "nj-xw", "nj-xw-my"},
         {UnitLevel::kCity, UnitLevel::kCounty, UnitLevel::kTownship});
const UnitFacts kHome =
    Unit("nj-xw-my-1-wj1", UnitLevel::kOther, {"nj", "nj-xw", "nj-xw-my", "nj-xw-my-1"},
         {UnitLevel::kCity, UnitLevel::kCounty, UnitLevel::kTownship, UnitLevel::kVillage});
const UnitFacts kOtherCounty = Unit("nj-qh", UnitLevel::kCounty, {"nj"}, {UnitLevel::kCity});

v1::MicroHomeCommand RegisterCommand() {
  v1::MicroHomeCommand c;
  v1::RegisterMicroHome* r = c.mutable_register_micro_home();
  r->set_kind(v1::MICRO_HOME_KIND_NEIGHBOURHOOD_GRID);
  r->set_venue(v1::VENUE_BUILDING);
  r->mutable_host()->set_name("李秀兰");
  r->mutable_host()->set_phone("13912345678");
  v1::ExecutiveInput* x = r->add_executives();
  x->set_executive_id("exec-wang");
  x->set_name("王芳");
  r->set_place("梅园新村3栋1单元");
  return c;
}

v1::FiveHaves AllFiveHaves() {
  v1::FiveHaves h;
  h.set_place(true);
  h.set_host(true);
  h.set_rules(true);
  h.set_activities(true);
  h.set_display(true);
  return h;
}

class MicroHomeRulesTest : public ::testing::Test {
 protected:
  DecideContext Ctx(const UnitFacts& acting) const {
    DecideContext ctx;
    ctx.now_us = now_;
    ctx.actor = "wangfang";
    ctx.home = home_;
    ctx.home_is_micro_home_unit = home_is_micro_home_;
    ctx.acting_unit = acting;
    return ctx;
  }

  absl::StatusOr<std::vector<v1::MicroHomeEvent>> Try(const v1::MicroHomeCommand& c,
                                                      const UnitFacts& acting = kCity) {
    return Decide(state_, c, Ctx(acting));
  }

  void Do(const v1::MicroHomeCommand& c, const UnitFacts& acting = kCity) {
    auto events = Try(c, acting);
    ASSERT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) Evolve(state_, e);
    now_ += kDayUs;
  }

  void Register() { Do(RegisterCommand()); }
  static v1::MicroHomeCommand DesignateCommand(const UnitFacts& by = kCounty) {
    v1::MicroHomeCommand c;
    c.mutable_designate_demonstration()->set_acting_unit_id(by.id);
    *c.mutable_designate_demonstration()->mutable_five_haves() = AllFiveHaves();
    return c;
  }
  void Designate() { Do(DesignateCommand(), kCounty); }
  static v1::MicroHomeCommand GrantCommand(const std::string& id, v1::TitleLevel level,
                                           const UnitFacts& by) {
    v1::MicroHomeCommand c;
    v1::GrantTitle* g = c.mutable_grant_title();
    g->set_title_id(id);
    g->set_title(v1::TITLE_NAME_DEMONSTRATION_MICRO_HOME);
    g->set_level(level);
    g->set_acting_unit_id(by.id);
    return c;
  }
  static v1::MicroHomeCommand ActivityCommand(v1::ActivityKind kind, int attendance = 12) {
    v1::MicroHomeCommand c;
    c.mutable_record_activity()->set_activity_kind(kind);
    c.mutable_record_activity()->set_attendance(attendance);
    c.mutable_record_activity()->set_topic("家庭教育讲座");
    return c;
  }
  static v1::MicroHomeCommand PairCommand(const std::string& id) {
    v1::MicroHomeCommand c;
    c.mutable_pair_executive()->mutable_executive()->set_executive_id(id);
    c.mutable_pair_executive()->mutable_executive()->set_name("赵敏");
    return c;
  }
  static v1::MicroHomeCommand UnpairCommand(const std::string& id) {
    v1::MicroHomeCommand c;
    c.mutable_unpair_executive()->set_executive_id(id);
    c.mutable_unpair_executive()->set_reason("换届");
    return c;
  }
  static v1::MicroHomeCommand RecertifyCommand(const std::string& id, const UnitFacts& by) {
    v1::MicroHomeCommand c;
    c.mutable_recertify_title()->set_title_id(id);
    c.mutable_recertify_title()->set_acting_unit_id(by.id);
    return c;
  }
  static v1::MicroHomeCommand RevokeCommand(const std::string& id, const UnitFacts& by) {
    v1::MicroHomeCommand c;
    c.mutable_revoke_title()->set_title_id(id);
    c.mutable_revoke_title()->set_acting_unit_id(by.id);
    c.mutable_revoke_title()->set_reason("活动标准连续两季未达标");
    return c;
  }
  static v1::MicroHomeCommand CloseCommand() {
    v1::MicroHomeCommand c;
    c.mutable_close_micro_home()->set_reason("女主人搬离");
    return c;
  }

  static void ExpectRefused(const absl::StatusOr<std::vector<v1::MicroHomeEvent>>& result,
                            absl::StatusCode code, const std::string& prefix) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_TRUE(absl::StartsWith(result.status().message(), prefix)) << result.status();
  }
  static void ExpectRule(const absl::StatusOr<std::vector<v1::MicroHomeEvent>>& result,
                         const std::string& rule) {
    ExpectRefused(result, absl::StatusCode::kFailedPrecondition, rule + ":");
  }
  static void ExpectField(const absl::StatusOr<std::vector<v1::MicroHomeEvent>>& result,
                          const std::string& path) {
    ExpectRefused(result, absl::StatusCode::kInvalidArgument, path + ":");
  }

  int64_t now_ = Cst(2024, 3, 1);
  UnitFacts home_ = kHome;
  bool home_is_micro_home_ = true;
  MicroHomeState state_;
};

TEST_F(MicroHomeRulesTest, RegistrationRecordsTheHomeWithItsExecutives) {
  Register();
  EXPECT_TRUE(state_.exists);
  EXPECT_EQ(state_.unit_id, kHome.id);
  EXPECT_EQ(state_.executive_ids.size(), 1u);
  EXPECT_EQ(state_.version, 0);
}

TEST_F(MicroHomeRulesTest, MicroHomeExists_RegisteringAgainIsRefused) {
  Register();
  ExpectRefused(Try(RegisterCommand()), absl::StatusCode::kAlreadyExists, "micro_home_exists:");
}

TEST_F(MicroHomeRulesTest, MicroHomeNotFound_CommandWithoutRegistration) {
  ExpectRefused(Try(ActivityCommand(v1::ACTIVITY_KIND_RECEPTION)), absl::StatusCode::kNotFound,
                "micro_home_not_found:");
}

TEST_F(MicroHomeRulesTest, MicroHomeClosed_AClosedHomeTakesNothingMore) {
  Register();
  Do(CloseCommand());
  ExpectRule(Try(ActivityCommand(v1::ACTIVITY_KIND_RECEPTION)), "micro_home_closed");
  ExpectRule(Try(CloseCommand()), "micro_home_closed");
}

TEST_F(MicroHomeRulesTest, UnitId_TheUnitMustExistInTheDirectory) {
  home_.exists = false;
  ExpectField(Try(RegisterCommand()), "unit_id");
}

TEST_F(MicroHomeRulesTest, UnitClosed_AClosedUnitGetsNoMicroHome) {
  home_.open = false;
  ExpectRule(Try(RegisterCommand()), "unit_closed");
}

TEST_F(MicroHomeRulesTest, UnitKind_TheUnitIsAMicroHomeUnit) {
  home_is_micro_home_ = false;
  ExpectRule(Try(RegisterCommand()), "unit_kind");
}

TEST_F(MicroHomeRulesTest, UnitLevel_AMicroHomeHangsUnderAVillageOrCommunity) {
  home_ = Unit("nj-xw-my-wj", UnitLevel::kOther, {"nj", "nj-xw", "nj-xw-my"},
               {UnitLevel::kCity, UnitLevel::kCounty, UnitLevel::kTownship});
  ExpectRule(Try(RegisterCommand()), "unit_level");
}

TEST_F(MicroHomeRulesTest, Executives_AtLeastOneIsPairedAtRegistration) {
  v1::MicroHomeCommand c = RegisterCommand();
  c.mutable_register_micro_home()->clear_executives();
  ExpectField(Try(c), "register_micro_home.executives");
}

TEST_F(MicroHomeRulesTest, Executives_NoExecutiveTwice) {
  v1::MicroHomeCommand c = RegisterCommand();
  *c.mutable_register_micro_home()->add_executives() =
      c.register_micro_home().executives(0);
  ExpectField(Try(c), "register_micro_home.executives[1].executive_id");
}

TEST_F(MicroHomeRulesTest, Fields_KindVenueHostAndTextAreChecked) {
  v1::MicroHomeCommand c = RegisterCommand();
  c.mutable_register_micro_home()->set_kind(v1::MICRO_HOME_KIND_UNSPECIFIED);
  ExpectField(Try(c), "register_micro_home.kind");
  c = RegisterCommand();
  c.mutable_register_micro_home()->set_venue(static_cast<v1::Venue>(9));
  ExpectField(Try(c), "register_micro_home.venue");
  c = RegisterCommand();
  c.mutable_register_micro_home()->mutable_host()->set_name("李\xc3");
  ExpectField(Try(c), "register_micro_home.host.name");
  c = RegisterCommand();
  c.mutable_register_micro_home()->mutable_host()->set_phone("12345");
  ExpectField(Try(c), "register_micro_home.host.phone");
  c = RegisterCommand();
  c.mutable_register_micro_home()->clear_host();
  ExpectField(Try(c), "register_micro_home.host");
  c = RegisterCommand();
  c.mutable_register_micro_home()->set_registered_at_us(now_ + kDayUs);
  ExpectField(Try(c), "register_micro_home.registered_at_us");
}

TEST_F(MicroHomeRulesTest, ContextActor_IsRequired) {
  DecideContext ctx = Ctx(kCity);
  ctx.actor.clear();
  ExpectField(Decide(state_, RegisterCommand(), ctx), "context.actor");
}

TEST_F(MicroHomeRulesTest, Command_NothingSetIsInvalid) {
  ExpectField(Try(v1::MicroHomeCommand()), "command");
}

TEST_F(MicroHomeRulesTest, ExecutiveAlreadyPaired_OncePerExecutive) {
  Register();
  ExpectRule(Try(PairCommand("exec-wang")), "executive_already_paired");
  Do(PairCommand("exec-zhao"));
  EXPECT_EQ(state_.executive_ids.size(), 2u);
}

TEST_F(MicroHomeRulesTest, ExecutiveNotPaired_OnlyAPairedExecutiveIsUnpaired) {
  Register();
  Do(PairCommand("exec-zhao"));
  ExpectRule(Try(UnpairCommand("exec-li")), "executive_not_paired");
}

TEST_F(MicroHomeRulesTest, LastExecutive_AtLeastOneStaysPaired) {
  Register();
  ExpectRule(Try(UnpairCommand("exec-wang")), "last_executive");
  Do(PairCommand("exec-zhao"));
  Do(UnpairCommand("exec-wang"));
  EXPECT_EQ(state_.executive_ids.count("exec-zhao"), 1u);
}

TEST_F(MicroHomeRulesTest, FiveHavesIncomplete_ADemonstrationSiteHasAllFive) {
  Register();
  v1::MicroHomeCommand c = DesignateCommand();
  c.mutable_designate_demonstration()->mutable_five_haves()->set_display(false);
  auto result = Try(c, kCounty);
  ExpectRule(result, "five_haves_incomplete");
  EXPECT_TRUE(absl::StrContains(result.status().message(), "display"));
  Designate();
  EXPECT_TRUE(state_.demonstration);
}

TEST_F(MicroHomeRulesTest, AlreadyDemonstration_DesignatedOnce) {
  Register();
  Designate();
  ExpectRule(Try(DesignateCommand(), kCounty), "already_demonstration");
}

TEST_F(MicroHomeRulesTest, NotDemonstration_WithdrawnOnlyFromADemonstrationSite) {
  Register();
  v1::MicroHomeCommand c;
  c.mutable_withdraw_demonstration()->set_acting_unit_id(kCounty.id);
  c.mutable_withdraw_demonstration()->set_reason("活动停摆");
  ExpectRule(Try(c, kCounty), "not_demonstration");
}

TEST_F(MicroHomeRulesTest, NotDemonstration_TitlesGoToDemonstrationSitesOnly) {
  Register();
  ExpectRule(Try(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty),
             "not_demonstration");
}

TEST_F(MicroHomeRulesTest, WithdrawingDemonstrationRevokesEveryTitleHeld) {
  Register();
  Designate();
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  Do(GrantCommand("city-1", v1::TITLE_LEVEL_CITY, kCity), kCity);
  v1::MicroHomeCommand c;
  c.mutable_withdraw_demonstration()->set_acting_unit_id(kCounty.id);
  c.mutable_withdraw_demonstration()->set_reason("活动停摆");
  auto events = Try(c, kCounty);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  for (const auto& e : *events) Evolve(state_, e);
  EXPECT_FALSE(state_.demonstration);
  EXPECT_TRUE(state_.titles[0].revoked && state_.titles[1].revoked);
}

TEST_F(MicroHomeRulesTest, UnitLevel_TitlesAreGrantedByTheFederationOfTheirLevel) {
  Register();
  Designate();
  ExpectRule(Try(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCity), kCity), "unit_level");
  ExpectRule(Try(GrantCommand("prov-1", v1::TITLE_LEVEL_PROVINCE, kCounty), kCounty),
             "unit_level");
  Do(GrantCommand("prov-1", v1::TITLE_LEVEL_PROVINCE, kCity), kCity);
}

TEST_F(MicroHomeRulesTest, UnitLevel_DesignationIsByATownshipCountyOrCity) {
  Register();
  ExpectRule(Try(DesignateCommand(kVillage), kVillage), "unit_level");
}

TEST_F(MicroHomeRulesTest, UnitNotOverMicroHome_OnlyAUnitAboveItActs) {
  Register();
  ExpectRule(Try(DesignateCommand(kOtherCounty), kOtherCounty), "unit_not_over_micro_home");
}

TEST_F(MicroHomeRulesTest, ActingUnitId_MustExist) {
  Register();
  UnitFacts missing;
  missing.id = "nowhere";
  ExpectField(Try(DesignateCommand(missing), missing),
              "designate_demonstration.acting_unit_id");
}

TEST_F(MicroHomeRulesTest, UnitClosed_AClosedFederationDoesNotAct) {
  Register();
  UnitFacts closed = kCounty;
  closed.open = false;
  ExpectRule(Try(DesignateCommand(closed), closed), "unit_closed");
}

TEST_F(MicroHomeRulesTest, TitleIdTaken_ATitleIdIsNeverReused) {
  Register();
  Designate();
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  Do(RevokeCommand("county-1", kCounty), kCounty);
  ExpectRule(Try(GrantCommand("county-1", v1::TITLE_LEVEL_CITY, kCity), kCity), "title_id_taken");
}

TEST_F(MicroHomeRulesTest, TitleHeld_OneTitleOfANameAndLevelAtATime) {
  Register();
  Designate();
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  ExpectRule(Try(GrantCommand("county-2", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty),
             "title_held");
  Do(RevokeCommand("county-1", kCounty), kCounty);
  Do(GrantCommand("county-2", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
}

TEST_F(MicroHomeRulesTest, TitleExpiresTwoYearsAfterTheGrant) {
  Register();
  Designate();
  const int64_t granted = now_;
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  EXPECT_EQ(state_.titles[0].expires_at_us, Cst(2026, 3, 3));
  EXPECT_EQ(state_.titles[0].granted_at_us, granted);
}

TEST_F(MicroHomeRulesTest, TitleNotHeld_OnlyAHeldTitleIsRecertifiedOrRevoked) {
  Register();
  Designate();
  ExpectRule(Try(RecertifyCommand("county-9", kCounty), kCounty), "title_not_held");
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  Do(RevokeCommand("county-1", kCounty), kCounty);
  ExpectRule(Try(RevokeCommand("county-1", kCounty), kCounty), "title_not_held");
  now_ += 700 * kDayUs;
  ExpectRule(Try(RecertifyCommand("county-1", kCounty), kCounty), "title_not_held");
}

TEST_F(MicroHomeRulesTest, RecertificationNotDue_FromNinetyDaysBeforeExpiry) {
  Register();
  Designate();
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  const int64_t expires = state_.titles[0].expires_at_us;
  now_ = expires - 91 * kDayUs;
  ExpectRule(Try(RecertifyCommand("county-1", kCounty), kCounty), "recertification_not_due");
  now_ = expires - 89 * kDayUs;
  Do(RecertifyCommand("county-1", kCounty), kCounty);
  EXPECT_GT(state_.titles[0].expires_at_us, expires);
  // A lapsed title may still be re-certified, late.
  now_ = state_.titles[0].expires_at_us + 30 * kDayUs;
  Do(RecertifyCommand("county-1", kCounty), kCounty);
}

TEST_F(MicroHomeRulesTest, Activity_KindAttendanceAndTimeAreChecked) {
  Register();
  ExpectField(Try(ActivityCommand(v1::ACTIVITY_KIND_UNSPECIFIED)),
              "record_activity.activity_kind");
  ExpectField(Try(ActivityCommand(v1::ACTIVITY_KIND_BANQUET, 0)), "record_activity.attendance");
  v1::MicroHomeCommand c = ActivityCommand(v1::ACTIVITY_KIND_RECEPTION);
  c.mutable_record_activity()->set_held_at_us(Cst(2024, 1, 1));  // before registration
  ExpectField(Try(c), "record_activity.held_at_us");
  c.mutable_record_activity()->set_held_at_us(now_ + kDayUs);
  ExpectField(Try(c), "record_activity.held_at_us");
  Do(ActivityCommand(v1::ACTIVITY_KIND_RECEPTION));
}

TEST_F(MicroHomeRulesTest, TitleId_FormIsChecked) {
  Register();
  Designate();
  ExpectField(Try(GrantCommand("County 1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty),
              "grant_title.title_id");
}

TEST_F(MicroHomeRulesTest, ClosingADemonstrationSiteWithdrawsItAndRevokesItsTitles) {
  Register();
  Designate();
  Do(GrantCommand("county-1", v1::TITLE_LEVEL_COUNTY, kCounty), kCounty);
  auto events = Try(CloseCommand());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_TRUE((*events)[0].has_demonstration_withdrawn());
  EXPECT_TRUE((*events)[1].has_title_revoked());
  EXPECT_TRUE((*events)[2].has_closed());
}

TEST_F(MicroHomeRulesTest, EveryEventCarriesTheActorAndTheServersTime) {
  auto events = Try(RegisterCommand());
  ASSERT_TRUE(events.ok());
  EXPECT_EQ((*events)[0].actor(), "wangfang");
  EXPECT_EQ((*events)[0].occurred_at_us(), now_);
}

}  // namespace
}  // namespace haven::microhomes
