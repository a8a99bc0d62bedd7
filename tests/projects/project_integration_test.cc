// Forty funded projects worked through an in-process havend (HavenServer
// on in-memory stores, a manual clock) over two years: registrations with
// budgets and cost shares, evaluations before start, at half-year, year end
// and close (on time, late or never), spending month by month against the
// ring-fenced budget, beneficiaries by township, acceptance.  Every read
// model (GetProject now and as of a position, GetProjectHistory,
// ListProjects, GetProjectStatistics over periods and as of past days,
// with the evaluations due, on time and late) is checked against a model
// the test keeps on its own; a rebuild changes no answer; later events
// change no as-of answer; bad input and illegal transitions (an overspend
// among them) write nothing.
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
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/clock.h"
#include "gtest/gtest.h"

namespace haven::projects {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int kProjects = 40;
constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kYuan = 100;
constexpr int kPlanDays = 800;
const absl::TimeZone kCst = absl::FixedTimeZone(8 * 3600);

int64_t UsOf(absl::CivilSecond t) {
  return absl::ToUnixMicros(absl::FromCivil(t, kCst));
}
const int64_t kStartUs = UsOf(absl::CivilSecond(2024, 1, 1, 0, 0, 0));
const absl::CivilDay kStartDay(2024, 1, 1);

int DayOf(int64_t us) {
  return static_cast<int>(absl::ToCivilDay(absl::FromUnixMicros(us), kCst) -
                          kStartDay);
}
absl::CivilDay CivilOf(int day) { return kStartDay + day; }
std::string DayText(int day) { return absl::FormatCivilTime(CivilOf(day)); }

class Rng {
public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Percent(int p) { return Below(100) < p; }

private:
  uint64_t state_;
};

// ---- The directory: city c, counties c-a and c-b, three townships each.
const std::vector<std::string> kCounties = {"c-a", "c-b"};
std::string Township(int county, int t) {
  return absl::StrCat(kCounties[county], "-", t);
}

enum class Kind {
  kRegister,
  kEvaluate,
  kStart,
  kSpend,
  kBeneficiaries,
  kAccept
};

struct Step {
  int64_t at_us;
  int project;
  int seq;
  Kind kind;
  int64_t fen = 0;
  int n = 0; // stage, beneficiaries
  int evaluator = 0;
  std::string township;
  bool operator<(const Step &o) const {
    return std::tie(at_us, project, seq) < std::tie(o.at_us, o.project, o.seq);
  }
};

struct ProjectPlan {
  std::string id;
  std::string unit;
  std::vector<std::string> townships; // those under the unit
  v1::FundingSource source;
  int64_t budget_fen;
  int64_t planned_start_us, planned_end_us;
};

struct ModelProject {
  ProjectPlan plan;
  std::vector<Step> done; // the steps the server accepted, in order
  uint64_t version = 0;
  std::vector<std::pair<uint64_t, size_t>> history; // (position, steps so far)
};

struct Derived {
  bool registered = false, started = false, accepted = false;
  int64_t spent = 0, beneficiaries = 0;
  int evaluations = 0;
  std::set<std::string> townships;
};

Derived Derive(const ModelProject &p, int last_day,
               size_t max_steps = SIZE_MAX) {
  Derived d;
  for (size_t i = 0; i < p.done.size() && i < max_steps; ++i) {
    const Step &s = p.done[i];
    if (DayOf(s.at_us) > last_day)
      break;
    switch (s.kind) {
    case Kind::kRegister:
      d.registered = true;
      break;
    case Kind::kEvaluate:
      ++d.evaluations;
      break;
    case Kind::kStart:
      d.started = true;
      break;
    case Kind::kSpend:
      d.spent += s.fen;
      break;
    case Kind::kBeneficiaries:
      d.beneficiaries += s.n;
      d.townships.insert(s.township);
      break;
    case Kind::kAccept:
      d.accepted = true;
      break;
    }
  }
  return d;
}

v1::ProjectStatus StatusOf(const Derived &d) {
  if (d.accepted)
    return v1::PROJECT_STATUS_ACCEPTED;
  if (d.started)
    return v1::PROJECT_STATUS_STARTED;
  return v1::PROJECT_STATUS_REGISTERED;
}

// The schedule, computed on the civil calendar: (stage, due day).
std::vector<std::pair<int, int>> Schedule(const ProjectPlan &p) {
  const absl::CivilDay start =
      absl::ToCivilDay(absl::FromUnixMicros(p.planned_start_us), kCst);
  const absl::CivilDay end =
      absl::ToCivilDay(absl::FromUnixMicros(p.planned_end_us), kCst);
  std::vector<std::pair<int, int>> out = {
      {v1::EVALUATION_STAGE_BEFORE_START, static_cast<int>(start - kStartDay)}};
  const absl::CivilDay half(start.year(), start.month() + 6, start.day());
  if (half < end)
    out.push_back(
        {v1::EVALUATION_STAGE_HALF_YEAR, static_cast<int>(half - kStartDay)});
  const absl::CivilDay year_end(start.year(), 12, 31);
  if (year_end < end) {
    out.push_back({v1::EVALUATION_STAGE_YEAR_END,
                   static_cast<int>(year_end - kStartDay)});
  }
  out.push_back(
      {v1::EVALUATION_STAGE_CLOSE, static_cast<int>(end - kStartDay)});
  return out;
}

v1::ProjectStatistics
ExpectedStatistics(const std::vector<ModelProject> &projects,
                   const std::set<std::string> &units, int from, int to,
                   int as_of) {
  const int end = std::min(to, as_of);
  v1::ProjectStatistics s;
  s.set_from_day(DayText(from));
  s.set_to_day(DayText(end));
  s.set_as_of_day(DayText(as_of));
  std::map<int, std::tuple<int64_t, int64_t, int64_t>> sources;
  std::set<std::string> townships;
  std::vector<v1::LateEvaluation> late;
  for (const ModelProject &p : projects) {
    if (units.count(p.plan.unit) == 0)
      continue;
    for (const Step &step : p.done) {
      const int day = DayOf(step.at_us);
      if (day > end)
        break;
      if (step.kind == Kind::kBeneficiaries)
        townships.insert(step.township);
      if (day < from)
        continue;
      switch (step.kind) {
      case Kind::kRegister:
        s.set_registered(s.registered() + 1);
        s.set_budget_fen(s.budget_fen() + p.plan.budget_fen);
        std::get<0>(sources[p.plan.source]) += 1;
        std::get<1>(sources[p.plan.source]) += p.plan.budget_fen;
        break;
      case Kind::kEvaluate:
        s.set_evaluations_recorded(s.evaluations_recorded() + 1);
        break;
      case Kind::kStart:
        s.set_started(s.started() + 1);
        break;
      case Kind::kSpend:
        s.set_spendings(s.spendings() + 1);
        s.set_spent_fen(s.spent_fen() + step.fen);
        break;
      case Kind::kBeneficiaries:
        s.set_beneficiaries(s.beneficiaries() + step.n);
        break;
      case Kind::kAccept:
        s.set_accepted(s.accepted() + 1);
        break;
      }
    }
    const Derived d = Derive(p, end);
    s.set_spent_fen_at_end(s.spent_fen_at_end() + d.spent);
    s.set_beneficiaries_at_end(s.beneficiaries_at_end() + d.beneficiaries);
    if (d.registered && !d.accepted) {
      s.set_active_at_end(s.active_at_end() + 1);
      s.set_active_budget_fen_at_end(s.active_budget_fen_at_end() +
                                     p.plan.budget_fen);
      std::get<2>(sources[p.plan.source]) += 1;
    }
    // The schedule, as of the as-of day.
    const Derived now = Derive(p, as_of);
    if (!now.registered)
      continue;
    std::optional<int> accepted_day;
    for (const Step &step : p.done) {
      if (step.kind == Kind::kAccept && DayOf(step.at_us) <= as_of)
        accepted_day = DayOf(step.at_us);
    }
    for (const auto &[stage, due] : Schedule(p.plan)) {
      if (due < from || due > end)
        continue;
      if (accepted_day && *accepted_day < due)
        continue;
      s.set_evaluations_due(s.evaluations_due() + 1);
      std::optional<int> done;
      for (const Step &step : p.done) {
        const int day = DayOf(step.at_us);
        if (step.kind == Kind::kEvaluate && step.n == stage && day <= as_of &&
            (!done || day < *done)) {
          done = day;
        }
      }
      if (done && *done <= due) {
        s.set_evaluations_on_time(s.evaluations_on_time() + 1);
      } else if (due < as_of) {
        s.set_evaluations_late(s.evaluations_late() + 1);
        if (!done)
          s.set_evaluations_missing(s.evaluations_missing() + 1);
        v1::LateEvaluation l;
        l.set_project_id(p.plan.id);
        l.set_stage(static_cast<v1::EvaluationStage>(stage));
        l.set_due_day(DayText(due));
        if (done)
          l.set_done_day(DayText(*done));
        late.push_back(l);
      }
    }
  }
  for (int source = 1; source <= 5; ++source) {
    v1::SourceCount *c = s.add_by_source();
    c->set_funding_source(static_cast<v1::FundingSource>(source));
    c->set_registered(std::get<0>(sources[source]));
    c->set_budget_fen(std::get<1>(sources[source]));
    c->set_active_at_end(std::get<2>(sources[source]));
  }
  s.set_townships_covered_at_end(static_cast<int64_t>(townships.size()));
  std::sort(late.begin(), late.end(), [](const auto &a, const auto &b) {
    return std::make_tuple(a.due_day(), a.project_id(),
                           static_cast<int>(a.stage())) <
           std::make_tuple(b.due_day(), b.project_id(),
                           static_cast<int>(b.stage()));
  });
  for (auto &l : late)
    *s.add_late() = l;
  return s;
}

class ProjectIntegrationTest : public ::testing::Test {
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
    std::unique_ptr<v1::ProjectService::Stub> projects;
    std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
    std::vector<ModelProject> model;
    std::vector<Step> plan;
    size_t next_step = 0;
    int request_seq = 0;

