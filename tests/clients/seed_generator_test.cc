// The workload generator of haven_seed: valid ID numbers, a directory
// consistent with the statistical codes, deterministic plans, the mixes of
// the domain page, and histories the case aggregate accepts step by step
// (replayed here through the domain's own Decide and Evolve).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "seed/case_plan.h"
#include "seed/directory_plan.h"
#include "seed/identity.h"
#include "seed/random.h"
#include "services/cases/domain/decide.h"
#include "services/cases/domain/evolve.h"
#include "services/cases/domain/id_number.h"

namespace haven::seed {
namespace {

namespace v1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;

constexpr int64_t kHourUs = 3600LL * 1000000;
// 2025-06-15 12:00 CST, a fixed "now" for reproducible plans.
constexpr int64_t kNow = 1749960000LL * 1000000;

TEST(IdNumberTest, CheckCharacterMatchesTheStandardsExamples) {
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("44052418800101001"), '4');
  EXPECT_TRUE(HasValidCheckCharacter("11010519491231002X"));
  EXPECT_FALSE(HasValidCheckCharacter("110105194912310021"));
  EXPECT_FALSE(HasValidCheckCharacter("11010519491231002"));
}

TEST(IdNumberTest, CheckCharacterAgreesWithTheServersDomain) {
  Rng rng(7, "id-test");
  for (int i = 0; i < 10000; ++i) {
    std::string digits;
    for (int k = 0; k < 17; ++k) digits += static_cast<char>('0' + rng.Below(10));
    ASSERT_EQ(IdCheckCharacter(digits), haven::cases::IdNumberCheckCharacter(digits)) << digits;
  }
}

TEST(IdNumberTest, GeneratedNumbersAreValidWomensNumbers) {
  Rng rng(3, "id-test");
  for (int i = 0; i < 2000; ++i) {
    const int year = static_cast<int>(rng.Between(1930, 2005));
    const auto [month, day] = RandomBirthday(rng, year);
    const std::string id = MakeIdNumber(rng, "329902", year, month, day, /*female=*/true);
    ASSERT_EQ(id.size(), 18u);
    EXPECT_TRUE(HasValidCheckCharacter(id)) << id;
    auto facts = haven::cases::ParseIdNumber("id", id, kNow);
    ASSERT_TRUE(facts.ok()) << id << ": " << facts.status();
    EXPECT_EQ(facts->gender, v1::GENDER_FEMALE);
    EXPECT_EQ(facts->birth_year, year);
  }
  const std::string man = MakeIdNumber(rng, "340104", 1980, 2, 28, /*female=*/false);
  EXPECT_EQ(haven::cases::ParseIdNumber("id", man, kNow)->gender, v1::GENDER_MALE);
}

TEST(IdentityTest, MobileNumbersHaveElevenDigitsFromACarrier) {
  Rng rng(1, "phone-test");
  for (int i = 0; i < 1000; ++i) {
    const std::string phone = MobileNumber(rng);
    ASSERT_EQ(phone.size(), 11u);
    EXPECT_EQ(phone[0], '1');
    EXPECT_EQ(phone.find_first_not_of("0123456789"), std::string::npos);
  }
}

TEST(RandomTest, TheSameSeedAndLabelGiveTheSameStream) {
  Rng a(5, "case", 17), b(5, "case", 17), c(5, "case", 18), d(6, "case", 17);
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs_c |= x != c.Next();
    differs_d |= x != d.Next();
  }
  EXPECT_TRUE(differs_c);
  EXPECT_TRUE(differs_d);
}

TEST(DirectoryPlanTest, HasTheRequestedShapeWithConsistentCodes) {
  const DirectoryPlan plan = PlanDirectory({});
  EXPECT_EQ(plan.counties.size(), 5u);
  EXPECT_EQ(plan.townships.size(), 50u);
  EXPECT_EQ(plan.villages.size(), 500u);
  EXPECT_EQ(plan.micro_homes.size(), 20u);
  std::set<std::string> ids, codes;
  std::set<std::pair<std::string, std::string>> sibling_names;
  for (size_t i = 0; i < plan.units.size(); ++i) {
    const UnitPlan& u = plan.units[i];
    EXPECT_TRUE(ids.insert(u.unit_id).second) << u.unit_id;
    EXPECT_TRUE(sibling_names.insert({u.parent_id, u.name}).second) << u.name;
    EXPECT_FALSE(u.name.empty());
    if (i == 0) {
      EXPECT_EQ(u.kind, dv1::UNIT_KIND_CITY);
      EXPECT_TRUE(u.parent_id.empty());
    } else {
      ASSERT_GE(u.parent, 0);
      EXPECT_LT(u.parent, static_cast<int>(i)) << "parents come first";
      EXPECT_EQ(plan.units[u.parent].unit_id, u.parent_id);
    }
    if (u.statistical_code.empty()) continue;
    ASSERT_EQ(u.statistical_code.size(), 12u);
    EXPECT_TRUE(codes.insert(u.statistical_code).second) << u.statistical_code;
    if (u.parent < 0) continue;
    const std::string& parent_code = plan.units[u.parent].statistical_code;
    const size_t significant =
        u.kind == dv1::UNIT_KIND_COUNTY || u.kind == dv1::UNIT_KIND_DISTRICT   ? 4
        : u.kind == dv1::UNIT_KIND_TOWNSHIP || u.kind == dv1::UNIT_KIND_STREET ? 6
                                                                               : 9;
    EXPECT_EQ(u.statistical_code.substr(0, significant), parent_code.substr(0, significant));
    EXPECT_EQ(u.statistical_code.substr(significant + (significant == 4 ? 2 : 3)),
              std::string(12 - significant - (significant == 4 ? 2 : 3), '0'))
        << u.statistical_code;
  }
}

