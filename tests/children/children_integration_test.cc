// Children and mentors worked through an in-process havend (HavenServer on
// in-memory stores, a manual clock): 24 mentors and 160 children over 420
// days, registered, paired, visited, supported, paid stipends, checked,
// referred, their pairings ended and remade; every read model (GetChild
// now and as of a position, GetChildHistory, GetMentor, ListChildren,
// GetChildrenStatistics now and as of a past day) checked against a model
// the test keeps on its own; a rebuild changes no answer; later events
// change no as-of answer; bad input and illegal transitions write nothing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
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
#include "haven/children/v1/children_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "services/server/server.h"
#include "storage/clock.h"

namespace haven::children {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int kChildren = 160;
constexpr int kDays = 420;
constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kYuan = 100;

int64_t CstMidnight(int y, int m, int d) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(y, m, d, 0, 0, 0), absl::FixedTimeZone(8 * 3600)));
}
const int64_t kStartUs = CstMidnight(2024, 1, 1);
absl::CivilDay CivilOf(int day) { return absl::CivilDay(2024, 1, 1) + day; }
int DayOfCivil(absl::CivilDay d) { return static_cast<int>(d - absl::CivilDay(2024, 1, 1)); }
std::string DayText(int day) { return absl::FormatCivilTime(CivilOf(day)); }

// Terms computed here, independently of the domain's: September-February
// is "Y-(Y+1)-1", March-August "(Y-1)-Y-2".
std::string TermText(int day) {
  const absl::CivilDay d = CivilOf(day);
  const int y = static_cast<int>(d.year());
  if (d.month() >= 9) return absl::StrCat(y, "-", y + 1, "-1");
  if (d.month() <= 2) return absl::StrCat(y - 1, "-", y, "-1");
  return absl::StrCat(y - 1, "-", y, "-2");
}
// First and last day (test day numbers) of the term holding `day`.
std::pair<int, int> TermSpan(int day) {
  const absl::CivilDay d = CivilOf(day);
  const int y = static_cast<int>(d.year());
  absl::CivilDay first, next;
  if (d.month() >= 9) {
    first = absl::CivilDay(y, 9, 1);
    next = absl::CivilDay(y + 1, 3, 1);
  } else if (d.month() <= 2) {
    first = absl::CivilDay(y - 1, 9, 1);
    next = absl::CivilDay(y, 3, 1);
  } else {
    first = absl::CivilDay(y, 3, 1);
    next = absl::CivilDay(y, 9, 1);
  }
  return {DayOfCivil(first), DayOfCivil(next) - 1};
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
  bool PerMille(int p) { return Below(1000) < p; }

 private:
  uint64_t state_;
};

// ---- The directory: city c, counties c-a and c-b, two townships each,
// three villages per township.
const std::vector<std::string> kCounties = {"c-a", "c-b"};
std::string Township(int county, int t) { return absl::StrCat(kCounties[county], "-", t); }
std::string Village(int county, int t, int v) {
  return absl::StrCat(Township(county, t), "-", v);
}

enum class Kind { kRegister, kPair, kVisit, kMoney, kGoods, kStipend, kCheck, kRefer, kEnd };

// One fact the model keeps, by the test's day number.
struct Fact {
  int day;
  Kind kind;
  int64_t fen = 0;
  int n = 0;                 // pairing no; end reason; check flags
  std::string text;          // mentor id; term
};

struct ModelChild {
  std::string id;
  int county = 0;
  std::string unit;
  v1::ChildCategory category = v1::CHILD_CATEGORY_UNSPECIFIED;
  int64_t registered_at_us = 0;
  std::vector<Fact> facts;
  uint64_t version = 0;
  std::vector<std::pair<uint64_t, v1::ChildStatus>> history;  // (position, status) per command
};

struct ModelMentor {
  std::string id;
  int county = 0;
  std::string unit;
  v1::MentorKind kind = v1::MENTOR_KIND_CADRE;
  int capacity = 1;
  std::set<std::string> children;  // held now
  int taken = 0;
};

struct Derived {
  v1::ChildStatus status = v1::CHILD_STATUS_UNSPECIFIED;
  int pairing_no = 0;
  std::string mentor;
  int awaiting_since = -1;
  int visits = 0;
  int64_t support = 0, stipends = 0;
  std::set<std::string> terms;
};

Derived Derive(const ModelChild& c, int last_day) {
  Derived d;
  for (const Fact& f : c.facts) {
    if (f.day > last_day) break;
    switch (f.kind) {
      case Kind::kRegister:
        d.status = v1::CHILD_STATUS_UNPAIRED;
        break;
      case Kind::kPair:
        d.status = v1::CHILD_STATUS_PAIRED;
        d.pairing_no = f.n;
        d.mentor = f.text;
        d.awaiting_since = -1;
        break;
      case Kind::kVisit:
        ++d.visits;
        break;
      case Kind::kMoney:
      case Kind::kGoods:
        d.support += f.fen;
        break;
      case Kind::kStipend:
        d.stipends += f.fen;
        d.terms.insert(f.text);
        break;
      case Kind::kEnd:
        d.mentor.clear();
        if (f.n == v1::PAIRING_END_REASON_MENTOR_LEFT ||
            f.n == v1::PAIRING_END_REASON_MOVED_WITHIN_AREA) {
          d.status = v1::CHILD_STATUS_AWAITING_NEW_PAIRING;
          d.awaiting_since = f.day;
        } else {
          d.status = v1::CHILD_STATUS_CARE_ENDED;
        }
        break;
      case Kind::kCheck:
      case Kind::kRefer:
        break;
    }
  }
  return d;
}

