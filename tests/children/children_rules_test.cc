// The child and mentor aggregates' rules (services/children/domain/
// RULES.md), one test per rule, each named for it; pure Decide/Evolve, no
// storage or gRPC.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/children/domain/child_decide.h"
#include "services/children/domain/child_state.h"
#include "services/children/domain/mentor_decide.h"
#include "services/children/domain/mentor_state.h"
#include "services/children/domain/school_terms.h"
#include "services/common/id_number.h"

namespace haven::children {
namespace {

using units::UnitFacts;
using units::UnitLevel;

constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kYuan = 100;

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

// 赣州市 / 于都县 / 罗坳镇 / 罗坳村, and a village of another county.
const UnitFacts kCity = Unit("gz", UnitLevel::kCity, {}, {});
const UnitFacts kCounty = Unit("gz-yd", UnitLevel::kCounty, {"gz"}, {UnitLevel::kCity});
const UnitFacts kTownship = Unit("gz-yd-la", UnitLevel::kTownship, {"gz", "gz-yd"},
                                 {UnitLevel::kCity, UnitLevel::kCounty});
const UnitFacts kVillage =
    Unit("gz-yd-la-1", UnitLevel::kVillage, {"gz", "gz-yd", "gz-yd-la"},
         {UnitLevel::kCity, UnitLevel::kCounty, UnitLevel::kTownship});
const UnitFacts kOtherCountyVillage =
    Unit("gz-nk-a-1", UnitLevel::kVillage, {"gz", "gz-nk", "gz-nk-a"},
         {UnitLevel::kCity, UnitLevel::kCounty, UnitLevel::kTownship});
// A department's women's committee under the county.
const UnitFacts kCommittee =
    Unit("gz-yd-jyj", UnitLevel::kOther, {"gz", "gz-yd"}, {UnitLevel::kCity, UnitLevel::kCounty});

// A girl born 2014-03-15, with a valid ID number.
std::string GirlIdNumber() {
  const std::string first17 = "11010520140315002";
  return first17 + fields::IdNumberCheckCharacter(first17);
}

v1::ChildCommand RegisterCommand() {
  v1::ChildCommand c;
  v1::RegisterChild* r = c.mutable_register_child();
  r->set_category(v1::CHILD_CATEGORY_LEFT_BEHIND);
  v1::ChildInput* child = r->mutable_child();
  child->set_name("刘小芳");
  child->set_id_number(GirlIdNumber());
  child->set_birth_date("2014-03-15");
  child->set_girl(true);
  child->mutable_guardian()->set_name("刘桂英");
  child->mutable_guardian()->set_relationship("祖母");
  child->mutable_guardian()->set_phone("13807970001");
  child->set_school("罗坳中心小学");
  child->set_address("罗坳村三组");
  r->set_unit_id(kVillage.id);
  return c;
}

MentorState Mentor(const std::string& id, const UnitFacts& unit, int capacity) {
  MentorState m;
  v1::MentorEvent e;
  v1::MentorRegistered* r = e.mutable_registered();
  r->set_mentor_id(id);
  r->set_kind(v1::MENTOR_KIND_CADRE);
  r->set_unit_id(unit.id);
  r->set_capacity(capacity);
  r->set_registered_at_us(Cst(2024, 1, 2));
  Evolve(m, e);
  return m;
}

class ChildRulesTest : public ::testing::Test {
 protected:
  ChildDecideContext Ctx(const UnitFacts& mentor_unit = kCounty) const {
    ChildDecideContext ctx;
    ctx.now_us = now_;
    ctx.actor = "zhanghua";
    ctx.child_id = "child-1";
    ctx.unit = kVillage;
    ctx.mentor.id = "mentor-1";
    ctx.mentor.exists = true;
    ctx.mentor.kind = v1::MENTOR_KIND_CADRE;
    ctx.mentor.registered_at_us = Cst(2024, 1, 2);
    ctx.mentor.unit = mentor_unit;
    return ctx;
  }

  absl::StatusOr<std::vector<v1::ChildEvent>> Try(const v1::ChildCommand& c) {
    return Decide(state_, c, Ctx());
  }

  void Do(const v1::ChildCommand& c, const ChildDecideContext& ctx) {
    auto events = Decide(state_, c, ctx);
    ASSERT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) Evolve(state_, e);
    now_ += kDayUs;
  }
  void Do(const v1::ChildCommand& c) { Do(c, Ctx()); }

