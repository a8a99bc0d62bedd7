// The rights-protection case service end to end: an in-process havend
// (HavenServer over in-memory stores, a manual clock moved on as the test
// goes), a directory built through DirectoryService, 1,000 cases opened,
// worked and closed through the command rpcs over some eight months, then
// every query (GetCase, ListCases, GetStatistics) checked with
// min_position against a model the test kept of what it did
// (case_model.h); the answers survive a rebuild of every projection, stay
// as they were when asked as of a past day or position, and follow a unit
// moved to another county.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "services/cases/projections/case_projections.h"
#include "services/server/server.h"
#include "storage/clock.h"
#include "tests/cases/case_test_util.h"
#include "tests/cases/integration/case_model.h"

namespace haven::cases::integration {
namespace {

using Stub = v1::CaseService::Stub;
using google::protobuf::util::MessageDifferencer;

constexpr int kCases = 1000;
constexpr char kCity[] = "c";
const std::vector<std::string> kCounties = {"c-a", "c-b"};
const std::vector<std::string> kOperators = {"op-0", "op-1", "op-2", "op-3", "op-4", "op-5"};
struct PartnerDef {
  const char* id;
  v1::PartnerType type;
};
const std::vector<PartnerDef> kPartners = {
    {"legal-aid-a", v1::PARTNER_TYPE_LEGAL_AID_CENTRE},
    {"legal-aid-b", v1::PARTNER_TYPE_LEGAL_AID_CENTRE},
    {"lawyer-zhang", v1::PARTNER_TYPE_LAWYER},
    {"shelter-city", v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER},
};

// splitmix64: the same sequence on every platform.
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
  bool Percent(int p) { return Below(100) < p; }

 private:
  uint64_t state_;
};

enum class Step {
  kOpen, kAssign, kContact, kScheduleMediation, kMediationOutcome, kAgreementFollowUp,
  kConsent, kRefer, kAccept, kDecline, kReferralOutcome, kApplyOrder, kDecideOrder, kAdmit,
  kDischarge, kScheduleFollowUp, kCompleteFollowUp, kClose, kReopen,
};

struct Planned {
  int64_t at_us;
  int case_index;
  int seq;
  Step step;
  int arg = 0;
  int arg2 = 0;
  bool operator<(const Planned& o) const {
    return std::tie(at_us, case_index, seq) < std::tie(o.at_us, o.case_index, o.seq);
  }
};

// What the client knows of a case while working it.
struct Live {
  std::string mediation;
  std::string referral;
  std::string referral_partner;
  v1::PartnerType referral_type = v1::PARTNER_TYPE_UNSPECIFIED;
  int64_t referred_at = 0;
  std::string order;
  std::string follow_up;
};

class CaseIntegrationTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    world_ = new CaseIntegrationTest::World();
    world_->Build();
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  struct World {
    ~World() {
      server.reset();
      if (!data_dir.empty()) std::filesystem::remove_all(data_dir);
    }

    // The stores under test: in memory, or RocksDB in a temporary directory
    // when built with HAVEN_INTEGRATION_ON_ROCKSDB.
    absl::StatusOr<server::ServerStores> OpenStores() {
#ifdef HAVEN_INTEGRATION_ON_ROCKSDB
      std::string pattern =
          (std::filesystem::temp_directory_path() / "haven-integration-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp failed");
      data_dir = pattern;
      return server::ServerStores::Open(data_dir, clock);
#else
      return server::ServerStores::InMemory(clock);
#endif
    }

    std::string data_dir;
    std::shared_ptr<storage::ManualClock> clock =
        std::make_shared<storage::ManualClock>(testing::Cst(2024, 1, 2, 8, 0));
    std::unique_ptr<server::HavenServer> server;
    std::unique_ptr<Stub> stub;
    std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
    CaseModel model;
    std::vector<Live> live;
    std::vector<std::string> villages;
    std::vector<std::string> townships;
    uint64_t last_position = 0;
    int requests = 0;

    void Build() {
      auto stores = OpenStores();
      ASSERT_TRUE(stores.ok()) << stores.status();
      auto started = server::HavenServer::Start("127.0.0.1:0", std::move(*stores));
      ASSERT_TRUE(started.ok()) << started.status();
      server = std::move(*started);
      auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                                         grpc::InsecureChannelCredentials());
      stub = v1::CaseService::NewStub(channel);
      directory = directory::v1::DirectoryService::NewStub(channel);
      BuildDirectory();
      RunCases(0, kCases, testing::Cst(2024, 1, 2, 9, 0), 4 * kHourUs, /*close_percent=*/85);
    }

    void CreateUnit(const std::string& id, const std::string& name, directory::v1::UnitKind kind,
                    const std::string& parent) {
      directory::v1::CreateUnitRequest request;
      request.set_request_id("unit-" + id);
      request.set_unit_id(id);
      request.set_name(name);
      request.set_kind(kind);
      request.set_parent_id(parent);
      directory::v1::CommandResponse response;
      grpc::ClientContext context;
      grpc::Status status = directory->CreateUnit(&context, request, &response);
      ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
      last_position = std::max(last_position, response.position());
      model.AddUnit(id, parent);
    }