template <typename Enum>
void AddCount(std::map<int, int64_t>& counts, Enum e) {
  ++counts[static_cast<int>(e)];
}

// The statistics the model expects over `units` (children's and mentors'
// units) for days [from, to] as of `as_of`, "awaiting more than n days".
v1::ChildrenStatistics Expected(const std::vector<ModelChild>& children,
                                const std::vector<ModelMentor>& mentors,
                                const std::set<std::string>& units, int from, int to, int as_of,
                                int n) {
  v1::ChildrenStatistics s;
  const int end = std::min(to, as_of);
  s.set_from_day(DayText(from));
  s.set_to_day(DayText(end));
  s.set_as_of_day(DayText(as_of));
  s.set_awaiting_days(n);
  std::map<int, int64_t> categories, kinds, reasons;
  for (const ModelMentor& m : mentors) {
    // Every mentor is registered on day 0.
    if (units.count(m.unit) == 0 || from > 0 || end < 0) continue;
    s.set_mentors_registered(s.mentors_registered() + 1);
    AddCount(kinds, m.kind);
  }
  // Terms overlapping [from, end], with their part of the period.
  std::vector<std::pair<int, int>> parts;
  for (int d = from; d <= end;) {
    const auto [first, last] = TermSpan(d);
    parts.emplace_back(std::max(first, from), std::min(last, end));
    d = last + 1;
  }
  std::vector<std::pair<int64_t, int64_t>> term_counts(parts.size());  // visits, active
  for (const ModelChild& c : children) {
    if (units.count(c.unit) == 0) continue;
    for (const Fact& f : c.facts) {
      for (size_t t = 0; t < parts.size(); ++t) {
        if (f.day < parts[t].first || f.day > parts[t].second) continue;
        if (f.kind == Kind::kVisit) ++term_counts[t].first;
        if (f.kind == Kind::kPair) ++term_counts[t].second;
      }
      if (f.day < from || f.day > end) continue;
      switch (f.kind) {
        case Kind::kRegister:
          s.set_registered(s.registered() + 1);
          AddCount(categories, c.category);
          break;
        case Kind::kPair:
          s.set_paired(s.paired() + 1);
          if (f.n > 1) s.set_re_paired(s.re_paired() + 1);
          break;
        case Kind::kVisit:
          s.set_visits(s.visits() + 1);
          break;
        case Kind::kMoney:
          s.set_money_deliveries(s.money_deliveries() + 1);
          s.set_money_fen(s.money_fen() + f.fen);
          break;
        case Kind::kGoods:
          s.set_goods_deliveries(s.goods_deliveries() + 1);
          s.set_goods_fen(s.goods_fen() + f.fen);
          break;
        case Kind::kStipend:
          s.set_stipends(s.stipends() + 1);
          s.set_stipend_fen(s.stipend_fen() + f.fen);
          break;
        case Kind::kCheck:
          s.set_status_checks(s.status_checks() + 1);
          if (f.n & 1) s.set_checks_in_hardship(s.checks_in_hardship() + 1);
          if (f.n & 2) s.set_checks_out_of_school(s.checks_out_of_school() + 1);
          break;
        case Kind::kRefer:
          s.set_counselling_referrals(s.counselling_referrals() + 1);
          break;
        case Kind::kEnd:
          s.set_pairings_ended(s.pairings_ended() + 1);
          ++reasons[f.n];
          if (f.n != v1::PAIRING_END_REASON_MENTOR_LEFT &&
              f.n != v1::PAIRING_END_REASON_MOVED_WITHIN_AREA) {
            s.set_care_ended(s.care_ended() + 1);
          }
          break;
      }
    }
    const Derived at_end = Derive(c, end);
    switch (at_end.status) {
      case v1::CHILD_STATUS_UNPAIRED:
        s.set_unpaired_at_end(s.unpaired_at_end() + 1);
        break;
      case v1::CHILD_STATUS_PAIRED:
        s.set_paired_at_end(s.paired_at_end() + 1);
        break;
      case v1::CHILD_STATUS_AWAITING_NEW_PAIRING:
        s.set_awaiting_at_end(s.awaiting_at_end() + 1);
        if (end - at_end.awaiting_since > n) {
          s.set_awaiting_over_days_at_end(s.awaiting_over_days_at_end() + 1);
        }
        break;
      default:
        break;
    }
    if (Derive(c, std::min(from - 1, as_of)).status == v1::CHILD_STATUS_PAIRED) {
      s.set_pairings_active(s.pairings_active() + 1);
    }
    for (size_t t = 0; t < parts.size(); ++t) {
      if (Derive(c, parts[t].first - 1).status == v1::CHILD_STATUS_PAIRED) {
        ++term_counts[t].second;
      }
    }
  }
  s.set_in_care_at_end(s.unpaired_at_end() + s.paired_at_end() + s.awaiting_at_end());
  s.set_pairings_active(s.pairings_active() + s.paired());
  auto ratio = [](int64_t a, int64_t b) { return b == 0 ? 0.0 : double(a) / double(b); };
  s.set_visits_per_pairing(ratio(s.visits(), s.pairings_active()));
  for (const auto& [c, count] : categories) {
    auto* out = s.add_registered_by_category();
    out->set_category(static_cast<v1::ChildCategory>(c));
    out->set_count(count);
  }
  for (const auto& [k, count] : kinds) {
    auto* out = s.add_mentors_by_kind();
    out->set_kind(static_cast<v1::MentorKind>(k));
    out->set_count(count);
  }
  for (const auto& [r, count] : reasons) {
    auto* out = s.add_ended_by_reason();
    out->set_reason(static_cast<v1::PairingEndReason>(r));
    out->set_count(count);
  }
  for (size_t t = 0; t < parts.size(); ++t) {
    auto* out = s.add_visits_by_term();
    out->set_term(TermText(parts[t].first));
    out->set_from_day(DayText(parts[t].first));
    out->set_to_day(DayText(parts[t].second));
    out->set_visits(term_counts[t].first);
    out->set_pairings_active(term_counts[t].second);
    out->set_visits_per_pairing(ratio(term_counts[t].first, term_counts[t].second));
  }
  return s;
}

class ChildrenIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
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
    std::unique_ptr<v1::ChildrenService::Stub> stub;
    std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
    std::vector<ModelChild> children;
    std::vector<ModelMentor> mentors;
    Rng rng{20240101};
    int next_day = 0;
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
      stub = v1::ChildrenService::NewStub(channel);
      directory = directory::v1::DirectoryService::NewStub(channel);
      CreateDirectory();
      RegisterMentors();
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
    }

    template <typename Request, typename Rpc>
    grpc::Status Call(Rpc rpc, const Request& request, v1::CommandResponse* response) {
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "operator-1");
      return ((*stub).*rpc)(&context, request, response);
    }

    void RegisterMentors() {
      const v1::MentorKind kinds[] = {v1::MENTOR_KIND_CADRE, v1::MENTOR_KIND_CADRE,
                                      v1::MENTOR_KIND_CARING_MOTHER, v1::MENTOR_KIND_PROXY_PARENT,
                                      v1::MENTOR_KIND_CHARITY_VOLUNTEER};
      for (int i = 0; i < 24; ++i) {
        ModelMentor m;
        m.id = absl::StrCat("mentor-", i);
        m.county = i % 2;
        m.kind = kinds[i % 5];
        m.capacity = m.kind == v1::MENTOR_KIND_CHARITY_VOLUNTEER ? 3 : 1;
        // Cadres of the county federation; the others in a township.
        m.unit = m.kind == v1::MENTOR_KIND_CADRE ? kCounties[m.county]
                                                 : Township(m.county, (i / 2) % 2);
        v1::RegisterMentorRequest request;
        request.set_request_id(NextRequestId());
        request.set_mentor_id(m.id);
        v1::RegisterMentor* r = request.mutable_register_mentor();
        r->set_kind(m.kind);
        r->mutable_mentor()->set_name(absl::StrCat("导师", i));
        r->set_unit_id(m.unit);
        r->set_capacity(m.capacity);
        v1::CommandResponse response;
        grpc::Status status = Call(&v1::ChildrenService::Stub::RegisterMentor, request, &response);
        ASSERT_TRUE(status.ok()) << status.error_message();
        mentors.push_back(m);
      }
    }

    // Sends a child command; on success the model records `fact`.
    void Send(ModelChild& c, const v1::ChildCommand& command, Fact fact) {
      v1::CommandResponse response;
      grpc::Status status = SendRaw(c.id, c.version, command, NextRequestId(), &response);
      ASSERT_TRUE(status.ok()) << c.id << " " << static_cast<int>(fact.kind) << ": "
                               << status.error_message();
      ASSERT_FALSE(response.replayed());
      c.version = response.version();
      c.facts.push_back(fact);
      c.history.emplace_back(response.position(), Derive(c, 1 << 20).status);
    }

    grpc::Status SendRaw(const std::string& id, std::optional<uint64_t> expected,
                         const v1::ChildCommand& command, const std::string& request_id,
                         v1::CommandResponse* response) {
      using S = v1::ChildrenService::Stub;
      using C = v1::ChildCommand;
      auto fill = [&](auto& request) {
        request.set_request_id(request_id);
        request.set_child_id(id);
        if (expected) request.set_expected_version(*expected);
      };
      switch (command.command_case()) {
#define HAVEN_SEND(Case, Rpc, member)                  \
  case C::Case: {                                      \
    v1::Rpc##Request request;                          \
    fill(request);                                     \
    *request.mutable_##member() = command.member();    \
    return Call(&S::Rpc, request, response);           \
  }
        HAVEN_SEND(kPairChild, PairChild, pair_child)
        HAVEN_SEND(kRecordVisit, RecordVisit, record_visit)
        HAVEN_SEND(kDeliverSupport, DeliverSupport, deliver_support)
        HAVEN_SEND(kPayStipend, PayStipend, pay_stipend)
        HAVEN_SEND(kCheckStatus, CheckStatus, check_status)
        HAVEN_SEND(kReferCounselling, ReferCounselling, refer_counselling)
        HAVEN_SEND(kEndPairing, EndPairing, end_pairing)
#undef HAVEN_SEND
        case C::kRegisterChild: {
          v1::RegisterChildRequest request;
          request.set_request_id(request_id);
          request.set_child_id(id);
          *request.mutable_register_child() = command.register_child();
          return Call(&S::RegisterChild, request, response);
        }
        case C::COMMAND_NOT_SET:
          break;
      }
      return grpc::Status(grpc::StatusCode::INTERNAL, "no command");
    }

    static v1::ChildCommand RegisterCommand(const ModelChild& c, int i) {
      v1::ChildCommand command;
      v1::RegisterChild* r = command.mutable_register_child();
      r->set_category(c.category);
      r->mutable_child()->set_name(absl::StrCat("儿童", i));
      r->mutable_child()->set_birth_date(absl::FormatCivilTime(absl::CivilDay(2009 + i % 9, 5, 1)));
      r->mutable_child()->set_girl(i % 2 == 0);
      r->mutable_child()->mutable_guardian()->set_name(absl::StrCat("监护人", i));
      r->mutable_child()->mutable_guardian()->set_relationship("祖母");
      r->set_unit_id(c.unit);
      return command;
    }

    // A free mentor of the child's county, or nullptr.
    ModelMentor* FreeMentor(int county) {
      std::vector<ModelMentor*> free;
      for (ModelMentor& m : mentors) {
        if (m.county == county && static_cast<int>(m.children.size()) < m.capacity) {
          free.push_back(&m);
        }
      }
      return free.empty() ? nullptr : free[rng.Below(static_cast<int>(free.size()))];
    }

    void Day(int day) {
      auto at = [&](int hour) { clock->Set(kStartUs + day * kDayUs + hour * kHourUs); };
      // Registrations in the first 300 days.
      if (children.size() < kChildren && day < 300 && rng.Below(100) < 60) {
        at(9);
        ModelChild c;
        const int i = static_cast<int>(children.size());
        c.id = absl::StrCat("child-", i);
        c.county = rng.Below(2);
        c.unit = Village(c.county, rng.Below(2), rng.Below(3));
        const v1::ChildCategory categories[] = {
            v1::CHILD_CATEGORY_LEFT_BEHIND, v1::CHILD_CATEGORY_LEFT_BEHIND,
            v1::CHILD_CATEGORY_LEFT_BEHIND, v1::CHILD_CATEGORY_MIGRANT,
            v1::CHILD_CATEGORY_SINGLE_PARENT, v1::CHILD_CATEGORY_ORPHAN};
        c.category = categories[rng.Below(6)];
        children.push_back(c);
        ModelChild& added = children.back();
        added.registered_at_us = kStartUs + day * kDayUs + 9 * kHourUs;
        // Registration creates: no expected version.
        v1::CommandResponse response;
        grpc::Status status =
            SendRaw(added.id, std::nullopt, RegisterCommand(added, i), NextRequestId(), &response);
        ASSERT_TRUE(status.ok()) << status.error_message();
        added.version = response.version();
        added.facts.push_back(Fact{day, Kind::kRegister});
        added.history.emplace_back(response.position(), v1::CHILD_STATUS_UNPAIRED);
      }
      for (ModelChild& c : children) {
        const Derived d = Derive(c, day);
        if (d.status == v1::CHILD_STATUS_CARE_ENDED) continue;
        if ((d.status == v1::CHILD_STATUS_UNPAIRED ||
             d.status == v1::CHILD_STATUS_AWAITING_NEW_PAIRING) &&
            rng.Below(100) < 8) {
          if (ModelMentor* m = FreeMentor(c.county)) {
            at(10);
            v1::ChildCommand command;
            command.mutable_pair_child()->set_mentor_id(m->id);
            Send(c, command, Fact{day, Kind::kPair, 0, d.pairing_no + 1, m->id});
            m->children.insert(c.id);
            ++m->taken;
          }
          continue;
        }
        if (d.status == v1::CHILD_STATUS_PAIRED) {
          if (rng.Below(100) < 5) {
            at(11);
            v1::ChildCommand command;
            command.mutable_record_visit()->set_pairing_no(d.pairing_no);
            command.mutable_record_visit()->set_kind(v1::VISIT_KIND_HOME);
            Send(c, command, Fact{day, Kind::kVisit});
          }
          const std::string term = TermText(day);
          if (d.terms.count(term) == 0 && rng.Below(100) < 3) {
            at(12);
            v1::ChildCommand command;
            command.mutable_pay_stipend()->set_pairing_no(d.pairing_no);
            command.mutable_pay_stipend()->set_term(term);
            command.mutable_pay_stipend()->set_amount_fen(1'200 * kYuan);
            Send(c, command, Fact{day, Kind::kStipend, 1'200 * kYuan, 0, term});
          }
          if (rng.PerMille(6)) {
            at(15);
            const v1::PairingEndReason reasons[] = {
                v1::PAIRING_END_REASON_MENTOR_LEFT, v1::PAIRING_END_REASON_MENTOR_LEFT,
                v1::PAIRING_END_REASON_MOVED_WITHIN_AREA, v1::PAIRING_END_REASON_MOVED_AWAY,
                v1::PAIRING_END_REASON_RETURNED_TO_PARENTS};
            const v1::PairingEndReason reason = reasons[rng.Below(5)];
            v1::ChildCommand command;
            command.mutable_end_pairing()->set_pairing_no(d.pairing_no);
            command.mutable_end_pairing()->set_reason(reason);
            Send(c, command, Fact{day, Kind::kEnd, 0, reason});
            for (ModelMentor& m : mentors) m.children.erase(c.id);
            continue;
          }
        }
        if (rng.PerMille(15)) {
          at(13);
          const bool goods = rng.Below(2) == 0;
          const int64_t fen = (200 + rng.Below(800)) * kYuan + rng.Below(100);
          v1::ChildCommand command;
          command.mutable_deliver_support()->set_kind(goods ? v1::SUPPORT_KIND_GOODS
                                                            : v1::SUPPORT_KIND_MONEY);
          command.mutable_deliver_support()->set_amount_fen(fen);
          if (goods) command.mutable_deliver_support()->set_goods("冬衣、书包");
          Send(c, command, Fact{day, goods ? Kind::kGoods : Kind::kMoney, fen});
        }
        if (rng.PerMille(10)) {
          at(14);
          const int flags = rng.Below(4);
          v1::ChildCommand command;
          command.mutable_check_status()->set_living((flags & 1) ? v1::LIVING_STATUS_HARDSHIP
                                                                 : v1::LIVING_STATUS_GOOD);
          command.mutable_check_status()->set_schooling(
              (flags & 2) ? v1::SCHOOLING_STATUS_AT_RISK : v1::SCHOOLING_STATUS_IN_SCHOOL);
          Send(c, command, Fact{day, Kind::kCheck, 0, flags});
        }
        if (rng.PerMille(2)) {
          at(16);
          v1::ChildCommand command;
          command.mutable_refer_counselling()->set_centre("县未成年人心理健康辅导中心");
          command.mutable_refer_counselling()->set_concern("情绪低落");
          Send(c, command, Fact{day, Kind::kRefer});
        }
      }
    }

    void RunUntil(int day) {
      for (; next_day < day; ++next_day) {
        Day(next_day);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  };

  static std::set<std::string> UnitsUnder(const std::string& unit) {
    std::set<std::string> out = {"c"};
    for (int c = 0; c < 2; ++c) {
      out.insert(kCounties[c]);
      for (int t = 0; t < 2; ++t) {
        out.insert(Township(c, t));
        for (int v = 0; v < 3; ++v) out.insert(Village(c, t, v));
      }
    }
    std::set<std::string> under;
    for (const std::string& u : out) {
      if (unit == "c" || u == unit || u.rfind(unit + "-", 0) == 0) under.insert(u);
    }
    return under;
  }

  static v1::ChildrenStatistics Statistics(const std::string& unit, int from, int to,
                                           std::optional<int> as_of, int n) {
    v1::GetChildrenStatisticsRequest request;
    request.set_unit_subtree(unit);
    request.set_from_day(DayText(from));
    request.set_to_day(DayText(to));
    if (as_of) request.set_as_of_day(DayText(*as_of));
    request.set_awaiting_days(n);
    request.set_min_position(world_->server->log().HeadPosition());
    v1::GetChildrenStatisticsResponse response;
    grpc::ClientContext context;
    grpc::Status status = world_->stub->GetChildrenStatistics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  static void ExpectStatistics(const std::string& unit, int from, int to, int as_of, int n) {
    const v1::ChildrenStatistics expected = Expected(world_->children, world_->mentors,
                                                     UnitsUnder(unit), from, to, as_of, n);
    const v1::ChildrenStatistics actual = Statistics(unit, from, to, as_of, n);
    std::string diff;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(expected, actual))
        << unit << " " << DayText(from) << ".." << DayText(to) << " as of " << DayText(as_of)
        << " n=" << n << ":\n"
        << diff;
  }

  static std::vector<std::tuple<std::string, int, int, int, int>> Queries(int today) {
    std::vector<std::tuple<std::string, int, int, int, int>> out;
    const std::vector<std::string> units = {"c", "c-a", "c-b", "c-a-0", "c-b-1-2"};
    const std::vector<std::pair<int, int>> periods = {
        {0, 365}, {0, 30}, {60, 240}, {250, 250}, {300, kDays}};
    for (const std::string& unit : units) {
      for (const auto& [from, to] : periods) {
        out.emplace_back(unit, from, to, std::min(to, today), 30);
        out.emplace_back(unit, from, to, std::min(to, today), 7);
        if (to > 60) out.emplace_back(unit, from, to, std::min(to, today) - 40, 30);
      }
    }
    return out;
  }

  static std::vector<v1::ChildListEntry> ListAll(const std::string& unit,
                                                 const std::vector<v1::ChildStatus>& statuses,
                                                 uint32_t page_size) {
    std::vector<v1::ChildListEntry> out;
    std::string token;
    do {
      v1::ListChildrenRequest request;
      request.set_unit_subtree(unit);
      for (auto s : statuses) request.add_statuses(s);
      request.set_page_size(page_size);
      request.set_page_token(token);
      request.set_min_position(world_->server->log().HeadPosition());
      v1::ListChildrenResponse response;
      grpc::ClientContext context;
      grpc::Status status = world_->stub->ListChildren(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& entry : response.children()) out.push_back(entry);
      token = response.next_page_token();
    } while (!token.empty());
    return out;
  }

  static World* world_;
};

ChildrenIntegrationTest::World* ChildrenIntegrationTest::world_ = nullptr;

constexpr int kMidDay = 250;

TEST_F(ChildrenIntegrationTest, AsOfAnswersDoNotChangeWithLaterEvents) {
  world_->RunUntil(kMidDay);
  ASSERT_FALSE(HasFatalFailure());
  std::vector<v1::ChildrenStatistics> before;
  for (const auto& [unit, from, to, as_of, n] : Queries(kMidDay - 1)) {
    ExpectStatistics(unit, from, to, as_of, n);
    before.push_back(Statistics(unit, from, to, as_of, n));
  }
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  size_t i = 0;
  for (const auto& [unit, from, to, as_of, n] : Queries(kMidDay - 1)) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i++], Statistics(unit, from, to, as_of, n)))
        << unit << " " << from << ".." << to << " as of " << as_of;
  }
}

