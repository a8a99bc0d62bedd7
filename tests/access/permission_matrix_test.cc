// The permission matrix: every rpc of every service × every kind of caller
// × inside and outside the caller's jurisdiction, each asserting that the
// call passes authorisation (and gets the answer a caller who may see it
// gets) or the exact denial: code and rule.
//
// The expectations come from this file's own statement of the rules
// (kHolders and Expect), not from the production permission table, so that
// a change to either shows up here.  To add a service, add its rows to
// Rows() and its name to kServices; CoverageTest fails until every rpc of
// every service in kServices has a row.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/access/access_fixture.h"

namespace haven::access::testing {
namespace {

namespace cv1 = cases::v1;
namespace dv1 = directory::v1;
namespace ev1 = haven::v1;
namespace lv1 = legalaid::v1;
namespace av1 = audit::v1;
namespace lnv1 = loans::v1;
namespace chv1 = children::v1;
namespace mhv1 = microhomes::v1;
namespace pjv1 = projects::v1;
namespace tgv1 = targets::v1;
using grpc::StatusCode;

// What a row's target is, relative to the caller's unit.
enum class Scope {
  kNone,        // no case or unit
  kCase,        // a case: inside, outside, missing
  kLoan,        // a loan, by its village: inside, outside, missing
  kChild,       // a child, by her unit: inside, outside, missing
  kMentor,      // a mentor, by her unit: inside, outside, missing
  kMicroHome,   // a micro-home, which is its unit: inside, outside, missing
  kHomeUnit,    // the unit a micro-home command acts for: inside, outside
  kProject,     // a project, by its unit: inside, outside, missing
  kUnit,        // a unit filter: inside, outside, or none (the caller's own)
  kOpenUnit,    // the unit a case is opened (a record registered) in: inside, outside
  kActingUnit,  // the unit a loan's step names as acting: inside, outside
  kAnyUnit,     // statistics: any unit, small cells withheld outside her subtree
  kCaseLog,     // a case's access records: inside, outside, missing
  kUserLog,     // a user's access records: inside, outside, a user of no unit
};

struct Target {
  std::string label;
  std::string case_id;    // Or the loan, child, mentor or user addressed.
  std::string case_unit;  // Empty: no such record.
  std::string unit;       // Empty: none given.
};

using Call = std::function<grpc::Status(Clients&, grpc::ClientContext*, const Target&)>;

struct Row {
  std::string service;  // full name, e.g. "haven.cases.v1.CaseService"
  std::string rpc;
  std::string rule;  // the permission it needs (a rule name)
  Scope scope;
  // What a caller who passes authorisation gets (requests are built so that
  // nothing is written: stale versions, taken ids).
  StatusCode allowed;
  Call call;
};

const char* const kServices[] = {"haven.v1.EventStore",
                                 "haven.directory.v1.DirectoryService",
                                 "haven.cases.v1.CaseService",
                                 "haven.access.v1.AccessAdminService",
                                 "haven.legalaid.v1.LegalAidService",
                                 "haven.audit.v1.AuditService",
                                 "haven.loans.v1.LoanService",
                                 "haven.children.v1.ChildrenService",
                                 "haven.microhomes.v1.MicroHomeService",
                                 "haven.projects.v1.ProjectService",
                                 "haven.targets.v1.TargetService"};

// Who holds each permission: the rules of services/access/RULES.md.
const std::map<std::string, std::set<v1::Role>>& Holders() {
  static const auto* const kHolders = new std::map<std::string, std::set<v1::Role>>{
      {"identify_self",
       {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_LEGAL_AID_PARTNER, v1::ROLE_AUDITOR,
        v1::ROLE_ADMIN, v1::ROLE_SYSTEM}},
      {"raw_event_store", {v1::ROLE_SYSTEM}},
      {"directory_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}},
      {"directory_write", {v1::ROLE_ADMIN}},
      {"access_admin", {v1::ROLE_ADMIN}},
      {"case_work", {v1::ROLE_OPERATOR}},
      {"case_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {"statistics_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {"projection_status",
       {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN, v1::ROLE_SYSTEM}},
      {"projection_rebuild", {v1::ROLE_ADMIN}},
      {"partner_api", {v1::ROLE_LEGAL_AID_PARTNER}},
      {"access_log_read", {v1::ROLE_AUDITOR, v1::ROLE_SUPERVISOR}},
      {"programme_work", {v1::ROLE_OPERATOR}},
      {"programme_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {"target_plan", {v1::ROLE_SUPERVISOR}},
  };
  return *kHolders;
}

std::vector<Target> TargetsOf(Scope scope) {
  switch (scope) {
    case Scope::kNone:
      return {{"-", "", "", ""}};
    case Scope::kCase:
      return {{"case inside nj-xw", kCaseIn, "nj-xw-my", ""},
              {"case in nj-gc", kCaseOut, "nj-gc", ""},
              {"missing case", kCaseMissing, "", ""}};
    case Scope::kLoan:
      return {{"loan inside nj-xw", kLoanIn, "nj-xw-my-lj", ""},
              {"loan in nj-gc", kLoanOut, "nj-gc-cx-xc", ""},
              {"missing loan", kLoanMissing, "", ""}};
    case Scope::kChild:
      return {{"child inside nj-xw", kChildIn, "nj-xw-my", ""},
              {"child in nj-gc", kChildOut, "nj-gc-cx", ""},
              {"missing child", kChildMissing, "", ""}};
    case Scope::kMentor:
      return {{"mentor of nj-xw", kMentorIn, "nj-xw", ""},
              {"mentor of nj-gc", kMentorOut, "nj-gc", ""},
              {"missing mentor", kMentorMissing, "", ""}};
    case Scope::kMicroHome:
      return {{"micro-home inside nj-xw", kHomeIn, kHomeIn, ""},
              {"micro-home in nj-gc", kHomeOut, kHomeOut, ""},
              {"missing micro-home", kHomeMissing, "", ""}};
    case Scope::kHomeUnit:  // the micro-home in case_id, acting for itself
      return {{"home-in by itself", kHomeIn, kHomeIn, kHomeIn},
              {"home-out by itself", kHomeOut, kHomeOut, kHomeOut}};
    case Scope::kProject:
      return {{"project of nj-xw", kProjectIn, "nj-xw", ""},
              {"project of nj-gc", kProjectOut, "nj-gc", ""},
              {"missing project", kProjectMissing, "", ""}};
    case Scope::kActingUnit:  // the loan in case_id, of the acting unit's village
      return {{"loan-in by nj-xw-my-lj", kLoanIn, "nj-xw-my-lj", "nj-xw-my-lj"},
              {"loan-out by nj-gc-cx-xc", kLoanOut, "nj-gc-cx-xc", "nj-gc-cx-xc"}};
    case Scope::kUnit:
      return {{"unit nj-xw-my", "", "", "nj-xw-my"},
              {"unit nj-gc", "", "", "nj-gc"},
              {"no unit", "", "", ""}};
    case Scope::kOpenUnit:
      return {{"unit nj-xw-my", "", "", "nj-xw-my"}, {"unit nj-gc", "", "", "nj-gc"}};
    case Scope::kAnyUnit:
      return TargetsOf(Scope::kUnit);
    case Scope::kCaseLog:
      return TargetsOf(Scope::kCase);
    case Scope::kUserLog:  // the user's id in case_id, her unit in unit
      return {{"user op-xw of nj-xw", "op-xw", "", "nj-xw"},
              {"user op-nj of nj", "op-nj", "", "nj"},
              {"partner user lawyer-xw", "lawyer-xw", "", ""}};
  }
  return {};
}

struct Expected {
  StatusCode code;
  std::string message_prefix;  // Empty: any message.
};

std::string SubtreeRule(const Caller& caller) {
  return absl::StrCat("rule ", caller.role == v1::ROLE_OPERATOR ? "operator" : "supervisor",
                      "_unit_subtree:");
}

Expected Expect(const Row& row, const Caller& caller, const Target& target) {
  switch (caller.kind) {
    case Caller::Kind::kNoCredentials:
    case Caller::Kind::kUnregistered:
      return {StatusCode::UNAUTHENTICATED, "credentials:"};
    case Caller::Kind::kDisabled:
      return {StatusCode::PERMISSION_DENIED, "rule user_enabled:"};
    case Caller::Kind::kUser:
      break;
  }
  if (Holders().at(row.rule).count(caller.role) == 0) {
    return {StatusCode::PERMISSION_DENIED, absl::StrCat("rule ", row.rule, ":")};
  }
  const Expected allowed{row.allowed, ""};
  const Expected denied{StatusCode::PERMISSION_DENIED, SubtreeRule(caller)};
  switch (row.scope) {
    case Scope::kNone:
      return allowed;
    case Scope::kCase:
    case Scope::kLoan:
    case Scope::kChild:
    case Scope::kMentor:
    case Scope::kMicroHome:
    case Scope::kProject:
      if (target.case_unit.empty()) {
        // Only a caller who would see it learns that it does not exist:
        // "case_not_found", "child_not_found"...
        const std::string kind = row.scope == Scope::kMicroHome
                                     ? "micro_home"
                                     : target.case_id.substr(0, target.case_id.find('-'));
        return ParentOf(caller.org_unit_id).empty()
                   ? Expected{StatusCode::NOT_FOUND, kind + "_not_found"}
                   : denied;
      }
      return InSubtree(target.case_unit, caller.org_unit_id) ? allowed : denied;
    case Scope::kUnit:
    case Scope::kOpenUnit:
    case Scope::kHomeUnit:
    case Scope::kActingUnit: {
      const std::string unit = target.unit.empty() ? caller.org_unit_id : target.unit;
      return InSubtree(unit, caller.org_unit_id) ? allowed : denied;
    }
    case Scope::kAnyUnit:
      return allowed;
    case Scope::kCaseLog:
      if (caller.role == v1::ROLE_AUDITOR) return allowed;
      return !target.case_unit.empty() && InSubtree(target.case_unit, caller.org_unit_id)
                 ? allowed
                 : denied;
    case Scope::kUserLog:
      if (caller.role == v1::ROLE_AUDITOR) return allowed;
      return !target.unit.empty() && InSubtree(target.unit, caller.org_unit_id) ? allowed
                                                                                 : denied;
  }
  return allowed;
}

// Makes each request id unique.
int& rpc_counter() {
  static int counter = 0;
  return counter;
}

// A case command sent with a stale expected version: ABORTED for a caller
// who may see the case, and nothing is written either way.
template <typename Request>
Row CaseCommandRow(const std::string& rpc,
                   grpc::Status (cv1::CaseService::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&,
                                                                  cv1::CommandResponse*)) {
  return Row{"haven.cases.v1.CaseService", rpc, "case_work", Scope::kCase, StatusCode::ABORTED,
             [method](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_case_id(t.case_id);
               request.set_expected_version(999);
               cv1::CommandResponse response;
               return ((*c.cases).*method)(context, request, &response);
             }};
}

// A directory or access command with a stale expected version.
template <typename Stub, typename Request, typename Response>
Row StaleCommandRow(const std::string& service, const std::string& rpc, const std::string& rule,
                    std::unique_ptr<Stub> Clients::*stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    std::function<void(Request&)> fill) {
  return Row{service, rpc, rule, Scope::kNone, StatusCode::ABORTED,
             [stub, method, fill](Clients& c, grpc::ClientContext* context, const Target&) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_expected_version(999);
               fill(request);
               Response response;
               return ((*(c.*stub)).*method)(context, request, &response);
             }};
}

// A query whose answer is OK for a caller who may ask it.
template <typename Stub, typename Request, typename Response>
Row QueryRow(const std::string& service, const std::string& rpc, const std::string& rule,
             Scope scope, std::unique_ptr<Stub> Clients::*stub,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
             std::function<void(Request&, const Target&)> fill) {
  return Row{service, rpc, rule, scope, StatusCode::OK,
             [stub, method, fill](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               fill(request, t);
               Response response;
               return ((*(c.*stub)).*method)(context, request, &response);
             }};
}

// A partner command on case-in's referral with a stale case version:
// ABORTED for her, and nothing is written either way.
template <typename Request>
Row PartnerCommandRow(const std::string& rpc,
                      grpc::Status (lv1::LegalAidService::Stub::*method)(grpc::ClientContext*,
                                                                         const Request&,
                                                                         cv1::CommandResponse*),
                      std::function<void(Request&)> fill) {
  return Row{"haven.legalaid.v1.LegalAidService", rpc, "partner_api", Scope::kNone,
             StatusCode::ABORTED,
             [method, fill](Clients& c, grpc::ClientContext* context, const Target&) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_case_id(kCaseIn);
               request.set_expected_version(999);
               fill(request);
               cv1::CommandResponse response;
               return ((*c.legal_aid).*method)(context, request, &response);
             }};
}

// Sets the acting unit of a loan step's request: field 4 holds the step,
// whose acting_unit_id names the unit.
void SetActingUnit(google::protobuf::Message& request, const std::string& unit) {
  const google::protobuf::FieldDescriptor* step = request.GetDescriptor()->FindFieldByNumber(4);
  google::protobuf::Message* command = request.GetReflection()->MutableMessage(&request, step);
  const google::protobuf::FieldDescriptor* acting =
      command->GetDescriptor()->FindFieldByName("acting_unit_id");
  ASSERT_NE(acting, nullptr) << request.GetDescriptor()->full_name();
  command->GetReflection()->SetString(command, acting, unit);
}

// A loan step for the target's loan, acting for its village, with a stale
// expected version: ABORTED for a caller who may act for the unit, and
// nothing is written either way.
template <typename Request>
Row LoanCommandRow(const std::string& rpc,
                   grpc::Status (lnv1::LoanService::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&,
                                                                   lnv1::CommandResponse*)) {
  return Row{"haven.loans.v1.LoanService", rpc, "programme_work", Scope::kActingUnit,
             StatusCode::ABORTED,
             [method](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_loan_id(t.case_id);
               request.set_expected_version(999);
               SetActingUnit(request, t.unit);
               lnv1::CommandResponse response;
               return ((*c.loans).*method)(context, request, &response);
             }};
}

// A micro-home command for the target's micro-home, acting (when the
// command names an acting unit) for the micro-home's own unit, with a
// stale expected version: ABORTED for a caller who may act for the unit,
// and nothing is written either way.
template <typename Request>
Row MicroHomeCommandRow(const std::string& rpc,
                        grpc::Status (mhv1::MicroHomeService::Stub::*method)(
                            grpc::ClientContext*, const Request&, mhv1::CommandResponse*)) {
  return Row{"haven.microhomes.v1.MicroHomeService", rpc, "programme_work", Scope::kHomeUnit,
             StatusCode::ABORTED,
             [method](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_unit_id(t.case_id);
               request.set_expected_version(999);
               auto* step = request.GetReflection()->MutableMessage(
                   &request, request.GetDescriptor()->FindFieldByNumber(4));
               if (const auto* acting = step->GetDescriptor()->FindFieldByName("acting_unit_id")) {
                 step->GetReflection()->SetString(step, acting, t.unit);
               }
               mhv1::CommandResponse response;
               return ((*c.microhomes).*method)(context, request, &response);
             }};
}

// A project command with a stale expected version: ABORTED for a caller
// who may see the project, and nothing is written either way.
template <typename Request>
Row ProjectCommandRow(const std::string& rpc,
                      grpc::Status (pjv1::ProjectService::Stub::*method)(
                          grpc::ClientContext*, const Request&, pjv1::CommandResponse*)) {
  return Row{"haven.projects.v1.ProjectService", rpc, "programme_work", Scope::kProject,
             StatusCode::ABORTED,
             [method](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_project_id(t.case_id);
               request.set_expected_version(999);
               pjv1::CommandResponse response;
               return ((*c.projects).*method)(context, request, &response);
             }};
}

// A child command with a stale expected version: ABORTED for a caller who
// may see the child, and nothing is written either way.
template <typename Request>
Row ChildCommandRow(const std::string& rpc,
                    grpc::Status (chv1::ChildrenService::Stub::*method)(grpc::ClientContext*,
                                                                        const Request&,
                                                                        chv1::CommandResponse*)) {
  return Row{"haven.children.v1.ChildrenService", rpc, "programme_work", Scope::kChild,
             StatusCode::ABORTED,
             [method](Clients& c, grpc::ClientContext* context, const Target& t) {
               Request request;
               request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
               request.set_child_id(t.case_id);
               request.set_expected_version(999);
               chv1::CommandResponse response;
               return ((*c.children).*method)(context, request, &response);
             }};
}

std::vector<Row> Rows() {
  using CS = cv1::CaseService::Stub;
  using DS = dv1::DirectoryService::Stub;
  using AS = v1::AccessAdminService::Stub;
  using ES = ev1::EventStore::Stub;
  const std::string kCases = "haven.cases.v1.CaseService";
  const std::string kDirectory = "haven.directory.v1.DirectoryService";
  const std::string kAccess = "haven.access.v1.AccessAdminService";
  const std::string kEvents = "haven.v1.EventStore";
  std::vector<Row> rows;

  // ---- EventStore: the system role only.
  rows.push_back(Row{kEvents, "Append", "raw_event_store", Scope::kNone, StatusCode::ABORTED,
                     [](Clients& c, grpc::ClientContext* context, const Target&) {
                       ev1::AppendRequest request;
                       request.set_stream_id(kCaseIn);
                       request.mutable_expected_version()->set_kind(ev1::ExpectedVersion::EXACT);
                       request.mutable_expected_version()->set_version(999);
                       ev1::EventData* e = request.add_events();
                       e->set_event_id("9a4b5b7e-2f55-4a4e-8d55-000000000001");
                       e->set_event_type("matrix.probe");
                       e->set_payload("{}");
                       e->set_content_type("application/json");
                       ev1::AppendResponse response;
                       return c.events->Append(context, request, &response);
                     }});
  rows.push_back(QueryRow<ES, ev1::ReadStreamRequest, ev1::ReadStreamResponse>(
      kEvents, "ReadStream", "raw_event_store", Scope::kNone, &Clients::events, &ES::ReadStream,
      [](ev1::ReadStreamRequest& r, const Target&) { r.set_stream_id(kCaseIn); }));
  rows.push_back(QueryRow<ES, ev1::ReadAllRequest, ev1::ReadAllResponse>(
      kEvents, "ReadAll", "raw_event_store", Scope::kNone, &Clients::events, &ES::ReadAll,
      [](ev1::ReadAllRequest& r, const Target&) { r.set_from_position(1); }));
  rows.push_back(Row{kEvents, "Subscribe", "raw_event_store", Scope::kNone, StatusCode::OK,
                     [](Clients& c, grpc::ClientContext* context, const Target&) {
                       ev1::SubscribeRequest request;
                       request.set_from_position(1);
                       auto reader = c.events->Subscribe(context, request);
                       ev1::SubscribeResponse message;
                       if (reader->Read(&message)) {
                         context->TryCancel();
                         while (reader->Read(&message)) {
                         }
                         reader->Finish();
                         return grpc::Status::OK;  // The stream delivered.
                       }
                       return reader->Finish();
                     }});

  // ---- DirectoryService: reads for staff, writes for admins.
  rows.push_back(StaleCommandRow<DS, dv1::CreateUnitRequest, dv1::CommandResponse>(
      kDirectory, "CreateUnit", "directory_write", &Clients::directory, &DS::CreateUnit,
      [](dv1::CreateUnitRequest& r) {
        r.set_unit_id("nj-xw-new");
        r.set_name("新街道");
        r.set_kind(dv1::UNIT_KIND_STREET);
        r.set_parent_id("nj-xw");
      }));
  rows.push_back(StaleCommandRow<DS, dv1::RenameUnitRequest, dv1::CommandResponse>(
      kDirectory, "RenameUnit", "directory_write", &Clients::directory, &DS::RenameUnit,
      [](dv1::RenameUnitRequest& r) {
        r.set_unit_id("nj-gc");
        r.set_name("高淳");
      }));
  rows.push_back(StaleCommandRow<DS, dv1::MoveUnitRequest, dv1::CommandResponse>(
      kDirectory, "MoveUnit", "directory_write", &Clients::directory, &DS::MoveUnit,
      [](dv1::MoveUnitRequest& r) {
        r.set_unit_id("nj-xw-my");
        r.set_new_parent_id("nj-gc");
      }));
  rows.push_back(StaleCommandRow<DS, dv1::CloseUnitRequest, dv1::CommandResponse>(
      kDirectory, "CloseUnit", "directory_write", &Clients::directory, &DS::CloseUnit,
      [](dv1::CloseUnitRequest& r) { r.set_unit_id("nj-gc"); }));
  rows.push_back(QueryRow<DS, dv1::GetUnitRequest, dv1::GetUnitResponse>(
      kDirectory, "GetUnit", "directory_read", Scope::kNone, &Clients::directory, &DS::GetUnit,
      [](dv1::GetUnitRequest& r, const Target&) { r.set_unit_id("nj-gc"); }));
  rows.push_back(QueryRow<DS, dv1::ListChildrenRequest, dv1::ListChildrenResponse>(
      kDirectory, "ListChildren", "directory_read", Scope::kNone, &Clients::directory,
      &DS::ListChildren, [](dv1::ListChildrenRequest& r, const Target&) { r.set_unit_id("nj"); }));
  rows.push_back(QueryRow<DS, dv1::ListSubtreeRequest, dv1::ListSubtreeResponse>(
      kDirectory, "ListSubtree", "directory_read", Scope::kNone, &Clients::directory,
      &DS::ListSubtree, [](dv1::ListSubtreeRequest& r, const Target&) { r.set_unit_id("nj"); }));
  rows.push_back(QueryRow<DS, dv1::FindByCodeRequest, dv1::GetUnitResponse>(
      kDirectory, "FindByCode", "directory_read", Scope::kNone, &Clients::directory,
      &DS::FindByCode,
      [](dv1::FindByCodeRequest& r, const Target&) { r.set_statistical_code("320118000000"); }));

  // ---- CaseService.
  rows.push_back(Row{kCases, "OpenCase", "case_work", Scope::kOpenUnit, StatusCode::ALREADY_EXISTS,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // The id is taken: a caller who may open there learns
                       // it exists (it is in her reach), and nothing is written.
                       cv1::OpenCaseRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_case_id(kCaseIn);
                       request.mutable_open_case()->set_org_unit_id(t.unit);
                       cv1::CommandResponse response;
                       return c.cases->OpenCase(context, request, &response);
                     }});
#define HAVEN_CASE_ROW(Rpc) rows.push_back(CaseCommandRow<cv1::Rpc##Request>(#Rpc, &CS::Rpc))
  HAVEN_CASE_ROW(AssignCase);
  HAVEN_CASE_ROW(RecordContact);
  HAVEN_CASE_ROW(AddNote);
  HAVEN_CASE_ROW(AssessRisk);
  HAVEN_CASE_ROW(ScheduleMediation);
  HAVEN_CASE_ROW(RecordMediationOutcome);
  HAVEN_CASE_ROW(RecordAgreementFollowUp);
  HAVEN_CASE_ROW(RecordConsent);
  HAVEN_CASE_ROW(WithdrawConsent);
  HAVEN_CASE_ROW(MakeReferral);
  HAVEN_CASE_ROW(AcceptReferral);
  HAVEN_CASE_ROW(DeclineReferral);
  HAVEN_CASE_ROW(ReportReferralProgress);
  HAVEN_CASE_ROW(ReportReferralOutcome);
  HAVEN_CASE_ROW(RecordDvAlarm);
  HAVEN_CASE_ROW(RequestInjuryAssessment);
  HAVEN_CASE_ROW(AdmitToShelter);
  HAVEN_CASE_ROW(DischargeFromShelter);
  HAVEN_CASE_ROW(ApplyProtectionOrder);
  HAVEN_CASE_ROW(RecordProtectionOrderDecision);
  HAVEN_CASE_ROW(IssueWarningLetter);
  HAVEN_CASE_ROW(GrantAssistance);
  HAVEN_CASE_ROW(ScheduleFollowUp);
  HAVEN_CASE_ROW(CompleteFollowUp);
  HAVEN_CASE_ROW(CloseCase);
  HAVEN_CASE_ROW(ReopenCase);
#undef HAVEN_CASE_ROW
  rows.push_back(QueryRow<CS, cv1::GetCaseRequest, cv1::GetCaseResponse>(
      kCases, "GetCase", "case_read", Scope::kCase, &Clients::cases, &CS::GetCase,
      [](cv1::GetCaseRequest& r, const Target& t) { r.set_case_id(t.case_id); }));
  rows.push_back(QueryRow<CS, cv1::GetCaseHistoryRequest, cv1::GetCaseHistoryResponse>(
      kCases, "GetCaseHistory", "case_read", Scope::kCase, &Clients::cases, &CS::GetCaseHistory,
      [](cv1::GetCaseHistoryRequest& r, const Target& t) { r.set_case_id(t.case_id); }));
  rows.push_back(QueryRow<CS, cv1::ListCasesRequest, cv1::ListCasesResponse>(
      kCases, "ListCases", "case_read", Scope::kUnit, &Clients::cases, &CS::ListCases,
      [](cv1::ListCasesRequest& r, const Target& t) {
        r.mutable_filter()->set_unit_subtree(t.unit);
      }));
  rows.push_back(QueryRow<CS, cv1::GetStatisticsRequest, cv1::GetStatisticsResponse>(
      kCases, "GetStatistics", "statistics_read", Scope::kAnyUnit, &Clients::cases,
      &CS::GetStatistics, [](cv1::GetStatisticsRequest& r, const Target& t) {
        r.set_unit_subtree(t.unit);
        r.set_from_day("2024-01-01");
        r.set_to_day("2024-12-31");
      }));
  rows.push_back(QueryRow<CS, cv1::GetProjectionStatusRequest, cv1::GetProjectionStatusResponse>(
      kCases, "GetProjectionStatus", "projection_status", Scope::kNone, &Clients::cases,
      &CS::GetProjectionStatus, [](cv1::GetProjectionStatusRequest&, const Target&) {}));
  rows.push_back(QueryRow<CS, cv1::RebuildProjectionsRequest, cv1::RebuildProjectionsResponse>(
      kCases, "RebuildProjections", "projection_rebuild", Scope::kNone, &Clients::cases,
      &CS::RebuildProjections,
      [](cv1::RebuildProjectionsRequest& r, const Target&) { r.set_all(true); }));

  // ---- AccessAdminService: admins, but GetCaller for everyone.
  rows.push_back(StaleCommandRow<AS, v1::RegisterUserRequest, v1::CommandResponse>(
      kAccess, "RegisterUser", "access_admin", &Clients::access, &AS::RegisterUser,
      [](v1::RegisterUserRequest& r) {
        r.set_user_id("new-user");
        r.set_display_name("新用户");
        r.set_role(v1::ROLE_AUDITOR);
      }));
  rows.push_back(StaleCommandRow<AS, v1::UpdateUserRequest, v1::CommandResponse>(
      kAccess, "UpdateUser", "access_admin", &Clients::access, &AS::UpdateUser,
      [](v1::UpdateUserRequest& r) {
        r.set_user_id("op-xw");
        r.set_display_name("王芳");
      }));
  rows.push_back(StaleCommandRow<AS, v1::DisableUserRequest, v1::CommandResponse>(
      kAccess, "DisableUser", "access_admin", &Clients::access, &AS::DisableUser,
      [](v1::DisableUserRequest& r) { r.set_user_id("op-xw"); }));
  rows.push_back(StaleCommandRow<AS, v1::EnableUserRequest, v1::CommandResponse>(
      kAccess, "EnableUser", "access_admin", &Clients::access, &AS::EnableUser,
      [](v1::EnableUserRequest& r) { r.set_user_id("gone"); }));
  rows.push_back(StaleCommandRow<AS, v1::RegisterPartnerRequest, v1::CommandResponse>(
      kAccess, "RegisterPartner", "access_admin", &Clients::access, &AS::RegisterPartner,
      [](v1::RegisterPartnerRequest& r) {
        r.set_partner_id("legal-gc");
        r.set_name("高淳区法律援助中心");
        r.set_org_unit_id("nj-gc");
      }));
  rows.push_back(QueryRow<AS, v1::GetUserRequest, v1::GetUserResponse>(
      kAccess, "GetUser", "access_admin", Scope::kNone, &Clients::access, &AS::GetUser,
      [](v1::GetUserRequest& r, const Target&) { r.set_user_id("op-xw"); }));
  rows.push_back(QueryRow<AS, v1::ListUsersRequest, v1::ListUsersResponse>(
      kAccess, "ListUsers", "access_admin", Scope::kNone, &Clients::access, &AS::ListUsers,
      [](v1::ListUsersRequest&, const Target&) {}));
  rows.push_back(QueryRow<AS, v1::GetPartnerRequest, v1::GetPartnerResponse>(
      kAccess, "GetPartner", "access_admin", Scope::kNone, &Clients::access, &AS::GetPartner,
      [](v1::GetPartnerRequest& r, const Target&) { r.set_partner_id(kPartner); }));
  rows.push_back(QueryRow<AS, v1::ListPartnersRequest, v1::ListPartnersResponse>(
      kAccess, "ListPartners", "access_admin", Scope::kNone, &Clients::access, &AS::ListPartners,
      [](v1::ListPartnersRequest&, const Target&) {}));
  rows.push_back(QueryRow<AS, v1::GetCallerRequest, v1::GetCallerResponse>(
      kAccess, "GetCaller", "identify_self", Scope::kNone, &Clients::access, &AS::GetCaller,
      [](v1::GetCallerRequest&, const Target&) {}));

  // ---- LegalAidService: partner users, on their organisation's referrals
  // (case-in's referral is to kPartner, the partner of lawyer-xw).
  using LS = lv1::LegalAidService::Stub;
  const std::string kLegalAid = "haven.legalaid.v1.LegalAidService";
  rows.push_back(QueryRow<LS, lv1::ListMyReferralsRequest, lv1::ListMyReferralsResponse>(
      kLegalAid, "ListMyReferrals", "partner_api", Scope::kNone, &Clients::legal_aid,
      &LS::ListMyReferrals, [](lv1::ListMyReferralsRequest&, const Target&) {}));
  rows.push_back(QueryRow<LS, lv1::GetReferralRequest, lv1::GetReferralResponse>(
      kLegalAid, "GetReferral", "partner_api", Scope::kNone, &Clients::legal_aid,
      &LS::GetReferral,
      [](lv1::GetReferralRequest& r, const Target&) { r.set_referral_id(ReferralIn()); }));
  rows.push_back(PartnerCommandRow<lv1::AcceptReferralRequest>(
      "AcceptReferral", &LS::AcceptReferral,
      [](lv1::AcceptReferralRequest& r) { r.mutable_accept()->set_referral_id(ReferralIn()); }));
  rows.push_back(PartnerCommandRow<lv1::DeclineReferralRequest>(
      "DeclineReferral", &LS::DeclineReferral, [](lv1::DeclineReferralRequest& r) {
        r.mutable_decline()->set_referral_id(ReferralIn());
        r.mutable_decline()->set_reason("案件不在本中心受理范围");
      }));
  rows.push_back(PartnerCommandRow<lv1::ReportProgressRequest>(
      "ReportProgress", &LS::ReportProgress, [](lv1::ReportProgressRequest& r) {
        r.mutable_progress()->set_referral_id(ReferralIn());
      }));
  rows.push_back(PartnerCommandRow<lv1::ReportOutcomeRequest>(
      "ReportOutcome", &LS::ReportOutcome, [](lv1::ReportOutcomeRequest& r) {
        r.mutable_outcome()->set_referral_id(ReferralIn());
      }));
  rows.push_back(Row{kLegalAid, "SubscribeMyReferrals", "partner_api", Scope::kNone,
                     StatusCode::OK, [](Clients& c, grpc::ClientContext* context, const Target&) {
                       lv1::SubscribeMyReferralsRequest request;
                       auto reader = c.legal_aid->SubscribeMyReferrals(context, request);
                       lv1::ReferralUpdate update;
                       if (reader->Read(&update)) {
                         context->TryCancel();
                         while (reader->Read(&update)) {
                         }
                         reader->Finish();
                         return grpc::Status::OK;  // The stream delivered.
                       }
                       return reader->Finish();
                     }});

  // ---- AuditService: auditors, and supervisors within their subtree.
  using AuS = av1::AuditService::Stub;
  const std::string kAudit = "haven.audit.v1.AuditService";
  rows.push_back(QueryRow<AuS, av1::ListCaseAccessRequest, av1::ListAccessResponse>(
      kAudit, "ListCaseAccess", "access_log_read", Scope::kCaseLog, &Clients::audit,
      &AuS::ListCaseAccess,
      [](av1::ListCaseAccessRequest& r, const Target& t) { r.set_case_id(t.case_id); }));
  rows.push_back(QueryRow<AuS, av1::ListUserAccessRequest, av1::ListAccessResponse>(
      kAudit, "ListUserAccess", "access_log_read", Scope::kUserLog, &Clients::audit,
      &AuS::ListUserAccess,
      [](av1::ListUserAccessRequest& r, const Target& t) { r.set_user_id(t.case_id); }));

  // ---- LoanService: steps by operators for units of their subtree; loans
  // read by operators and supervisors by their village.
  using LnS = lnv1::LoanService::Stub;
  const std::string kLoans = "haven.loans.v1.LoanService";
  rows.push_back(Row{kLoans, "ApplyForLoan", "programme_work", Scope::kOpenUnit,
                     StatusCode::ALREADY_EXISTS,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // The id is taken (loan-in, in every operator's reach).
                       lnv1::ApplyForLoanRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_loan_id(kLoanIn);
                       request.mutable_apply_for_loan()->set_village_unit_id(t.unit);
                       lnv1::CommandResponse response;
                       return c.loans->ApplyForLoan(context, request, &response);
                     }});
#define HAVEN_LOAN_ROW(Rpc) rows.push_back(LoanCommandRow<lnv1::Rpc##Request>(#Rpc, &LnS::Rpc))
  HAVEN_LOAN_ROW(CertifyLoan);
  HAVEN_LOAN_ROW(SubmitLoan);
  HAVEN_LOAN_ROW(GiveCountyOpinion);
  HAVEN_LOAN_ROW(RecordLenderDecision);
  HAVEN_LOAN_ROW(DisburseLoan);
  HAVEN_LOAN_ROW(PaySubsidy);
  HAVEN_LOAN_ROW(RecordRepayment);
  HAVEN_LOAN_ROW(MarkOverdue);
  HAVEN_LOAN_ROW(SettleLoan);
  HAVEN_LOAN_ROW(ReportJobsCreated);
  HAVEN_LOAN_ROW(WithdrawLoan);
#undef HAVEN_LOAN_ROW
  rows.push_back(QueryRow<LnS, lnv1::GetLoanRequest, lnv1::GetLoanResponse>(
      kLoans, "GetLoan", "programme_read", Scope::kLoan, &Clients::loans, &LnS::GetLoan,
      [](lnv1::GetLoanRequest& r, const Target& t) { r.set_loan_id(t.case_id); }));
  rows.push_back(QueryRow<LnS, lnv1::GetLoanHistoryRequest, lnv1::GetLoanHistoryResponse>(
      kLoans, "GetLoanHistory", "programme_read", Scope::kLoan, &Clients::loans,
      &LnS::GetLoanHistory,
      [](lnv1::GetLoanHistoryRequest& r, const Target& t) { r.set_loan_id(t.case_id); }));
  rows.push_back(QueryRow<LnS, lnv1::ListLoansRequest, lnv1::ListLoansResponse>(
      kLoans, "ListLoans", "programme_read", Scope::kUnit, &Clients::loans, &LnS::ListLoans,
      [](lnv1::ListLoansRequest& r, const Target& t) { r.set_unit_subtree(t.unit); }));
  rows.push_back(QueryRow<LnS, lnv1::GetLoanStatisticsRequest, lnv1::GetLoanStatisticsResponse>(
      kLoans, "GetLoanStatistics", "statistics_read", Scope::kAnyUnit, &Clients::loans,
      &LnS::GetLoanStatistics, [](lnv1::GetLoanStatisticsRequest& r, const Target& t) {
        r.set_unit_subtree(t.unit);
        r.set_from_day("2024-01-01");
        r.set_to_day("2024-12-31");
      }));