TEST(DirectoryPlanTest, IsDeterministicForASeed) {
  const DirectoryPlan a = PlanDirectory({});
  const DirectoryPlan b = PlanDirectory({});
  DirectoryOptions other;
  other.seed = 2;
  const DirectoryPlan c = PlanDirectory(other);
  ASSERT_EQ(a.units.size(), b.units.size());
  bool differs = false;
  for (size_t i = 0; i < a.units.size(); ++i) {
    EXPECT_EQ(a.units[i].name, b.units[i].name);
    EXPECT_EQ(a.units[i].statistical_code, b.units[i].statistical_code);
    differs |= a.units[i].name != c.units[i].name;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(UnitRequestId(a, 3), UnitRequestId(b, 3));
}

std::string Serialize(const CasePlan& plan) {
  std::string out = plan.case_id + "|" + std::to_string(plan.unit);
  for (const PlannedStep& step : plan.steps) {
    out += "|" + step.actor + "|" + step.request_id + "|" + std::to_string(step.ref_step) + "|" +
           step.command.SerializeAsString();
  }
  return out;
}

TEST(CasePlanTest, IsDeterministicForASeedAndIndex) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator a(directory, kNow), b(directory, kNow);
  for (uint64_t i = 1; i <= 300; ++i) {
    EXPECT_EQ(Serialize(a.Plan(i)), Serialize(b.Plan(i)));
  }
  EXPECT_NE(Serialize(a.Plan(1)), Serialize(a.Plan(2)));
  DirectoryOptions other;
  other.seed = 9;
  const DirectoryPlan directory9 = PlanDirectory(other);
  const CaseGenerator c(directory9, kNow);
  EXPECT_NE(Serialize(a.Plan(1)), Serialize(c.Plan(1)));
  EXPECT_EQ(c.Plan(1).case_id, "case-s9-000001");
}

TEST(CasePlanTest, RequestIdsAreUniqueAndStable) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  std::set<std::string> ids;
  for (uint64_t i = 1; i <= 500; ++i) {
    for (const PlannedStep& step : generator.Plan(i).steps) {
      EXPECT_TRUE(ids.insert(step.request_id).second) << step.request_id;
    }
  }
}

// A later run (another "now") sends the same commands under the same
// request ids, only dated differently: what was seeded is answered from the
// log and the rest continues where it stopped.
TEST(CasePlanTest, ALaterRunSendsTheSameCommandsUnderTheSameIds) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  for (int64_t later_hours : {1, 5, 11, 17, 30 * 24}) {
    const CaseGenerator later(directory, kNow + later_hours * kHourUs);
    for (uint64_t i = 1; i <= 3000; ++i) {
      const CasePlan a = generator.Plan(i);
      const CasePlan b = later.Plan(i);
      ASSERT_EQ(a.steps.size(), b.steps.size()) << a.case_id << " " << later_hours << "h later";
      ASSERT_EQ(a.unit, b.unit);
      for (size_t k = 0; k < a.steps.size(); ++k) {
        ASSERT_EQ(a.steps[k].request_id, b.steps[k].request_id);
        ASSERT_EQ(RpcName(a.steps[k].command), RpcName(b.steps[k].command))
            << a.case_id << " step " << k;
        ASSERT_EQ(a.steps[k].ref_step, b.steps[k].ref_step);
        ASSERT_EQ(a.steps[k].actor, b.steps[k].actor);
      }
    }
  }
}