TEST_F(ChildrenIntegrationTest, StatisticsMatchTheModel) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  for (const auto& [unit, from, to, as_of, n] : Queries(kDays)) {
    ExpectStatistics(unit, from, to, as_of, n);
  }
  const v1::ChildrenStatistics county = Statistics("c-a", 0, 365, std::nullopt, 30);
  std::printf(
      "county c-a 2024: registered=%ld paired=%ld re_paired=%ld awaiting_at_end=%ld "
      "awaiting_over_30=%ld visits_per_pairing=%.2f support_yuan=%ld stipends=%ld\n",
      static_cast<long>(county.registered()), static_cast<long>(county.paired()),
      static_cast<long>(county.re_paired()), static_cast<long>(county.awaiting_at_end()),
      static_cast<long>(county.awaiting_over_days_at_end()), county.visits_per_pairing(),
      static_cast<long>((county.money_fen() + county.goods_fen()) / kYuan),
      static_cast<long>(county.stipends()));
  EXPECT_GT(county.paired(), 30);
  EXPECT_GT(county.re_paired(), 0);
  const v1::ChildrenStatistics city = Statistics("c", 0, kDays, std::nullopt, 30);
  EXPECT_GT(city.awaiting_at_end() + city.care_ended(), 0);
}

TEST_F(ChildrenIntegrationTest, EveryChildAndHerHistoryMatchTheModel) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  for (const ModelChild& c : world_->children) {
    v1::GetChildRequest request;
    request.set_child_id(c.id);
    v1::GetChildResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(world_->stub->GetChild(&context, request, &response).ok());
    const v1::ChildView& view = response.child();
    const Derived d = Derive(c, 1 << 20);
    EXPECT_EQ(view.status(), d.status) << c.id;
    EXPECT_EQ(view.version(), c.version);
    EXPECT_EQ(view.unit_id(), c.unit);
    EXPECT_EQ(view.category(), c.category);
    EXPECT_EQ(view.pairings_size(), d.pairing_no);
    EXPECT_EQ(view.support_money_fen() + view.support_goods_fen(), d.support);
    EXPECT_EQ(view.stipend_fen(), d.stipends);
    EXPECT_EQ(view.stipend_terms_size(), static_cast<int>(d.terms.size()));
    int visits = 0;
    for (const auto& p : view.pairings()) visits += p.visits();
    EXPECT_EQ(visits, d.visits);
    if (d.status == v1::CHILD_STATUS_PAIRED) {
      EXPECT_EQ(view.pairings().rbegin()->mentor_id(), d.mentor);
      EXPECT_EQ(view.pairings().rbegin()->ended_at_us(), 0);
    }
    EXPECT_EQ(view.child().name(), absl::StrCat("儿童", &c - world_->children.data()));
    for (size_t k = 0; k < c.history.size(); k += 4) {
      v1::GetChildRequest at;
      at.set_child_id(c.id);
      at.set_as_of_position(c.history[k].first);
      v1::GetChildResponse then;
      grpc::ClientContext c2;
      ASSERT_TRUE(world_->stub->GetChild(&c2, at, &then).ok());
      EXPECT_EQ(then.child().status(), c.history[k].second) << c.id << " #" << k;
      EXPECT_EQ(then.child().version(), k);
    }
    v1::GetChildHistoryRequest history_request;
    history_request.set_child_id(c.id);
    history_request.set_page_size(5);
    size_t seen = 0;
    do {
      v1::GetChildHistoryResponse page;
      grpc::ClientContext c3;
      ASSERT_TRUE(world_->stub->GetChildHistory(&c3, history_request, &page).ok());
      for (const auto& entry : page.entries()) {
        ASSERT_LT(seen, c.facts.size());
        EXPECT_EQ(entry.version(), seen);
        EXPECT_EQ(entry.actor(), "operator-1");
        EXPECT_EQ((entry.recorded_at_us() - kStartUs) / kDayUs, c.facts[seen].day);
        ++seen;
      }
      history_request.set_page_token(page.next_page_token());
    } while (!history_request.page_token().empty());
    EXPECT_EQ(seen, c.facts.size()) << c.id;
  }
}