  // ---- ChildrenService: commands by operators on children (and mentors)
  // of their subtree, reads by operators and supervisors, by the record's
  // unit.
  using ChS = chv1::ChildrenService::Stub;
  const std::string kChildren = "haven.children.v1.ChildrenService";
  rows.push_back(Row{kChildren, "RegisterChild", "programme_work", Scope::kOpenUnit,
                     StatusCode::ALREADY_EXISTS,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // The id is taken (child-in, in every operator's reach).
                       chv1::RegisterChildRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_child_id(kChildIn);
                       request.mutable_register_child()->set_unit_id(t.unit);
                       chv1::CommandResponse response;
                       return c.children->RegisterChild(context, request, &response);
                     }});
  rows.push_back(Row{kChildren, "RegisterMentor", "programme_work", Scope::kOpenUnit,
                     StatusCode::ALREADY_EXISTS,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // The id is taken (mentor-in, of nj-xw).
                       chv1::RegisterMentorRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_mentor_id(kMentorIn);
                       request.mutable_register_mentor()->set_unit_id(t.unit);
                       chv1::CommandResponse response;
                       return c.children->RegisterMentor(context, request, &response);
                     }});
#define HAVEN_CHILD_ROW(Rpc) rows.push_back(ChildCommandRow<chv1::Rpc##Request>(#Rpc, &ChS::Rpc))
  HAVEN_CHILD_ROW(PairChild);
  HAVEN_CHILD_ROW(RecordVisit);
  HAVEN_CHILD_ROW(DeliverSupport);
  HAVEN_CHILD_ROW(PayStipend);
  HAVEN_CHILD_ROW(CheckStatus);
  HAVEN_CHILD_ROW(ReferCounselling);
  HAVEN_CHILD_ROW(EndPairing);