  void Register() { Do(RegisterCommand()); }
  static v1::ChildCommand PairCommand(const std::string& mentor = "mentor-1") {
    v1::ChildCommand c;
    c.mutable_pair_child()->set_mentor_id(mentor);
    return c;
  }
  void Pair() { Do(PairCommand()); }
  static v1::ChildCommand VisitCommand(int no) {
    v1::ChildCommand c;
    c.mutable_record_visit()->set_pairing_no(no);
    c.mutable_record_visit()->set_kind(v1::VISIT_KIND_HOME);
    c.mutable_record_visit()->set_note("作业完成良好");
    return c;
  }
  static v1::ChildCommand StipendCommand(int no, const std::string& term) {
    v1::ChildCommand c;
    c.mutable_pay_stipend()->set_pairing_no(no);
    c.mutable_pay_stipend()->set_term(term);
    c.mutable_pay_stipend()->set_amount_fen(1'200 * kYuan);
    return c;
  }
  static v1::ChildCommand EndCommand(int no, v1::PairingEndReason reason) {
    v1::ChildCommand c;
    c.mutable_end_pairing()->set_pairing_no(no);
    c.mutable_end_pairing()->set_reason(reason);
    return c;
  }

  static void ExpectRule(const absl::StatusOr<std::vector<v1::ChildEvent>>& got,
                         absl::StatusCode code, const std::string& prefix) {
    ASSERT_FALSE(got.ok()) << "expected " << prefix;
    EXPECT_EQ(got.status().code(), code) << got.status();
    EXPECT_TRUE(absl::StartsWith(got.status().message(), prefix)) << got.status();
  }
  void ExpectRefused(const v1::ChildCommand& c, const std::string& rule) {
    ExpectRule(Try(c), absl::StatusCode::kFailedPrecondition, rule + ":");
  }
  void ExpectInvalid(const v1::ChildCommand& c, const std::string& path) {
    ExpectRule(Try(c), absl::StatusCode::kInvalidArgument, path + ":");
  }

  int64_t now_ = Cst(2024, 3, 4);
  ChildState state_;
};

// ---- Whether the record takes the command at all

TEST_F(ChildRulesTest, ChildExists_RegisteringAgainIsRefused) {
  Register();
  ExpectRule(Try(RegisterCommand()), absl::StatusCode::kAlreadyExists, "child_exists:");
}

TEST_F(ChildRulesTest, ChildNotFound_CommandOnAMissingChild) {
  ExpectRule(Try(PairCommand()), absl::StatusCode::kNotFound, "child_not_found:");
}

TEST_F(ChildRulesTest, CareEnded_TakesNothingMore) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MOVED_AWAY));
  EXPECT_EQ(state_.status, ChildStatus::kCareEnded);
  ExpectRefused(PairCommand(), "care_ended");
  v1::ChildCommand support;
  support.mutable_deliver_support()->set_kind(v1::SUPPORT_KIND_MONEY);
  support.mutable_deliver_support()->set_amount_fen(500 * kYuan);
  ExpectRefused(support, "care_ended");
}

TEST_F(ChildRulesTest, Command_NothingSetIsInvalid) {
  ExpectInvalid(v1::ChildCommand(), "command");
}

TEST_F(ChildRulesTest, ContextActor_IsRequired) {
  ChildDecideContext ctx = Ctx();
  ctx.actor.clear();
  ExpectRule(Decide(state_, RegisterCommand(), ctx), absl::StatusCode::kInvalidArgument,
             "context.actor:");
}

// ---- Pairings

TEST_F(ChildRulesTest, ChildAlreadyPaired_NoChildHasTwoActiveMentors) {
  Register();
  Pair();
  ExpectRefused(PairCommand("mentor-2"), "child_already_paired");
}

TEST_F(ChildRulesTest, MentorOutOfArea_AnotherCountysChild) {
  Register();
  ChildDecideContext ctx = Ctx();
  ctx.unit = kOtherCountyVillage;
  ExpectRule(Decide(state_, PairCommand(), ctx), absl::StatusCode::kFailedPrecondition,
             "mentor_out_of_area:");
  // A county department's committee pairs within the county; a city cadre
  // anywhere in the city.
  EXPECT_TRUE(Decide(state_, PairCommand(), Ctx(kCommittee)).ok());
  EXPECT_EQ(MentorArea(kCommittee), kCounty.id);
  EXPECT_EQ(MentorArea(kTownship), kCounty.id);
  EXPECT_EQ(MentorArea(kCity), kCity.id);
  ctx = Ctx(kCity);
  ctx.unit = kOtherCountyVillage;
  EXPECT_TRUE(Decide(state_, PairCommand(), ctx).ok());
}