    // 江宁市 ─ 2 counties ─ 3 townships each ─ 4 villages each.
    void BuildDirectory() {
      CreateUnit(kCity, "江宁市", directory::v1::UNIT_KIND_CITY, "");
      const char* county_names[] = {"东湖县", "西山县"};
      for (size_t c = 0; c < kCounties.size(); ++c) {
        CreateUnit(kCounties[c], county_names[c], directory::v1::UNIT_KIND_COUNTY, kCity);
        for (int t = 0; t < 3; ++t) {
          const std::string township = absl::StrCat(kCounties[c], "-t", t);
          CreateUnit(township, absl::StrCat(county_names[c], "第", t + 1, "镇"),
                     directory::v1::UNIT_KIND_TOWNSHIP, kCounties[c]);
          townships.push_back(township);
          for (int v = 0; v < 4; ++v) {
            const std::string village = absl::StrCat(township, "-v", v);
            CreateUnit(village, absl::StrCat("第", v + 1, "村"), directory::v1::UNIT_KIND_VILLAGE,
                       township);
            villages.push_back(village);
          }
        }
      }
    }

    // Plans cases [first, first + n), opened `spacing` apart from `start`,
    // and runs every step in time order.
    void RunCases(int first, int n, int64_t start, int64_t spacing, int close_percent) {
      std::vector<Planned> plan;
      live.resize(first + n);
      for (int i = first; i < first + n; ++i) PlanCase(i, start + (i - first) * spacing, close_percent, plan);
      std::sort(plan.begin(), plan.end());
      for (const Planned& p : plan) {
        if (p.at_us > clock->NowMicros()) clock->Set(p.at_us);
        Execute(p);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }

    void PlanCase(int i, int64_t t0, int close_percent, std::vector<Planned>& plan) {
      Rng rng(0x5EED0000ULL + static_cast<uint64_t>(i));
      int seq = 0;
      auto add = [&](int64_t at, Step step, int arg = 0, int arg2 = 0) {
        plan.push_back({at, i, seq++, step, arg, arg2});
      };
      t0 += rng.Below(180) * kMinuteUs;
      const int category = 1 + rng.Below(5);  // DV .. sexual harassment
      add(t0, Step::kOpen, category, rng.Below(5));
      int64_t t = t0 + kHourUs;
      if (rng.Percent(30)) add(t, Step::kAssign);
      t += kHourUs;
      add(t, Step::kContact);
      t += kDayUs;
      if (rng.Percent(30)) {
        add(t, Step::kScheduleMediation);
        t += 2 * kDayUs + 2 * kHourUs;
        const int r = rng.Below(100);
        const int outcome = r < 50   ? v1::MEDIATION_OUTCOME_AGREEMENT
                            : r < 65 ? v1::MEDIATION_OUTCOME_PARTIAL
                            : r < 85 ? v1::MEDIATION_OUTCOME_FAILED
                                     : v1::MEDIATION_OUTCOME_ADJOURNED;
        add(t, Step::kMediationOutcome, outcome);
        if (outcome == v1::MEDIATION_OUTCOME_ADJOURNED) {
          t += 3 * kDayUs;
          add(t, Step::kMediationOutcome, v1::MEDIATION_OUTCOME_AGREEMENT);
        }
        if (outcome == v1::MEDIATION_OUTCOME_AGREEMENT && rng.Percent(60)) {
          t += 10 * kDayUs;
          add(t, Step::kAgreementFollowUp,
              rng.Percent(75) ? v1::AGREEMENT_COMPLIANCE_KEPT : v1::AGREEMENT_COMPLIANCE_BROKEN);
        }
      }
      const bool will_close = rng.Percent(close_percent);
      if (rng.Percent(30)) {
        const int partner = rng.Below(static_cast<int>(kPartners.size()));
        t += kHourUs;
        add(t, Step::kConsent, partner);
        t += kHourUs;
        add(t, Step::kRefer, partner);
        if (rng.Percent(70)) {
          t += (2 + rng.Below(100)) * kHourUs + rng.Below(3600) * 1'000'000LL;
          add(t, Step::kAccept);
          if (will_close || rng.Percent(50)) {
            t += 10 * kDayUs;
            add(t, Step::kReferralOutcome, 1 + rng.Below(4));
          }
        } else {
          t += kDayUs;
          add(t, Step::kDecline);
        }
      }
      if (category == v1::CATEGORY_DOMESTIC_VIOLENCE) {
        if (rng.Percent(40)) {
          t += kDayUs;
          add(t, Step::kApplyOrder, rng.Percent(50));
          t += 3 * kDayUs;
          add(t, Step::kDecideOrder, rng.Percent(70));
        }
        if (rng.Percent(20)) {
          t += kHourUs;
          add(t, Step::kAdmit);
          t += 7 * kDayUs;
          add(t, Step::kDischarge);
        }
      }
      if (rng.Percent(60)) {
        t += kDayUs;
        const int due_days = 3 + rng.Below(20);
        add(t, Step::kScheduleFollowUp, due_days);
        if (will_close || rng.Percent(40)) {
          t += (due_days + rng.Below(3) - 1) * kDayUs + kHourUs;
          add(t, Step::kCompleteFollowUp);
        }
      }
      if (will_close) {
        t += (3 + rng.Below(40)) * kDayUs;
        add(t, Step::kClose, 1 + rng.Below(9), 1 + rng.Below(3));
        if (rng.Percent(4)) {
          t += 5 * kDayUs;
          add(t, Step::kReopen);
          if (rng.Percent(50)) {
            t += 10 * kDayUs;
            add(t, Step::kClose, 1 + rng.Below(7), 1 + rng.Below(3));
          }
        }
      }
    }

    static std::string CaseId(int i) { return absl::StrFormat("case-%04d", i); }

    template <typename Request>
    using Rpc = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, v1::CommandResponse*);