#undef HAVEN_CHILD_ROW
  rows.push_back(QueryRow<ChS, chv1::GetChildRequest, chv1::GetChildResponse>(
      kChildren, "GetChild", "programme_read", Scope::kChild, &Clients::children, &ChS::GetChild,
      [](chv1::GetChildRequest& r, const Target& t) { r.set_child_id(t.case_id); }));
  rows.push_back(QueryRow<ChS, chv1::GetChildHistoryRequest, chv1::GetChildHistoryResponse>(
      kChildren, "GetChildHistory", "programme_read", Scope::kChild, &Clients::children,
      &ChS::GetChildHistory,
      [](chv1::GetChildHistoryRequest& r, const Target& t) { r.set_child_id(t.case_id); }));
  rows.push_back(QueryRow<ChS, chv1::GetMentorRequest, chv1::GetMentorResponse>(
      kChildren, "GetMentor", "programme_read", Scope::kMentor, &Clients::children,
      &ChS::GetMentor,
      [](chv1::GetMentorRequest& r, const Target& t) { r.set_mentor_id(t.case_id); }));
  rows.push_back(QueryRow<ChS, chv1::ListChildrenRequest, chv1::ListChildrenResponse>(
      kChildren, "ListChildren", "programme_read", Scope::kUnit, &Clients::children,
      &ChS::ListChildren,
      [](chv1::ListChildrenRequest& r, const Target& t) { r.set_unit_subtree(t.unit); }));
  rows.push_back(
      QueryRow<ChS, chv1::GetChildrenStatisticsRequest, chv1::GetChildrenStatisticsResponse>(
          kChildren, "GetChildrenStatistics", "statistics_read", Scope::kAnyUnit,
          &Clients::children, &ChS::GetChildrenStatistics,
          [](chv1::GetChildrenStatisticsRequest& r, const Target& t) {
            r.set_unit_subtree(t.unit);
            r.set_from_day("2024-01-01");
            r.set_to_day("2024-12-31");
          }));
  // ---- MicroHomeService: commands by operators for the micro-home (or the
  // unit acting on it) of their subtree; micro-homes read by operators and
  // supervisors by their unit.
  using MhS = mhv1::MicroHomeService::Stub;
  const std::string kHomes = "haven.microhomes.v1.MicroHomeService";
  rows.push_back(Row{kHomes, "RegisterMicroHome", "programme_work", Scope::kOpenUnit,
                     StatusCode::INVALID_ARGUMENT,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // An empty registration: refused for its fields.
                       mhv1::RegisterMicroHomeRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_unit_id(t.unit);
                       request.mutable_register_micro_home();
                       mhv1::CommandResponse response;
                       return c.microhomes->RegisterMicroHome(context, request, &response);
                     }});
