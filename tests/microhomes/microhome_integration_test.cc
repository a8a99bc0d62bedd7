// Thirty-six micro-homes worked through an in-process havend (HavenServer
// on in-memory stores, a manual clock) over three years: registrations,
// pairings, demonstration designations and withdrawals, activities held
// week by week (some recorded days late), titles granted, re-certified,
// revoked, homes closed.  Every read model (GetMicroHome now and as of a
// position, GetMicroHomeHistory, ListMicroHomes, GetMicroHomeCompliance
// and GetMicroHomeStatistics over periods and as of past days) is checked
// against a model the test keeps on its own and evaluates day by day; a
// rebuild changes no answer; later events change no as-of answer; bad
// input and illegal transitions write nothing.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/clock.h"

namespace haven::microhomes {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int kHomes = 36;
constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int kPlanDays = 1000;  // 2023-01-01 .. 2025-09-27
const absl::TimeZone kCst = absl::FixedTimeZone(8 * 3600);

int64_t UsOf(absl::CivilSecond t) { return absl::ToUnixMicros(absl::FromCivil(t, kCst)); }
const int64_t kStartUs = UsOf(absl::CivilSecond(2023, 1, 1, 0, 0, 0));
const absl::CivilDay kStartDay(2023, 1, 1);

// Days since 2023-01-01 CST, computed with the civil calendar.
int DayOf(int64_t us) {
  return static_cast<int>(absl::ToCivilDay(absl::FromUnixMicros(us), kCst) - kStartDay);
}
absl::CivilDay CivilOf(int day) { return kStartDay + day; }
std::string DayText(int day) { return absl::FormatCivilTime(CivilOf(day)); }
int64_t TwoYearsLater(int64_t us) {
  const absl::CivilSecond t = absl::ToCivilSecond(absl::FromUnixMicros(us), kCst);
  return UsOf(absl::CivilSecond(t.year() + 2, t.month(), t.day(), t.hour(), t.minute(),
                                t.second()));
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < p; }

 private:
  uint64_t state_;
};

// ---- The directory: city c, counties c-a and c-b, two townships each,
// three villages per township; the micro-homes hang under the villages.
const std::vector<std::string> kCounties = {"c-a", "c-b"};
std::string Township(int county, int t) { return absl::StrCat(kCounties[county], "-", t); }
std::string Village(int county, int t, int v) {
  return absl::StrCat(Township(county, t), "-", v);
}

enum class Kind {
  kRegister, kPair, kDesignate, kWithdraw, kActivity, kGrant, kRecertify, kRevoke, kClose,
};

// One command of the plan.
struct Step {
  int64_t at_us;
  int home;
  int seq;
  Kind kind;
  int64_t held_us = 0;  // activities: when held (0: now)
  int n = 0;            // activity kind, title level
  int attendance = 0;
  std::string title_id;
  bool operator<(const Step& o) const {
    return std::tie(at_us, home, seq) < std::tie(o.at_us, o.home, o.seq);
  }
};

// What the server records, event by event, as the model derives it.
enum class Ev { kRegistered, kPaired, kDesignated, kWithdrawn, kActivity, kGranted, kRecertified,
                kRevoked, kClosed };
struct ModelEvent {
  int64_t recorded_us;
  Ev kind;
  int64_t effective_us;  // held, designated, withdrawn, granted, recertified
  int n = 0;             // activity kind or title level
  int attendance = 0;
  std::string title_id;
  int64_t expires_us = 0;
};

struct HomePlan {
  std::string id;
  std::string village;
  int county, township;
  v1::MicroHomeKind kind;
  v1::Venue venue;
};

struct ModelHome {
  HomePlan plan;
  std::vector<ModelEvent> events;
  uint64_t version = 0;
  // (log position, events so far) after each command, for as-of checks.
  std::vector<std::pair<uint64_t, size_t>> history;
};

// A home's state from its events recorded on or before `last_day`.
struct Derived {
  bool registered = false, closed = false, demonstration = false;
  int executives = 0;
  int64_t activities = 0;
  std::map<std::string, std::tuple<int, int64_t, bool>> titles;  // level, expires, revoked
  int held(int level = 0) const {
    int n = 0;
    for (const auto& [id, t] : titles) {
      if (!std::get<2>(t) && (level == 0 || std::get<0>(t) == level)) ++n;
    }
    return n;
  }
};

Derived Derive(const ModelHome& home, int last_day, size_t max_events = SIZE_MAX) {
  Derived d;
  for (size_t i = 0; i < home.events.size() && i < max_events; ++i) {
    const ModelEvent& e = home.events[i];
    if (DayOf(e.recorded_us) > last_day) break;
    switch (e.kind) {
      case Ev::kRegistered:
        d.registered = true;
        d.executives = e.n;
        break;
      case Ev::kPaired:
        ++d.executives;
        break;
      case Ev::kDesignated:
        d.demonstration = true;
        break;
      case Ev::kWithdrawn:
        d.demonstration = false;
        break;
      case Ev::kActivity:
        ++d.activities;
        break;
      case Ev::kGranted:
        d.titles[e.title_id] = {e.n, e.expires_us, false};
        break;
      case Ev::kRecertified:
        std::get<1>(d.titles[e.title_id]) = e.expires_us;
        break;
      case Ev::kRevoked:
        std::get<2>(d.titles[e.title_id]) = true;
        break;
      case Ev::kClosed:
        d.closed = true;
        break;
    }
  }
  return d;
}

// ---- The compliance check, day by day on the civil calendar.

// The days [0, kPlanDays + 400) on which the home was a demonstration site,
// by the facts recorded on or before `as_of`.
std::vector<bool> DemonstrationDays(const ModelHome& home, int as_of) {
  std::vector<bool> on(kPlanDays + 400, false);
  int from = -1;
  for (const ModelEvent& e : home.events) {
    if (DayOf(e.recorded_us) > as_of) break;
    if (e.kind == Ev::kDesignated) from = DayOf(e.effective_us);
    if (e.kind == Ev::kWithdrawn && from >= 0) {
      for (int d = from; d < DayOf(e.effective_us); ++d) on[d] = true;
      from = -1;
    }
  }
  if (from >= 0) {
    for (int d = from; d < static_cast<int>(on.size()); ++d) on[d] = true;
  }
  return on;
}