    ~World() {
      if (server)
        server->Shutdown(std::chrono::seconds(1));
    }

    std::string NextRequestId() { return absl::StrCat("req-", ++request_seq); }

    void Start() {
      auto started = server::HavenServer::Start(
          "127.0.0.1:0", server::ServerStores::InMemory(clock),
          server::ServerSecurity::Development());
      ASSERT_TRUE(started.ok()) << started.status();
      server = std::move(*started);
      auto channel =
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                              grpc::InsecureChannelCredentials());
      projects = v1::ProjectService::NewStub(channel);
      directory = directory::v1::DirectoryService::NewStub(channel);
      CreateDirectory();
      MakePlan();
    }

    void CreateUnit(const std::string &id, directory::v1::UnitKind kind,
                    const std::string &parent) {
      directory::v1::CreateUnitRequest request;
      request.set_request_id(NextRequestId());
      request.set_unit_id(id);
      request.set_name(absl::StrCat("单位", id));
      request.set_kind(kind);
      request.set_parent_id(parent);
      directory::v1::CommandResponse response;
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "admin");
      grpc::Status status = directory->CreateUnit(&context, request, &response);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    }

    void CreateDirectory() {
      CreateUnit("c", directory::v1::UNIT_KIND_CITY, "");
      for (int c = 0; c < 2; ++c) {
        CreateUnit(kCounties[c], directory::v1::UNIT_KIND_COUNTY, "c");
        for (int t = 0; t < 3; ++t) {
          CreateUnit(Township(c, t), directory::v1::UNIT_KIND_TOWNSHIP,
                     kCounties[c]);
        }
      }
      CreateUnit("c-a-0-v", directory::v1::UNIT_KIND_VILLAGE, "c-a-0");
    }

    void MakePlan() {
      Rng rng(20240301);
      const int64_t horizon = kStartUs + kPlanDays * kDayUs;
      for (int i = 0; i < kProjects; ++i) {
        ModelProject project;
        ProjectPlan &p = project.plan;
        p.id = absl::StrCat("project-", i < 10 ? "0" : "", i);
        const int county = rng.Below(2);
        const int level = rng.Below(10);
        if (level == 0) {
          p.unit = "c";
          for (int c = 0; c < 2; ++c) {
            for (int t = 0; t < 3; ++t)
              p.townships.push_back(Township(c, t));
          }
        } else if (level <= 2) {
          p.unit = Township(county, rng.Below(3));
          p.townships.push_back(p.unit);
        } else {
          p.unit = kCounties[county];
          for (int t = 0; t < 3; ++t)
            p.townships.push_back(Township(county, t));
        }
        p.source = static_cast<v1::FundingSource>(1 + rng.Below(5));
        p.budget_fen = int64_t{79} * kYuan * rng.Between(200, 3000);
        const int64_t registered =
            kStartUs + rng.Below(500) * kDayUs + 9 * kHourUs;
        p.planned_start_us = registered + rng.Between(10, 40) * kDayUs;
        p.planned_end_us = p.planned_start_us + rng.Between(120, 540) * kDayUs;
        model.push_back(project);

        int seq = 0;
        auto add = [&](int64_t at, Kind kind, int64_t fen = 0, int n = 0,
                       int evaluator = 0, std::string township = "") {
          if (at >= horizon)
            return false;
          plan.push_back(
              Step{at, i, seq++, kind, fen, n, evaluator, std::move(township)});
          return true;
        };
        auto evaluator = [&]() {
          return rng.Percent(60) ? v1::EVALUATOR_FEDERATION
                                 : v1::EVALUATOR_FUNDER;
        };
        add(registered, Kind::kRegister);
        const int roll = rng.Below(100);
        if (roll < 5)
          continue; // never evaluated, never started
        const int64_t before =
            roll < 90
                ? p.planned_start_us - rng.Between(1, 9) * kDayUs + kHourUs
                : p.planned_start_us + rng.Between(1, 10) * kDayUs + kHourUs;
        if (!add(std::max(before, registered + kHourUs), Kind::kEvaluate, 0,
                 v1::EVALUATION_STAGE_BEFORE_START, evaluator())) {
          continue;
        }
        const int64_t started =
            std::max(p.planned_start_us, before + kDayUs) + kHourUs;
        if (!add(started, Kind::kStart))
          continue;
        // Monthly spending and beneficiaries until the planned end.
        const int months =
            static_cast<int>((p.planned_end_us - started) / (30 * kDayUs));
        int64_t spent = 0;
        for (int m = 1; m <= months; ++m) {
          const int64_t at = started + m * 30 * kDayUs;
          const int64_t fen = std::min(p.budget_fen - spent,
                                       p.budget_fen / std::max(months, 1) *
                                           rng.Between(80, 100) / 100);
          if (fen > 0 && add(at, Kind::kSpend, fen))
            spent += fen;
          add(at + kHourUs, Kind::kBeneficiaries, 0, rng.Between(10, 200), 0,
              p.townships[rng.Below(static_cast<int>(p.townships.size()))]);
        }
        // The evaluations after the start: on time, late or never.
        for (const auto &[stage, due] : Schedule(p)) {
          if (stage == v1::EVALUATION_STAGE_BEFORE_START)
            continue;
          const int64_t due_us = kStartUs + due * kDayUs + 10 * kHourUs;
          const int r = rng.Below(100);
          if (r < 10 && stage != v1::EVALUATION_STAGE_CLOSE)
            continue;
          const int64_t at = r < 75 ? due_us - rng.Between(0, 10) * kDayUs
                                    : due_us + rng.Between(1, 20) * kDayUs;
          if (at <= started)
            continue;
          add(at, Kind::kEvaluate, 0, stage, evaluator());
          if (stage == v1::EVALUATION_STAGE_CLOSE) {
            if (rng.Percent(30))
              add(at + kDayUs, Kind::kEvaluate, 0, stage,
                  v1::EVALUATOR_FUNDER + v1::EVALUATOR_FEDERATION -
                      evaluator());
            if (rng.Percent(85))
              add(at + rng.Between(5, 20) * kDayUs, Kind::kAccept);
          }
        }
      }
      std::sort(plan.begin(), plan.end());
      // Drop what the rules would refuse: a second evaluation of a stage by
      // the same evaluator, an acceptance before the close evaluation.
      std::vector<Step> kept;
      std::map<int, std::set<std::pair<int, int>>> evaluated;
      std::map<int, bool> closed;
      for (const Step &s : plan) {
        if (closed[s.project])
          continue;
        if (s.kind == Kind::kEvaluate &&
            !evaluated[s.project].insert({s.n, s.evaluator}).second) {
          continue;
        }
        if (s.kind == Kind::kAccept) {
          bool close = false;
          for (const auto &[stage, who] : evaluated[s.project]) {
            close = close || stage == v1::EVALUATION_STAGE_CLOSE;
          }
          if (!close)
            continue;
          closed[s.project] = true;
        }
        kept.push_back(s);
      }
      plan = std::move(kept);
    }

    v1::ProjectCommand CommandOf(const Step &step) {
      const ProjectPlan &p = model[step.project].plan;
      v1::ProjectCommand c;
      switch (step.kind) {
      case Kind::kRegister: {
        v1::RegisterProject *r = c.mutable_register_project();
        r->set_title(absl::StrCat("项目", step.project));
        r->set_unit_id(p.unit);
        r->set_funding_source(p.source);
        r->set_funder("中国妇女发展基金会");
        r->set_budget_fen(p.budget_fen);
        v1::CostShareInput *a = r->add_cost_shares();
        a->set_party("省财政");
        a->set_share_bp(6'000);
        v1::CostShareInput *b = r->add_cost_shares();
        b->set_party("县财政");
        b->set_share_bp(4'000);
        r->set_per_person_fen(79 * kYuan);
        r->mutable_leader()->set_name(absl::StrCat("负责人", step.project));
        r->set_overall_goal("免费检查");
        r->set_planned_start_at_us(p.planned_start_us);
        r->set_planned_end_at_us(p.planned_end_us);
        break;
      }
      case Kind::kEvaluate: {
        v1::RecordEvaluation *e = c.mutable_record_evaluation();
        e->set_stage(static_cast<v1::EvaluationStage>(step.n));
        e->set_evaluator(static_cast<v1::Evaluator>(step.evaluator));
        e->set_conclusion(v1::EVALUATION_CONCLUSION_GOOD);
        e->set_report_ref(absl::StrCat("档案-", step.project, "-", step.seq));
        break;
      }
      case Kind::kStart:
        c.mutable_start_project();
        break;
      case Kind::kSpend:
        c.mutable_record_spending()->set_amount_fen(step.fen);
        c.mutable_record_spending()->set_item("检查费");
        break;
      case Kind::kBeneficiaries:
        c.mutable_report_beneficiaries()->set_township_unit_id(step.township);
        c.mutable_report_beneficiaries()->set_beneficiaries(step.n);
        break;
      case Kind::kAccept:
        c.mutable_accept_project()->set_report_ref(
            absl::StrCat("验收-", step.project));
        break;
      }
      return c;
    }

    grpc::Status Send(const std::string &project_id,
                      std::optional<uint64_t> expected,
                      const v1::ProjectCommand &c,
                      const std::string &request_id,
                      v1::CommandResponse *response) {
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "operator-1");
      auto fill = [&](auto &request) {
        request.set_request_id(request_id);
        request.set_project_id(project_id);
      };
      auto versioned = [&](auto &request) {
        fill(request);
        if (expected)
          request.set_expected_version(*expected);
      };
      using C = v1::ProjectCommand;
      switch (c.command_case()) {
#define HAVEN_SEND(Case, Rpc, member)                                          \
  case C::Case: {                                                              \
    v1::Rpc##Request request;                                                  \
    versioned(request);                                                        \
    *request.mutable_##member() = c.member();                                  \
    return projects->Rpc(&context, request, response);                         \
  }
        HAVEN_SEND(kStartProject, StartProject, start_project)
        HAVEN_SEND(kRecordSpending, RecordSpending, record_spending)
        HAVEN_SEND(kReportBeneficiaries, ReportBeneficiaries,
                   report_beneficiaries)
        HAVEN_SEND(kRecordEvaluation, RecordEvaluation, record_evaluation)
        HAVEN_SEND(kAcceptProject, AcceptProject, accept_project)
#undef HAVEN_SEND
      case C::kRegisterProject: {
        v1::RegisterProjectRequest request;
        fill(request);
        *request.mutable_register_project() = c.register_project();
        return projects->RegisterProject(&context, request, response);
      }
      case C::COMMAND_NOT_SET:
        break;
      }
      return grpc::Status(grpc::StatusCode::INTERNAL, "no command");
    }

    void RunUntil(int64_t until_us) {
      for (; next_step < plan.size() && plan[next_step].at_us < until_us;
           ++next_step) {
        const Step &step = plan[next_step];
        ModelProject &p = model[step.project];
        clock->Set(step.at_us);
        v1::CommandResponse response;
        const bool registers = step.kind == Kind::kRegister;
        grpc::Status status =
            Send(p.plan.id,
                 registers ? std::nullopt : std::optional<uint64_t>(p.version),
                 CommandOf(step), NextRequestId(), &response);
        ASSERT_TRUE(status.ok()) << p.plan.id << " step " << step.seq << ": "
                                 << status.error_message();
        p.version = response.version();
        p.done.push_back(step);
        p.history.emplace_back(response.position(), p.done.size());
      }
    }
  };

  static std::set<std::string> UnitsUnder(const std::string &unit) {
    std::set<std::string> out = {unit};
    if (unit == "c")
      out = {"c", "c-a", "c-b"};
    for (int c = 0; c < 2; ++c) {
      for (int t = 0; t < 3; ++t) {
        const std::string township = Township(c, t);
        if (unit == "c" || township.rfind(unit + "-", 0) == 0)
          out.insert(township);
      }
    }
    return out;
  }

  static v1::ProjectStatistics
  Statistics(const std::string &unit, int from, int to,
             std::optional<int> as_of = std::nullopt) {
    v1::GetProjectStatisticsRequest request;
    request.set_unit_subtree(unit);
    request.set_from_day(DayText(from));
    request.set_to_day(DayText(to));
    if (as_of)
      request.set_as_of_day(DayText(*as_of));
    request.set_min_position(world_->server->log().HeadPosition());
    v1::GetProjectStatisticsResponse response;
    grpc::ClientContext context;
    grpc::Status status =
        world_->projects->GetProjectStatistics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  static std::vector<std::tuple<std::string, int, int, int>>
  Queries(int today) {
    std::vector<std::tuple<std::string, int, int, int>> out;
    const std::vector<std::string> units = {"c", "c-a", "c-b", "c-a-1",
                                            "c-b-2"};
    const std::vector<std::pair<int, int>> periods = {
        {0, 365},   {0, 181},   {182, 365},          {90, 180},
        {366, 730}, {400, 430}, {0, kPlanDays + 300}};
    for (const std::string &unit : units) {
      for (const auto &[from, to] : periods) {
        if (from > today)
          continue;
        out.emplace_back(unit, from, to, std::min(to, today));
        if (to > 60)
          out.emplace_back(unit, from, to, std::min(to, today) - 45);
      }
    }
    return out;
  }

  static void ExpectStatistics(int today) {
    for (const auto &[unit, from, to, as_of] : Queries(today)) {
      const v1::ProjectStatistics expected =
          ExpectedStatistics(world_->model, UnitsUnder(unit), from, to, as_of);
      std::string diff;
      MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&diff);
      EXPECT_TRUE(
          differencer.Compare(expected, Statistics(unit, from, to, as_of)))
          << unit << " " << DayText(from) << ".." << DayText(to) << " as of "
          << DayText(as_of) << ":\n"
          << diff;
    }
  }

  static std::vector<v1::ProjectListEntry>
  ListAll(const std::string &unit,
          const std::vector<v1::ProjectStatus> &statuses,
          v1::FundingSource source, uint32_t page_size) {
    std::vector<v1::ProjectListEntry> out;
    std::string token;
    do {
      v1::ListProjectsRequest request;
      request.set_unit_subtree(unit);
      for (auto s : statuses)
        request.add_statuses(s);
      request.set_funding_source(source);
      request.set_page_size(page_size);
      request.set_page_token(token);
      request.set_min_position(world_->server->log().HeadPosition());
      v1::ListProjectsResponse response;
      grpc::ClientContext context;
      grpc::Status status =
          world_->projects->ListProjects(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok())
        break;
      for (const auto &entry : response.projects())
        out.push_back(entry);
      token = response.next_page_token();
    } while (!token.empty());
    return out;
  }

  static World *world_;
};