#define HAVEN_HOME_ROW(Rpc) \
  rows.push_back(MicroHomeCommandRow<mhv1::Rpc##Request>(#Rpc, &MhS::Rpc))
  HAVEN_HOME_ROW(ChangeHost);
  HAVEN_HOME_ROW(PairExecutive);
  HAVEN_HOME_ROW(UnpairExecutive);
  HAVEN_HOME_ROW(DesignateDemonstration);
  HAVEN_HOME_ROW(WithdrawDemonstration);
  HAVEN_HOME_ROW(RecordActivity);
  HAVEN_HOME_ROW(GrantTitle);
  HAVEN_HOME_ROW(RecertifyTitle);
  HAVEN_HOME_ROW(RevokeTitle);
  HAVEN_HOME_ROW(CloseMicroHome);
#undef HAVEN_HOME_ROW
  rows.push_back(QueryRow<MhS, mhv1::GetMicroHomeRequest, mhv1::GetMicroHomeResponse>(
      kHomes, "GetMicroHome", "programme_read", Scope::kMicroHome, &Clients::microhomes,
      &MhS::GetMicroHome,
      [](mhv1::GetMicroHomeRequest& r, const Target& t) { r.set_unit_id(t.case_id); }));
  rows.push_back(
      QueryRow<MhS, mhv1::GetMicroHomeHistoryRequest, mhv1::GetMicroHomeHistoryResponse>(
          kHomes, "GetMicroHomeHistory", "programme_read", Scope::kMicroHome,
          &Clients::microhomes, &MhS::GetMicroHomeHistory,
          [](mhv1::GetMicroHomeHistoryRequest& r, const Target& t) {
            r.set_unit_id(t.case_id);
          }));
  rows.push_back(QueryRow<MhS, mhv1::ListMicroHomesRequest, mhv1::ListMicroHomesResponse>(
      kHomes, "ListMicroHomes", "programme_read", Scope::kUnit, &Clients::microhomes,
      &MhS::ListMicroHomes,
      [](mhv1::ListMicroHomesRequest& r, const Target& t) { r.set_unit_subtree(t.unit); }));
  rows.push_back(
      QueryRow<MhS, mhv1::GetMicroHomeComplianceRequest, mhv1::GetMicroHomeComplianceResponse>(
          kHomes, "GetMicroHomeCompliance", "programme_read", Scope::kUnit, &Clients::microhomes,
          &MhS::GetMicroHomeCompliance,
          [](mhv1::GetMicroHomeComplianceRequest& r, const Target& t) {
            r.set_unit_subtree(t.unit);
            r.set_from_day("2024-01-01");
            r.set_to_day("2024-12-31");
          }));
  rows.push_back(
      QueryRow<MhS, mhv1::GetMicroHomeStatisticsRequest, mhv1::GetMicroHomeStatisticsResponse>(
          kHomes, "GetMicroHomeStatistics", "statistics_read", Scope::kAnyUnit,
          &Clients::microhomes, &MhS::GetMicroHomeStatistics,
          [](mhv1::GetMicroHomeStatisticsRequest& r, const Target& t) {
            r.set_unit_subtree(t.unit);
            r.set_from_day("2024-01-01");
            r.set_to_day("2024-12-31");
          }));

  // ---- ProjectService: commands by operators on projects of their
  // subtree; projects read by operators and supervisors by their unit.
  using PjS = pjv1::ProjectService::Stub;
  const std::string kProjects = "haven.projects.v1.ProjectService";
  rows.push_back(Row{kProjects, "RegisterProject", "programme_work", Scope::kOpenUnit,
                     StatusCode::ALREADY_EXISTS,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       // The id is taken (project-in, of nj-xw).
                       pjv1::RegisterProjectRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_project_id(kProjectIn);
                       request.mutable_register_project()->set_unit_id(t.unit);
                       pjv1::CommandResponse response;
                       return c.projects->RegisterProject(context, request, &response);
                     }});