// Calls fn(first, last) for every week, month, quarter or year (by the
// activity kind the standard asks for in it) lying wholly in [a, b].
template <typename Fn>
void Periods(int kind, int a, int b, const Fn& fn) {
  const absl::CivilDay first = CivilOf(a), last = CivilOf(b);
  if (kind == v1::ACTIVITY_KIND_RECEPTION) {
    for (absl::CivilDay d = first; d + 6 <= last; ++d) {
      if (absl::GetWeekday(d) == absl::Weekday::monday) fn(d - kStartDay, d + 6 - kStartDay);
    }
    return;
  }
  const int months = kind == v1::ACTIVITY_KIND_GATHERING ? 1
                     : kind == v1::ACTIVITY_KIND_ACTIVITY ? 3
                                                          : 12;
  for (absl::CivilMonth m(absl::CivilYear(first.year())); absl::CivilDay(m) <= last; m += months) {
    const absl::CivilDay p1(m), p2 = absl::CivilDay(m + months) - 1;
    if (p1 >= first && p2 <= last) fn(p1 - kStartDay, p2 - kStartDay);
  }
}

std::optional<v1::HomeCompliance> ExpectedHome(const ModelHome& home, int from, int to,
                                               int as_of) {
  const int end = std::min(to, as_of);
  const std::vector<bool> on = DemonstrationDays(home, as_of);
  bool any = false;
  for (int d = std::max(from, 0); d <= end; ++d) any = any || on[d];
  if (!any) return std::nullopt;
  v1::HomeCompliance h;
  h.set_unit_id(home.plan.id);
  h.set_kind(home.plan.kind);
  bool meets = true;
  for (int kind = 1; kind <= 4; ++kind) {
    int required = 0, met = 0;
    Periods(kind, from, end, [&](int p1, int p2) {
      for (int d = p1; d <= p2; ++d) {
        if (!on[d]) return;
      }
      ++required;
      for (const ModelEvent& e : home.events) {
        if (DayOf(e.recorded_us) > as_of) break;
        const int held = DayOf(e.effective_us);
        if (e.kind == Ev::kActivity && e.n == kind && held >= p1 && held <= p2) {
          ++met;
          return;
        }
      }
    });
    v1::StandardCheck* check = kind == 1   ? h.mutable_weekly_receptions()
                               : kind == 2 ? h.mutable_monthly_gatherings()
                               : kind == 3 ? h.mutable_quarterly_activities()
                                           : h.mutable_yearly_banquets();
    check->set_required(required);
    check->set_met(met);
    meets = meets && met == required;
  }
  h.set_meets_standard(meets);
  return h;
}

std::vector<v1::TitleDue> ExpectedTitlesDue(const ModelHome& home, int to, int as_of) {
  const int end = std::min(to, as_of);
  std::vector<v1::TitleDue> out;
  const Derived d = Derive(home, end);
  for (const auto& [id, t] : d.titles) {
    const auto& [level, expires_us, revoked] = t;
    if (revoked) continue;
    const int expires = DayOf(expires_us);
    if (expires > end + 90) continue;
    v1::TitleDue due;
    due.set_unit_id(home.plan.id);
    due.set_title_id(id);
    due.set_title(level == v1::TITLE_LEVEL_COUNTY ? v1::TITLE_NAME_DEMONSTRATION_MICRO_HOME
                                                  : v1::TITLE_NAME_MODEL_WOMENS_HOME);
    due.set_level(static_cast<v1::TitleLevel>(level));
    due.set_expires_day(DayText(expires));
    due.set_lapsed(expires <= end);
    out.push_back(due);
  }
  return out;
}

v1::MicroHomeCompliance ExpectedCompliance(const std::vector<ModelHome>& homes,
                                           const std::set<std::string>& villages, int from,
                                           int to, int as_of, bool short_only) {
  v1::MicroHomeCompliance c;
  c.set_from_day(DayText(from));
  c.set_to_day(DayText(std::min(to, as_of)));
  c.set_as_of_day(DayText(as_of));
  std::vector<v1::TitleDue> due;
  for (const ModelHome& home : homes) {  // ordered by unit id
    if (villages.count(home.plan.village) == 0) continue;
    if (Derive(home, as_of).registered) {
      std::optional<v1::HomeCompliance> h = ExpectedHome(home, from, to, as_of);
      if (h) {
        c.set_demonstration_homes(c.demonstration_homes() + 1);
        if (!h->meets_standard()) c.set_short_of_standard(c.short_of_standard() + 1);
        if (!short_only || !h->meets_standard()) *c.add_homes() = *h;
      }
    }
    for (auto& d : ExpectedTitlesDue(home, to, as_of)) due.push_back(d);
  }
  std::sort(due.begin(), due.end(), [](const v1::TitleDue& a, const v1::TitleDue& b) {
    return std::tie(a.expires_day(), a.unit_id(), a.title_id()) <
           std::tie(b.expires_day(), b.unit_id(), b.title_id());
  });
  for (auto& d : due) *c.add_titles_due() = d;
  return c;
}