    // Sends a command for case `i` with its last version; records the answer.
    template <typename Request>
    v1::CommandResponse Send(int i, Rpc<Request> rpc, Request request) {
      ModelCase& c = model.Get(CaseId(i));
      request.set_request_id(absl::StrCat("req-", ++requests));
      request.set_case_id(c.id);
      request.set_expected_version(c.version);
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "op-tester");
      v1::CommandResponse response;
      grpc::Status status = (stub.get()->*rpc)(&context, request, &response);
      EXPECT_TRUE(status.ok()) << c.id << " " << request.GetTypeName() << ": "
                               << status.error_message();
      c.version = response.version();
      c.position = response.position();
      last_position = std::max(last_position, response.position());
      return response;
    }

    void AddFact(int i, Fact f) {
      f.at_us = clock->NowMicros();
      model.Get(CaseId(i)).facts.push_back(std::move(f));
    }

    void Execute(const Planned& p);
  };

  static World* world_;
};

CaseIntegrationTest::World* CaseIntegrationTest::world_ = nullptr;

void CaseIntegrationTest::World::Execute(const Planned& p) {
  const int i = p.case_index;
  Live& l = live[i];
  const int64_t now = clock->NowMicros();
  switch (p.step) {
    case Step::kOpen: {
      Rng rng(0xCA5E0000ULL + static_cast<uint64_t>(i));
      ModelCase c;
      c.id = CaseId(i);
      c.unit = villages[rng.Below(static_cast<int>(villages.size()))];
      const v1::Channel channels[] = {v1::CHANNEL_HOTLINE, v1::CHANNEL_VISIT, v1::CHANNEL_LETTER,
                                      v1::CHANNEL_ONLINE, v1::CHANNEL_POLICE_REFERRAL};
      c.channel = channels[p.arg2];
      c.category = static_cast<v1::Category>(p.arg);
      const bool assign_now = rng.Percent(70);
      if (assign_now) c.assignee = kOperators[rng.Below(static_cast<int>(kOperators.size()))];
      c.opened_at_us = now;
      v1::OpenCaseRequest request;
      request.set_request_id(absl::StrCat("req-", ++requests));
      request.set_case_id(c.id);
      *request.mutable_open_case() = testing::OpenCaseCommand().open_case();
      v1::OpenCase* open = request.mutable_open_case();
      open->set_channel(c.channel);
      open->set_category(c.category);
      open->clear_subcategory();
      open->set_urgency(static_cast<v1::Urgency>(1 + rng.Below(3)));
      open->set_org_unit_id(c.unit);
      open->set_received_at_us(now - 30 * kMinuteUs);
      open->set_assignee_operator_id(c.assignee);
      grpc::ClientContext context;
      context.AddMetadata("haven-actor", "op-tester");
      v1::CommandResponse response;
      grpc::Status status = stub->OpenCase(&context, request, &response);
      ASSERT_TRUE(status.ok()) << c.id << ": " << status.error_message();
      c.version = response.version();
      c.position = response.position();
      last_position = std::max(last_position, response.position());
      ModelCase& added = model.Add(std::move(c));
      added.facts.push_back({now, FactKind::kOpened});
      break;
    }
    case Step::kAssign: {
      ModelCase& c = model.Get(CaseId(i));
      const std::string op = kOperators[(i * 7) % kOperators.size()] == c.assignee
                                 ? kOperators[(i * 7 + 1) % kOperators.size()]
                                 : kOperators[(i * 7) % kOperators.size()];
      v1::AssignCaseRequest r;
      r.mutable_assign_case()->set_operator_id(op);
      Send(i, &Stub::AssignCase, r);
      c.assignee = op;
      break;
    }
    case Step::kContact: {
      v1::RecordContactRequest r;
      r.mutable_record_contact()->set_method(v1::CONTACT_METHOD_PHONE);
      r.mutable_record_contact()->set_summary("回访电话，情绪稳定。");
      Send(i, &Stub::RecordContact, r);
      break;
    }
    case Step::kScheduleMediation: {
      v1::ScheduleMediationRequest r;
      v1::ScheduleMediation* m = r.mutable_schedule_mediation();
      m->set_committee_level(v1::COMMITTEE_LEVEL_TOWNSHIP);
      m->set_committee_name("镇人民调解委员会");
      m->set_mediator_name("刘桂芳");
      v1::Party* party = m->add_parties();
      party->set_role(v1::PARTY_ROLE_APPLICANT);
      party->mutable_person()->set_name("王秀兰");
      m->set_scheduled_at_us(now + 2 * kDayUs);
      l.mediation = Send(i, &Stub::ScheduleMediation, r).created_id();
      AddFact(i, {0, FactKind::kMediationScheduled});
      break;
    }
    case Step::kMediationOutcome: {
      v1::RecordMediationOutcomeRequest r;
      r.mutable_record_mediation_outcome()->set_mediation_id(l.mediation);
      r.mutable_record_mediation_outcome()->set_outcome(static_cast<v1::MediationOutcome>(p.arg));
      Send(i, &Stub::RecordMediationOutcome, r);
      AddFact(i, {0, FactKind::kMediationOutcome, p.arg});
      break;
    }
    case Step::kAgreementFollowUp: {
      v1::RecordAgreementFollowUpRequest r;
      r.mutable_record_agreement_follow_up()->set_mediation_id(l.mediation);
      r.mutable_record_agreement_follow_up()->set_compliance(
          static_cast<v1::AgreementCompliance>(p.arg));
      Send(i, &Stub::RecordAgreementFollowUp, r);
      AddFact(i, {0, FactKind::kAgreementFollowUp, p.arg});
      break;
    }
    case Step::kConsent: {
      v1::RecordConsentRequest r;
      r.mutable_record_consent()->add_scope(kPartners[p.arg].type);
      r.mutable_record_consent()->set_form(v1::CONSENT_FORM_WRITTEN);
      Send(i, &Stub::RecordConsent, r);
      break;
    }
    case Step::kRefer: {
      v1::MakeReferralRequest r;
      r.mutable_make_referral()->set_partner_id(kPartners[p.arg].id);
      r.mutable_make_referral()->set_partner_type(kPartners[p.arg].type);
      r.mutable_make_referral()->set_reason("需要法律帮助。");
      l.referral = Send(i, &Stub::MakeReferral, r).created_id();
      l.referral_partner = kPartners[p.arg].id;
      l.referral_type = kPartners[p.arg].type;
      l.referred_at = now;
      AddFact(i, {0, FactKind::kReferralMade, l.referral_type, 0, l.referral, l.referral_partner});
      break;
    }
    case Step::kAccept: {
      v1::AcceptReferralRequest r;
      r.mutable_accept_referral()->set_referral_id(l.referral);
      Send(i, &Stub::AcceptReferral, r);
      AddFact(i, {0, FactKind::kReferralAccepted, l.referral_type, 0, l.referral,
                  l.referral_partner, l.referred_at});
      break;
    }
    case Step::kDecline: {
      v1::DeclineReferralRequest r;
      r.mutable_decline_referral()->set_referral_id(l.referral);
      r.mutable_decline_referral()->set_reason("不在受理范围。");
      Send(i, &Stub::DeclineReferral, r);
      AddFact(i, {0, FactKind::kReferralDeclined, l.referral_type, 0, l.referral,
                  l.referral_partner});
      break;
    }
    case Step::kReferralOutcome: {
      v1::ReportReferralOutcomeRequest r;
      r.mutable_report_referral_outcome()->set_referral_id(l.referral);
      r.mutable_report_referral_outcome()->set_outcome(static_cast<v1::ReferralOutcome>(p.arg));
      Send(i, &Stub::ReportReferralOutcome, r);
      AddFact(i, {0, FactKind::kReferralOutcome, l.referral_type, p.arg, l.referral,
                  l.referral_partner});
      break;
    }
    case Step::kApplyOrder: {
      v1::ApplyProtectionOrderRequest r;
      r.mutable_apply_protection_order()->set_court_name("县人民法院");
      r.mutable_apply_protection_order()->set_emergency(p.arg != 0);
      l.order = Send(i, &Stub::ApplyProtectionOrder, r).created_id();
      AddFact(i, {0, FactKind::kOrderApplied, p.arg});
      break;
    }
    case Step::kDecideOrder: {
      v1::RecordProtectionOrderDecisionRequest r;
      v1::RecordProtectionOrderDecision* d = r.mutable_record_protection_order_decision();
      d->set_order_id(l.order);
      if (p.arg) {
        d->set_decision(v1::PROTECTION_ORDER_DECISION_GRANTED);
        d->set_expires_at_us(now + 90 * kDayUs);
      } else {
        d->set_decision(v1::PROTECTION_ORDER_DECISION_DENIED);
        d->set_reason("证据不足。");
      }
      Send(i, &Stub::RecordProtectionOrderDecision, r);
      AddFact(i, {0, FactKind::kOrderDecided, p.arg});
      break;
    }
    case Step::kAdmit: {
      v1::AdmitToShelterRequest r;
      r.mutable_admit_to_shelter()->set_shelter_id("shelter-city");
      Send(i, &Stub::AdmitToShelter, r);
      AddFact(i, {0, FactKind::kShelterAdmitted});
      break;
    }
    case Step::kDischarge: {
      v1::DischargeFromShelterRequest r;
      Send(i, &Stub::DischargeFromShelter, r);
      AddFact(i, {0, FactKind::kShelterDischarged});
      break;
    }
    case Step::kScheduleFollowUp: {
      v1::ScheduleFollowUpRequest r;
      const int64_t due = now + p.arg * kDayUs;
      r.mutable_schedule_follow_up()->set_due_at_us(due);
      l.follow_up = Send(i, &Stub::ScheduleFollowUp, r).created_id();
      AddFact(i, {0, FactKind::kFollowUpScheduled, 0, 0, l.follow_up, "", due});
      break;
    }
    case Step::kCompleteFollowUp: {
      v1::CompleteFollowUpRequest r;
      r.mutable_complete_follow_up()->set_follow_up_id(l.follow_up);
      r.mutable_complete_follow_up()->set_method(v1::CONTACT_METHOD_HOME_VISIT);
      Send(i, &Stub::CompleteFollowUp, r);
      AddFact(i, {0, FactKind::kFollowUpDone, 0, 0, l.follow_up});
      break;
    }
    case Step::kClose: {
      v1::CloseCaseRequest r;
      r.mutable_close_case()->set_resolution(static_cast<v1::Resolution>(p.arg));
      r.mutable_close_case()->set_satisfaction(static_cast<v1::Satisfaction>(p.arg2));
      r.mutable_close_case()->set_closure_note("已办结。");
      Send(i, &Stub::CloseCase, r);
      AddFact(i, {0, FactKind::kClosed, p.arg, p.arg2});
      break;
    }
    case Step::kReopen: {
      v1::ReopenCaseRequest r;
      r.mutable_reopen_case()->set_reason("男方再次施暴。");
      Send(i, &Stub::ReopenCase, r);
      AddFact(i, {0, FactKind::kReopened});
      break;
    }
  }
}