TEST_F(ChildRulesTest, MentorId_MustNameAMentor) {
  Register();
  ChildDecideContext ctx = Ctx();
  ctx.mentor.exists = false;
  ExpectRule(Decide(state_, PairCommand(), ctx), absl::StatusCode::kInvalidArgument,
             "pair_child.mentor_id:");
  ExpectInvalid(PairCommand(""), "pair_child.mentor_id");
}

TEST_F(ChildRulesTest, PairingEnded_TakesNoVisit) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  ExpectRefused(VisitCommand(1), "pairing_ended");
}

TEST_F(ChildRulesTest, PairingEnded_TakesNoStipend) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  Pair();
  ExpectRefused(StipendCommand(1, "2023-2024-2"), "pairing_ended");
  EXPECT_TRUE(Try(StipendCommand(2, "2023-2024-2")).ok());
}

TEST_F(ChildRulesTest, PairingEnded_CannotEndTwice) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  ExpectRefused(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT), "pairing_ended");
}

TEST_F(ChildRulesTest, PairingNo_MustNameAPairing) {
  Register();
  ExpectInvalid(VisitCommand(1), "record_visit.pairing_no");
  Pair();
  ExpectInvalid(VisitCommand(2), "record_visit.pairing_no");
  ExpectInvalid(VisitCommand(0), "record_visit.pairing_no");
  ExpectInvalid(EndCommand(3, v1::PAIRING_END_REASON_MENTOR_LEFT), "end_pairing.pairing_no");
}

TEST_F(ChildRulesTest, AwaitingNewPairing_MentorLeftLeavesHerInNeed) {
  Register();
  Pair();
  const int64_t ended = now_;
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  EXPECT_EQ(state_.status, ChildStatus::kAwaiting);
  EXPECT_EQ(state_.awaiting_since_us, ended);
}

TEST_F(ChildRulesTest, AwaitingNewPairing_MovedWithinTheArea) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MOVED_WITHIN_AREA));
  EXPECT_EQ(state_.status, ChildStatus::kAwaiting);
}

TEST_F(ChildRulesTest, AwaitingNewPairing_EndsWhenPairedAgain) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  Do(PairCommand("mentor-2"));
  EXPECT_EQ(state_.status, ChildStatus::kPaired);
  EXPECT_EQ(state_.awaiting_since_us, 0);
  ASSERT_NE(state_.active(), nullptr);
  EXPECT_EQ(state_.active()->no, 2);
  EXPECT_EQ(state_.active()->mentor_id, "mentor-1");  // the context's mentor
}

TEST_F(ChildRulesTest, CareEnded_ReturnedToParentsEndsTheNeed) {
  Register();
  Pair();
  Do(EndCommand(1, v1::PAIRING_END_REASON_RETURNED_TO_PARENTS));
  EXPECT_EQ(state_.status, ChildStatus::kCareEnded);
  EXPECT_EQ(state_.awaiting_since_us, 0);
}

TEST_F(ChildRulesTest, NotOfAge_AgedOutOnlyFrom16) {
  Register();  // born 2014-03-15
  Pair();
  ExpectRefused(EndCommand(1, v1::PAIRING_END_REASON_AGED_OUT), "not_of_age");
  now_ = Cst(2030, 3, 15);
  v1::ChildCommand end = EndCommand(1, v1::PAIRING_END_REASON_AGED_OUT);
  end.mutable_end_pairing()->set_ended_at_us(Cst(2030, 3, 14));
  ExpectRefused(end, "not_of_age");
  end.mutable_end_pairing()->set_ended_at_us(Cst(2030, 3, 15));
  EXPECT_TRUE(Try(end).ok());
}

// ---- Stipends

TEST_F(ChildRulesTest, Stipend_OnlyOnAPairing) {
  Register();
  ExpectInvalid(StipendCommand(1, "2023-2024-2"), "pay_stipend.pairing_no");
}

