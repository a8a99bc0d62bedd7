// An in-process havend (HavenServer, in-memory stores) that enforces access,
// with each call's caller named by the test header kTestUserHeader instead
// of a certificate, and a small world built through it as the admin:
//
//   nj 南京市 (root) ── nj-xw 玄武区 ── nj-xw-my 梅园新村街道 ── nj-xw-my-lj 兰园社区
//                   └─ nj-gc 高淳区 ── nj-gc-cx 淳溪街道 ── nj-gc-cx-xc 薛城村
//
//   case-in     opened in nj-xw-my, referred (open) to partner legal-xw
//   case-out    opened in nj-gc
//   loan-in     applied for in nj-xw-my-lj;   loan-out    in nj-gc-cx-xc
//   child-in    registered in nj-xw-my;       child-out   in nj-gc-cx
//   mentor-in   registered in nj-xw;          mentor-out  in nj-gc
//
// and one user of every kind (kCallers).
#ifndef HAVEN_TESTS_ACCESS_ACCESS_FIXTURE_H_
#define HAVEN_TESTS_ACCESS_ACCESS_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "haven/access/v1/access.grpc.pb.h"
#include "haven/audit/v1/audit.grpc.pb.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/children/v1/children_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/legalaid/v1/legal_aid.grpc.pb.h"
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "haven/targets/v1/target_service.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "services/server/server.h"

namespace haven::access::testing {

// The metadata the test resolver reads the caller's user id from.
inline constexpr char kTestUserHeader[] = "x-haven-test-user";
// The bootstrap admin.
inline constexpr char kAdmin[] = "admin";
inline constexpr char kPartner[] = "legal-xw";
inline constexpr char kCaseIn[] = "case-in";
inline constexpr char kCaseOut[] = "case-out";
inline constexpr char kCaseMissing[] = "case-missing";
inline constexpr char kLoanIn[] = "loan-in";
inline constexpr char kLoanOut[] = "loan-out";
inline constexpr char kLoanMissing[] = "loan-missing";
inline constexpr char kChildIn[] = "child-in";
inline constexpr char kChildOut[] = "child-out";
inline constexpr char kChildMissing[] = "child-missing";
inline constexpr char kMentorIn[] = "mentor-in";
inline constexpr char kMentorOut[] = "mentor-out";
inline constexpr char kMentorMissing[] = "mentor-missing";
// Micro-homes are named by their units.
inline constexpr char kHomeIn[] = "nj-xw-my-lj-wj";
inline constexpr char kHomeOut[] = "nj-gc-cx-xc-wj";
inline constexpr char kHomeMissing[] = "nj-wj-missing";
inline constexpr char kProjectIn[] = "project-in";
inline constexpr char kProjectOut[] = "project-out";
inline constexpr char kProjectMissing[] = "project-missing";

// Who calls: a registered user, a disabled one, one nobody registered, or
// a call without credentials.
struct Caller {
  enum class Kind { kUser, kDisabled, kUnregistered, kNoCredentials };
  std::string user_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string org_unit_id;
  Kind kind = Kind::kUser;
};

// Every caller the matrix plays.
const std::vector<Caller>& Callers();

// The parent of each unit of the test tree ("" for the root).
std::string ParentOf(const std::string& unit_id);

// True if `unit_id` is `root_id` or below it in the test tree.
bool InSubtree(const std::string& unit_id, const std::string& root_id);

// The stubs of every service, on one channel.
struct Clients {
  std::unique_ptr<haven::v1::EventStore::Stub> events;
  std::unique_ptr<directory::v1::DirectoryService::Stub> directory;
  std::unique_ptr<cases::v1::CaseService::Stub> cases;
  std::unique_ptr<v1::AccessAdminService::Stub> access;
  std::unique_ptr<legalaid::v1::LegalAidService::Stub> legal_aid;
  std::unique_ptr<audit::v1::AuditService::Stub> audit;
  std::unique_ptr<loans::v1::LoanService::Stub> loans;
  std::unique_ptr<children::v1::ChildrenService::Stub> children;
  std::unique_ptr<microhomes::v1::MicroHomeService::Stub> microhomes;
  std::unique_ptr<projects::v1::ProjectService::Stub> projects;
  std::unique_ptr<targets::v1::TargetService::Stub> targets;
};

// The id of case-in's referral to kPartner (set by BuildWorld).
std::string& ReferralIn();

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Names `user_id` as the caller of `context` (nothing for ""), declaring
  // a purpose for reads of personal data.
  static void As(const std::string& user_id, grpc::ClientContext* context);

  // As the admin: units, partner, users; as operators: the cases, loans,
  // children and mentors.
  void BuildWorld();

  // Opens `case_id` in `unit` as `operator_id`; fails the test if refused.
  void OpenCase(const std::string& operator_id, const std::string& case_id,
                const std::string& unit);
  // The case's version as `user_id` sees it (-1 if refused).
  int64_t CaseVersion(const std::string& user_id, const std::string& case_id);
  // Applies for loan `loan_id` in `village` as `operator_id`.
  void ApplyForLoan(const std::string& operator_id, const std::string& loan_id,
                    const std::string& village);
  // Registers child `child_id` in `unit` as `operator_id`.
  void RegisterChild(const std::string& operator_id, const std::string& child_id,
                     const std::string& unit);
  // Registers mentor `mentor_id` in `unit` as `operator_id`.
  void RegisterMentor(const std::string& operator_id, const std::string& mentor_id,
                      const std::string& unit);
  // Registers the micro-home of unit `home` as `operator_id`.
  void RegisterMicroHome(const std::string& operator_id, const std::string& home);
  // Registers project `project_id` run by `unit` as `operator_id`.
  void RegisterProject(const std::string& operator_id, const std::string& project_id,
                       const std::string& unit);

  std::unique_ptr<server::HavenServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  Clients clients_;
};

}  // namespace haven::access::testing

#endif  // HAVEN_TESTS_ACCESS_ACCESS_FIXTURE_H_