ProjectIntegrationTest::World *ProjectIntegrationTest::world_ = nullptr;

const int kMidDay = 400;

TEST_F(ProjectIntegrationTest, AsOfAnswersDoNotChangeWithLaterEvents) {
  world_->RunUntil(kStartUs + kMidDay * kDayUs);
  ASSERT_FALSE(HasFatalFailure());
  std::vector<v1::ProjectStatistics> before;
  for (const auto &[unit, from, to, as_of] : Queries(kMidDay - 1)) {
    before.push_back(Statistics(unit, from, to, as_of));
  }
  ExpectStatistics(kMidDay - 1);
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ASSERT_FALSE(HasFatalFailure());
  size_t i = 0;
  for (const auto &[unit, from, to, as_of] : Queries(kMidDay - 1)) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i++],
                                           Statistics(unit, from, to, as_of)))
        << unit << " " << from << ".." << to << " as of " << as_of;
  }
}

TEST_F(ProjectIntegrationTest, StatisticsMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ExpectStatistics(kPlanDays);
  const v1::ProjectStatistics all = Statistics("c", 0, kPlanDays);
  EXPECT_EQ(all.registered(), kProjects);
  EXPECT_GT(all.accepted(), 5);
  EXPECT_GT(all.evaluations_late(), 3);
  EXPECT_GT(all.evaluations_missing(), 0);
  EXPECT_GT(all.evaluations_on_time(), all.evaluations_late());
  EXPECT_EQ(all.townships_covered_at_end(), 6);
}