TEST_F(ChildRulesTest, StipendTermPaid_OncePerTerm) {
  Register();
  Pair();
  Do(StipendCommand(1, "2023-2024-2"));
  ExpectRefused(StipendCommand(1, "2023-2024-2"), "stipend_term_paid");
  EXPECT_TRUE(Try(StipendCommand(1, "2024-2025-1")).ok());
}

TEST_F(ChildRulesTest, StipendTermPaid_EvenAfterANewPairing) {
  Register();
  Pair();
  Do(StipendCommand(1, "2023-2024-2"));
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  Pair();
  ExpectRefused(StipendCommand(2, "2023-2024-2"), "stipend_term_paid");
}

TEST_F(ChildRulesTest, StipendTerm_WellFormed) {
  Register();
  Pair();
  for (const char* bad : {"", "2023-2025-1", "2023-2024-3", "2023/2024/1", "23-24-1",
                          "2023-2024-01"}) {
    ExpectInvalid(StipendCommand(1, bad), "pay_stipend.term");
  }
  EXPECT_EQ(ParseTerm("2023-2024-2")->first_day(), absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(ParseTerm("2023-2024-1")->last_day(), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(TermOf(absl::CivilDay(2024, 1, 10)).Text(), "2023-2024-1");
  EXPECT_EQ(TermOf(absl::CivilDay(2024, 9, 1)).Text(), "2024-2025-1");
  EXPECT_EQ(TermOf(absl::CivilDay(2024, 8, 31)).Text(), "2023-2024-2");
}

TEST_F(ChildRulesTest, StipendTerm_NotBeforeThePairingNorTooFarAhead) {
  Register();
  Pair();  // March 2024: term 2023-2024-2
  ExpectInvalid(StipendCommand(1, "2023-2024-1"), "pay_stipend.term");
  ExpectInvalid(StipendCommand(1, "2025-2026-1"), "pay_stipend.term");
  EXPECT_TRUE(Try(StipendCommand(1, "2024-2025-1")).ok());
}

TEST_F(ChildRulesTest, Stipend_AmountBounds) {
  Register();
  Pair();
  v1::ChildCommand c = StipendCommand(1, "2023-2024-2");
  c.mutable_pay_stipend()->set_amount_fen(0);
  ExpectInvalid(c, "pay_stipend.amount_fen");
  c.mutable_pay_stipend()->set_amount_fen(10'001 * kYuan);
  ExpectInvalid(c, "pay_stipend.amount_fen");
}

// ---- Units

TEST_F(ChildRulesTest, UnitLevel_AChildLivesInAVillageOrTownship) {
  ChildDecideContext ctx = Ctx();
  ctx.unit = kCounty;
  ExpectRule(Decide(state_, RegisterCommand(), ctx), absl::StatusCode::kFailedPrecondition,
             "unit_level:");
  ctx.unit = kTownship;
  EXPECT_TRUE(Decide(state_, RegisterCommand(), ctx).ok());
}

TEST_F(ChildRulesTest, UnitClosed_NoRegistrationInAClosedUnit) {
  ChildDecideContext ctx = Ctx();
  ctx.unit.open = false;
  ExpectRule(Decide(state_, RegisterCommand(), ctx), absl::StatusCode::kFailedPrecondition,
             "unit_closed:");
}

TEST_F(ChildRulesTest, UnitId_UnknownUnitIsInvalid) {
  ChildDecideContext ctx = Ctx();
  ctx.unit.exists = false;
  ExpectRule(Decide(state_, RegisterCommand(), ctx), absl::StatusCode::kInvalidArgument,
             "register_child.unit_id:");
}

// ---- Dates

TEST_F(ChildRulesTest, Dates_RegistrationAtMost366DaysAgo) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->set_registered_at_us(now_ - 367 * kDayUs);
  ExpectInvalid(c, "register_child.registered_at_us");
  c.mutable_register_child()->set_registered_at_us(now_ + kDayUs);
  ExpectInvalid(c, "register_child.registered_at_us");
}

TEST_F(ChildRulesTest, Dates_AChildIsUnder18) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->clear_id_number();
  c.mutable_register_child()->mutable_child()->set_birth_date("2006-03-03");
  ExpectInvalid(c, "register_child.child.birth_date");
  c.mutable_register_child()->mutable_child()->set_birth_date("2006-03-05");
  EXPECT_TRUE(Try(c).ok());
  c.mutable_register_child()->mutable_child()->set_birth_date("2024-03-05");
  ExpectInvalid(c, "register_child.child.birth_date");
  c.mutable_register_child()->mutable_child()->set_birth_date("2014-02-30");
  ExpectInvalid(c, "register_child.child.birth_date");
}

TEST_F(ChildRulesTest, Dates_BirthDateAgreesWithTheIdNumber) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->set_birth_date("2014-03-16");
  ExpectInvalid(c, "register_child.child.id_number");
  c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->set_girl(false);
  ExpectInvalid(c, "register_child.child.id_number");
}

