// 240 loans worked through an in-process havend (HavenServer on in-memory
// stores, a manual clock): every step of the chain over gRPC, and every
// read model (GetLoan now and as of a position, GetLoanHistory, ListLoans,
// GetLoanStatistics now and as of a past day) checked against a model the
// test keeps on its own; a rebuild changes no answer; later events change
// no as-of answer; bad input and illegal transitions write nothing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <map>
#include <memory>
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
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "services/server/server.h"
#include "storage/clock.h"

namespace haven::loans {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int kLoans = 240;
constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kYuan = 100;
constexpr int kRateBp = 435;
constexpr int kPlanDays = 560;  // applications in the first 400

int64_t CstMidnight(int y, int m, int d) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(y, m, d, 0, 0, 0), absl::FixedTimeZone(8 * 3600)));
}
const int64_t kStartUs = CstMidnight(2024, 1, 1);

// Day numbers the test computes itself: days since 2024-01-01 CST.
int DayOf(int64_t us) { return static_cast<int>((us - kStartUs) / kDayUs); }
std::string DayText(int day) {
  return absl::FormatCivilTime(absl::CivilDay(2024, 1, 1) + day);
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
// three villages per township.
const std::vector<std::string> kCounties = {"c-a", "c-b"};
std::string Township(int county, int t) { return absl::StrCat(kCounties[county], "-", t); }
std::string Village(int county, int t, int v) {
  return absl::StrCat(Township(county, t), "-", v);
}

enum class Kind {
  kApply, kWithdraw, kCertify, kSubmit, kOpinion, kDecide, kDisburse, kSubsidy, kRepay,
  kOverdue, kJobs, kSettle,
};

// One command of the plan.
struct Step {
  int64_t at_us;
  int loan;
  int seq;
  Kind kind;
  int64_t fen = 0;   // amount, principal, overdue, subsidy
  int64_t fen2 = 0;  // interest
  int n = 0;         // period, jobs, favourable (1) / not (0), approved (1) / refused (0)
  bool operator<(const Step& o) const {
    return std::tie(at_us, loan, seq) < std::tie(o.at_us, o.loan, o.seq);
  }
};

struct LoanPlan {
  std::string id;
  int county, township, village;
  std::string village_id;
  bool household;
  int64_t applied_fen;
  int term;
  v1::LoanPurpose purpose;
};

// What the model knows of a loan after each command: enough to answer
// every query independently of the server.
struct Fact {
  int day;
  Kind kind;
  int64_t fen = 0;
  int64_t fen2 = 0;
  int n = 0;
};

struct ModelLoan {
  LoanPlan plan;
  std::vector<Fact> facts;
  int64_t applied_at_us = 0;
  uint64_t version = 0;
  // (log position, status) after each command, for as-of checks.
  std::vector<std::pair<uint64_t, v1::LoanStatus>> history;
};

// The loan's derived state after its facts up to `last_day` (inclusive).
struct Derived {
  v1::LoanStatus status = v1::LOAN_STATUS_UNSPECIFIED;
  int64_t approved = 0, disbursed = 0, repaid = 0, interest = 0, subsidy = 0, overdue = 0;
  int jobs = 0;
  int64_t outstanding() const { return disbursed - repaid; }
};

Derived Derive(const ModelLoan& loan, int last_day) {
  Derived d;
  for (const Fact& f : loan.facts) {
    if (f.day > last_day) break;
    switch (f.kind) {
      case Kind::kApply:
        d.status = v1::LOAN_STATUS_APPLIED;
        break;
      case Kind::kWithdraw:
        d.status = v1::LOAN_STATUS_WITHDRAWN;
        break;
      case Kind::kCertify:
        d.status = v1::LOAN_STATUS_CERTIFIED;
        break;
      case Kind::kSubmit:
        d.status = v1::LOAN_STATUS_SUBMITTED;
        break;
      case Kind::kOpinion:
        d.status = f.n ? v1::LOAN_STATUS_RECOMMENDED : v1::LOAN_STATUS_NOT_RECOMMENDED;
        break;
      case Kind::kDecide:
        d.status = f.n ? v1::LOAN_STATUS_APPROVED : v1::LOAN_STATUS_REFUSED;
        d.approved = f.n ? f.fen : 0;
        break;
      case Kind::kDisburse:
        d.status = v1::LOAN_STATUS_DISBURSED;
        d.disbursed = f.fen;
        break;
      case Kind::kSubsidy:
        d.subsidy += f.fen;
        break;
      case Kind::kRepay:
        d.repaid += f.fen;
        d.interest += f.fen2;
        d.overdue = std::max<int64_t>(0, d.overdue - f.fen);
        break;
      case Kind::kOverdue:
        d.overdue = f.fen;
        break;
      case Kind::kJobs:
        d.jobs = f.n;
        break;
      case Kind::kSettle:
        d.status = v1::LOAN_STATUS_SETTLED;
        d.overdue = 0;
        break;
    }
  }
  return d;
}

// The statistics the model expects for loans of `villages` over days
// [from, to] as of `as_of`.
v1::LoanStatistics ExpectedStatistics(const std::vector<ModelLoan>& loans,
                                      const std::set<std::string>& villages, int from, int to,
                                      int as_of) {
  v1::LoanStatistics s;
  const int end = std::min(to, as_of);
  s.set_from_day(DayText(from));
  s.set_to_day(DayText(end));
  s.set_as_of_day(DayText(as_of));
  std::map<int, std::pair<int64_t, int64_t>> by_purpose;
  for (const ModelLoan& loan : loans) {
    if (villages.count(loan.plan.village_id) == 0) continue;
    for (const Fact& f : loan.facts) {
      if (f.day < from || f.day > end) continue;
      switch (f.kind) {
        case Kind::kApply:
          s.set_applied(s.applied() + 1);
          s.set_applied_fen(s.applied_fen() + loan.plan.applied_fen);
          break;
        case Kind::kWithdraw:
          s.set_withdrawn(s.withdrawn() + 1);
          break;
        case Kind::kCertify:
          s.set_certified(s.certified() + 1);
          break;
        case Kind::kSubmit:
          s.set_submitted(s.submitted() + 1);
          break;
        case Kind::kOpinion:
          if (f.n) {
            s.set_favourable_opinions(s.favourable_opinions() + 1);
          } else {
            s.set_unfavourable_opinions(s.unfavourable_opinions() + 1);
          }
          break;
        case Kind::kDecide:
          if (f.n) {
            s.set_approved(s.approved() + 1);
            s.set_approved_fen(s.approved_fen() + f.fen);
          } else {
            s.set_refused(s.refused() + 1);
          }
          break;
        case Kind::kDisburse:
          s.set_disbursed(s.disbursed() + 1);
          s.set_disbursed_fen(s.disbursed_fen() + f.fen);
          if (loan.plan.household) {
            s.set_disbursed_to_households(s.disbursed_to_households() + 1);
          } else {
            s.set_disbursed_to_women(s.disbursed_to_women() + 1);
          }
          by_purpose[loan.plan.purpose].first += 1;
          by_purpose[loan.plan.purpose].second += f.fen;
          break;
        case Kind::kSubsidy:
          s.set_subsidy_payments(s.subsidy_payments() + 1);
          s.set_subsidy_fen(s.subsidy_fen() + f.fen);
          break;
        case Kind::kRepay:
          s.set_repayments(s.repayments() + 1);
          s.set_repaid_principal_fen(s.repaid_principal_fen() + f.fen);
          s.set_repaid_interest_fen(s.repaid_interest_fen() + f.fen2);
          break;
        case Kind::kOverdue:
          s.set_marked_overdue(s.marked_overdue() + 1);
          break;
        case Kind::kSettle:
          s.set_settled(s.settled() + 1);
          break;
        case Kind::kJobs:
          break;
      }
    }
    const Derived at_end = Derive(loan, end);
    const Derived at_start = Derive(loan, std::min(from - 1, as_of));
    s.set_jobs_created(s.jobs_created() + at_end.jobs - at_start.jobs);
    if (at_end.overdue > 0) {
      s.set_overdue_at_end(s.overdue_at_end() + 1);
      s.set_overdue_fen_at_end(s.overdue_fen_at_end() + at_end.overdue);
    }
    if (at_end.status == v1::LOAN_STATUS_DISBURSED) {
      s.set_outstanding_at_end(s.outstanding_at_end() + 1);
    }
    s.set_outstanding_fen_at_end(s.outstanding_fen_at_end() + at_end.outstanding());
  }
  for (const auto& [purpose, count_fen] : by_purpose) {
    v1::PurposeCount* c = s.add_disbursed_by_purpose();
    c->set_purpose(static_cast<v1::LoanPurpose>(purpose));
    c->set_count(count_fen.first);
    c->set_fen(count_fen.second);
  }
  return s;
}

class LoanIntegrationTest : public ::testing::Test {
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
    std::unique_ptr<v1::LoanService::Stub> loans;
    std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
    std::vector<ModelLoan> model;
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
      loans = v1::LoanService::NewStub(channel);
      directory = directory::v1::DirectoryService::NewStub(channel);
      CreateDirectory();
      MakePlan();
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

    void MakePlan() {
      Rng rng(20240101);
      const v1::LoanPurpose purposes[] = {
          v1::LOAN_PURPOSE_PLANTING, v1::LOAN_PURPOSE_BREEDING, v1::LOAN_PURPOSE_PROCESSING,
          v1::LOAN_PURPOSE_TRADE, v1::LOAN_PURPOSE_HOUSEHOLD_SERVICES};
      const int64_t horizon = kStartUs + kPlanDays * kDayUs;
      for (int i = 0; i < kLoans; ++i) {
        ModelLoan loan;
        LoanPlan& p = loan.plan;
        p.id = absl::StrCat("loan-", i);
        p.county = rng.Below(2);
        p.township = rng.Below(2);
        p.village = rng.Below(3);
        p.village_id = Village(p.county, p.township, p.village);
        p.household = rng.Percent(20);
        p.applied_fen = rng.Between(20, 100) * 1'000 * kYuan;
        p.term = 12 * rng.Between(1, 3);
        p.purpose = purposes[rng.Below(5)];
        model.push_back(loan);

        int seq = 0;
        int64_t t = kStartUs + rng.Below(400) * kDayUs + rng.Between(9, 16) * kHourUs;
        auto add = [&](Kind kind, int64_t fen = 0, int64_t fen2 = 0, int n = 0) {
          if (t >= horizon) return false;
          plan.push_back(Step{t, i, seq++, kind, fen, fen2, n});
          return true;
        };
        auto later = [&](int lo, int hi) { t += rng.Between(lo, hi) * kDayUs + kHourUs; };
        add(Kind::kApply);
        later(1, 4);
        if (rng.Percent(5)) {
          add(Kind::kWithdraw);
          continue;
        }
        if (!add(Kind::kCertify)) continue;
        later(2, 7);
        if (!add(Kind::kSubmit)) continue;
        later(3, 10);
        const bool favourable = !rng.Percent(10);
        if (!add(Kind::kOpinion, 0, 0, favourable) || !favourable) continue;
        later(5, 15);
        const bool approved = !rng.Percent(10);
        const int64_t amount =
            rng.Percent(70) ? p.applied_fen : p.applied_fen * 8 / 10 / (100 * kYuan) * 100 * kYuan;
        if (!add(Kind::kDecide, approved ? amount : 0, 0, approved) || !approved) continue;
        later(1, 7);
        if (!add(Kind::kDisburse, amount)) continue;
        // Monthly subsidies; quarterly repayments, one of them late for 1 in 8.
        const int64_t monthly_subsidy = amount * kRateBp / (10'000 * 12);
        const int quarters = p.term / 3;
        const int late_quarter = rng.Percent(12) ? rng.Between(1, quarters) : 0;
        const int jobs_month = rng.Between(2, 8);
        int64_t repaid = 0;
        const int64_t disbursed_at = t;
        for (int month = 1; month <= p.term; ++month) {
          t = disbursed_at + int64_t{month} * 30 * kDayUs;
          if (!add(Kind::kSubsidy, monthly_subsidy, 0, month)) break;
          if (month == jobs_month) add(Kind::kJobs, 0, 0, rng.Between(1, 12));
          if (month % 3 != 0) continue;
          const int quarter = month / 3;
          const int64_t principal = quarter == quarters ? amount - repaid : amount / quarters;
          if (quarter == late_quarter) {
            t += kHourUs;
            if (!add(Kind::kOverdue, principal)) break;
            t += 20 * kDayUs;
          } else {
            t += 2 * kHourUs;
          }
          if (!add(Kind::kRepay, principal, principal * kRateBp / 40'000)) break;
          repaid += principal;
        }
        if (repaid == amount) {
          later(1, 5);
          if (add(Kind::kSettle) && rng.Percent(30)) {
            later(10, 30);
            add(Kind::kJobs, 0, 0, rng.Between(1, 15));
          }
        }
      }
      std::sort(plan.begin(), plan.end());
    }

    v1::LoanCommand CommandOf(const Step& step) {
      const LoanPlan& p = model[step.loan].plan;
      const std::string county = kCounties[p.county];
      v1::LoanCommand c;
      switch (step.kind) {
        case Kind::kApply: {
          v1::ApplyForLoan* a = c.mutable_apply_for_loan();
          a->set_applicant_kind(p.household ? v1::APPLICANT_KIND_HOUSEHOLD
                                            : v1::APPLICANT_KIND_WOMAN);
          a->mutable_applicant()->set_name(absl::StrCat("申请人", step.loan));
          a->mutable_applicant()->set_phone(absl::StrCat("139", 10'000'000 + step.loan));
          a->set_household_members(p.household ? 4 : 0);
          a->set_village_unit_id(p.village_id);
          a->set_amount_fen(p.applied_fen);
          a->set_term_months(p.term);
          a->set_purpose(p.purpose);
          a->set_project("大棚蔬菜种植");
          a->set_jobs_expected(3);
          break;
        }
        case Kind::kWithdraw:
          c.mutable_withdraw_loan()->set_acting_unit_id(p.village_id);
          c.mutable_withdraw_loan()->set_reason("家庭原因");
          break;
        case Kind::kCertify:
          c.mutable_certify_loan()->set_acting_unit_id(p.village_id);
          break;
        case Kind::kSubmit:
          c.mutable_submit_loan()->set_acting_unit_id(Township(p.county, p.township));
          break;
        case Kind::kOpinion:
          c.mutable_give_county_opinion()->set_acting_unit_id(county);
          c.mutable_give_county_opinion()->set_opinion(
              step.n ? v1::COUNTY_OPINION_FAVOURABLE : v1::COUNTY_OPINION_UNFAVOURABLE);
          if (!step.n) c.mutable_give_county_opinion()->set_reason("还款能力不足");
          break;
        case Kind::kDecide: {
          v1::RecordLenderDecision* d = c.mutable_record_lender_decision();
          d->set_acting_unit_id(county);
          d->set_lender("农村信用合作联社");
          d->set_decision(step.n ? v1::LENDER_DECISION_APPROVED : v1::LENDER_DECISION_REFUSED);
          d->set_approved_amount_fen(step.fen);
          if (!step.n) d->set_reason("征信不符");
          break;
        }
        case Kind::kDisburse:
          c.mutable_disburse_loan()->set_acting_unit_id(county);
          c.mutable_disburse_loan()->set_amount_fen(step.fen);
          c.mutable_disburse_loan()->set_term_months(p.term);
          c.mutable_disburse_loan()->set_annual_rate_bp(kRateBp);
          break;
        case Kind::kSubsidy:
          c.mutable_pay_subsidy()->set_acting_unit_id(county);
          c.mutable_pay_subsidy()->set_period(step.n);
          c.mutable_pay_subsidy()->set_amount_fen(step.fen);
          break;
        case Kind::kRepay:
          c.mutable_record_repayment()->set_acting_unit_id(county);
          c.mutable_record_repayment()->set_principal_fen(step.fen);
          c.mutable_record_repayment()->set_interest_fen(step.fen2);
          break;
        case Kind::kOverdue:
          c.mutable_mark_overdue()->set_acting_unit_id(county);
          c.mutable_mark_overdue()->set_overdue_fen(step.fen);
          break;
        case Kind::kJobs:
          c.mutable_report_jobs_created()->set_acting_unit_id(Township(p.county, p.township));
          c.mutable_report_jobs_created()->set_jobs_created(step.n);
          break;
        case Kind::kSettle:
          c.mutable_settle_loan()->set_acting_unit_id(county);
          break;
      }
      return c;
    }

    // Sends one command as its rpc; fills `response`.
    grpc::Status Send(const std::string& loan_id, std::optional<uint64_t> expected,
                      const v1::LoanCommand& c, const std::string& request_id,
                      v1::CommandResponse* response) {
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "operator-1");
      auto fill = [&](auto& request) {
        request.set_request_id(request_id);
        request.set_loan_id(loan_id);
      };
      auto versioned = [&](auto& request) {
        fill(request);
        if (expected) request.set_expected_version(*expected);
      };
      using C = v1::LoanCommand;
      switch (c.command_case()) {
#define HAVEN_SEND(Case, Rpc, member)         \
  case C::Case: {                             \
    v1::Rpc##Request request;                 \
    versioned(request);                       \
    *request.mutable_##member() = c.member(); \
    return loans->Rpc(&context, request, response); \
  }
        HAVEN_SEND(kCertifyLoan, CertifyLoan, certify_loan)
        HAVEN_SEND(kSubmitLoan, SubmitLoan, submit_loan)
        HAVEN_SEND(kGiveCountyOpinion, GiveCountyOpinion, give_county_opinion)
        HAVEN_SEND(kRecordLenderDecision, RecordLenderDecision, record_lender_decision)
        HAVEN_SEND(kDisburseLoan, DisburseLoan, disburse_loan)
        HAVEN_SEND(kPaySubsidy, PaySubsidy, pay_subsidy)
        HAVEN_SEND(kRecordRepayment, RecordRepayment, record_repayment)
        HAVEN_SEND(kMarkOverdue, MarkOverdue, mark_overdue)
        HAVEN_SEND(kSettleLoan, SettleLoan, settle_loan)
        HAVEN_SEND(kReportJobsCreated, ReportJobsCreated, report_jobs_created)
        HAVEN_SEND(kWithdrawLoan, WithdrawLoan, withdraw_loan)
#undef HAVEN_SEND
        case C::kApplyForLoan: {
          v1::ApplyForLoanRequest request;
          fill(request);
          *request.mutable_apply_for_loan() = c.apply_for_loan();
          return loans->ApplyForLoan(&context, request, response);
        }
        case C::COMMAND_NOT_SET:
          break;
      }
      return grpc::Status(grpc::StatusCode::INTERNAL, "no command");
    }

    // Runs the plan's steps before `until_us`; the model follows.
    void RunUntil(int64_t until_us) {
      for (; next_step < plan.size() && plan[next_step].at_us < until_us; ++next_step) {
        const Step& step = plan[next_step];
        ModelLoan& loan = model[step.loan];
        clock->Set(step.at_us);
        v1::CommandResponse response;
        const bool applies = step.kind == Kind::kApply;
        grpc::Status status =
            Send(loan.plan.id, applies ? std::nullopt : std::optional<uint64_t>(loan.version),
                 CommandOf(step), NextRequestId(), &response);
        ASSERT_TRUE(status.ok()) << loan.plan.id << " step " << step.seq << ": "
                                 << status.error_message();
        ASSERT_FALSE(response.replayed());
        loan.version = response.version();
        if (applies) loan.applied_at_us = step.at_us;
        loan.facts.push_back(Fact{DayOf(step.at_us), step.kind, step.fen, step.fen2, step.n});
        loan.history.emplace_back(response.position(), Derive(loan, 1 << 20).status);
      }
    }
  };

  // Every unit's villages.
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

  static v1::LoanStatistics Statistics(const std::string& unit, int from, int to,
                                       std::optional<int> as_of = std::nullopt) {
    v1::GetLoanStatisticsRequest request;
    request.set_unit_subtree(unit);
    request.set_from_day(DayText(from));
    request.set_to_day(DayText(to));
    if (as_of) request.set_as_of_day(DayText(*as_of));
    request.set_min_position(world_->server->log().HeadPosition());
    v1::GetLoanStatisticsResponse response;
    grpc::ClientContext context;
    grpc::Status status = world_->loans->GetLoanStatistics(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  static void ExpectStatistics(const std::string& unit, int from, int to, int as_of) {
    const v1::LoanStatistics expected =
        ExpectedStatistics(world_->model, VillagesUnder(unit), from, to, as_of);
    const v1::LoanStatistics actual = Statistics(unit, from, to, as_of);
    std::string diff;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(expected, actual))
        << unit << " " << DayText(from) << ".." << DayText(to) << " as of " << DayText(as_of)
        << ":\n"
        << diff;
  }

  // Every (unit, period, as-of) the tests ask about.
  static std::vector<std::tuple<std::string, int, int, int>> Queries(int today) {
    std::vector<std::tuple<std::string, int, int, int>> out;
    const std::vector<std::string> units = {"c", "c-a", "c-b", "c-a-0", "c-b-1", "c-a-1-2"};
    const std::vector<std::pair<int, int>> periods = {
        {0, 365}, {0, 30}, {31, 59}, {90, 180}, {366, 500}, {200, 200}, {0, kPlanDays}};
    for (const std::string& unit : units) {
      for (const auto& [from, to] : periods) {
        out.emplace_back(unit, from, to, std::min(to, today));
        if (to > 60) out.emplace_back(unit, from, to, std::min(to, today) - 45);
      }
    }
    return out;
  }

  static std::vector<v1::LoanListEntry> ListAll(const std::string& unit,
                                                const std::vector<v1::LoanStatus>& statuses,
                                                bool overdue_only, uint32_t page_size) {
    std::vector<v1::LoanListEntry> out;
    std::string token;
    do {
      v1::ListLoansRequest request;
      request.set_unit_subtree(unit);
      for (auto s : statuses) request.add_statuses(s);
      request.set_overdue_only(overdue_only);
      request.set_page_size(page_size);
      request.set_page_token(token);
      request.set_min_position(world_->server->log().HeadPosition());
      v1::ListLoansResponse response;
      grpc::ClientContext context;
      grpc::Status status = world_->loans->ListLoans(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& entry : response.loans()) out.push_back(entry);
      token = response.next_page_token();
    } while (!token.empty());
    return out;
  }

  static World* world_;
};

LoanIntegrationTest::World* LoanIntegrationTest::world_ = nullptr;

const int kMidDay = 300;

TEST_F(LoanIntegrationTest, AsOfAnswersDoNotChangeWithLaterEvents) {
  world_->RunUntil(kStartUs + kMidDay * kDayUs);
  std::vector<v1::LoanStatistics> before;
  for (const auto& [unit, from, to, as_of] : Queries(kMidDay - 1)) {
    ExpectStatistics(unit, from, to, as_of);
    before.push_back(Statistics(unit, from, to, as_of));
  }
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  ASSERT_EQ(world_->next_step, world_->plan.size());
  size_t i = 0;
  for (const auto& [unit, from, to, as_of] : Queries(kMidDay - 1)) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i++], Statistics(unit, from, to, as_of)))
        << unit << " " << from << ".." << to << " as of " << as_of;
  }
}