TEST_F(ChildrenIntegrationTest, MentorsHoldThePlacesTheirPairingsTake) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  for (const ModelMentor& m : world_->mentors) {
    v1::GetMentorRequest request;
    request.set_mentor_id(m.id);
    v1::GetMentorResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(world_->stub->GetMentor(&context, request, &response).ok());
    const std::set<std::string> held(response.mentor().child_ids().begin(),
                                     response.mentor().child_ids().end());
    EXPECT_EQ(held, m.children) << m.id;
    EXPECT_EQ(response.mentor().pairings_taken(), m.taken) << m.id;
    EXPECT_LE(static_cast<int>(held.size()), m.capacity);
  }
}

TEST_F(ChildrenIntegrationTest, ListsMatchTheModel) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  const std::vector<std::vector<v1::ChildStatus>> filters = {
      {},
      {v1::CHILD_STATUS_AWAITING_NEW_PAIRING},
      {v1::CHILD_STATUS_PAIRED, v1::CHILD_STATUS_UNPAIRED},
      {v1::CHILD_STATUS_CARE_ENDED}};
  for (const std::string unit : {"c", "c-b", "c-a-1", "c-b-0-2"}) {
    const std::set<std::string> units = UnitsUnder(unit);
    for (const auto& statuses : filters) {
      std::vector<std::tuple<int64_t, std::string>> expected;  // (-registered_at, id)
      for (const ModelChild& c : world_->children) {
        if (units.count(c.unit) == 0) continue;
        const Derived d = Derive(c, 1 << 20);
        if (!statuses.empty() &&
            std::find(statuses.begin(), statuses.end(), d.status) == statuses.end()) {
          continue;
        }
        expected.emplace_back(-c.registered_at_us, c.id);
      }
      std::sort(expected.begin(), expected.end());
      for (uint32_t page_size : {7u, 500u}) {
        const auto listed = ListAll(unit, statuses, page_size);
        ASSERT_EQ(listed.size(), expected.size()) << unit << " page " << page_size;
        for (size_t i = 0; i < listed.size(); ++i) {
          EXPECT_EQ(listed[i].child_id(), std::get<1>(expected[i])) << unit << " #" << i;
        }
      }
    }
  }
}