TEST_F(ChildRulesTest, Dates_PairedNotBeforeTheLastPairingEnded) {
  Register();
  Pair();
  const int64_t ended = now_;
  Do(EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT));
  v1::ChildCommand c = PairCommand();
  c.mutable_pair_child()->set_paired_at_us(ended - 1);
  ExpectInvalid(c, "pair_child.paired_at_us");
  c.mutable_pair_child()->set_paired_at_us(ended);
  EXPECT_TRUE(Try(c).ok());
}

TEST_F(ChildRulesTest, Dates_VisitNotBeforeThePairing) {
  Register();
  const int64_t paired = now_;
  Pair();
  v1::ChildCommand c = VisitCommand(1);
  c.mutable_record_visit()->set_visited_at_us(paired - 1);
  ExpectInvalid(c, "record_visit.visited_at_us");
}

TEST_F(ChildRulesTest, Dates_EndNotBeforeTheLastVisit) {
  Register();
  Pair();
  const int64_t visited = now_;
  Do(VisitCommand(1));
  v1::ChildCommand c = EndCommand(1, v1::PAIRING_END_REASON_MENTOR_LEFT);
  c.mutable_end_pairing()->set_ended_at_us(visited - 1);
  ExpectInvalid(c, "end_pairing.ended_at_us");
}

// ---- Fields

TEST_F(ChildRulesTest, Fields_ChildNameIsRequired) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->set_name("\xe3\x80\x80 ");  // ideographic space
  ExpectInvalid(c, "register_child.child.name");
}

TEST_F(ChildRulesTest, Fields_TextMustBeUtf8) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->set_school("罗坳\xc3");
  ExpectInvalid(c, "register_child.child.school");
}

TEST_F(ChildRulesTest, Fields_GuardianIsRequired) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->clear_guardian();
  ExpectInvalid(c, "register_child.child.guardian");
  c = RegisterCommand();
  c.mutable_register_child()->mutable_child()->mutable_guardian()->set_phone("12345");
  ExpectInvalid(c, "register_child.child.guardian.phone");
}

TEST_F(ChildRulesTest, Fields_CategoryIsAKnownValue) {
  v1::ChildCommand c = RegisterCommand();
  c.mutable_register_child()->set_category(static_cast<v1::ChildCategory>(9));
  ExpectInvalid(c, "register_child.category");
  c.mutable_register_child()->set_category(v1::CHILD_CATEGORY_UNSPECIFIED);
  ExpectInvalid(c, "register_child.category");
}

