// The authoriser's rules on their own, with a fake directory: the partner
// rule (referred to her organisation, referral open), jurisdictions, and
// the permission table.
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/access/authoriser/authoriser.h"
#include "storage/event_log.h"

namespace haven::access {
namespace {

// nj ── nj-xw ── nj-xw-my;  nj ── nj-gc.
class FakeTree final : public UnitTree {
 public:
  bool Exists(const std::string& unit_id) override { return parents_.count(unit_id) > 0; }
  bool IsInSubtree(const std::string& unit_id, const std::string& root_id) override {
    if (!Exists(unit_id) || !Exists(root_id)) return false;
    for (std::string u = unit_id; !u.empty(); u = parents_.at(u)) {
      if (u == root_id) return true;
    }
    return false;
  }
  bool IsRoot(const std::string& unit_id) override { return unit_id == "nj"; }

 private:
  std::map<std::string, std::string> parents_{
      {"nj", ""}, {"nj-xw", "nj"}, {"nj-xw-my", "nj-xw"}, {"nj-gc", "nj"}};
};

class AuthoriserRulesTest : public ::testing::Test {
 protected:
  AuthoriserRulesTest()
      : log_(storage::EventLog::OpenInMemory(storage::Options())),
        authoriser_(Authoriser::WithResolver(
            std::make_shared<services::AccessView>(*log_), std::make_shared<FakeTree>(),
            [](const grpc::ServerContextBase&) { return std::nullopt; })) {}

  static Principal Partner(const std::string& partner_id) {
    return Principal{"lawyer-1", v1::ROLE_LEGAL_AID_PARTNER, "", partner_id, false};
  }
  static Principal Staff(v1::Role role, const std::string& unit) {
    return Principal{"user-1", role, unit, "", false};
  }

  static cases::CaseState CaseReferredTo(const std::string& partner_id,
                                         cases::ReferralStatus status) {
    cases::CaseState state;
    state.exists = true;
    state.case_id = "case-1";
    state.org_unit_id = "nj-xw-my";
    cases::ReferralState referral;
    referral.partner_id = partner_id;
    referral.status = status;
    state.referrals["ref-1"] = referral;
    return state;
  }

  static void ExpectDenied(const absl::Status& status, const std::string& prefix) {
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), prefix)) << status;
  }

  std::unique_ptr<storage::EventLog> log_;
  std::shared_ptr<Authoriser> authoriser_;
};

TEST_F(AuthoriserRulesTest, PartnerSeesACaseWhileItsReferralToHerIsOpen) {
  using cases::ReferralStatus;
  EXPECT_TRUE(authoriser_
                  ->AuthorizePartnerCase(Partner("legal-xw"), "case-1",
                                         CaseReferredTo("legal-xw", ReferralStatus::kMade))
                  .ok());
  EXPECT_TRUE(authoriser_
                  ->AuthorizePartnerCase(Partner("legal-xw"), "case-1",
                                         CaseReferredTo("legal-xw", ReferralStatus::kAccepted))
                  .ok());
}

TEST_F(AuthoriserRulesTest, PartnerDoesNotSeeOthersClosedOrMissingCases) {
  using cases::ReferralStatus;
  const std::string rule = "rule partner_referral:";
  ExpectDenied(authoriser_->AuthorizePartnerCase(
                   Partner("legal-xw"), "case-1", CaseReferredTo("legal-gc", ReferralStatus::kMade)),
               rule);
  ExpectDenied(authoriser_->AuthorizePartnerCase(
                   Partner("legal-xw"), "case-1",
                   CaseReferredTo("legal-xw", ReferralStatus::kClosed)),
               rule);
  ExpectDenied(authoriser_->AuthorizePartnerCase(
                   Partner("legal-xw"), "case-1",
                   CaseReferredTo("legal-xw", ReferralStatus::kDeclined)),
               rule);
  const absl::Status missing =
      authoriser_->AuthorizePartnerCase(Partner("legal-xw"), "case-1", cases::CaseState());
  ExpectDenied(missing, rule);
  // A missing case and one referred elsewhere answer alike.
  EXPECT_EQ(missing.message(), authoriser_
                                   ->AuthorizePartnerCase(
                                       Partner("legal-xw"), "case-1",
                                       CaseReferredTo("legal-gc", ReferralStatus::kMade))
                                   .message());
  // Staff are no partners.
  ExpectDenied(authoriser_->AuthorizePartnerCase(
                   Staff(v1::ROLE_OPERATOR, "nj"), "case-1",
                   CaseReferredTo("legal-xw", ReferralStatus::kMade)),
               rule);
}

