// The workload generator of haven_seed: valid ID numbers, a directory
// consistent with the statistical codes, deterministic plans, the mixes of
// the domain page, and histories the case aggregate accepts step by step
// (replayed here through the domain's own Decide and Evolve); and a small
// city seeded in-process into a data directory along a simulated past, whose
// statistics spread over the period and as of a past day.  The programme
// stories (loans, children, micro-homes, projects): deterministic, in
// order, in the domain page's proportions, and every command accepted by
// the real services in-process, their statistics counting what was planned.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/children/v1/children_service.grpc.pb.h"
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "haven/targets/v1/target_service.grpc.pb.h"
#include "seed/case_plan.h"
#include "seed/data_dir_seed.h"
#include "seed/directory_plan.h"
#include "seed/identity.h"
#include "seed/programme_plan.h"
#include "seed/random.h"
#include "services/cases/domain/decide.h"
#include "services/cases/domain/evolve.h"
#include "services/cases/domain/id_number.h"
#include "services/server/server.h"
#include "spdlog/spdlog.h"
#include "storage/clock.h"

namespace haven::seed {
namespace {

namespace v1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;

constexpr int64_t kHourUs = 3600LL * 1000000;
constexpr int64_t kDayUs = 24 * kHourUs;
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
  EXPECT_EQ(plan.micro_homes.size(), 150u);
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

// Replays a plan through the aggregate's Decide and Evolve, each step with
// the server's clock `clock(k)`; every step must be accepted.
void ReplayPlan(const CasePlan& plan, const std::function<int64_t(size_t)>& clock) {
  haven::cases::CaseState state;
  std::vector<std::string> created(plan.steps.size());
  for (size_t k = 0; k < plan.steps.size(); ++k) {
    const PlannedStep& step = plan.steps[k];
    v1::CaseCommand command = step.command;
    if (step.ref_step >= 0) {
      ASSERT_LT(step.ref_step, static_cast<int>(k));
      ASSERT_FALSE(created[step.ref_step].empty()) << plan.case_id << " step " << k;
      SetReferencedId(&command, created[step.ref_step]);
    }
    haven::cases::DecideContext ctx;
    ctx.now_us = clock(k);
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
  EXPECT_LE(state.received_at_us, clock(0));
}

// Every generated case, replayed through the aggregate's Decide with the
// server's clock a little (or a few hours) after the generator's now, is
// accepted step by step, and its facts are dated in order and not in the
// future.
void ReplayThroughTheDomain(int64_t server_delay_us, uint64_t count) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow);
  for (uint64_t i = 1; i <= count; ++i) {
    // Each command a millisecond after the last.
    ReplayPlan(generator.Plan(i),
               [&](size_t k) { return kNow + server_delay_us + 1000 * (k + 1); });
    if (testing::Test::HasFatalFailure()) return;
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

// ---- The history model (haven_seed --data-dir).

// Every step, replayed with the clock the seeder sets for it, is accepted:
// the business times the history gives fit the server's rules (received
// within a year of the clock, mediations not scheduled in the past, answers
// not before the referral, protection orders at most six months...).
TEST(CaseHistoryTest, EveryStepIsAcceptedAtTheClockTheSeederSets) {
  const DirectoryPlan directory = PlanDirectory({});
  for (int days : {540, 90, 3}) {
    const CaseGenerator generator(directory, kNow, days);
    for (uint64_t i = 1; i <= (days == 540 ? 4000u : 500u); ++i) {
      const CasePlan plan = generator.Plan(i);
      ReplayPlan(plan, [&](size_t k) { return ClockTickFor(plan.steps[k].at_us, kNow); });
      if (testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(CaseHistoryTest, StepsHappenInOrderOverThePeriodAndNoneAfterNow) {
  const DirectoryPlan directory = PlanDirectory({});
  const CaseGenerator generator(directory, kNow, 540);
  std::set<int64_t> received_days;
  int closed = 0, closed_recent = 0, recent = 0;
  for (uint64_t i = 1; i <= 3000; ++i) {
    const CasePlan plan = generator.Plan(i);
    const int64_t received = plan.steps[0].command.open_case().received_at_us();
    EXPECT_GE(received, generator.HistoryStartUs()) << plan.case_id;
    EXPECT_LE(received, kNow - 3 * kHourUs) << plan.case_id;
    EXPECT_EQ(plan.steps[0].at_us, received) << plan.case_id;
    received_days.insert((received - generator.HistoryStartUs()) / kDayUs);
    int64_t last = 0;
    bool is_closed = false;
    for (const PlannedStep& step : plan.steps) {
      EXPECT_GE(step.at_us, last) << plan.case_id;
      EXPECT_LE(step.at_us, kNow) << plan.case_id;
      const int64_t tick = ClockTickFor(step.at_us, kNow);
      EXPECT_GE(tick, step.at_us);
      EXPECT_LT(tick - step.at_us, kDayUs);
      last = step.at_us;
      if (step.command.has_close_case()) is_closed = true;
      if (step.command.has_reopen_case()) is_closed = false;
    }
    closed += is_closed;
    if (received > kNow - 14 * kDayUs) {
      ++recent;
      closed_recent += is_closed;
    }
  }
  // Received on nearly every day of the period.
  EXPECT_GT(received_days.size(), 500u);
  // Most cases closed, but the latest still under way.
  EXPECT_GT(closed, 3000 * 0.75);
  ASSERT_GT(recent, 20);
  EXPECT_LT(static_cast<double>(closed_recent) / recent, 0.5);
}

TEST(CaseHistoryTest, TheClockStandsAtFewInstantsOfTheDayAndNeverPassesNow) {
  // 2025-06-14 09:00 CST goes at 10:00, 10:00 at 10:00, 18:30 at the day's
  // last microsecond; nothing after now.
  const int64_t day = kNow - 12 * kHourUs;  // 2025-06-15 00:00 CST.
  EXPECT_EQ(ClockTickFor(day - 15 * kHourUs, kNow), day - 14 * kHourUs);
  EXPECT_EQ(ClockTickFor(day + 10 * kHourUs, kNow), day + 10 * kHourUs);
  EXPECT_EQ(ClockTickFor(day - 5 * kHourUs - 30 * 60 * 1000000LL, kNow), day - 1);
  EXPECT_EQ(ClockTickFor(kNow - 1, kNow), kNow);
}

// A small city seeded into a data directory, and a server on it whose
// clock is the seeding's now.
class SeededDataDir {
 public:
  static constexpr int kCases = 300;
  static constexpr int kDays = 90;

  explicit SeededDataDir(const std::string& name)
      : dir_(testing::TempDir() + "/seed-" + name + "-" + std::to_string(getpid())) {
    std::filesystem::remove_all(dir_);
    DirectoryOptions city;
    city.counties = 2;
    city.townships_per_county = 2;
    city.villages_per_township = 3;
    city.micro_homes = 1;
    directory_ = PlanDirectory(city);
    const CaseGenerator generator(directory_, kNow, kDays);
    ProgrammeOptions volumes;
    volumes.loans = 6;
    volumes.children = 12;
    volumes.projects = 3;
    programmes_ = ProgrammeGenerator(directory_, volumes, kNow, kDays).PlanAll();
    SeedOptions options;
    options.cases = kCases;
    options.concurrency = 8;
    options.channels = 2;
    options.progress_seconds = 0;
    result_ = SeedDataDir(dir_, options, directory_, generator, programmes_);
  }
  ~SeededDataDir() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  const SeedResult& result() const { return result_; }
  // The streams of the programmes' aggregates (children's, mentors',
  // loans', micro-homes', projects').
  size_t ProgrammeStreams() const {
    std::set<std::string> ids;
    for (const ProgrammePlan& plan : programmes_) {
      for (const ProgrammeStep& step : plan.steps) ids.insert(step.aggregate_id);
    }
    return ids.size();
  }
  const std::string& city_id() const { return directory_.units[directory_.city].unit_id; }

  haven::server::HavenServer& Serve() {
    if (server_ == nullptr) {
      auto stores = haven::server::ServerStores::Open(
          dir_, std::make_shared<haven::storage::ManualClock>(kNow));
      EXPECT_TRUE(stores.ok()) << stores.status();
      auto server = haven::server::HavenServer::Start("127.0.0.1:0", std::move(*stores));
      EXPECT_TRUE(server.ok()) << server.status();
      server_ = std::move(*server);
      stub_ = v1::CaseService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
    }
    return *server_;
  }

  v1::CaseStatistics Statistics(const std::string& from, const std::string& to,
                                const std::string& as_of = "") {
    Serve();
    v1::GetStatisticsRequest request;
    request.set_unit_subtree(city_id());
    request.set_from_day(from);
    request.set_to_day(to);
    if (!as_of.empty()) request.set_as_of_day(as_of);
    request.set_min_position(server_->log().HeadPosition());
    v1::GetStatisticsResponse response;
    grpc::ClientContext context;
    context.AddMetadata("haven-actor", "sup-city");
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    const grpc::Status status = stub_->GetStatistics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  // Every event of every stream but its id: what it says, when it was
  // recorded, who acted.
  std::map<std::string, std::vector<std::tuple<std::string, std::string, int64_t, std::string>>>
  Streams() {
    std::map<std::string, std::vector<std::tuple<std::string, std::string, int64_t, std::string>>>
        streams;
    haven::storage::EventLog& log = Serve().log();
    for (uint64_t from = 1;;) {
      auto page = log.ReadAll(from, 1000, {}, 100000);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->events.empty()) break;
      for (const auto& e : page->events) {
        streams[e.stream].emplace_back(e.type, e.payload, e.recorded_time_us, e.actor);
      }
      from = page->next_position;
    }
    return streams;
  }

 private:
  std::string dir_;
  DirectoryPlan directory_;
  std::vector<ProgrammePlan> programmes_;
  SeedResult result_;
  std::unique_ptr<haven::server::HavenServer> server_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

class SeedDataDirTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::warn);
    city_ = new SeededDataDir("a");
  }
  static void TearDownTestSuite() {
    delete city_;
    city_ = nullptr;
  }
  static SeededDataDir* city_;
};

SeededDataDir* SeedDataDirTest::city_ = nullptr;

TEST_F(SeedDataDirTest, SeedsEveryCaseWithoutARefusedCommand) {
  const SeedResult& result = city_->result();
  EXPECT_FALSE(result.fatal);
  EXPECT_FALSE(result.interrupted);
  EXPECT_EQ(result.cases, static_cast<uint64_t>(SeededDataDir::kCases));
  EXPECT_EQ(result.failed_cases, 0u);
  EXPECT_EQ(result.failed_programmes, 0u);
  EXPECT_EQ(result.replayed, 0u);
  EXPECT_GT(result.events, result.commands);
}

// kNow is 2025-06-15; the 90 days start on 2025-03-17.
TEST_F(SeedDataDirTest, MonthBucketsSpreadOverThePeriod) {
  const std::vector<std::pair<std::string, std::string>> months = {{"2025-03-01", "2025-03-31"},
                                                                   {"2025-04-01", "2025-04-30"},
                                                                   {"2025-05-01", "2025-05-31"},
                                                                   {"2025-06-01", "2025-06-15"}};
  int64_t opened = 0, months_with_closures = 0;
  for (const auto& [from, to] : months) {
    const v1::CaseStatistics month = city_->Statistics(from, to);
    EXPECT_GT(month.opened(), 10) << from;
    opened += month.opened();
    months_with_closures += month.closed() > 0;
  }
  EXPECT_EQ(opened, SeededDataDir::kCases);
  EXPECT_GE(months_with_closures, 3);
  EXPECT_EQ(city_->Statistics("2025-01-01", "2025-03-15").opened(), 0);
  const v1::CaseStatistics all = city_->Statistics("2025-03-01", "2025-06-15");
  ASSERT_TRUE(all.has_median_days_to_close());
  EXPECT_GT(all.median_days_to_close(), 1.0);
  EXPECT_GT(all.closed(), SeededDataDir::kCases / 2);
  EXPECT_GT(all.open_at_end(), 0);
}

TEST_F(SeedDataDirTest, AsOfAPastDayIsNonEmptyAndSmallerThanToday) {
  const v1::CaseStatistics past = city_->Statistics("2025-03-01", "2025-06-15", "2025-05-01");
  const v1::CaseStatistics today = city_->Statistics("2025-03-01", "2025-06-15");
  EXPECT_EQ(past.as_of_day(), "2025-05-01");
  EXPECT_GT(past.opened(), SeededDataDir::kCases / 5);
  EXPECT_LT(past.opened(), today.opened());
  EXPECT_GT(past.closed(), 0);
  EXPECT_LT(past.closed(), today.closed());
  EXPECT_EQ(past.cases_at_end(), past.opened());
}

TEST_F(SeedDataDirTest, TheSameSeedGivesTheSameData) {
  SeededDataDir again("b");
  ASSERT_FALSE(again.result().fatal);
  const auto a = city_->Streams();
  const auto b = again.Streams();
  EXPECT_EQ(a.size(), b.size());
  // The cases, the directory and the programmes' aggregates.
  EXPECT_EQ(a.size(), static_cast<size_t>(SeededDataDir::kCases) + 1 + city_->ProgrammeStreams());
  EXPECT_GT(city_->ProgrammeStreams(), 20u);
  EXPECT_TRUE(a == b);
}

// ---- The programmes (loans, children, micro-homes, projects).

std::string Serialize(const ProgrammePlan& plan) {
  std::string out = plan.id + "|" + plan.service;
  for (const ProgrammeStep& step : plan.steps) {
    out += "|" + step.aggregate_id + "|" + step.actor + "|" + step.request_id + "|" +
           std::to_string(step.at_us) + "|" + step.command->SerializeAsString();
  }
  return out;
}

ProgrammeOptions SmallProgrammes() {
  ProgrammeOptions volumes;
  volumes.loans = 60;
  volumes.children = 300;
  volumes.projects = 12;
  return volumes;
}

TEST(ProgrammePlanTest, IsDeterministicForASeedAndNow) {
  const DirectoryPlan directory = PlanDirectory({});
  const ProgrammeGenerator a(directory, SmallProgrammes(), kNow, 540);
  const ProgrammeGenerator b(directory, SmallProgrammes(), kNow, 540);
  const std::vector<ProgrammePlan> plans_a = a.PlanAll();
  const std::vector<ProgrammePlan> plans_b = b.PlanAll();
  ASSERT_EQ(plans_a.size(), plans_b.size());
  for (size_t i = 0; i < plans_a.size(); ++i) {
    EXPECT_EQ(Serialize(plans_a[i]), Serialize(plans_b[i])) << plans_a[i].id;
  }
  EXPECT_NE(Serialize(a.Loan(1)), Serialize(a.Loan(2)));
  EXPECT_NE(Serialize(a.Child(1)), Serialize(a.Child(2)));
  EXPECT_NE(Serialize(a.MicroHome(0)), Serialize(a.MicroHome(1)));
  EXPECT_NE(Serialize(a.Project(1)), Serialize(a.Project(2)));
  DirectoryOptions other;
  other.seed = 9;
  const DirectoryPlan directory9 = PlanDirectory(other);
  const ProgrammeGenerator c(directory9, SmallProgrammes(), kNow, 540);
  EXPECT_NE(Serialize(a.Loan(1)), Serialize(c.Loan(1)));
  EXPECT_EQ(c.Loan(1).id, "loan-s9-000001");
  EXPECT_EQ(c.Child(1).steps[0].aggregate_id, "child-s9-000001");
}

TEST(ProgrammePlanTest, StepsAreInOrderOverThePeriodUnderStableUniqueIds) {
  const DirectoryPlan directory = PlanDirectory({});
  const ProgrammeGenerator generator(directory, SmallProgrammes(), kNow, 540);
  std::set<std::string> request_ids;
  std::map<Programme, int> stories;
  for (const ProgrammePlan& plan : generator.PlanAll()) {
    ++stories[plan.programme];
    ASSERT_FALSE(plan.steps.empty()) << plan.id;
    int64_t last = generator.FirstDayUs();
    for (const ProgrammeStep& step : plan.steps) {
      EXPECT_TRUE(request_ids.insert(step.request_id).second) << step.request_id;
      EXPECT_GE(step.at_us, last) << plan.id << " " << ProgrammeRpcName(step);
      EXPECT_LE(step.at_us, kNow) << plan.id;
      const int64_t tick = ClockTickFor(step.at_us, kNow);
      EXPECT_GE(tick, step.at_us);
      EXPECT_LT(tick - step.at_us, kDayUs);
      EXPECT_FALSE(ProgrammeRpcName(step).empty()) << plan.id;
      last = step.at_us;
    }
  }
  // All but those whose first step would fall after now.
  EXPECT_GT(stories[Programme::kLoans], 55);
  EXPECT_GT(stories[Programme::kChildren], 290);
  EXPECT_GT(stories[Programme::kMicroHomes], 140);
  EXPECT_GT(stories[Programme::kProjects], 10);
}

// At the default scale (100,000 cases, 540 days, five counties, 150
// micro-homes) the stories add up to the figures of the domain page.
TEST(ProgrammePlanTest, ProportionsFollowTheDomainPage) {
  DirectoryOptions city;
  city.micro_homes = 150;
  const DirectoryPlan directory = PlanDirectory(city);
  const ProgrammeGenerator generator(directory, ProgrammeOptions::ScaledFromCases(100000), kNow,
                                     540);
  const std::vector<ProgrammePlan> plans = generator.PlanAll();
  const ProgrammeTally t = Tally(plans);
  const double years = 540 / 365.0;
  const double county_years = 5 * years;
  // A county disburses 2.3 million yuan to 27 women in a year.
  EXPECT_NEAR(t.loans_disbursed / county_years, 27, 9);
  EXPECT_NEAR(t.disbursed_fen / 100.0 / county_years, 2.3e6, 0.8e6);
  EXPECT_GT(t.loans_disbursed, t.loans * 0.65);
  EXPECT_LT(t.loans_disbursed, t.loans * 0.92);
  EXPECT_GT(t.loans_settled, 0u);
  EXPECT_GT(t.loans_overdue, 0u);
  EXPECT_LT(t.loans_overdue, t.loans_disbursed / 5);
  EXPECT_GT(t.subsidy_fen, 0);
  EXPECT_GT(t.jobs_reported, static_cast<int64_t>(t.loans_disbursed) * 3);
  // 2,698 children paired one-to-one; pairings that end are made again.
  EXPECT_GT(t.children, 2950u);
  EXPECT_GT(t.children_paired, 2600u);
  EXPECT_LT(t.children_paired, 2950u);
  // A mentor per pairing (the last may be registered before now, paired after).
  EXPECT_GE(t.mentors, t.children_paired + t.re_pairings);
  EXPECT_LE(t.mentors, t.children_paired + t.re_pairings + 10);
  EXPECT_GT(t.re_pairings, 100u);
  EXPECT_GT(t.pairings_ended, t.re_pairings);
  EXPECT_EQ(t.stipend_fen % (1200 * 100), 0);
  EXPECT_GT(t.stipend_fen, 0);
  EXPECT_GT(t.rpcs.at("RecordVisit"), t.children_paired * 8);
  // 100 micro-homes and 25 demonstration sites a year.
  EXPECT_NEAR(t.micro_homes / years, 100, 10);
  EXPECT_NEAR(t.demonstration / years, 25, 10);
  EXPECT_GT(t.titles_granted, 10u);
  EXPECT_GT(t.titles_recertified, 0u);
  EXPECT_GT(t.titles_revoked + t.rpcs.count("WithdrawDemonstration"), 0u);
  EXPECT_GT(t.activities, t.demonstration * 40);
  // Projects spend within their budgets; most that end are accepted.
  EXPECT_GE(t.projects, 38u);
  EXPECT_GT(t.projects_accepted, 5u);
  EXPECT_LT(t.spent_fen, t.budget_fen);
  for (const ProgrammePlan& plan : plans) {
    if (plan.programme != Programme::kProjects) continue;
    const ProgrammeTally one = Tally({plan});
    EXPECT_LE(one.spent_fen, one.budget_fen) << plan.id;
  }
  for (const char* rpc : {"GiveCountyOpinion", "RecordLenderDecision", "WithdrawLoan",
                          "MarkOverdue", "SettleLoan", "ReportJobsCreated", "DeliverSupport",
                          "PayStipend", "CheckStatus", "ReferCounselling", "EndPairing",
                          "PairExecutive", "UnpairExecutive", "DesignateDemonstration",
                          "GrantTitle", "RecertifyTitle", "RevokeTitle", "StartProject",
                          "ReportBeneficiaries", "RecordEvaluation", "AcceptProject"}) {
    EXPECT_GT(t.rpcs.count(rpc), 0u) << rpc;
  }
}

// Calls a statistics rpc as a city supervisor; the response.
template <typename Stub, typename Request, typename Response>
Response Ask(Stub& stub, grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
             const Request& request) {
  Response response;
  grpc::ClientContext context;
  context.AddMetadata("haven-actor", "sup-city");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  const grpc::Status status = (stub.*rpc)(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

// A small city with a year and a half of every programme, seeded
// in-process: every planned command is accepted by the real services, and
// their statistics over the whole period count what the plans hold.
TEST(SeedProgrammesTest, EveryPlannedCommandIsAcceptedAndCounted) {
  spdlog::set_level(spdlog::level::warn);
  const std::string dir =
      testing::TempDir() + "/seed-programmes-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  DirectoryOptions city;
  city.counties = 2;
  city.townships_per_county = 2;
  city.villages_per_township = 3;
  city.micro_homes = 20;
  const DirectoryPlan directory = PlanDirectory(city);
  const CaseGenerator cases(directory, kNow, 540);
  ProgrammeOptions volumes;
  volumes.loans = 40;
  volumes.children = 60;
  volumes.projects = 20;
  const ProgrammeGenerator generator(directory, volumes, kNow, 540);
  const std::vector<ProgrammePlan> plans = generator.PlanAll();
  std::map<Programme, uint64_t> planned;
  for (const ProgrammePlan& plan : plans) ++planned[plan.programme];
  const ProgrammeTally t = Tally(plans);
  ASSERT_GT(t.loans_disbursed, 0u);
  ASSERT_GT(t.re_pairings, 0u);
  ASSERT_GT(t.demonstration, 0u);
  ASSERT_GT(t.projects_accepted, 0u);

  SeedOptions options;
  options.cases = 20;
  options.concurrency = 8;
  options.channels = 2;
  options.progress_seconds = 0;
  const SeedResult result = SeedDataDir(dir, options, directory, cases, plans);
  EXPECT_FALSE(result.fatal);
  EXPECT_EQ(result.failed_cases, 0u);
  EXPECT_EQ(result.failed_programmes, 0u);
  EXPECT_EQ(result.cases, 20u);
  EXPECT_EQ(result.loans, planned[Programme::kLoans]);
  EXPECT_EQ(result.children, planned[Programme::kChildren]);
  EXPECT_EQ(result.micro_homes, planned[Programme::kMicroHomes]);
  EXPECT_EQ(result.projects, planned[Programme::kProjects]);
  EXPECT_EQ(result.targets, 3u);  // The city and its two counties.
  EXPECT_EQ(planned[Programme::kTargets], 3u);
  EXPECT_EQ(result.replayed, 0u);

  auto stores = haven::server::ServerStores::Open(
      dir, std::make_shared<haven::storage::ManualClock>(kNow));
  ASSERT_TRUE(stores.ok()) << stores.status();
  auto server = haven::server::HavenServer::Start("127.0.0.1:0", std::move(*stores));
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  const uint64_t head = (*server)->log().HeadPosition();
  const std::string city_id = directory.units[directory.city].unit_id;
  const std::string from = "2023-12-01", to = "2025-06-15";

  auto loans = haven::loans::v1::LoanService::NewStub(channel);
  haven::loans::v1::GetLoanStatisticsRequest loan_request;
  loan_request.set_unit_subtree(city_id);
  loan_request.set_from_day(from);
  loan_request.set_to_day(to);
  loan_request.set_min_position(head);
  const auto loan_stats =
      Ask(*loans, &haven::loans::v1::LoanService::Stub::GetLoanStatistics, loan_request)
          .statistics();
  EXPECT_EQ(loan_stats.applied(), static_cast<int64_t>(t.loans));
  EXPECT_EQ(loan_stats.disbursed(), static_cast<int64_t>(t.loans_disbursed));
  EXPECT_EQ(loan_stats.disbursed_fen(), t.disbursed_fen);
  EXPECT_EQ(loan_stats.subsidy_fen(), t.subsidy_fen);
  EXPECT_EQ(loan_stats.settled(), static_cast<int64_t>(t.loans_settled));

  auto children = haven::children::v1::ChildrenService::NewStub(channel);
  haven::children::v1::GetChildrenStatisticsRequest child_request;
  child_request.set_unit_subtree(city_id);
  child_request.set_from_day(from);
  child_request.set_to_day(to);
  child_request.set_min_position(head);
  const auto child_stats = Ask(*children,
                               &haven::children::v1::ChildrenService::Stub::GetChildrenStatistics,
                               child_request)
                               .statistics();
  EXPECT_EQ(child_stats.registered(), static_cast<int64_t>(t.children));
  EXPECT_EQ(child_stats.paired(), static_cast<int64_t>(t.children_paired + t.re_pairings));
  EXPECT_EQ(child_stats.re_paired(), static_cast<int64_t>(t.re_pairings));
  EXPECT_EQ(child_stats.pairings_ended(), static_cast<int64_t>(t.pairings_ended));
  EXPECT_EQ(child_stats.stipend_fen(), t.stipend_fen);
  EXPECT_EQ(child_stats.visits(), static_cast<int64_t>(t.rpcs.at("RecordVisit")));

  auto homes = haven::microhomes::v1::MicroHomeService::NewStub(channel);
  haven::microhomes::v1::GetMicroHomeStatisticsRequest home_request;
  home_request.set_unit_subtree(city_id);
  home_request.set_from_day(from);
  home_request.set_to_day(to);
  home_request.set_min_position(head);
  const auto home_stats =
      Ask(*homes, &haven::microhomes::v1::MicroHomeService::Stub::GetMicroHomeStatistics,
          home_request)
          .statistics();
  EXPECT_EQ(home_stats.registered(), static_cast<int64_t>(t.micro_homes));
  EXPECT_EQ(home_stats.demonstration_designated(), static_cast<int64_t>(t.demonstration));
  EXPECT_EQ(home_stats.titles_granted(), static_cast<int64_t>(t.titles_granted));
  haven::microhomes::v1::GetMicroHomeComplianceRequest compliance_request;
  compliance_request.set_unit_subtree(city_id);
  compliance_request.set_from_day("2024-06-15");
  compliance_request.set_to_day(to);
  compliance_request.set_min_position(head);
  const auto compliance =
      Ask(*homes, &haven::microhomes::v1::MicroHomeService::Stub::GetMicroHomeCompliance,
          compliance_request)
          .compliance();
  EXPECT_GT(compliance.demonstration_homes(), 0);
  EXPECT_LT(compliance.short_of_standard(), compliance.demonstration_homes());

  auto projects = haven::projects::v1::ProjectService::NewStub(channel);
  haven::projects::v1::GetProjectStatisticsRequest project_request;
  project_request.set_unit_subtree(city_id);
  project_request.set_from_day(from);
  project_request.set_to_day(to);
  project_request.set_min_position(head);
  const auto project_stats =
      Ask(*projects, &haven::projects::v1::ProjectService::Stub::GetProjectStatistics,
          project_request)
          .statistics();
  EXPECT_EQ(project_stats.registered(), static_cast<int64_t>(t.projects));
  EXPECT_EQ(project_stats.accepted(), static_cast<int64_t>(t.projects_accepted));
  EXPECT_EQ(project_stats.spent_fen(), t.spent_fen);

  // The city's plan for the year of now, beside the year's figures so far.
  auto targets = haven::targets::v1::TargetService::NewStub(channel);
  haven::targets::v1::GetTargetReportRequest report_request;
  report_request.set_unit_id(city_id);
  report_request.set_year(2025);
  report_request.set_min_position(head);
  const auto report =
      Ask(*targets, &haven::targets::v1::TargetService::Stub::GetTargetReport, report_request);
  EXPECT_EQ(report.as_of_day(), "2025-06-15");
  ASSERT_EQ(report.lines_size(), 8);
  loan_request.set_from_day("2025-01-01");
  loan_request.set_to_day("2025-12-31");
  const auto loans_this_year =
      Ask(*loans, &haven::loans::v1::LoanService::Stub::GetLoanStatistics, loan_request)
          .statistics();
  int checked = 0;
  for (const auto& line : report.lines()) {
    if (line.indicator() == "loans.disbursed") {
      EXPECT_EQ(line.actual(), loans_this_year.disbursed());
      EXPECT_EQ(line.target(), 54);  // 27 a county
      ++checked;
    }
    if (line.indicator() == "cases.closure_rate") {
      EXPECT_EQ(line.target(), 9800);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2);

  (*server)->Shutdown(std::chrono::seconds(5));
  server->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::seed