TEST_F(ProjectIntegrationTest, EveryProjectAndItsHistoryMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const ModelProject &p : world_->model) {
    v1::GetProjectRequest request;
    request.set_project_id(p.plan.id);
    v1::GetProjectResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(
        world_->projects->GetProject(&context, request, &response).ok());
    const v1::ProjectView &view = response.project();
    const Derived d = Derive(p, 1 << 20);
    EXPECT_EQ(view.version(), p.version);
    EXPECT_EQ(view.status(), StatusOf(d)) << p.plan.id;
    EXPECT_EQ(view.spent_fen(), d.spent);
    EXPECT_EQ(view.remaining_fen(), p.plan.budget_fen - d.spent);
    EXPECT_EQ(view.beneficiaries(), d.beneficiaries);
    EXPECT_EQ(view.townships_size(), static_cast<int>(d.townships.size()));
    EXPECT_EQ(view.evaluations_size(), d.evaluations);
    EXPECT_EQ(view.registration().leader().name(),
              absl::StrCat("负责人", &p - world_->model.data()));
    for (size_t k = 0; k < p.history.size(); k += 5) {
      v1::GetProjectRequest at;
      at.set_project_id(p.plan.id);
      at.set_as_of_position(p.history[k].first);
      v1::GetProjectResponse then;
      grpc::ClientContext c2;
      ASSERT_TRUE(world_->projects->GetProject(&c2, at, &then).ok());
      const Derived past = Derive(p, 1 << 20, p.history[k].second);
      EXPECT_EQ(then.project().spent_fen(), past.spent);
      EXPECT_EQ(then.project().status(), StatusOf(past));
    }
    v1::GetProjectHistoryRequest h;
    h.set_project_id(p.plan.id);
    h.set_page_size(1000);
    v1::GetProjectHistoryResponse page;
    grpc::ClientContext c3;
    ASSERT_TRUE(world_->projects->GetProjectHistory(&c3, h, &page).ok());
    EXPECT_EQ(page.entries_size(), static_cast<int>(p.done.size()));
  }
}