TEST_F(AuthoriserRulesTest, CasesWithinTheUnitSubtree) {
  const Principal op = Staff(v1::ROLE_OPERATOR, "nj-xw");
  EXPECT_TRUE(authoriser_->CheckCase(op, "case-1", std::string("nj-xw-my")).ok());
  EXPECT_TRUE(authoriser_->CheckCase(op, "case-1", std::string("nj-xw")).ok());
  ExpectDenied(authoriser_->CheckCase(op, "case-1", std::string("nj-gc")),
               "rule operator_unit_subtree: case case-1 is outside the subtree of your unit "
               "nj-xw");
  ExpectDenied(authoriser_->CheckCase(op, "case-1", std::string("nj")),
               "rule operator_unit_subtree:");
  // Missing and out of reach read the same.
  EXPECT_EQ(authoriser_->CheckCase(op, "case-1", std::nullopt),
            authoriser_->CheckCase(op, "case-1", std::string("nj-gc")));
  // From the root every case is in reach, so a missing one may be said so.
  EXPECT_TRUE(authoriser_->CheckCase(Staff(v1::ROLE_SUPERVISOR, "nj"), "case-1", std::nullopt)
                  .ok());
  ExpectDenied(authoriser_->CheckCase(Staff(v1::ROLE_SUPERVISOR, "nj-gc"), "case-1",
                                      std::string("nj-xw-my")),
               "rule supervisor_unit_subtree:");
}

TEST_F(AuthoriserRulesTest, ScopesDefaultToTheCallersUnit) {
  const Principal sup = Staff(v1::ROLE_SUPERVISOR, "nj-xw");
  EXPECT_EQ(*authoriser_->ScopeUnit(sup, ""), "nj-xw");
  EXPECT_EQ(*authoriser_->ScopeUnit(sup, "nj-xw-my"), "nj-xw-my");
  ExpectDenied(authoriser_->ScopeUnit(sup, "nj").status(), "rule supervisor_unit_subtree:");
  // Unknown units are left to the rpc's own validation.
  EXPECT_EQ(*authoriser_->ScopeUnit(sup, "no-such-unit"), "no-such-unit");
  ExpectDenied(authoriser_->ScopeUnit(Staff(v1::ROLE_ADMIN, ""), "").status(),
               "rule admin_unit_subtree:");
}

TEST_F(AuthoriserRulesTest, DevelopmentAllowsEverything) {
  auto development = Authoriser::Development();
  EXPECT_FALSE(development->enforced());
  Principal anyone;
  anyone.development = true;
  EXPECT_TRUE(development->CheckCase(anyone, "case-1", std::nullopt).ok());
  EXPECT_EQ(*development->ScopeUnit(anyone, ""), "");
  EXPECT_TRUE(development->AuthorizePartnerCase(anyone, "case-1", cases::CaseState()).ok());
}

TEST(PermissionTableTest, RulesAndHolders) {
  EXPECT_STREQ(RuleOf(Permission::kWorkCases), "case_work");
  EXPECT_TRUE(RoleHas(v1::ROLE_SYSTEM, Permission::kRawEventStore));
  EXPECT_FALSE(RoleHas(v1::ROLE_ADMIN, Permission::kRawEventStore));
  EXPECT_FALSE(RoleHas(v1::ROLE_ADMIN, Permission::kReadCases));
  EXPECT_FALSE(RoleHas(v1::ROLE_ADMIN, Permission::kReadStatistics));
  EXPECT_FALSE(RoleHas(v1::ROLE_LEGAL_AID_PARTNER, Permission::kReadDirectory));
  EXPECT_FALSE(RoleHas(v1::ROLE_AUDITOR, Permission::kReadDirectory));
  EXPECT_EQ(HoldersOf(Permission::kReadCases), "operators and supervisors");
}

}  // namespace
}  // namespace haven::access