// Every generated case, replayed through the aggregate's Decide with the
// server's clock a little (or a few hours) after the generator's now, is
// accepted step by step, and its facts are dated in order and not in the
// future.
void ReplayThroughTheDomain(int64_t server_delay_us, uint64_t count) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  for (uint64_t i = 1; i <= count; ++i) {
    const CasePlan plan = generator.Plan(i);
    haven::cases::CaseState state;
    std::vector<std::string> created(plan.steps.size());
    int64_t clock = kNow + server_delay_us;
    for (size_t k = 0; k < plan.steps.size(); ++k) {
      const PlannedStep& step = plan.steps[k];
      v1::CaseCommand command = step.command;
      if (step.ref_step >= 0) {
        ASSERT_LT(step.ref_step, static_cast<int>(k));
        ASSERT_FALSE(created[step.ref_step].empty()) << plan.case_id << " step " << k;
        SetReferencedId(&command, created[step.ref_step]);
      }
      clock += 1000;  // Each command a millisecond after the last.
      haven::cases::DecideContext ctx;
      ctx.now_us = clock;
      ctx.actor = step.actor;
      ctx.case_id = plan.case_id;
      ctx.new_id = "new-" + std::to_string(k);
      auto events = haven::cases::Decide(state, command, ctx);
      ASSERT_TRUE(events.ok()) << plan.case_id << " step " << k << " " << RpcName(command) << ": "
                               << events.status();
      for (const v1::CaseEvent& event : *events) haven::cases::Evolve(state, event);
      if (command.has_schedule_mediation() || command.has_make_referral() ||
          command.has_apply_protection_order() || command.has_schedule_follow_up()) {
        created[k] = ctx.new_id;
      }
    }
    ASSERT_EQ(state.version + 1,
              static_cast<int64_t>(plan.steps.size()) +
                  (plan.steps[0].command.open_case().assignee_operator_id().empty() ? 0 : 1));
    EXPECT_LE(state.received_at_us, kNow);
  }
}

TEST(CasePlanTest, EveryStepIsAcceptedByTheCaseAggregate) {
  ReplayThroughTheDomain(/*server_delay_us=*/2'000'000, 4000);
}

TEST(CasePlanTest, StepsAreStillAcceptedWhenSeedingTakesHours) {
  ReplayThroughTheDomain(/*server_delay_us=*/3 * kHourUs, 1000);
}

TEST(CasePlanTest, FactsAreDatedInThePastYearAndNotInTheFuture) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  for (uint64_t i = 1; i <= 2000; ++i) {
    const CasePlan plan = generator.Plan(i);
    const int64_t received = plan.steps[0].command.open_case().received_at_us();
    EXPECT_GE(received, kNow - 366 * 24 * kHourUs);
    EXPECT_LE(received, kNow - 3 * kHourUs);
    int64_t last_contact = received;
    for (const PlannedStep& step : plan.steps) {
      if (step.command.has_record_contact() && step.command.record_contact().contacted_at_us()) {
        const int64_t at = step.command.record_contact().contacted_at_us();
        EXPECT_GE(at, last_contact) << plan.case_id;
        EXPECT_LE(at, kNow) << plan.case_id;
        last_contact = at;
      }
    }
  }
}

TEST(CasePlanTest, MixesFollowTheDomainPage) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  constexpr uint64_t kCases = 5000;
  std::map<int, int> channels, categories, outcomes;
  int closed = 0, closures = 0, satisfied = 0, dv_with_risk = 0, dv = 0, outcome_total = 0;
  for (uint64_t i = 1; i <= kCases; ++i) {
    const CasePlan plan = generator.Plan(i);
    const v1::OpenCase& open = plan.steps[0].command.open_case();
    ++channels[open.channel()];
    ++categories[open.category()];
    bool is_closed = false, risk = false;
    for (const PlannedStep& step : plan.steps) {
      if (step.command.has_close_case()) {
        is_closed = true;
        ++closures;
        satisfied +=
            step.command.close_case().satisfaction() == v1::SATISFACTION_SATISFIED ||
            step.command.close_case().satisfaction() == v1::SATISFACTION_BASICALLY_SATISFIED;
      }
      if (step.command.has_reopen_case()) is_closed = false;
      if (step.command.has_assess_risk()) risk = true;
      if (step.command.has_record_mediation_outcome()) {
        ++outcomes[step.command.record_mediation_outcome().outcome()];
        ++outcome_total;
      }
    }
    closed += is_closed;
    if (open.category() == v1::CATEGORY_DOMESTIC_VIOLENCE) {
      ++dv;
      dv_with_risk += risk;
    }
  }
  const auto share = [](int n, int total) { return static_cast<double>(n) / total; };
  // Mostly hotline calls and visits.
  EXPECT_GT(share(channels[v1::CHANNEL_HOTLINE] + channels[v1::CHANNEL_VISIT], kCases), 0.55);
  EXPECT_GT(channels[v1::CHANNEL_LETTER], 0);
  EXPECT_GT(channels[v1::CHANNEL_POLICE_REFERRAL], 0);
  // Marriage and family disputes first, then domestic violence.
  std::vector<std::pair<int, int>> by_count;
  for (const auto& [category, n] : categories) by_count.push_back({n, category});
  std::sort(by_count.rbegin(), by_count.rend());
  EXPECT_EQ(by_count[0].second, v1::CATEGORY_MARRIAGE_FAMILY);
  EXPECT_EQ(by_count[1].second, v1::CATEGORY_DOMESTIC_VIOLENCE);
  // About 90% closed, mostly satisfied; agreement in about 60% of sessions.
  EXPECT_NEAR(share(closed, kCases), 0.9, 0.03);
  EXPECT_GT(share(satisfied, closures), 0.85);
  EXPECT_NEAR(share(outcomes[v1::MEDIATION_OUTCOME_AGREEMENT], outcome_total), 0.6, 0.05);
  EXPECT_GT(share(dv_with_risk, dv), 0.9);
}

}  // namespace
}  // namespace haven::seed