// ---- Queries, each with min_position = the last position the test wrote.

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

class Queries {
 public:
  explicit Queries(CaseIntegrationTest::World& w) : w_(w) {}

  // Every page of a list; fails the test on an error.
  std::vector<v1::CaseListItem> ListAll(const v1::CaseListFilter& filter, v1::CaseListSort sort,
                                        uint32_t page_size = 37) {
    std::vector<v1::CaseListItem> items;
    v1::ListCasesRequest request;
    *request.mutable_filter() = filter;
    request.set_sort(sort);
    request.set_page_size(page_size);
    request.set_min_position(w_.last_position);
    for (int pages = 0; pages < 1000; ++pages) {
      v1::ListCasesResponse response;
      auto context = Context();
      grpc::Status status = w_.stub->ListCases(context.get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      items.insert(items.end(), response.cases().begin(), response.cases().end());
      if (response.next_cursor().empty()) break;
      request.set_cursor(response.next_cursor());
    }
    return items;
  }

  static std::vector<std::string> Ids(const std::vector<v1::CaseListItem>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item.case_id());
    return ids;
  }

  v1::CaseStatistics Stats(const std::string& subtree, const std::string& from,
                           const std::string& to, const std::string& as_of_day = "",
                           uint64_t as_of_position = 0) {
    v1::GetStatisticsRequest request;
    request.set_unit_subtree(subtree);
    request.set_from_day(from);
    request.set_to_day(to);
    if (!as_of_day.empty()) request.set_as_of_day(as_of_day);
    if (as_of_position != 0) request.set_as_of_position(as_of_position);
    request.set_min_position(w_.last_position);
    v1::GetStatisticsResponse response;
    auto context = Context();
    grpc::Status status = w_.stub->GetStatistics(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.statistics();
  }

  v1::CaseView Case(const std::string& id, uint64_t as_of_position = 0) {
    v1::GetCaseRequest request;
    request.set_case_id(id);
    if (as_of_position != 0) request.set_as_of_position(as_of_position);
    request.set_min_position(w_.last_position);
    v1::GetCaseResponse response;
    auto context = Context();
    grpc::Status status = w_.stub->GetCase(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
    return response.case_view();
  }

  // Every answer the test checks, serialized, for comparing before and
  // after a rebuild.
  std::vector<std::string> Snapshot() {
    std::vector<std::string> answers;
    for (const auto& [filter, sort] : Filters()) {
      for (const auto& item : ListAll(filter, sort)) answers.push_back(item.SerializeAsString());
      answers.push_back("--");
    }
    for (const std::string& unit : {std::string(kCity), kCounties[0], kCounties[1]}) {
      answers.push_back(Stats(unit, "2024-01-01", "2024-12-31").DebugString());
      answers.push_back(Stats(unit, "2024-03-01", "2024-05-31", "2024-04-15").DebugString());
    }
    for (int i = 0; i < kCases; i += 97) {
      answers.push_back(Case(CaseIntegrationTest::World::CaseId(i)).DebugString());
    }
    return answers;
  }

  // The filters the test lists by.
  std::vector<std::pair<v1::CaseListFilter, v1::CaseListSort>> Filters() const {
    std::vector<std::pair<v1::CaseListFilter, v1::CaseListSort>> filters;
    v1::CaseListFilter f;
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);  // every case
    f.set_status(v1::CASE_STATUS_OPEN);
    filters.emplace_back(f, v1::CASE_LIST_SORT_UNSPECIFIED);
    f.set_status(v1::CASE_STATUS_CLOSED);
    f.set_category(v1::CATEGORY_DOMESTIC_VIOLENCE);
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);
    f.Clear();
    f.set_unit_subtree(kCounties[0]);
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);
    f.set_status(v1::CASE_STATUS_OPEN);
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);
    f.Clear();
    f.set_assignee_operator_id(kOperators[3]);
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);
    f.Clear();
    f.set_overdue_follow_up(true);
    filters.emplace_back(f, v1::CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST);
    f.Clear();
    filters.emplace_back(f, v1::CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST);
    f.set_channel(v1::CHANNEL_HOTLINE);
    f.set_opened_from_us(testing::Cst(2024, 2, 1));
    f.set_opened_before_us(testing::Cst(2024, 4, 1));
    filters.emplace_back(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST);
    return filters;
  }

 private:
  CaseIntegrationTest::World& w_;
};