TEST_F(ProjectIntegrationTest, ListsMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const std::string unit : {"c", "c-a", "c-b-2"}) {
    for (const auto &statuses : std::vector<std::vector<v1::ProjectStatus>>{
             {}, {v1::PROJECT_STATUS_STARTED}, {v1::PROJECT_STATUS_ACCEPTED}}) {
      for (int source : {0, 2}) {
        std::vector<std::pair<int64_t, std::string>> expected;
        for (const ModelProject &p : world_->model) {
          if (UnitsUnder(unit).count(p.plan.unit) == 0)
            continue;
          const Derived d = Derive(p, 1 << 20);
          if (!statuses.empty() && StatusOf(d) != statuses[0])
            continue;
          if (source != 0 && p.plan.source != source)
            continue;
          expected.emplace_back(-p.done.front().at_us, p.plan.id);
        }
        std::sort(expected.begin(), expected.end());
        const auto listed =
            ListAll(unit, statuses, static_cast<v1::FundingSource>(source), 3);
        ASSERT_EQ(listed.size(), expected.size()) << unit;
        for (size_t i = 0; i < listed.size(); ++i) {
          EXPECT_EQ(listed[i].project_id(), expected[i].second);
          const ModelProject &p =
              world_->model[std::stoi(expected[i].second.substr(8))];
          const Derived d = Derive(p, 1 << 20);
          EXPECT_EQ(listed[i].spent_fen(), d.spent);
          EXPECT_EQ(listed[i].beneficiaries(), d.beneficiaries);
          EXPECT_EQ(listed[i].budget_fen(), p.plan.budget_fen);
          EXPECT_EQ(listed[i].version(), p.version);
        }
      }
    }
  }
}