TEST_F(LoanIntegrationTest, StatisticsMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const auto& [unit, from, to, as_of] : Queries(kPlanDays)) {
    ExpectStatistics(unit, from, to, as_of);
  }
  // The county-wide figures a supervisor reads, printed for the record.
  const v1::LoanStatistics county = Statistics("c-a", 0, 365);
  std::printf("county c-a 2024: applied=%ld disbursed=%ld yuan=%ld to_women=%ld jobs=%ld\n",
              static_cast<long>(county.applied()), static_cast<long>(county.disbursed()),
              static_cast<long>(county.disbursed_fen() / kYuan),
              static_cast<long>(county.disbursed_to_women()),
              static_cast<long>(county.jobs_created()));
  EXPECT_GT(county.disbursed(), 10);
}

TEST_F(LoanIntegrationTest, EveryLoanAndItsHistoryMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  for (const ModelLoan& loan : world_->model) {
    v1::GetLoanRequest request;
    request.set_loan_id(loan.plan.id);
    v1::GetLoanResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(world_->loans->GetLoan(&context, request, &response).ok());
    const v1::LoanView& view = response.loan();
    const Derived d = Derive(loan, 1 << 20);
    EXPECT_EQ(view.status(), d.status) << loan.plan.id;
    EXPECT_EQ(view.version(), loan.version);
    EXPECT_EQ(view.village_unit_id(), loan.plan.village_id);
    EXPECT_EQ(view.applied_fen(), loan.plan.applied_fen);
    EXPECT_EQ(view.approved_fen(), d.approved);
    EXPECT_EQ(view.disbursed_fen(), d.disbursed);
    EXPECT_EQ(view.outstanding_fen(), d.outstanding());
    EXPECT_EQ(view.principal_repaid_fen(), d.repaid);
    EXPECT_EQ(view.interest_repaid_fen(), d.interest);
    EXPECT_EQ(view.subsidy_paid_fen(), d.subsidy);
    EXPECT_EQ(view.overdue_fen(), d.overdue);
    EXPECT_EQ(view.overdue(), d.overdue > 0);
    EXPECT_EQ(view.jobs_created(), d.jobs);
    EXPECT_EQ(view.applicant().name(), absl::StrCat("申请人", &loan - world_->model.data()));

    // As of the position after each of a few commands.
    for (size_t k = 0; k < loan.history.size(); k += 5) {
      v1::GetLoanRequest at;
      at.set_loan_id(loan.plan.id);
      at.set_as_of_position(loan.history[k].first);
      v1::GetLoanResponse then;
      grpc::ClientContext c2;
      ASSERT_TRUE(world_->loans->GetLoan(&c2, at, &then).ok());
      EXPECT_EQ(then.loan().status(), loan.history[k].second) << loan.plan.id << " #" << k;
      EXPECT_EQ(then.loan().version(), k);
    }

    v1::GetLoanHistoryRequest history_request;
    history_request.set_loan_id(loan.plan.id);
    history_request.set_page_size(4);
    size_t seen = 0;
    do {
      v1::GetLoanHistoryResponse page;
      grpc::ClientContext c3;
      ASSERT_TRUE(world_->loans->GetLoanHistory(&c3, history_request, &page).ok());
      for (const auto& entry : page.entries()) {
        ASSERT_LT(seen, loan.facts.size());
        EXPECT_EQ(entry.version(), seen);
        EXPECT_EQ(entry.actor(), "operator-1");
        EXPECT_EQ(DayOf(entry.recorded_at_us()), loan.facts[seen].day);
        ++seen;
      }
      history_request.set_page_token(page.next_page_token());
    } while (!history_request.page_token().empty());
    EXPECT_EQ(seen, loan.facts.size()) << loan.plan.id;
  }
}

