#include "tests/access/access_fixture.h"

#include <chrono>
#include <map>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/credentials.h"
#include "tests/cases/case_test_util.h"

namespace haven::access::testing {
namespace {

namespace cv1 = cases::v1;
namespace dv1 = directory::v1;

std::optional<std::string> TestCaller(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kTestUserHeader);
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

void ExpectOk(const grpc::Status& status, const std::string& what) {
  ASSERT_TRUE(status.ok()) << what << ": " << status.error_code() << " "
                           << status.error_message();
}

}  // namespace

const std::vector<Caller>& Callers() {
  using K = Caller::Kind;
  static const std::vector<Caller>* const kCallers = new std::vector<Caller>{
      {"op-xw", v1::ROLE_OPERATOR, "nj-xw", K::kUser},
      {"op-nj", v1::ROLE_OPERATOR, "nj", K::kUser},
      {"sup-xw", v1::ROLE_SUPERVISOR, "nj-xw", K::kUser},
      {"sup-gc", v1::ROLE_SUPERVISOR, "nj-gc", K::kUser},
      {"lawyer-xw", v1::ROLE_LEGAL_AID_PARTNER, "", K::kUser},
      {"auditor", v1::ROLE_AUDITOR, "", K::kUser},
      {kAdmin, v1::ROLE_ADMIN, "", K::kUser},
      {"sys", v1::ROLE_SYSTEM, "", K::kUser},
      {"gone", v1::ROLE_OPERATOR, "nj-xw", K::kDisabled},
      {"stranger", v1::ROLE_UNSPECIFIED, "", K::kUnregistered},
      {"", v1::ROLE_UNSPECIFIED, "", K::kNoCredentials},
  };
  return *kCallers;
}

std::string ParentOf(const std::string& unit_id) {
  static const std::map<std::string, std::string>* const kParents =
      new std::map<std::string, std::string>{
          {"nj", ""},
          {"nj-xw", "nj"},
          {"nj-xw-my", "nj-xw"},
          {"nj-xw-my-lj", "nj-xw-my"},
          {"nj-gc", "nj"},
          {"nj-gc-cx", "nj-gc"},
          {"nj-gc-cx-xc", "nj-gc-cx"},
          {kHomeIn, "nj-xw-my-lj"},
          {kHomeOut, "nj-gc-cx-xc"}};
  auto it = kParents->find(unit_id);
  return it == kParents->end() ? "" : it->second;
}

bool InSubtree(const std::string& unit_id, const std::string& root_id) {
  if (root_id.empty()) return false;
  for (std::string u = unit_id; !u.empty(); u = ParentOf(u)) {
    if (u == root_id) return true;
  }
  return false;
}

void AccessTest::SetUp() {
  server::ServerSecurity security;
  security.enforce_access = true;
  security.bootstrap_admin = kAdmin;
  security.test_caller_resolver = &TestCaller;
  auto started =
      server::HavenServer::Start("127.0.0.1:0", server::ServerStores::InMemory(), security);
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = std::move(*started);
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  clients_.events = haven::v1::EventStore::NewStub(channel_);
  clients_.directory = dv1::DirectoryService::NewStub(channel_);
  clients_.cases = cv1::CaseService::NewStub(channel_);
  clients_.access = v1::AccessAdminService::NewStub(channel_);
  clients_.legal_aid = legalaid::v1::LegalAidService::NewStub(channel_);
  clients_.audit = audit::v1::AuditService::NewStub(channel_);
  clients_.loans = loans::v1::LoanService::NewStub(channel_);
  clients_.children = children::v1::ChildrenService::NewStub(channel_);
  clients_.microhomes = microhomes::v1::MicroHomeService::NewStub(channel_);
  clients_.projects = projects::v1::ProjectService::NewStub(channel_);
  clients_.targets = targets::v1::TargetService::NewStub(channel_);
  BuildWorld();
}

void AccessTest::TearDown() {
  if (server_) server_->Shutdown(std::chrono::seconds(1));
}

void AccessTest::As(const std::string& user_id, grpc::ClientContext* context) {
  if (!user_id.empty()) context->AddMetadata(kTestUserHeader, user_id);
  context->AddMetadata("haven-purpose", "permission matrix");
}

std::string& ReferralIn() {
  static std::string* const kReferral = new std::string;
  return *kReferral;
}

void AccessTest::BuildWorld() {
  auto unit = [&](const std::string& id, const std::string& name, dv1::UnitKind kind,
                  const std::string& parent, const std::string& code) {
    grpc::ClientContext context;
    As(kAdmin, &context);
    dv1::CreateUnitRequest request;
    request.set_request_id("create-" + id);
    request.set_unit_id(id);
    request.set_name(name);
    request.set_kind(kind);
    request.set_parent_id(parent);
    request.set_statistical_code(code);
    dv1::CommandResponse response;
    ExpectOk(clients_.directory->CreateUnit(&context, request, &response), id);
  };
  unit("nj", "南京市", dv1::UNIT_KIND_CITY, "", "320100000000");
  unit("nj-xw", "玄武区", dv1::UNIT_KIND_DISTRICT, "nj", "320102000000");
  unit("nj-xw-my", "梅园新村街道", dv1::UNIT_KIND_STREET, "nj-xw", "320102002000");
  unit("nj-gc", "高淳区", dv1::UNIT_KIND_DISTRICT, "nj", "320118000000");
  unit("nj-xw-my-lj", "兰园社区", dv1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002001");
  unit("nj-gc-cx", "淳溪街道", dv1::UNIT_KIND_STREET, "nj-gc", "320118001000");
  unit("nj-gc-cx-xc", "薛城村", dv1::UNIT_KIND_VILLAGE, "nj-gc-cx", "320118001201");
  unit(kHomeIn, "兰园微家", dv1::UNIT_KIND_MICRO_HOME, "nj-xw-my-lj", "");
  unit(kHomeOut, "薛城微家", dv1::UNIT_KIND_MICRO_HOME, "nj-gc-cx-xc", "");
  {
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::RegisterPartnerRequest request;
    request.set_request_id("partner-legal-xw");
    request.set_partner_id(kPartner);
    request.set_name("玄武区法律援助中心");
    request.set_org_unit_id("nj-xw");
    v1::CommandResponse response;
    ExpectOk(clients_.access->RegisterPartner(&context, request, &response), "partner");
  }
  for (const Caller& caller : Callers()) {
    if (caller.user_id == kAdmin || caller.kind == Caller::Kind::kUnregistered ||
        caller.kind == Caller::Kind::kNoCredentials) {
      continue;
    }
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::RegisterUserRequest request;
    request.set_request_id("user-" + caller.user_id);
    request.set_user_id(caller.user_id);
    request.set_display_name("用户" + caller.user_id);
    request.set_role(caller.role);
    request.set_org_unit_id(caller.org_unit_id);
    if (caller.role == v1::ROLE_LEGAL_AID_PARTNER) request.set_partner_id(kPartner);
    v1::CommandResponse response;
    ExpectOk(clients_.access->RegisterUser(&context, request, &response), caller.user_id);
  }
  {
    grpc::ClientContext context;
    As(kAdmin, &context);
    v1::DisableUserRequest request;
    request.set_request_id("disable-gone");
    request.set_user_id("gone");
    request.set_reason("离职");
    v1::CommandResponse response;
    ExpectOk(clients_.access->DisableUser(&context, request, &response), "disable");
  }
  OpenCase("op-xw", kCaseIn, "nj-xw-my");
  OpenCase("op-nj", kCaseOut, "nj-gc");
  {
    grpc::ClientContext context;
    As("op-xw", &context);
    cv1::RecordConsentRequest request;
    request.set_request_id("consent-in");
    request.set_case_id(kCaseIn);
    request.set_expected_version(CaseVersion("op-xw", kCaseIn));
    request.mutable_record_consent()->add_scope(cv1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    request.mutable_record_consent()->set_form(cv1::CONSENT_FORM_ORAL);
    cv1::CommandResponse response;
    ExpectOk(clients_.cases->RecordConsent(&context, request, &response), "consent");
  }
  {
    grpc::ClientContext context;
    As("op-xw", &context);
    cv1::MakeReferralRequest request;
    request.set_request_id("refer-in");
    request.set_case_id(kCaseIn);
    request.set_expected_version(CaseVersion("op-xw", kCaseIn));
    request.mutable_make_referral()->set_partner_id(kPartner);
    request.mutable_make_referral()->set_partner_type(cv1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    request.mutable_make_referral()->set_reason("需要法律援助：离婚诉讼");
    cv1::CommandResponse response;
    ExpectOk(clients_.cases->MakeReferral(&context, request, &response), "referral");
    ReferralIn() = response.created_id();
  }
  ApplyForLoan("op-xw", kLoanIn, "nj-xw-my-lj");
  ApplyForLoan("op-nj", kLoanOut, "nj-gc-cx-xc");
  RegisterChild("op-xw", kChildIn, "nj-xw-my");
  RegisterChild("op-nj", kChildOut, "nj-gc-cx");
  RegisterMentor("op-xw", kMentorIn, "nj-xw");
  RegisterMentor("op-nj", kMentorOut, "nj-gc");
  RegisterMicroHome("op-xw", kHomeIn);
  RegisterMicroHome("op-nj", kHomeOut);
  RegisterProject("op-xw", kProjectIn, "nj-xw");
  RegisterProject("op-nj", kProjectOut, "nj-gc");
}

void AccessTest::RegisterMicroHome(const std::string& operator_id, const std::string& home) {
  grpc::ClientContext context;
  As(operator_id, &context);
  microhomes::v1::RegisterMicroHomeRequest request;
  request.set_request_id("register-" + home);
  request.set_unit_id(home);
  microhomes::v1::RegisterMicroHome* r = request.mutable_register_micro_home();
  r->set_kind(microhomes::v1::MICRO_HOME_KIND_NEIGHBOURHOOD_GRID);
  r->set_venue(microhomes::v1::VENUE_BUILDING);
  r->mutable_host()->set_name("女主人");
  r->add_executives()->set_executive_id("exec-1");
  r->mutable_executives(0)->set_name("执委");
  microhomes::v1::CommandResponse response;
  ExpectOk(clients_.microhomes->RegisterMicroHome(&context, request, &response),
           "register " + home);
}

void AccessTest::RegisterProject(const std::string& operator_id, const std::string& project_id,
                                 const std::string& unit) {
  grpc::ClientContext context;
  As(operator_id, &context);
  projects::v1::RegisterProjectRequest request;
  request.set_request_id("register-" + project_id);
  request.set_project_id(project_id);
  projects::v1::RegisterProject* r = request.mutable_register_project();
  r->set_title("两癌免费检查");
  r->set_unit_id(unit);
  r->set_funding_source(projects::v1::FUNDING_SOURCE_OWN);
  r->set_budget_fen(158'000'00);
  r->add_cost_shares()->set_party("县财政");
  r->mutable_cost_shares(0)->set_share_bp(10'000);
  r->mutable_leader()->set_name("负责人");
  r->set_overall_goal("免费检查");
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  r->set_planned_start_at_us(now_us);
  r->set_planned_end_at_us(now_us + 200LL * 86'400'000'000);
  projects::v1::CommandResponse response;
  ExpectOk(clients_.projects->RegisterProject(&context, request, &response),
           "register " + project_id);
}

void AccessTest::OpenCase(const std::string& operator_id, const std::string& case_id,
                          const std::string& unit) {
  grpc::ClientContext context;
  As(operator_id, &context);
  cv1::OpenCaseRequest request;
  request.set_request_id("open-" + case_id);
  request.set_case_id(case_id);
  *request.mutable_open_case() = cases::testing::OpenCaseCommand().open_case();
  request.mutable_open_case()->set_org_unit_id(unit);
  // The server's clock is the system's: received an hour ago.
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  request.mutable_open_case()->set_received_at_us(now_us - 3600LL * 1000 * 1000);
  cv1::CommandResponse response;
  ExpectOk(clients_.cases->OpenCase(&context, request, &response), "open " + case_id);
}

int64_t AccessTest::CaseVersion(const std::string& user_id, const std::string& case_id) {
  grpc::ClientContext context;
  As(user_id, &context);
  cv1::GetCaseRequest request;
  request.set_case_id(case_id);
  cv1::GetCaseResponse response;
  if (!clients_.cases->GetCase(&context, request, &response).ok()) return -1;
  return static_cast<int64_t>(response.case_view().version());
}

void AccessTest::ApplyForLoan(const std::string& operator_id, const std::string& loan_id,
                              const std::string& village) {
  grpc::ClientContext context;
  As(operator_id, &context);
  loans::v1::ApplyForLoanRequest request;
  request.set_request_id("apply-" + loan_id);
  request.set_loan_id(loan_id);
  loans::v1::ApplyForLoan* a = request.mutable_apply_for_loan();
  a->set_applicant_kind(loans::v1::APPLICANT_KIND_WOMAN);
  a->mutable_applicant()->set_name("申请人");
  a->set_village_unit_id(village);
  a->set_amount_fen(50'000'00);
  a->set_term_months(12);
  a->set_purpose(loans::v1::LOAN_PURPOSE_PLANTING);
  a->set_project("大棚蔬菜种植");
  a->set_jobs_expected(2);
  loans::v1::CommandResponse response;
  ExpectOk(clients_.loans->ApplyForLoan(&context, request, &response), "apply " + loan_id);
}

void AccessTest::RegisterChild(const std::string& operator_id, const std::string& child_id,
                               const std::string& unit) {
  grpc::ClientContext context;
  As(operator_id, &context);
  children::v1::RegisterChildRequest request;
  request.set_request_id("register-" + child_id);
  request.set_child_id(child_id);
  children::v1::RegisterChild* r = request.mutable_register_child();
  r->set_category(children::v1::CHILD_CATEGORY_LEFT_BEHIND);
  r->mutable_child()->set_name("儿童");
  r->mutable_child()->set_birth_date("2016-05-01");
  r->mutable_child()->mutable_guardian()->set_name("监护人");
  r->mutable_child()->mutable_guardian()->set_relationship("祖母");
  r->set_unit_id(unit);
  children::v1::CommandResponse response;
  ExpectOk(clients_.children->RegisterChild(&context, request, &response), "register " + child_id);
}

void AccessTest::RegisterMentor(const std::string& operator_id, const std::string& mentor_id,
                                const std::string& unit) {
  grpc::ClientContext context;
  As(operator_id, &context);
  children::v1::RegisterMentorRequest request;
  request.set_request_id("register-" + mentor_id);
  request.set_mentor_id(mentor_id);
  children::v1::RegisterMentor* r = request.mutable_register_mentor();
  r->set_kind(children::v1::MENTOR_KIND_CADRE);
  r->mutable_mentor()->set_name("导师");
  r->set_unit_id(unit);
  children::v1::CommandResponse response;
  ExpectOk(clients_.children->RegisterMentor(&context, request, &response),
           "register " + mentor_id);
}

}  // namespace haven::access::testing