v1::MicroHomeStatistics ExpectedStatistics(const std::vector<ModelHome>& homes,
                                           const std::set<std::string>& villages, int from,
                                           int to, int as_of) {
  const int end = std::min(to, as_of);
  v1::MicroHomeStatistics s;
  s.set_from_day(DayText(from));
  s.set_to_day(DayText(end));
  s.set_as_of_day(DayText(as_of));
  std::map<int, std::pair<int64_t, int64_t>> kinds, activities, levels;
  for (const ModelHome& home : homes) {
    if (villages.count(home.plan.village) == 0) continue;
    for (const ModelEvent& e : home.events) {
      const int day = DayOf(e.recorded_us);
      if (day < from || day > end) continue;
      switch (e.kind) {
        case Ev::kRegistered:
          s.set_registered(s.registered() + 1);
          kinds[home.plan.kind].first += 1;
          break;
        case Ev::kClosed:
          s.set_closed(s.closed() + 1);
          break;
        case Ev::kDesignated:
          s.set_demonstration_designated(s.demonstration_designated() + 1);
          break;
        case Ev::kWithdrawn:
          s.set_demonstration_withdrawn(s.demonstration_withdrawn() + 1);
          break;
        case Ev::kActivity:
          activities[e.n].first += 1;
          activities[e.n].second += e.attendance;
          break;
        case Ev::kGranted:
          s.set_titles_granted(s.titles_granted() + 1);
          levels[e.n].first += 1;
          break;
        case Ev::kRecertified:
          s.set_titles_recertified(s.titles_recertified() + 1);
          break;
        case Ev::kRevoked:
          s.set_titles_revoked(s.titles_revoked() + 1);
          break;
        case Ev::kPaired:
          break;
      }
    }
    const Derived d = Derive(home, end);
    if (d.registered && !d.closed) {
      s.set_open_at_end(s.open_at_end() + 1);
      kinds[home.plan.kind].second += 1;
    }
    if (d.demonstration) s.set_demonstration_at_end(s.demonstration_at_end() + 1);
    s.set_titles_held_at_end(s.titles_held_at_end() + d.held());
    for (int level = 1; level <= 3; ++level) levels[level].second += d.held(level);
  }
  for (int kind = 1; kind <= 5; ++kind) {
    v1::KindCount* k = s.add_by_kind();
    k->set_kind(static_cast<v1::MicroHomeKind>(kind));
    k->set_registered(kinds[kind].first);
    k->set_open_at_end(kinds[kind].second);
  }
  for (int kind = 1; kind <= 4; ++kind) {
    v1::ActivityCount* a = s.add_activities();
    a->set_activity_kind(static_cast<v1::ActivityKind>(kind));
    a->set_count(activities[kind].first);
    a->set_attendance(activities[kind].second);
  }
  for (int level = 1; level <= 3; ++level) {
    v1::LevelCount* l = s.add_titles_by_level();
    l->set_level(static_cast<v1::TitleLevel>(level));
    l->set_granted(levels[level].first);
    l->set_held_at_end(levels[level].second);
  }
  const v1::MicroHomeCompliance c = ExpectedCompliance(homes, villages, from, to, as_of, true);
  s.set_short_of_standard(c.short_of_standard());
  s.set_titles_due(c.titles_due_size());
  return s;
}

class MicroHomeIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World;
    world_->Start();
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  struct World {
    std::shared_ptr<storage::ManualClock> clock =
        std::make_shared<storage::ManualClock>(kStartUs + 8 * kHourUs);
    std::unique_ptr<server::HavenServer> server;
    std::unique_ptr<v1::MicroHomeService::Stub> homes;
    std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
    std::vector<ModelHome> model;
    std::vector<Step> plan;
    size_t next_step = 0;
    int request_seq = 0;

    ~World() {
      if (server) server->Shutdown(std::chrono::seconds(1));
    }

    std::string NextRequestId() { return absl::StrCat("req-", ++request_seq); }

    void Start() {
      auto started = server::HavenServer::Start("127.0.0.1:0",
                                                server::ServerStores::InMemory(clock),
                                                server::ServerSecurity::Development());
      ASSERT_TRUE(started.ok()) << started.status();
      server = std::move(*started);
      auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                                         grpc::InsecureChannelCredentials());
      homes = v1::MicroHomeService::NewStub(channel);
      directory = directory::v1::DirectoryService::NewStub(channel);
      MakePlan();
      CreateDirectory();
    }

    void CreateUnit(const std::string& id, const std::string& name, directory::v1::UnitKind kind,
                    const std::string& parent) {
      directory::v1::CreateUnitRequest request;
      request.set_request_id(NextRequestId());
      request.set_unit_id(id);
      request.set_name(name);
      request.set_kind(kind);
      request.set_parent_id(parent);
      directory::v1::CommandResponse response;
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "admin");
      grpc::Status status = directory->CreateUnit(&context, request, &response);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    }

    void CreateDirectory() {
      CreateUnit("c", "示范市", directory::v1::UNIT_KIND_CITY, "");
      for (int c = 0; c < 2; ++c) {
        CreateUnit(kCounties[c], absl::StrCat("第", c + 1, "县"), directory::v1::UNIT_KIND_COUNTY,
                   "c");
        for (int t = 0; t < 2; ++t) {
          CreateUnit(Township(c, t), absl::StrCat("第", t + 1, "镇"),
                     directory::v1::UNIT_KIND_TOWNSHIP, kCounties[c]);
          for (int v = 0; v < 3; ++v) {
            CreateUnit(Village(c, t, v), absl::StrCat("第", v + 1, "村"),
                       directory::v1::UNIT_KIND_VILLAGE, Township(c, t));
          }
        }
      }
      for (const ModelHome& home : model) {
        CreateUnit(home.plan.id, absl::StrCat("微家", home.plan.id),
                   directory::v1::UNIT_KIND_MICRO_HOME, home.plan.village);
      }
      // A micro-home unit straight under a township, for the unit_level rule.
      CreateUnit("c-a-0-wj", "楼宇微家", directory::v1::UNIT_KIND_MICRO_HOME, "c-a-0");
    }

    void MakePlan() {
      Rng rng(20230101);
      const int64_t horizon = kStartUs + kPlanDays * kDayUs;
      for (int i = 0; i < kHomes; ++i) {
        ModelHome home;
        HomePlan& p = home.plan;
        p.county = rng.Below(2);
        p.township = rng.Below(2);
        p.village = Village(p.county, p.township, rng.Below(3));
        p.id = absl::StrCat(p.village, "-h", i < 10 ? "0" : "", i);
        p.kind = static_cast<v1::MicroHomeKind>(1 + i % 5);
        p.venue = static_cast<v1::Venue>(1 + rng.Below(3));
        model.push_back(home);
      }
      std::sort(model.begin(), model.end(),
                [](const ModelHome& a, const ModelHome& b) { return a.plan.id < b.plan.id; });
      for (int i = 0; i < kHomes; ++i) PlanHome(i, rng, horizon);
      std::sort(plan.begin(), plan.end());
    }

    // The steps of one home, kept only while they are valid at their time.
    void PlanHome(int i, Rng& rng, int64_t horizon) {
      std::vector<Step> steps;
      int seq = 0;
      auto add = [&](int64_t at, Kind kind, int n = 0, int64_t held = 0, std::string title = "",
                     int attendance = 0) {
        if (at < horizon) steps.push_back(Step{at, i, seq++, kind, held, n, attendance, title});
      };
      const int64_t registered = kStartUs + rng.Below(300) * kDayUs + 9 * kHourUs;
      add(registered, Kind::kRegister);
      if (rng.Percent(40)) add(registered + 10 * kDayUs, Kind::kPair);
      const int64_t closes =
          rng.Percent(12) ? registered + rng.Between(400, 700) * kDayUs + 2 * kHourUs : horizon;
      if (closes < horizon) add(closes, Kind::kClose);
      if (rng.Percent(65)) {
        const int64_t designated = registered + rng.Between(5, 60) * kDayUs + kHourUs;
        add(designated, Kind::kDesignate);
        int64_t demo_until = horizon;
        if (rng.Percent(20)) {
          demo_until = designated + rng.Between(200, 500) * kDayUs;
          add(demo_until, Kind::kWithdraw);
          if (rng.Percent(60)) add(demo_until + rng.Between(30, 90) * kDayUs, Kind::kDesignate);
        }
        if (rng.Percent(60)) {
          const int64_t granted = designated + rng.Between(30, 90) * kDayUs + 2 * kHourUs;
          add(granted, Kind::kGrant, v1::TITLE_LEVEL_COUNTY, 0, "county-1");
          const int64_t expires = TwoYearsLater(granted);
          if (rng.Percent(60)) {
            add(expires - rng.Between(10, 80) * kDayUs, Kind::kRecertify, 0, 0, "county-1");
          } else if (rng.Percent(25)) {
            add(granted + rng.Between(100, 300) * kDayUs, Kind::kRevoke, 0, 0, "county-1");
          }
          if (rng.Percent(35)) {
            add(granted + rng.Between(60, 200) * kDayUs, Kind::kGrant,
                rng.Percent(70) ? v1::TITLE_LEVEL_CITY : v1::TITLE_LEVEL_PROVINCE, 0, "upper-1");
          }
        }
      }
      // Activities, some weeks skipped; one in five recorded days late.
      const int skip = std::vector<int>{0, 10, 45}[rng.Below(3)];
      auto activity = [&](int64_t held, int kind) {
        if (held <= registered || rng.Percent(skip)) return;
        const int attendance = rng.Between(3, 40);
        if (rng.Percent(20)) {
          add(held + rng.Between(1, 15) * kDayUs + kHourUs, Kind::kActivity, kind, held, "",
              attendance);
        } else {
          add(held, Kind::kActivity, kind, 0, "", attendance);
        }
      };
      const absl::CivilDay first = CivilOf(DayOf(registered));
      for (absl::CivilDay monday = first - ((static_cast<int>(absl::GetWeekday(first)) + 7) % 7);
           monday < CivilOf(kPlanDays); monday += 7) {
        activity(UsOf(absl::CivilSecond(monday + rng.Below(7))) + 15 * kHourUs,
                 v1::ACTIVITY_KIND_RECEPTION);
      }
      for (absl::CivilMonth m(first); absl::CivilDay(m) < CivilOf(kPlanDays); ++m) {
        activity(UsOf(absl::CivilSecond(absl::CivilDay(m) + rng.Below(28))) + 19 * kHourUs,
                 v1::ACTIVITY_KIND_GATHERING);
        if ((m.month() - 1) % 3 == 1) {
          activity(UsOf(absl::CivilSecond(absl::CivilDay(m) + rng.Below(28))) + 14 * kHourUs,
                   v1::ACTIVITY_KIND_ACTIVITY);
        }
        if (m.month() == 12) {
          activity(UsOf(absl::CivilSecond(absl::CivilDay(m) + rng.Below(28))) + 18 * kHourUs,
                   v1::ACTIVITY_KIND_BANQUET);
        }
      }
      // Keep the steps valid in time order: nothing after the close, titles
      // only on a demonstration site, re-certification and revocation only
      // of a title held.
      std::sort(steps.begin(), steps.end());
      bool demonstration = false, closed = false;
      std::map<std::string, bool> held;
      for (const Step& s : steps) {
        if (closed) break;
        bool ok = true;
        switch (s.kind) {
          case Kind::kDesignate:
            ok = !demonstration;
            demonstration = true;
            break;
          case Kind::kWithdraw:
            ok = demonstration;
            demonstration = false;
            held.clear();
            break;
          case Kind::kGrant:
            ok = demonstration && held.count(s.title_id) == 0;
            if (ok) held[s.title_id] = true;
            break;
          case Kind::kRecertify:
            ok = held.count(s.title_id) > 0;
            break;
          case Kind::kRevoke:
            ok = held.count(s.title_id) > 0;
            held.erase(s.title_id);
            break;
          case Kind::kClose:
            closed = true;
            break;
          default:
            break;
        }
        if (ok) plan.push_back(s);
      }
    }

    v1::MicroHomeCommand CommandOf(const Step& step) {
      const HomePlan& p = model[step.home].plan;
      const std::string county = kCounties[p.county];
      v1::MicroHomeCommand c;
      switch (step.kind) {
        case Kind::kRegister: {
          v1::RegisterMicroHome* r = c.mutable_register_micro_home();
          r->set_kind(p.kind);
          r->set_venue(p.venue);
          r->mutable_host()->set_name(absl::StrCat("女主人", step.home));
          r->mutable_host()->set_phone(absl::StrCat("139", 10'000'000 + step.home));
          v1::ExecutiveInput* x = r->add_executives();
          x->set_executive_id(absl::StrCat("exec-", step.home));
          x->set_name(absl::StrCat("执委", step.home));
          r->set_place("社区活动室");
          break;
        }
        case Kind::kPair:
          c.mutable_pair_executive()->mutable_executive()->set_executive_id(
              absl::StrCat("exec-b-", step.home));
          c.mutable_pair_executive()->mutable_executive()->set_name("第二执委");
          break;
        case Kind::kDesignate: {
          c.mutable_designate_demonstration()->set_acting_unit_id(county);
          v1::FiveHaves* h = c.mutable_designate_demonstration()->mutable_five_haves();
          h->set_place(true);
          h->set_host(true);
          h->set_rules(true);
          h->set_activities(true);
          h->set_display(true);
          break;
        }
        case Kind::kWithdraw:
          c.mutable_withdraw_demonstration()->set_acting_unit_id(county);
          c.mutable_withdraw_demonstration()->set_reason("活动不达标");
          break;
        case Kind::kActivity:
          c.mutable_record_activity()->set_activity_kind(static_cast<v1::ActivityKind>(step.n));
          c.mutable_record_activity()->set_held_at_us(step.held_us);
          c.mutable_record_activity()->set_attendance(step.attendance);
          c.mutable_record_activity()->set_topic("家庭教育");
          break;
        case Kind::kGrant: {
          v1::GrantTitle* g = c.mutable_grant_title();
          g->set_title_id(step.title_id);
          g->set_title(step.n == v1::TITLE_LEVEL_COUNTY ? v1::TITLE_NAME_DEMONSTRATION_MICRO_HOME
                                                        : v1::TITLE_NAME_MODEL_WOMENS_HOME);
          g->set_level(static_cast<v1::TitleLevel>(step.n));
          g->set_acting_unit_id(step.n == v1::TITLE_LEVEL_COUNTY ? county : "c");
          break;
        }
        case Kind::kRecertify:
          c.mutable_recertify_title()->set_title_id(step.title_id);
          c.mutable_recertify_title()->set_acting_unit_id(
              step.title_id == "county-1" ? county : "c");
          break;
        case Kind::kRevoke:
          c.mutable_revoke_title()->set_title_id(step.title_id);
          c.mutable_revoke_title()->set_acting_unit_id(step.title_id == "county-1" ? county : "c");
          c.mutable_revoke_title()->set_reason("摘牌");
          break;
        case Kind::kClose:
          c.mutable_close_micro_home()->set_reason("女主人搬离");
          break;
      }
      return c;
    }

    grpc::Status Send(const std::string& unit_id, std::optional<uint64_t> expected,
                      const v1::MicroHomeCommand& c, const std::string& request_id,
                      v1::CommandResponse* response) {
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "operator-1");
      auto fill = [&](auto& request) {
        request.set_request_id(request_id);
        request.set_unit_id(unit_id);
      };
      auto versioned = [&](auto& request) {
        fill(request);
        if (expected) request.set_expected_version(*expected);
      };
      using C = v1::MicroHomeCommand;
      switch (c.command_case()) {
#define HAVEN_SEND(Case, Rpc, member)               \
  case C::Case: {                                   \
    v1::Rpc##Request request;                       \
    versioned(request);                             \
    *request.mutable_##member() = c.member();       \
    return homes->Rpc(&context, request, response); \
  }
        HAVEN_SEND(kChangeHost, ChangeHost, change_host)
        HAVEN_SEND(kPairExecutive, PairExecutive, pair_executive)
        HAVEN_SEND(kUnpairExecutive, UnpairExecutive, unpair_executive)
        HAVEN_SEND(kDesignateDemonstration, DesignateDemonstration, designate_demonstration)
        HAVEN_SEND(kWithdrawDemonstration, WithdrawDemonstration, withdraw_demonstration)
        HAVEN_SEND(kRecordActivity, RecordActivity, record_activity)
        HAVEN_SEND(kGrantTitle, GrantTitle, grant_title)
        HAVEN_SEND(kRecertifyTitle, RecertifyTitle, recertify_title)
        HAVEN_SEND(kRevokeTitle, RevokeTitle, revoke_title)
        HAVEN_SEND(kCloseMicroHome, CloseMicroHome, close_micro_home)
#undef HAVEN_SEND
        case C::kRegisterMicroHome: {
          v1::RegisterMicroHomeRequest request;
          fill(request);
          *request.mutable_register_micro_home() = c.register_micro_home();
          return homes->RegisterMicroHome(&context, request, response);
        }
        case C::COMMAND_NOT_SET:
          break;
      }
      return grpc::Status(grpc::StatusCode::INTERNAL, "no command");
    }

    // What the server records for `step`, in the model's terms.
    void Record(ModelHome& home, const Step& step) {
      const int64_t at = step.at_us;
      auto push = [&](Ev kind, int64_t effective, int n = 0, int attendance = 0,
                      std::string title = "", int64_t expires = 0) {
        home.events.push_back(ModelEvent{at, kind, effective, n, attendance, title, expires});
      };
      auto revoke_held = [&]() {
        const Derived d = Derive(home, 1 << 20);
        for (const auto& [id, t] : d.titles) {
          if (!std::get<2>(t)) push(Ev::kRevoked, at, 0, 0, id);
        }
      };
      switch (step.kind) {
        case Kind::kRegister:
          push(Ev::kRegistered, at, 1);
          break;
        case Kind::kPair:
          push(Ev::kPaired, at);
          break;
        case Kind::kDesignate:
          push(Ev::kDesignated, at);
          break;
        case Kind::kWithdraw:
          push(Ev::kWithdrawn, at);
          revoke_held();
          break;
        case Kind::kActivity:
          push(Ev::kActivity, step.held_us == 0 ? at : step.held_us, step.n, step.attendance);
          break;
        case Kind::kGrant:
          push(Ev::kGranted, at, step.n, 0, step.title_id, TwoYearsLater(at));
          break;
        case Kind::kRecertify:
          push(Ev::kRecertified, at, 0, 0, step.title_id, TwoYearsLater(at));
          break;
        case Kind::kRevoke:
          push(Ev::kRevoked, at, 0, 0, step.title_id);
          break;
        case Kind::kClose:
          if (Derive(home, 1 << 20).demonstration) {
            push(Ev::kWithdrawn, at);
            revoke_held();
          }
          push(Ev::kClosed, at);
          break;
      }
    }

    // Runs the plan's steps before `until_us`; the model follows.
    void RunUntil(int64_t until_us) {
      for (; next_step < plan.size() && plan[next_step].at_us < until_us; ++next_step) {
        const Step& step = plan[next_step];
        ModelHome& home = model[step.home];
        clock->Set(step.at_us);
        v1::CommandResponse response;
        const bool registers = step.kind == Kind::kRegister;
        grpc::Status status =
            Send(home.plan.id, registers ? std::nullopt : std::optional<uint64_t>(home.version),
                 CommandOf(step), NextRequestId(), &response);
        ASSERT_TRUE(status.ok()) << home.plan.id << " step " << step.seq << ": "
                                 << status.error_message();
        ASSERT_FALSE(response.replayed());
        home.version = response.version();
        Record(home, step);
        home.history.emplace_back(response.position(), home.events.size());
      }
    }
  };

  static std::set<std::string> VillagesUnder(const std::string& unit) {
    std::set<std::string> out;
    for (int c = 0; c < 2; ++c) {
      for (int t = 0; t < 2; ++t) {
        for (int v = 0; v < 3; ++v) {
          const std::string village = Village(c, t, v);
          if (unit == "c" || village.rfind(unit + "-", 0) == 0 || village == unit) {
            out.insert(village);
          }
        }
      }
    }
    return out;
  }

  template <typename Request>
  static void SetPeriod(Request* request, const std::string& unit, int from, int to,
                        std::optional<int> as_of) {
    request->set_unit_subtree(unit);
    request->set_from_day(DayText(from));
    request->set_to_day(DayText(to));
    if (as_of) request->set_as_of_day(DayText(*as_of));
    request->set_min_position(world_->server->log().HeadPosition());
  }

  static v1::MicroHomeStatistics Statistics(const std::string& unit, int from, int to,
                                            std::optional<int> as_of = std::nullopt) {
    v1::GetMicroHomeStatisticsRequest request;
    SetPeriod(&request, unit, from, to, as_of);
    v1::GetMicroHomeStatisticsResponse response;
    grpc::ClientContext context;
    grpc::Status status = world_->homes->GetMicroHomeStatistics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  static v1::MicroHomeCompliance Compliance(const std::string& unit, int from, int to,
                                            std::optional<int> as_of = std::nullopt,
                                            bool short_only = false) {
    v1::GetMicroHomeComplianceRequest request;
    SetPeriod(&request, unit, from, to, as_of);
    request.set_short_only(short_only);
    v1::GetMicroHomeComplianceResponse response;
    grpc::ClientContext context;
    grpc::Status status = world_->homes->GetMicroHomeCompliance(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.compliance();
  }

  template <typename Message>
  static void ExpectEqual(const Message& expected, const Message& actual,
                          const std::string& what) {
    std::string diff;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(expected, actual)) << what << ":\n" << diff;
  }

  static std::string Describe(const std::string& unit, int from, int to, int as_of) {
    return absl::StrCat(unit, " ", DayText(from), "..", DayText(to), " as of ", DayText(as_of));
  }

  // Every (unit, period, as-of) the tests ask about.
  static std::vector<std::tuple<std::string, int, int, int>> Queries(int today) {
    std::vector<std::tuple<std::string, int, int, int>> out;
    const std::vector<std::string> units = {"c", "c-a", "c-b", "c-a-0", "c-b-1", "c-a-1-2"};
    // 2023 H2, 2024, 2024 Q2, March 2024, 2025 to date, all, one day.
    const std::vector<std::pair<int, int>> periods = {
        {181, 364}, {365, 730}, {456, 546}, {425, 455}, {731, kPlanDays}, {0, kPlanDays},
        {500, 500}};
    for (const std::string& unit : units) {
      for (const auto& [from, to] : periods) {
        if (from > today) continue;
        out.emplace_back(unit, from, to, std::min(to, today));
        if (to > 60) out.emplace_back(unit, from, to, std::min(to, today) - 45);
      }
    }
    return out;
  }

  static void ExpectAllQueries(int today) {
    for (const auto& [unit, from, to, as_of] : Queries(today)) {
      const std::set<std::string> villages = VillagesUnder(unit);
      ExpectEqual(ExpectedStatistics(world_->model, villages, from, to, as_of),
                  Statistics(unit, from, to, as_of), Describe(unit, from, to, as_of));
      ExpectEqual(ExpectedCompliance(world_->model, villages, from, to, as_of, false),
                  Compliance(unit, from, to, as_of), Describe(unit, from, to, as_of));
      ExpectEqual(ExpectedCompliance(world_->model, villages, from, to, as_of, true),
                  Compliance(unit, from, to, as_of, true), Describe(unit, from, to, as_of));
    }
  }

  static std::vector<v1::MicroHomeListEntry> ListAll(const std::string& unit,
                                                     v1::MicroHomeKind kind, bool demonstration,
                                                     bool include_closed, uint32_t page_size) {
    std::vector<v1::MicroHomeListEntry> out;
    std::string token;
    do {
      v1::ListMicroHomesRequest request;
      request.set_unit_subtree(unit);
      request.set_kind(kind);
      request.set_demonstration_only(demonstration);
      request.set_include_closed(include_closed);
      request.set_page_size(page_size);
      request.set_page_token(token);
      request.set_min_position(world_->server->log().HeadPosition());
      v1::ListMicroHomesResponse response;
      grpc::ClientContext context;
      grpc::Status status = world_->homes->ListMicroHomes(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& entry : response.micro_homes()) out.push_back(entry);
      token = response.next_page_token();
    } while (!token.empty());
    return out;
  }

  static World* world_;
};