TEST_F(LoanIntegrationTest, ListsMatchTheModel) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  struct Filter {
    std::vector<v1::LoanStatus> statuses;
    bool overdue_only;
  };
  const std::vector<Filter> filters = {
      {{}, false},
      {{v1::LOAN_STATUS_DISBURSED}, false},
      {{v1::LOAN_STATUS_SETTLED, v1::LOAN_STATUS_REFUSED}, false},
      {{}, true}};
  for (const std::string unit : {"c", "c-b", "c-a-1", "c-b-0-2"}) {
    const std::set<std::string> villages = VillagesUnder(unit);
    for (const Filter& filter : filters) {
      std::vector<std::tuple<int64_t, std::string>> expected;  // (-applied_at, id)
      for (const ModelLoan& loan : world_->model) {
        if (villages.count(loan.plan.village_id) == 0) continue;
        const Derived d = Derive(loan, 1 << 20);
        if (filter.overdue_only && d.overdue == 0) continue;
        if (!filter.statuses.empty() &&
            std::find(filter.statuses.begin(), filter.statuses.end(), d.status) ==
                filter.statuses.end()) {
          continue;
        }
        expected.emplace_back(-loan.applied_at_us, loan.plan.id);
      }
      std::sort(expected.begin(), expected.end());
      for (uint32_t page_size : {7u, 500u}) {
        const auto listed = ListAll(unit, filter.statuses, filter.overdue_only, page_size);
        ASSERT_EQ(listed.size(), expected.size()) << unit << " page " << page_size;
        for (size_t i = 0; i < listed.size(); ++i) {
          EXPECT_EQ(listed[i].loan_id(), std::get<1>(expected[i])) << unit << " #" << i;
        }
      }
    }
  }
}