#define HAVEN_PROJECT_ROW(Rpc) \
  rows.push_back(ProjectCommandRow<pjv1::Rpc##Request>(#Rpc, &PjS::Rpc))
  HAVEN_PROJECT_ROW(StartProject);
  HAVEN_PROJECT_ROW(RecordSpending);
  HAVEN_PROJECT_ROW(ReportBeneficiaries);
  HAVEN_PROJECT_ROW(RecordEvaluation);
  HAVEN_PROJECT_ROW(AcceptProject);
#undef HAVEN_PROJECT_ROW
  rows.push_back(QueryRow<PjS, pjv1::GetProjectRequest, pjv1::GetProjectResponse>(
      kProjects, "GetProject", "programme_read", Scope::kProject, &Clients::projects,
      &PjS::GetProject,
      [](pjv1::GetProjectRequest& r, const Target& t) { r.set_project_id(t.case_id); }));
  rows.push_back(QueryRow<PjS, pjv1::GetProjectHistoryRequest, pjv1::GetProjectHistoryResponse>(
      kProjects, "GetProjectHistory", "programme_read", Scope::kProject, &Clients::projects,
      &PjS::GetProjectHistory,
      [](pjv1::GetProjectHistoryRequest& r, const Target& t) { r.set_project_id(t.case_id); }));
  rows.push_back(QueryRow<PjS, pjv1::ListProjectsRequest, pjv1::ListProjectsResponse>(
      kProjects, "ListProjects", "programme_read", Scope::kUnit, &Clients::projects,
      &PjS::ListProjects,
      [](pjv1::ListProjectsRequest& r, const Target& t) { r.set_unit_subtree(t.unit); }));
  rows.push_back(
      QueryRow<PjS, pjv1::GetProjectStatisticsRequest, pjv1::GetProjectStatisticsResponse>(
          kProjects, "GetProjectStatistics", "statistics_read", Scope::kAnyUnit,
          &Clients::projects, &PjS::GetProjectStatistics,
          [](pjv1::GetProjectStatisticsRequest& r, const Target& t) {
            r.set_unit_subtree(t.unit);
            r.set_from_day("2024-01-01");
            r.set_to_day("2024-12-31");
          }));

  // ---- TargetService: supervisors set the targets of units of their
  // subtree (sent with year 0, so a caller who passes gets INVALID_ARGUMENT
  // and nothing is written); targets and reports of any unit.
  using TgS = tgv1::TargetService::Stub;
  const std::string kTargets = "haven.targets.v1.TargetService";
  rows.push_back(Row{kTargets, "SetTarget", "target_plan", Scope::kOpenUnit,
                     StatusCode::INVALID_ARGUMENT,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       tgv1::SetTargetRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_unit_id(t.unit);
                       request.set_period(tgv1::TARGET_PERIOD_YEAR);
                       request.set_indicator("cases.closure_rate");
                       request.set_value(9800);
                       tgv1::CommandResponse response;
                       return c.targets->SetTarget(context, request, &response);
                     }});
  rows.push_back(Row{kTargets, "WithdrawTarget", "target_plan", Scope::kOpenUnit,
                     StatusCode::INVALID_ARGUMENT,
                     [](Clients& c, grpc::ClientContext* context, const Target& t) {
                       tgv1::WithdrawTargetRequest request;
                       request.set_request_id(absl::StrCat("matrix-", rpc_counter()++));
                       request.set_unit_id(t.unit);
                       request.set_period(tgv1::TARGET_PERIOD_YEAR);
                       request.set_indicator("cases.closure_rate");
                       request.set_reason("matrix");
                       tgv1::CommandResponse response;
                       return c.targets->WithdrawTarget(context, request, &response);
                     }});
  rows.push_back(QueryRow<TgS, tgv1::ListTargetsRequest, tgv1::ListTargetsResponse>(
      kTargets, "ListTargets", "statistics_read", Scope::kAnyUnit, &Clients::targets,
      &TgS::ListTargets,
      [](tgv1::ListTargetsRequest& r, const Target& t) { r.set_unit_id(t.unit); }));
  rows.push_back(QueryRow<TgS, tgv1::ListIndicatorsRequest, tgv1::ListIndicatorsResponse>(
      kTargets, "ListIndicators", "statistics_read", Scope::kNone, &Clients::targets,
      &TgS::ListIndicators, [](tgv1::ListIndicatorsRequest&, const Target&) {}));
  rows.push_back(QueryRow<TgS, tgv1::GetTargetReportRequest, tgv1::GetTargetReportResponse>(
      kTargets, "GetTargetReport", "statistics_read", Scope::kAnyUnit, &Clients::targets,
      &TgS::GetTargetReport, [](tgv1::GetTargetReportRequest& r, const Target& t) {
        r.set_unit_id(t.unit);
        r.set_year(2024);
      }));
  return rows;
}