MicroHomeIntegrationTest::World* MicroHomeIntegrationTest::world_ = nullptr;

const int kMidDay = 600;

// Runs first (gtest keeps the order of definition): the as-of answers
// before the rest of the plan, then again after it.
TEST_F(MicroHomeIntegrationTest, AsOfAnswersDoNotChangeWithLaterEvents) {
  world_->RunUntil(kStartUs + kMidDay * kDayUs);
  ASSERT_FALSE(HasFatalFailure());
  std::vector<v1::MicroHomeStatistics> stats_before;
  std::vector<v1::MicroHomeCompliance> compliance_before;
  for (const auto& [unit, from, to, as_of] : Queries(kMidDay - 1)) {
    stats_before.push_back(Statistics(unit, from, to, as_of));
    compliance_before.push_back(Compliance(unit, from, to, as_of));
  }
  ExpectAllQueries(kMidDay - 1);
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ASSERT_FALSE(HasFatalFailure());
  size_t i = 0;
  for (const auto& [unit, from, to, as_of] : Queries(kMidDay - 1)) {
    EXPECT_TRUE(MessageDifferencer::Equals(stats_before[i], Statistics(unit, from, to, as_of)))
        << Describe(unit, from, to, as_of);
    EXPECT_TRUE(
        MessageDifferencer::Equals(compliance_before[i], Compliance(unit, from, to, as_of)))
        << Describe(unit, from, to, as_of);
    ++i;
  }
}