void ExpectStats(const v1::CaseStatistics& expected, const v1::CaseStatistics& actual,
                 const std::string& what) {
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(expected, ModelledFields(actual))) << what << ":\n" << diff;
}

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST_F(CaseIntegrationTest, EveryQueryMatchesTheModel) {
  ASSERT_NE(world_->server, nullptr);
  World& w = *world_;
  Queries q(w);
  int closed = 0, reopened = 0, overdue = 0;
  for (const ModelCase& c : w.model.cases()) {
    closed += c.ClosedBefore(INT64_MAX);
    reopened += c.ReopenCount() > 0;
  }
  const int64_t now = w.clock->NowMicros();
  overdue = static_cast<int>(w.model.List([] {
    v1::CaseListFilter f;
    f.set_overdue_follow_up(true);
    return f;
  }(), v1::CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST, now).size());
  // The mix is what the issue asks for.
  EXPECT_EQ(w.model.cases().size(), static_cast<size_t>(kCases));
  EXPECT_GT(closed, 780);
  EXPECT_LT(closed, 920);
  EXPECT_GT(reopened, 5);
  EXPECT_GT(overdue, 5);

  // GetCase for a sample.
  for (int i = 0; i < kCases; i += 13) {
    const ModelCase& c = w.model.cases()[i];
    v1::CaseView view = q.Case(c.id);
    const bool is_closed = c.ClosedBefore(INT64_MAX);
    EXPECT_EQ(view.status(), is_closed ? v1::CASE_STATUS_CLOSED : v1::CASE_STATUS_OPEN) << c.id;
    EXPECT_EQ(view.org_unit_id(), c.unit) << c.id;
    EXPECT_EQ(view.channel(), c.channel) << c.id;
    EXPECT_EQ(view.category(), c.category) << c.id;
    EXPECT_EQ(view.assignee_operator_id(), c.assignee) << c.id;
    EXPECT_EQ(view.opened_at_us(), c.opened_at_us) << c.id;
    EXPECT_EQ(view.closed_at_us(), c.LastClosedAt()) << c.id;
    EXPECT_EQ(view.reopen_count(), c.ReopenCount()) << c.id;
    EXPECT_EQ(view.version(), c.version) << c.id;
    EXPECT_EQ(view.position(), c.position) << c.id;
    if (!is_closed) {
      const auto due = c.NextFollowUpDue();
      EXPECT_EQ(view.has_next_follow_up_due_at_us(), due.has_value()) << c.id;
      if (due) EXPECT_EQ(view.next_follow_up_due_at_us(), *due) << c.id;
    }
  }

  // ListCases: every expected case exactly once, in the documented order.
  for (const auto& [filter, sort] : q.Filters()) {
    const std::vector<std::string> expected = w.model.List(filter, sort, now);
    const std::vector<v1::CaseListItem> items = q.ListAll(filter, sort);
    EXPECT_EQ(Queries::Ids(items), expected) << filter.ShortDebugString() << " sort " << sort;
    for (const auto& item : items) {
      const ModelCase& c = w.model.Get(item.case_id());
      EXPECT_EQ(item.org_unit_id(), c.unit);
      EXPECT_EQ(item.opened_at_us(), c.opened_at_us);
      EXPECT_EQ(item.assignee_operator_id(), c.assignee);
    }
  }
  EXPECT_GT(w.model.List(q.Filters()[3].first, q.Filters()[3].second, now).size(), 300u);

  // GetStatistics for the city and a county, over the year and a quarter.
  for (const std::string& unit : {std::string(kCity), kCounties[0], kCounties[1]}) {
    ExpectStats(w.model.Statistics(unit, Day(2024, 1, 1), Day(2024, 12, 31)),
                q.Stats(unit, "2024-01-01", "2024-12-31"), unit + " 2024");
    ExpectStats(w.model.Statistics(unit, Day(2024, 3, 1), Day(2024, 5, 31)),
                q.Stats(unit, "2024-03-01", "2024-05-31"), unit + " spring");
    ExpectStats(w.model.Statistics(unit, Day(2024, 3, 1), Day(2024, 5, 31), Day(2024, 4, 15)),
                q.Stats(unit, "2024-03-01", "2024-05-31", "2024-04-15"), unit + " as of 04-15");
  }
  const v1::CaseStatistics city = q.Stats(kCity, "2024-01-01", "2024-12-31");
  EXPECT_EQ(city.opened(), kCases);
  EXPECT_GT(city.mediation_outcomes_size(), 2);
  EXPECT_GT(city.partners_size(), 2);
  EXPECT_GT(city.protection_orders_granted(), 0);
  EXPECT_GT(city.shelter_admissions(), 0);
  EXPECT_TRUE(city.has_median_days_to_close());
}