TEST_F(LoanIntegrationTest, RebuildingTheProjectionsChangesNoAnswer) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  std::vector<v1::LoanStatistics> stats_before;
  for (const auto& [unit, from, to, as_of] : Queries(kPlanDays)) {
    stats_before.push_back(Statistics(unit, from, to, as_of));
  }
  const auto list_before = ListAll("c", {}, false, 500);
  for (const char* name : {"loan_list", "loan_stats"}) {
    ASSERT_TRUE(world_->server->projections().Rebuild(name).ok()) << name;
  }
  size_t i = 0;
  for (const auto& [unit, from, to, as_of] : Queries(kPlanDays)) {
    EXPECT_TRUE(MessageDifferencer::Equals(stats_before[i++], Statistics(unit, from, to, as_of)));
  }
  const auto list_after = ListAll("c", {}, false, 500);
  ASSERT_EQ(list_before.size(), list_after.size());
  for (size_t k = 0; k < list_before.size(); ++k) {
    EXPECT_TRUE(MessageDifferencer::Equals(list_before[k], list_after[k]));
  }
}

TEST_F(LoanIntegrationTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  v1::LoanCommand c = world_->CommandOf(Step{0, 0, 0, Kind::kApply});
  c.mutable_apply_for_loan()->mutable_applicant()->set_name("王\xc3");
  v1::CommandResponse response;
  grpc::Status status =
      world_->Send("loan-bad-utf8", std::nullopt, c, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("apply_for_loan.applicant.name:", 0), 0u)
      << status.error_message();

  c = world_->CommandOf(Step{0, 0, 0, Kind::kApply});
  c.mutable_apply_for_loan()->set_village_unit_id("c-a");
  status = world_->Send("loan-in-a-county", std::nullopt, c, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message().rfind("unit_level:", 0), 0u) << status.error_message();

  status = world_->Send("Loan 1", std::optional<uint64_t>(0),
                        world_->CommandOf(Step{0, 0, 0, Kind::kSettle}), world_->NextRequestId(),
                        &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("loan_id:", 0), 0u) << status.error_message();
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(LoanIntegrationTest, IllegalTransitionsAreFailedPreconditionNamingTheRule) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  const uint64_t head = world_->server->log().HeadPosition();
  int tried = 0;
  for (const ModelLoan& loan : world_->model) {
    const Derived d = Derive(loan, 1 << 20);
    v1::CommandResponse response;
    std::string rule;
    grpc::Status status;
    if (d.status == v1::LOAN_STATUS_REFUSED || d.status == v1::LOAN_STATUS_WITHDRAWN) {
      rule = "loan_closed:";
      status = world_->Send(loan.plan.id, loan.version,
                            world_->CommandOf(Step{0, static_cast<int>(&loan - world_->model.data()),
                                                   0, Kind::kCertify}),
                            world_->NextRequestId(), &response);
    } else if (d.status == v1::LOAN_STATUS_SETTLED) {
      rule = "loan_settled:";
      status = world_->Send(loan.plan.id, loan.version,
                            world_->CommandOf(Step{0, static_cast<int>(&loan - world_->model.data()),
                                                   0, Kind::kRepay, 100 * kYuan}),
                            world_->NextRequestId(), &response);
    } else if (d.status == v1::LOAN_STATUS_DISBURSED && d.outstanding() > 0) {
      rule = "balance_outstanding:";
      status = world_->Send(loan.plan.id, loan.version,
                            world_->CommandOf(Step{0, static_cast<int>(&loan - world_->model.data()),
                                                   0, Kind::kSettle}),
                            world_->NextRequestId(), &response);
    } else {
      continue;
    }
    ++tried;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << loan.plan.id;
    EXPECT_EQ(status.error_message().rfind(rule, 0), 0u) << status.error_message();
  }
  EXPECT_GT(tried, 50);
  EXPECT_EQ(world_->server->log().HeadPosition(), head);
}

TEST_F(LoanIntegrationTest, ARetriedRequestAnswersWithItsFirstResult) {
  world_->RunUntil(kStartUs + (kPlanDays + 1) * kDayUs);
  v1::LoanCommand c = world_->CommandOf(Step{0, 3, 0, Kind::kApply});
  v1::CommandResponse first, second;
  ASSERT_TRUE(world_->Send("", std::nullopt, c, "retry-me", &first).ok());
  ASSERT_TRUE(world_->Send("", std::nullopt, c, "retry-me", &second).ok());
  EXPECT_EQ(first.loan_id(), second.loan_id());
  EXPECT_EQ(first.position(), second.position());
  EXPECT_TRUE(second.replayed());
  // A stale expected version is ABORTED.
  v1::LoanCommand certify;
  certify.mutable_certify_loan()->set_acting_unit_id(world_->model[3].plan.village_id);
  v1::CommandResponse response;
  grpc::Status status =
      world_->Send(first.loan_id(), 5, certify, world_->NextRequestId(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
}

}  // namespace
}  // namespace haven::loans