TEST_F(MicroHomeIntegrationTest, StatisticsAndComplianceMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ExpectAllQueries(kPlanDays);
  // The plan exercises what the checks are about.
  const v1::MicroHomeCompliance all = Compliance("c", 365, 730);
  EXPECT_GT(all.demonstration_homes(), 10);
  EXPECT_GT(all.short_of_standard(), 3);
  EXPECT_LT(all.short_of_standard(), all.demonstration_homes());
  const v1::MicroHomeStatistics s = Statistics("c", 0, kPlanDays);
  EXPECT_EQ(s.registered(), kHomes);
  EXPECT_GT(s.titles_recertified(), 2);
  EXPECT_GT(s.titles_revoked(), 2);
  EXPECT_GT(s.closed(), 1);
  EXPECT_GT(Compliance("c", 0, 900).titles_due_size(), 0);
}

TEST_F(MicroHomeIntegrationTest, EveryMicroHomeAndItsHistoryMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const ModelHome& home : world_->model) {
    v1::GetMicroHomeRequest request;
    request.set_unit_id(home.plan.id);
    v1::GetMicroHomeResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(world_->homes->GetMicroHome(&context, request, &response).ok());
    const v1::MicroHomeView& view = response.micro_home();
    const Derived d = Derive(home, 1 << 20);
    EXPECT_EQ(view.version(), home.version) << home.plan.id;
    EXPECT_EQ(view.kind(), home.plan.kind);
    EXPECT_EQ(view.demonstration(), d.demonstration) << home.plan.id;
    EXPECT_EQ(view.closed(), d.closed) << home.plan.id;
    EXPECT_EQ(view.executives_size(), d.executives);
    EXPECT_EQ(view.host().name(), absl::StrCat("女主人", &home - world_->model.data()));
    int64_t activities = 0;
    for (const auto& tally : view.activities()) activities += tally.count();
    EXPECT_EQ(activities, d.activities) << home.plan.id;
    int held = 0;
    for (const auto& t : view.titles()) {
      if (!t.revoked()) {
        ++held;
        EXPECT_EQ(t.expires_at_us(), std::get<1>(d.titles.at(t.title_id())));
      }
    }
    EXPECT_EQ(held, d.held()) << home.plan.id;

    // As of each command's position: the state after that command.
    for (size_t k = 0; k < home.history.size(); k += 7) {
      v1::GetMicroHomeRequest at;
      at.set_unit_id(home.plan.id);
      at.set_as_of_position(home.history[k].first);
      v1::GetMicroHomeResponse then;
      grpc::ClientContext c2;
      ASSERT_TRUE(world_->homes->GetMicroHome(&c2, at, &then).ok());
      const Derived past = Derive(home, 1 << 20, home.history[k].second);
      EXPECT_EQ(then.micro_home().demonstration(), past.demonstration) << home.plan.id << " " << k;
      EXPECT_EQ(then.micro_home().position(), home.history[k].first);
    }

    // The history, a page at a time: one entry per recorded event.
    size_t entries = 0;
    std::string token;
    do {
      v1::GetMicroHomeHistoryRequest h;
      h.set_unit_id(home.plan.id);
      h.set_page_size(40);
      h.set_page_token(token);
      v1::GetMicroHomeHistoryResponse page;
      grpc::ClientContext c3;
      ASSERT_TRUE(world_->homes->GetMicroHomeHistory(&c3, h, &page).ok());
      for (const auto& e : page.entries()) {
        EXPECT_EQ(e.actor(), "operator-1");
        EXPECT_EQ(e.event_type().rfind("microhome.", 0), 0u);
      }
      entries += page.entries_size();
      token = page.next_page_token();
    } while (!token.empty());
    EXPECT_EQ(entries, home.events.size()) << home.plan.id;
  }
}