std::string CallerName(const Caller& caller) {
  return caller.user_id.empty() ? "(no credentials)" : caller.user_id;
}

TEST(PermissionMatrixCoverageTest, EveryRpcOfEveryServiceHasARow) {
  std::set<std::string> covered;
  for (const Row& row : Rows()) covered.insert(row.service + "/" + row.rpc);
  for (const char* service : kServices) {
    const google::protobuf::ServiceDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      EXPECT_TRUE(covered.count(absl::StrCat(service, "/", descriptor->method(i)->name())) > 0)
          << "no matrix row for " << service << "/" << descriptor->method(i)->name();
    }
  }
}

class PermissionMatrixTest : public AccessTest {};

TEST_F(PermissionMatrixTest, EveryRpcEveryRoleInsideAndOutside) {
  const uint64_t head_before = server_->log().HeadPosition();
  int cells = 0;
  int allowed = 0;
  for (const Row& row : Rows()) {
    for (const Caller& caller : Callers()) {
      for (const Target& target : TargetsOf(row.scope)) {
        const Expected expected = Expect(row, caller, target);
        grpc::ClientContext context;
        As(caller.user_id, &context);
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
        const grpc::Status status = row.call(clients_, &context, target);
        ++cells;
        allowed += expected.code != StatusCode::PERMISSION_DENIED &&
                   expected.code != StatusCode::UNAUTHENTICATED;
        EXPECT_EQ(status.error_code(), expected.code)
            << row.rpc << " as " << CallerName(caller) << " on " << target.label << ": "
            << status.error_message();
        if (!expected.message_prefix.empty()) {
          EXPECT_TRUE(absl::StartsWith(status.error_message(), expected.message_prefix))
              << row.rpc << " as " << CallerName(caller) << " on " << target.label
              << ": expected \"" << expected.message_prefix << "...\", got \""
              << status.error_message() << "\"";
        }
      }
    }
  }
  // Every request is built to write nothing, allowed or not, but the
  // access records of the reads of personal data that were allowed.
  auto written = server_->log().ReadAll(head_before + 1, 100000, storage::Filter{});
  ASSERT_TRUE(written.ok()) << written.status();
  int access_records = 0;
  for (const storage::RecordedEvent& event : written->events) {
    EXPECT_EQ(event.type, "AccessRecorded") << event.stream << " " << event.type;
    ++access_records;
  }
  // GetCase and GetCaseHistory of case-in by op-xw, op-nj and sup-xw, of
  // case-out by op-nj and sup-gc; GetReferral by lawyer-xw.
  EXPECT_EQ(access_records, 2 * 5 + 1);
  std::cout << "permission matrix: " << cells << " cells, " << allowed << " allowed\n";
}

}  // namespace
}  // namespace haven::access::testing