TEST_F(ChildRulesTest, Fields_SupportKindAndValue) {
  Register();
  v1::ChildCommand c;
  c.mutable_deliver_support()->set_amount_fen(500 * kYuan);
  ExpectInvalid(c, "deliver_support.kind");
  c.mutable_deliver_support()->set_kind(v1::SUPPORT_KIND_MONEY);
  c.mutable_deliver_support()->set_amount_fen(100'001 * kYuan);
  ExpectInvalid(c, "deliver_support.amount_fen");
  c.mutable_deliver_support()->set_amount_fen(500 * kYuan);
  EXPECT_TRUE(Try(c).ok());  // support needs no pairing
}

TEST_F(ChildRulesTest, Fields_GoodsSayWhatTheyAre) {
  Register();
  v1::ChildCommand c;
  c.mutable_deliver_support()->set_kind(v1::SUPPORT_KIND_GOODS);
  c.mutable_deliver_support()->set_amount_fen(300 * kYuan);
  ExpectInvalid(c, "deliver_support.goods");
  c.mutable_deliver_support()->set_goods("冬衣两套");
  EXPECT_TRUE(Try(c).ok());
  c.mutable_deliver_support()->set_kind(v1::SUPPORT_KIND_MONEY);
  ExpectInvalid(c, "deliver_support.goods");
}

TEST_F(ChildRulesTest, Fields_ReferralNamesCentreAndConcern) {
  Register();
  v1::ChildCommand c;
  c.mutable_refer_counselling()->set_concern("情绪低落，拒绝上学");
  ExpectInvalid(c, "refer_counselling.centre");
  c.mutable_refer_counselling()->set_centre("县未成年人心理健康辅导中心");
  c.mutable_refer_counselling()->clear_concern();
  ExpectInvalid(c, "refer_counselling.concern");
}

TEST_F(ChildRulesTest, Fields_StatusCheckNeedsBoth) {
  Register();
  v1::ChildCommand c;
  c.mutable_check_status()->set_schooling(v1::SCHOOLING_STATUS_IN_SCHOOL);
  ExpectInvalid(c, "check_status.living");
  c.mutable_check_status()->set_living(v1::LIVING_STATUS_HARDSHIP);
  EXPECT_TRUE(Try(c).ok());
}

// ---- The mentor's aggregate

class MentorRulesTest : public ::testing::Test {
 protected:
  MentorDecideContext Ctx() const {
    MentorDecideContext ctx;
    ctx.now_us = Cst(2024, 3, 4);
    ctx.actor = "zhanghua";
    ctx.mentor_id = "mentor-1";
    ctx.unit = kCounty;
    return ctx;
  }
  static v1::MentorCommand RegisterCommand(int capacity) {
    v1::MentorCommand c;
    v1::RegisterMentor* r = c.mutable_register_mentor();
    r->set_kind(v1::MENTOR_KIND_CARING_MOTHER);
    r->mutable_mentor()->set_name("陈丽华");
    r->mutable_mentor()->set_phone("13907970002");
    r->mutable_mentor()->set_organisation("县妇联");
    r->set_unit_id(kCounty.id);
    r->set_capacity(capacity);
    return c;
  }
  void Take(MentorState& m, const std::string& child, int no) {
    auto events = DecideAssignment(m, child, no, Ctx());
    ASSERT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) Evolve(m, e);
  }
};

TEST_F(MentorRulesTest, MentorExists_RegisteringAgainIsRefused) {
  MentorState m = Mentor("mentor-1", kCounty, 1);
  auto got = Decide(m, RegisterCommand(1), Ctx());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StartsWith(got.status().message(), "mentor_exists:"));
}

TEST_F(MentorRulesTest, MentorFull_CapacityHolds) {
  MentorState m = Mentor("mentor-1", kCounty, 2);
  Take(m, "child-1", 1);
  Take(m, "child-2", 1);
  auto got = DecideAssignment(m, "child-3", 1, Ctx());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(got.status().message(), "mentor_full:")) << got.status();
  // Taking the place a pairing holds already writes nothing.
  auto again = DecideAssignment(m, "child-1", 1, Ctx());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(MentorRulesTest, MentorFull_APlaceGivenBackIsFree) {
  MentorState m = Mentor("mentor-1", kCounty, 1);
  Take(m, "child-1", 1);
  EXPECT_TRUE(DecideRelease(m, "child-1", 2, v1::RELEASE_REASON_PAIRING_ENDED, Ctx()).empty());
  for (const auto& e : DecideRelease(m, "child-1", 1, v1::RELEASE_REASON_PAIRING_ENDED, Ctx())) {
    Evolve(m, e);
  }
  EXPECT_TRUE(m.assigned.empty());
  Take(m, "child-2", 1);
  EXPECT_EQ(m.pairings_taken, 2);
}

TEST_F(MentorRulesTest, Fields_CapacityFrom1To5) {
  MentorState none;
  auto got = Decide(none, RegisterCommand(6), Ctx());
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(absl::StartsWith(got.status().message(), "register_mentor.capacity:"));
  auto one = Decide(none, RegisterCommand(0), Ctx());
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->front().registered().capacity(), 1);
}

TEST_F(MentorRulesTest, UnitId_UnknownUnitIsInvalid) {
  MentorDecideContext ctx = Ctx();
  ctx.unit.exists = false;
  auto got = Decide(MentorState(), RegisterCommand(1), ctx);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(absl::StartsWith(got.status().message(), "register_mentor.unit_id:"));
}

}  // namespace
}  // namespace haven::children