TEST_F(MicroHomeIntegrationTest, ListsMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const std::string unit : {"c", "c-a", "c-b-1", "c-a-0-1"}) {
    for (bool demonstration : {false, true}) {
      for (bool include_closed : {false, true}) {
        for (int kind : {0, 2}) {
          std::vector<std::pair<int64_t, std::string>> expected;
          for (const ModelHome& home : world_->model) {
            if (VillagesUnder(unit).count(home.plan.village) == 0) continue;
            const Derived d = Derive(home, 1 << 20);
            if (d.closed && !include_closed) continue;
            if (demonstration && !d.demonstration) continue;
            if (kind != 0 && home.plan.kind != kind) continue;
            expected.emplace_back(-home.events.front().recorded_us, home.plan.id);
          }
          std::sort(expected.begin(), expected.end());
          const auto listed = ListAll(unit, static_cast<v1::MicroHomeKind>(kind), demonstration,
                                      include_closed, 4);
          ASSERT_EQ(listed.size(), expected.size()) << unit;
          for (size_t i = 0; i < listed.size(); ++i) {
            EXPECT_EQ(listed[i].unit_id(), expected[i].second);
            const ModelHome& home = *std::find_if(
                world_->model.begin(), world_->model.end(),
                [&](const ModelHome& h) { return h.plan.id == expected[i].second; });
            const Derived d = Derive(home, 1 << 20);
            EXPECT_EQ(listed[i].demonstration(), d.demonstration);
            EXPECT_EQ(listed[i].titles_held(), d.held());
            EXPECT_EQ(listed[i].activities(), d.activities);
            EXPECT_EQ(listed[i].executives(), d.executives);
            EXPECT_EQ(listed[i].version(), home.version);
          }
        }
      }
    }
  }
}