TEST_F(ChildrenIntegrationTest, RebuildingTheProjectionsChangesNoAnswer) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  std::vector<v1::ChildrenStatistics> stats_before;
  for (const auto& [unit, from, to, as_of, n] : Queries(kDays)) {
    stats_before.push_back(Statistics(unit, from, to, as_of, n));
  }
  const auto list_before = ListAll("c", {}, 500);
  for (const char* name : {"child_list", "child_stats"}) {
    ASSERT_TRUE(world_->server->projections().Rebuild(name).ok()) << name;
  }
  size_t i = 0;
  for (const auto& [unit, from, to, as_of, n] : Queries(kDays)) {
    EXPECT_TRUE(
        MessageDifferencer::Equals(stats_before[i++], Statistics(unit, from, to, as_of, n)));
  }
  const auto list_after = ListAll("c", {}, 500);
  ASSERT_EQ(list_before.size(), list_after.size());
  for (size_t k = 0; k < list_before.size(); ++k) {
    EXPECT_TRUE(MessageDifferencer::Equals(list_before[k], list_after[k]));
  }
}

TEST_F(ChildrenIntegrationTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  const uint64_t head = world_->server->log().HeadPosition();
  ModelChild probe;
  for (const ModelChild& c : world_->children) {
    if (Derive(c, 1 << 20).status == v1::CHILD_STATUS_PAIRED) probe = c;
  }
  v1::ChildCommand c = World::RegisterCommand(probe, 0);
  c.mutable_register_child()->mutable_child()->set_name("刘\xc3");
  v1::CommandResponse response;
  grpc::Status status =
      world_->SendRaw("child-bad-utf8", std::nullopt, c, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("register_child.child.name:", 0), 0u)
      << status.error_message();

  c = World::RegisterCommand(probe, 0);
  c.mutable_register_child()->set_unit_id("c-a");
  status = world_->SendRaw("child-in-a-county", std::nullopt, c, world_->NextRequestId(),
                           &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message().rfind("unit_level:", 0), 0u) << status.error_message();

  v1::ChildCommand stipend;
  stipend.mutable_pay_stipend()->set_pairing_no(1);
  stipend.mutable_pay_stipend()->set_term("2024-2024-1");
  stipend.mutable_pay_stipend()->set_amount_fen(100);
  status = world_->SendRaw(probe.id, probe.version, stipend, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("pay_stipend.term:", 0), 0u) << status.error_message();

  status = world_->SendRaw("Child 1", 0, stipend, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("child_id:", 0), 0u) << status.error_message();

  v1::GetChildrenStatisticsRequest bad_stats;
  bad_stats.set_unit_subtree("c");
  bad_stats.set_from_day("2024-02-30");
  bad_stats.set_to_day("2024-03-01");
  v1::GetChildrenStatisticsResponse stats_response;
  grpc::ClientContext context;
  status = world_->stub->GetChildrenStatistics(&context, bad_stats, &stats_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("from_day:", 0), 0u) << status.error_message();
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(ChildrenIntegrationTest, IllegalTransitionsAreFailedPreconditionNamingTheRule) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  const uint64_t head = world_->server->log().HeadPosition();
  std::map<std::string, int> tried;
  for (const ModelChild& c : world_->children) {
    const Derived d = Derive(c, 1 << 20);
    v1::ChildCommand command;
    std::string rule;
    if (d.status == v1::CHILD_STATUS_CARE_ENDED) {
      rule = "care_ended";
      command.mutable_check_status()->set_living(v1::LIVING_STATUS_GOOD);
      command.mutable_check_status()->set_schooling(v1::SCHOOLING_STATUS_IN_SCHOOL);
    } else if (d.status == v1::CHILD_STATUS_PAIRED && !d.terms.empty() &&
               tried["stipend_term_paid"] < 5) {
      rule = "stipend_term_paid";
      command.mutable_pay_stipend()->set_pairing_no(d.pairing_no);
      command.mutable_pay_stipend()->set_term(*d.terms.rbegin());
      command.mutable_pay_stipend()->set_amount_fen(1'200 * kYuan);
      if (TermText(kDays) != *d.terms.rbegin() &&
          TermSpan(kDays).first > TermSpan(kDays - 1).first) {
        continue;
      }
    } else if (d.status == v1::CHILD_STATUS_PAIRED) {
      rule = "child_already_paired";
      command.mutable_pair_child()->set_mentor_id(world_->mentors[c.county].id);
    } else if (d.status == v1::CHILD_STATUS_AWAITING_NEW_PAIRING) {
      rule = "pairing_ended";
      command.mutable_record_visit()->set_pairing_no(d.pairing_no);
      command.mutable_record_visit()->set_kind(v1::VISIT_KIND_CALL);
    } else {
      continue;
    }
    v1::CommandResponse response;
    grpc::Status status =
        world_->SendRaw(c.id, c.version, command, world_->NextRequestId(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << c.id;
    EXPECT_EQ(status.error_message().rfind(rule + ":", 0), 0u) << status.error_message();
    ++tried[rule];
  }
  EXPECT_GT(tried["child_already_paired"], 5);
  EXPECT_GT(tried["care_ended"] + tried["pairing_ended"], 3);
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(ChildrenIntegrationTest, AFullMentorTakesNoOneAndAStalePairingGivesHerPlaceBack) {
  world_->RunUntil(kDays + 1);
  ASSERT_FALSE(HasFatalFailure());
  // A new child in county a, and a one-place mentor of county a.
  ModelChild c;
  c.id = "child-extra";
  c.county = 0;
  c.unit = Village(0, 0, 0);
  c.category = v1::CHILD_CATEGORY_ORPHAN;
  v1::CommandResponse response;
  ASSERT_TRUE(world_->SendRaw(c.id, std::nullopt, World::RegisterCommand(c, 7),
                              world_->NextRequestId(), &response)
                  .ok());
  const uint64_t version = response.version();
  v1::RegisterMentorRequest mentor;
  mentor.set_request_id(world_->NextRequestId());
  mentor.set_mentor_id("mentor-extra");
  mentor.mutable_register_mentor()->set_kind(v1::MENTOR_KIND_CARING_MOTHER);
  mentor.mutable_register_mentor()->mutable_mentor()->set_name("爱心妈妈");
  mentor.mutable_register_mentor()->set_unit_id("c-a");
  ASSERT_TRUE(
      world_->Call(&v1::ChildrenService::Stub::RegisterMentor, mentor, &response).ok());

  // A stale expected version: ABORTED, and the place taken for it is back.
  v1::ChildCommand pair;
  pair.mutable_pair_child()->set_mentor_id("mentor-extra");
  grpc::Status status =
      world_->SendRaw(c.id, version + 1, pair, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  auto held = [&]() {
    v1::GetMentorRequest request;
    request.set_mentor_id("mentor-extra");
    v1::GetMentorResponse got;
    grpc::ClientContext context;
    EXPECT_TRUE(world_->stub->GetMentor(&context, request, &got).ok());
    return got.mentor().child_ids_size();
  };
  EXPECT_EQ(held(), 0);

  ASSERT_TRUE(world_->SendRaw(c.id, version, pair, "pair-extra", &response).ok());
  EXPECT_EQ(held(), 1);
  // A retry answers with the first result and takes no second place.
  v1::CommandResponse again;
  ASSERT_TRUE(world_->SendRaw(c.id, version, pair, "pair-extra", &again).ok());
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(held(), 1);

  // She is full: another child of the county cannot have her.
  int refused = 0;
  for (const ModelChild& other : world_->children) {
    const v1::ChildStatus now = Derive(other, 1 << 20).status;
    if (other.county != 0 || (now != v1::CHILD_STATUS_UNPAIRED &&
                              now != v1::CHILD_STATUS_AWAITING_NEW_PAIRING)) {
      continue;
    }
    ++refused;
    const uint64_t head = world_->server->log().HeadPosition();
    status = world_->SendRaw(other.id, other.version, pair, world_->NextRequestId(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(status.error_message().rfind("mentor_full:", 0), 0u) << status.error_message();
    EXPECT_EQ(world_->server->log().HeadPosition(), head);
    break;
  }
  EXPECT_EQ(refused, 1);

  // Ending gives the place back.
  v1::ChildCommand end;
  end.mutable_end_pairing()->set_pairing_no(1);
  end.mutable_end_pairing()->set_reason(v1::PAIRING_END_REASON_MENTOR_LEFT);
  ASSERT_TRUE(
      world_->SendRaw(c.id, response.version(), end, world_->NextRequestId(), &response).ok());
  EXPECT_EQ(held(), 0);
}

}  // namespace
}  // namespace haven::children