TEST_F(CaseIntegrationTest, RebuildingEveryProjectionKeepsEveryAnswer) {
  ASSERT_NE(world_->server, nullptr);
  World& w = *world_;
  Queries q(w);
  const std::vector<std::string> before = q.Snapshot();

  v1::RebuildProjectionsRequest request;
  request.set_all(true);
  v1::RebuildProjectionsResponse response;
  auto context = Context();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  grpc::Status status = w.stub->RebuildProjections(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Every projection of the server is rebuilt in one replay, the case
  // projections among them.
  for (const std::string& name : cases::CaseProjectionNames()) {
    EXPECT_THAT(response.rebuilt(), ::testing::Contains(name));
  }
  EXPECT_GE(response.events(), w.last_position);
  EXPECT_GT(response.events_per_second(), 0);

  v1::GetProjectionStatusResponse lag;
  auto lag_context = Context();
  ASSERT_TRUE(w.stub->GetProjectionStatus(lag_context.get(), {}, &lag).ok());
  ASSERT_EQ(lag.projections_size(), response.rebuilt_size());
  for (const auto& p : lag.projections()) {
    EXPECT_EQ(p.error(), "") << p.name();
    EXPECT_FALSE(p.rebuilding()) << p.name();
    EXPECT_EQ(p.head(), w.server->log().HeadPosition()) << p.name();
    EXPECT_EQ(p.checkpoint(), p.head()) << p.name();
    EXPECT_EQ(p.lag(), 0u) << p.name();
  }
  EXPECT_EQ(q.Snapshot(), before);
}

TEST_F(CaseIntegrationTest, AsOfAnswersDoNotChangeWithLaterEvents) {
  ASSERT_NE(world_->server, nullptr);
  World& w = *world_;
  Queries q(w);
  const uint64_t position = w.last_position;
  const std::string day = absl::FormatCivilTime(CstDay(w.clock->NowMicros()) - 1);
  auto ask = [&] {
    std::vector<std::string> answers;
    for (const std::string& unit : {std::string(kCity), kCounties[0]}) {
      answers.push_back(q.Stats(unit, "2024-01-01", "2024-12-31", day).DebugString());
      answers.push_back(q.Stats(unit, "2024-01-01", "2024-12-31", "", position).DebugString());
    }
    for (int i = 0; i < kCases; i += 11) {
      answers.push_back(q.Case(World::CaseId(i), position).DebugString());
    }
    return answers;
  };
  const std::vector<std::string> before = ask();
  // The as-of-position statistics equal the model's as of now.
  const v1::CaseStatistics expected = w.model.Statistics(
      kCity, Day(2024, 1, 1), Day(2024, 12, 31), CstDay(w.clock->NowMicros()));
  v1::CaseStatistics at_position = q.Stats(kCity, "2024-01-01", "2024-12-31",
                                           absl::FormatCivilTime(CstDay(w.clock->NowMicros())),
                                           position);
  ExpectStats(expected, at_position, "city at position");

  // The next day: close every open case that can be closed, open 100 more.
  w.clock->Advance(kDayUs);
  for (int i = 0; i < kCases; ++i) {
    if (w.model.cases()[i].ClosedBefore(INT64_MAX)) continue;
    // Cases with a pending referral or mediation stay open.
    v1::CaseView c = q.Case(World::CaseId(i));
    if (!c.open_referrals().empty()) continue;
    bool pending = false;
    for (const auto& m : c.mediations()) pending = pending || m.pending();
    if (pending) continue;
    w.Execute({w.clock->NowMicros(), i, 0, Step::kClose, 1, 1});
  }
  w.RunCases(kCases, 100, w.clock->NowMicros() + kHourUs, kHourUs, 50);
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(ask(), before);

  // And the model still agrees with the answers as of now.
  const absl::CivilDay today = CstDay(w.clock->NowMicros());
  ExpectStats(w.model.Statistics(kCity, Day(2024, 1, 1), today),
              q.Stats(kCity, "2024-01-01", absl::FormatCivilTime(today)), "city after");
}

TEST_F(CaseIntegrationTest, MovingAUnitMovesItsCases) {
  ASSERT_NE(world_->server, nullptr);
  World& w = *world_;
  Queries q(w);
  const std::string moved = w.townships[2];  // c-a-t2
  ASSERT_EQ(moved, "c-a-t2");
  directory::v1::MoveUnitRequest request;
  request.set_request_id("move-" + moved);
  request.set_unit_id(moved);
  request.set_new_parent_id(kCounties[1]);
  directory::v1::CommandResponse response;
  grpc::ClientContext context;
  grpc::Status status = w.directory->MoveUnit(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  w.last_position = std::max(w.last_position, response.position());
  w.model.MoveUnit(moved, kCounties[1]);

  const int64_t now = w.clock->NowMicros();
  const absl::CivilDay today = CstDay(now);
  for (const std::string& county : kCounties) {
    v1::CaseListFilter f;
    f.set_unit_subtree(county);
    const auto expected = w.model.List(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST, now);
    EXPECT_EQ(Queries::Ids(q.ListAll(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST, 100)), expected)
        << county;
    ExpectStats(w.model.Statistics(county, Day(2024, 1, 1), today),
                q.Stats(county, "2024-01-01", absl::FormatCivilTime(today)), county);
  }
  v1::CaseListFilter f;
  f.set_unit_subtree(kCounties[1]);
  const auto in_b = w.model.List(f, v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST, now);
  EXPECT_TRUE(std::any_of(in_b.begin(), in_b.end(), [&](const std::string& id) {
    return w.model.Get(id).unit.rfind(moved, 0) == 0;
  }));
}

TEST_F(CaseIntegrationTest, BadQueriesNameTheField) {
  ASSERT_NE(world_->server, nullptr);
  World& w = *world_;
  auto list = [&](v1::ListCasesRequest r) {
    v1::ListCasesResponse response;
    auto context = Context();
    return w.stub->ListCases(context.get(), r, &response);
  };
  auto stats = [&](v1::GetStatisticsRequest r) {
    v1::GetStatisticsResponse response;
    auto context = Context();
    return w.stub->GetStatistics(context.get(), r, &response);
  };
  auto starts = [](const grpc::Status& s, const std::string& prefix) {
    return s.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
           s.error_message().rfind(prefix + ":", 0) == 0;
  };
  v1::ListCasesRequest l;
  l.set_page_size(1001);
  EXPECT_TRUE(starts(list(l), "page_size"));
  l.Clear();
  l.set_cursor("nonsense");
  EXPECT_TRUE(starts(list(l), "cursor"));
  l.Clear();
  l.mutable_filter()->set_unit_subtree("no-such-unit");
  EXPECT_TRUE(starts(list(l), "filter.unit_subtree"));
  l.Clear();
  l.mutable_filter()->set_opened_from_us(10);
  l.mutable_filter()->set_opened_before_us(5);
  EXPECT_TRUE(starts(list(l), "filter.opened_before_us"));

  v1::GetStatisticsRequest s;
  s.set_from_day("2024-01-01");
  s.set_to_day("2024-02-01");
  EXPECT_TRUE(starts(stats(s), "unit_subtree"));
  s.set_unit_subtree(kCity);
  s.set_from_day("2024-13-01");
  EXPECT_TRUE(starts(stats(s), "from_day"));
  s.set_from_day("2024-03-01");
  EXPECT_TRUE(starts(stats(s), "to_day"));
  s.set_to_day("2024-04-01");
  s.set_as_of_day("yesterday");
  EXPECT_TRUE(starts(stats(s), "as_of_day"));

  v1::RebuildProjectionsRequest rebuild;
  v1::RebuildProjectionsResponse rebuilt;
  auto context = Context();
  EXPECT_TRUE(starts(w.stub->RebuildProjections(context.get(), rebuild, &rebuilt), "names"));

  // A position the log has not reached: DEADLINE_EXCEEDED naming it.
  v1::ListCasesRequest far;
  far.set_min_position(w.server->log().HeadPosition() + 1000);
  grpc::ClientContext short_context;
  short_context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  v1::ListCasesResponse response;
  grpc::Status late = w.stub->ListCases(&short_context, far, &response);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace haven::cases::integration