TEST_F(ProjectIntegrationTest, RebuildingTheProjectionsChangesNoAnswer) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  std::vector<v1::ProjectStatistics> before;
  for (const auto &[unit, from, to, as_of] : Queries(kPlanDays)) {
    before.push_back(Statistics(unit, from, to, as_of));
  }
  const auto list_before =
      ListAll("c", {}, v1::FUNDING_SOURCE_UNSPECIFIED, 500);
  for (const char *name : {"project_list", "project_stats"}) {
    ASSERT_TRUE(world_->server->projections().Rebuild(name).ok()) << name;
  }
  size_t i = 0;
  for (const auto &[unit, from, to, as_of] : Queries(kPlanDays)) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i++],
                                           Statistics(unit, from, to, as_of)));
  }
  const auto list_after = ListAll("c", {}, v1::FUNDING_SOURCE_UNSPECIFIED, 500);
  ASSERT_EQ(list_before.size(), list_after.size());
  for (size_t k = 0; k < list_before.size(); ++k) {
    EXPECT_TRUE(MessageDifferencer::Equals(list_before[k], list_after[k]));
  }
}

TEST_F(ProjectIntegrationTest,
       BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  auto expect = [&](const grpc::Status &status, grpc::StatusCode code,
                    const std::string &prefix) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(status.error_message().rfind(prefix, 0), 0u)
        << status.error_message();
  };
  v1::CommandResponse response;
  v1::ProjectCommand c = world_->CommandOf(Step{0, 0, 0, Kind::kRegister});
  c.mutable_register_project()->mutable_cost_shares(0)->set_share_bp(5'000);
  expect(world_->Send("project-bad", std::nullopt, c, world_->NextRequestId(),
                      &response),
         grpc::StatusCode::INVALID_ARGUMENT, "register_project.cost_shares:");
  c = world_->CommandOf(Step{0, 0, 0, Kind::kRegister});
  c.mutable_register_project()->set_title("两癌\xc3");
  expect(world_->Send("project-bad", std::nullopt, c, world_->NextRequestId(),
                      &response),
         grpc::StatusCode::INVALID_ARGUMENT, "register_project.title:");
  c = world_->CommandOf(Step{0, 0, 0, Kind::kRegister});
  c.mutable_register_project()->set_unit_id("c-a-0-v");
  expect(world_->Send("project-bad", std::nullopt, c, world_->NextRequestId(),
                      &response),
         grpc::StatusCode::FAILED_PRECONDITION, "unit_level:");
  expect(world_->Send("Project 1", std::optional<uint64_t>(0),
                      world_->CommandOf(Step{0, 0, 0, Kind::kStart}),
                      world_->NextRequestId(), &response),
         grpc::StatusCode::INVALID_ARGUMENT, "project_id:");
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(ProjectIntegrationTest,
       IllegalTransitionsAreFailedPreconditionNamingTheRule) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  int overspends = 0;
  for (int i = 0; i < kProjects; ++i) {
    const ModelProject &p = world_->model[i];
    const Derived d = Derive(p, 1 << 20);
    std::string rule;
    Step step{0, i, 0, Kind::kSpend, p.plan.budget_fen - d.spent + 1};
    if (d.accepted) {
      rule = "project_accepted:";
    } else if (d.started) {
      rule = "budget_exceeded:"; // ring-fenced: one fen more than is left
      ++overspends;
    } else {
      rule = "not_started:";
    }
    v1::CommandResponse response;
    grpc::Status status =
        world_->Send(p.plan.id, p.version, world_->CommandOf(step),
                     world_->NextRequestId(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << p.plan.id;
    EXPECT_EQ(status.error_message().rfind(rule, 0), 0u)
        << status.error_message();
  }
  EXPECT_GT(overspends, 0);
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(ProjectIntegrationTest, ARetriedRequestAnswersWithItsFirstResult) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const v1::ProjectCommand c =
      world_->CommandOf(Step{0, 3, 0, Kind::kRegister});
  v1::CommandResponse first, second;
  ASSERT_TRUE(world_->Send("", std::nullopt, c, "retry-me", &first).ok());
  ASSERT_TRUE(world_->Send("", std::nullopt, c, "retry-me", &second).ok());
  EXPECT_EQ(first.project_id(), second.project_id());
  EXPECT_EQ(first.position(), second.position());
  EXPECT_TRUE(second.replayed());
  v1::CommandResponse stale;
  EXPECT_EQ(world_
                ->Send(first.project_id(), 5,
                       world_->CommandOf(Step{0, 3, 0, Kind::kStart}),
                       world_->NextRequestId(), &stale)
                .error_code(),
            grpc::StatusCode::ABORTED);
}

} // namespace
} // namespace haven::projects