TEST_F(MicroHomeIntegrationTest, RebuildingTheProjectionsChangesNoAnswer) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  std::vector<v1::MicroHomeStatistics> stats_before;
  std::vector<v1::MicroHomeCompliance> compliance_before;
  for (const auto& [unit, from, to, as_of] : Queries(kPlanDays)) {
    stats_before.push_back(Statistics(unit, from, to, as_of));
    compliance_before.push_back(Compliance(unit, from, to, as_of));
  }
  const auto list_before = ListAll("c", v1::MICRO_HOME_KIND_UNSPECIFIED, false, true, 500);
  for (const char* name : {"microhome_list", "microhome_stats"}) {
    ASSERT_TRUE(world_->server->projections().Rebuild(name).ok()) << name;
  }
  size_t i = 0;
  for (const auto& [unit, from, to, as_of] : Queries(kPlanDays)) {
    EXPECT_TRUE(MessageDifferencer::Equals(stats_before[i], Statistics(unit, from, to, as_of)));
    EXPECT_TRUE(
        MessageDifferencer::Equals(compliance_before[i], Compliance(unit, from, to, as_of)));
    ++i;
  }
  const auto list_after = ListAll("c", v1::MICRO_HOME_KIND_UNSPECIFIED, false, true, 500);
  ASSERT_EQ(list_before.size(), list_after.size());
  for (size_t k = 0; k < list_before.size(); ++k) {
    EXPECT_TRUE(MessageDifferencer::Equals(list_before[k], list_after[k]));
  }
}

TEST_F(MicroHomeIntegrationTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  const ModelHome& home = world_->model[0];
  v1::CommandResponse response;
  auto expect = [&](const grpc::Status& status, grpc::StatusCode code, const std::string& prefix) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(status.error_message().rfind(prefix, 0), 0u) << status.error_message();
  };
  v1::MicroHomeCommand c = world_->CommandOf(Step{0, 0, 0, Kind::kRegister});
  c.mutable_register_micro_home()->mutable_host()->set_name("王\xc3");
  expect(world_->Send("c-a-0-wj", std::nullopt, c, world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "register_micro_home.host.name:");
  c = world_->CommandOf(Step{0, 0, 0, Kind::kRegister});
  expect(world_->Send("c-a-0-wj", std::nullopt, c, world_->NextRequestId(), &response),
         grpc::StatusCode::FAILED_PRECONDITION, "unit_level:");
  expect(world_->Send("c-a-0-0", std::nullopt, c, world_->NextRequestId(), &response),
         grpc::StatusCode::FAILED_PRECONDITION, "unit_kind:");
  expect(world_->Send("no-such-unit", std::nullopt, c, world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "unit_id:");
  expect(world_->Send("bad unit", std::nullopt, c, world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "unit_id:");
  v1::MicroHomeCommand a = world_->CommandOf(Step{0, 0, 0, Kind::kActivity, 0, 1, 0});
  expect(world_->Send(home.plan.id, home.version, a, world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "record_activity.attendance:");
  a.mutable_record_activity()->set_attendance(5);
  expect(world_->Send(home.plan.id, std::nullopt, a, world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "expected_version:");
  v1::GetMicroHomeStatisticsRequest bad_period;
  bad_period.set_unit_subtree("c");
  bad_period.set_from_day("2024-02-30");
  bad_period.set_to_day("2024-03-01");
  v1::GetMicroHomeStatisticsResponse stats;
  grpc::ClientContext context;
  expect(world_->homes->GetMicroHomeStatistics(&context, bad_period, &stats),
         grpc::StatusCode::INVALID_ARGUMENT, "from_day:");
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(MicroHomeIntegrationTest, IllegalTransitionsAreFailedPreconditionNamingTheRule) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  int tried = 0;
  for (int i = 0; i < kHomes; ++i) {
    const ModelHome& home = world_->model[i];
    const Derived d = Derive(home, 1 << 20);
    std::string rule;
    Step step{0, i, 0, Kind::kActivity, 0, 1, 10};
    if (d.closed) {
      rule = "micro_home_closed:";
    } else if (d.demonstration) {
      rule = "already_demonstration:";
      step.kind = Kind::kDesignate;
    } else {
      rule = "not_demonstration:";
      step = Step{0, i, 0, Kind::kGrant, 0, v1::TITLE_LEVEL_COUNTY, 0, "county-9"};
    }
    v1::CommandResponse response;
    grpc::Status status = world_->Send(home.plan.id, home.version, world_->CommandOf(step),
                                       world_->NextRequestId(), &response);
    ++tried;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << home.plan.id;
    EXPECT_EQ(status.error_message().rfind(rule, 0), 0u) << status.error_message();
    // Registering again.
    status = world_->Send(home.plan.id, std::nullopt,
                          world_->CommandOf(Step{0, i, 0, Kind::kRegister}),
                          world_->NextRequestId(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  }
  EXPECT_EQ(tried, kHomes);
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(MicroHomeIntegrationTest, ARetriedRequestAnswersWithItsFirstResult) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ModelHome& home = world_->model[1];
  if (Derive(home, 1 << 20).closed) GTEST_SKIP();
  const v1::MicroHomeCommand c = world_->CommandOf(Step{0, 1, 0, Kind::kActivity, 0, 2, 9});
  v1::CommandResponse first, second;
  ASSERT_TRUE(world_->Send(home.plan.id, home.version, c, "retry-me", &first).ok());
  ASSERT_TRUE(world_->Send(home.plan.id, home.version, c, "retry-me", &second).ok());
  EXPECT_EQ(first.position(), second.position());
  EXPECT_TRUE(second.replayed());
  v1::CommandResponse stale;
  EXPECT_EQ(world_->Send(home.plan.id, home.version, c, "another", &stale).error_code(),
            grpc::StatusCode::ABORTED);
  home.version = first.version();
}

}  // namespace
}  // namespace haven::microhomes
