// The access aggregate's rules, one test per rule: decide on a state folded
// by evolve, no storage, no gRPC.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/access/domain/decide.h"
#include "services/access/domain/events.h"
#include "services/access/domain/evolve.h"

namespace haven::access {
namespace {

class AccessRulesTest : public ::testing::Test {
 protected:
  // Decides `command` and folds its events in; fails the test if refused.
  void MustRun(const Command& command) {
    auto events = Decide(state_, command);
    ASSERT_TRUE(events.ok()) << events.status();
    for (const v1::AccessEvent& e : *events) {
      ASSERT_TRUE(Evolve(state_, e).ok());
      state_.set_next_version(state_.next_version() + 1);
    }
  }

  // Expects `command` refused with `code` and a message starting `prefix`.
  void ExpectRefused(const Command& command, absl::StatusCode code, const std::string& prefix) {
    auto events = Decide(state_, command);
    ASSERT_FALSE(events.ok());
    EXPECT_EQ(events.status().code(), code) << events.status();
    EXPECT_TRUE(absl::StartsWith(events.status().message(), prefix)) << events.status();
  }

  static RegisterUser User(const std::string& id, v1::Role role, const std::string& unit = "",
                           const std::string& partner = "") {
    return RegisterUser{id, "王芳", Assignment{role, unit, partner}};
  }

  void AdminAndPartner() {
    MustRun(User("admin", v1::ROLE_ADMIN));
    MustRun(RegisterPartner{"legal-xw", "玄武区法律援助中心", "nj-xw"});
  }

  AccessState state_;
};

TEST_F(AccessRulesTest, RegistersEveryRoleWithItsJurisdiction) {
  AdminAndPartner();
  MustRun(User("op-1", v1::ROLE_OPERATOR, "nj-xw"));
  MustRun(User("sup-1", v1::ROLE_SUPERVISOR, "nj"));
  MustRun(User("lawyer-1", v1::ROLE_LEGAL_AID_PARTNER, "", "legal-xw"));
  MustRun(User("aud-1", v1::ROLE_AUDITOR));
  MustRun(User("sys-1", v1::ROLE_SYSTEM));
  MustRun(User("admin-2@fulian.gov", v1::ROLE_ADMIN, "nj"));
  ASSERT_NE(state_.FindUser("op-1"), nullptr);
  EXPECT_EQ(state_.FindUser("op-1")->org_unit_id, "nj-xw");
  EXPECT_EQ(state_.FindUser("lawyer-1")->partner_id, "legal-xw");
  EXPECT_EQ(state_.users().size(), 7u);
  EXPECT_EQ(state_.UsersOfPartner("legal-xw"), 1);
  EXPECT_EQ(state_.EnabledAdmins(), 2);
}

TEST_F(AccessRulesTest, FieldsAreCheckedAndNamed) {
  ExpectRefused(User("", v1::ROLE_ADMIN), absl::StatusCode::kInvalidArgument, "user_id:");
  ExpectRefused(User("-bad", v1::ROLE_ADMIN), absl::StatusCode::kInvalidArgument, "user_id:");
  ExpectRefused(User("a b", v1::ROLE_ADMIN), absl::StatusCode::kInvalidArgument, "user_id:");
  ExpectRefused(RegisterUser{"x", "", {v1::ROLE_ADMIN, "", ""}},
                absl::StatusCode::kInvalidArgument, "display_name:");
  ExpectRefused(User("x", v1::ROLE_UNSPECIFIED), absl::StatusCode::kInvalidArgument, "role:");
  ExpectRefused(User("x", static_cast<v1::Role>(99)), absl::StatusCode::kInvalidArgument,
                "role:");
  ExpectRefused(User("x", v1::ROLE_OPERATOR), absl::StatusCode::kInvalidArgument,
                "org_unit_id: is required for the role operator");
  ExpectRefused(User("x", v1::ROLE_SUPERVISOR), absl::StatusCode::kInvalidArgument,
                "org_unit_id: is required for the role supervisor");
  ExpectRefused(User("x", v1::ROLE_LEGAL_AID_PARTNER), absl::StatusCode::kInvalidArgument,
                "partner_id: is required");
  ExpectRefused(User("x", v1::ROLE_LEGAL_AID_PARTNER, "nj", "legal-xw"),
                absl::StatusCode::kInvalidArgument, "org_unit_id: must be empty");
  ExpectRefused(User("x", v1::ROLE_OPERATOR, "nj", "legal-xw"),
                absl::StatusCode::kInvalidArgument, "partner_id: must be empty");
  ExpectRefused(User("x", v1::ROLE_SYSTEM, "nj"), absl::StatusCode::kInvalidArgument,
                "org_unit_id: must be empty for the role system");
  ExpectRefused(User("x", v1::ROLE_OPERATOR, "nj/xw"), absl::StatusCode::kInvalidArgument,
                "org_unit_id:");
  ExpectRefused(RegisterPartner{"p", "名", ""}, absl::StatusCode::kInvalidArgument,
                "org_unit_id: is required");
  ExpectRefused(RegisterPartner{"p", "", "nj"}, absl::StatusCode::kInvalidArgument, "name:");
}

TEST_F(AccessRulesTest, IdsAreUnique) {
  AdminAndPartner();
  ExpectRefused(User("admin", v1::ROLE_AUDITOR), absl::StatusCode::kAlreadyExists, "user_id:");
  ExpectRefused(RegisterPartner{"legal-xw", "别的中心", "nj"}, absl::StatusCode::kAlreadyExists,
                "partner_id:");
}

TEST_F(AccessRulesTest, PartnerUsersNeedARegisteredPartner) {
  AdminAndPartner();
  ExpectRefused(User("lawyer", v1::ROLE_LEGAL_AID_PARTNER, "", "legal-gc"),
                absl::StatusCode::kNotFound, "partner_id: no partner");
  ExpectRefused(UpdateUser{"admin", std::nullopt,
                           Assignment{v1::ROLE_LEGAL_AID_PARTNER, "", "legal-gc"}},
                absl::StatusCode::kNotFound, "partner_id: no partner");
}

TEST_F(AccessRulesTest, UpdateRenamesAndReassignsInOneCommand) {
  AdminAndPartner();
  MustRun(User("op-1", v1::ROLE_OPERATOR, "nj-xw"));
  auto events = Decide(state_, UpdateUser{"op-1", "李华", Assignment{v1::ROLE_SUPERVISOR, "nj"}});
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(EventTypeOf((*events)[0]), kUserRenamedType);
  EXPECT_EQ(EventTypeOf((*events)[1]), kUserRoleChangedType);
  EXPECT_EQ((*events)[1].user_role_changed().previous_role(), v1::ROLE_OPERATOR);
  EXPECT_EQ((*events)[1].user_role_changed().previous_org_unit_id(), "nj-xw");
  MustRun(UpdateUser{"op-1", "李华", Assignment{v1::ROLE_SUPERVISOR, "nj"}});
  EXPECT_EQ(state_.FindUser("op-1")->role, v1::ROLE_SUPERVISOR);
  EXPECT_EQ(state_.FindUser("op-1")->display_name, "李华");
}

TEST_F(AccessRulesTest, RuleUserChanges) {
  AdminAndPartner();
  MustRun(User("op-1", v1::ROLE_OPERATOR, "nj-xw"));
  ExpectRefused(UpdateUser{"op-1", "王芳", Assignment{v1::ROLE_OPERATOR, "nj-xw"}},
                absl::StatusCode::kFailedPrecondition, "rule user_changes:");
  ExpectRefused(UpdateUser{"op-1", std::nullopt, std::nullopt},
                absl::StatusCode::kFailedPrecondition, "rule user_changes:");
  ExpectRefused(UpdateUser{"nobody", "名", std::nullopt}, absl::StatusCode::kNotFound,
                "user_id: no user");
}

TEST_F(AccessRulesTest, RulesUserEnabledAndUserDisabled) {
  AdminAndPartner();
  MustRun(User("op-1", v1::ROLE_OPERATOR, "nj-xw"));
  ExpectRefused(EnableUser{"op-1"}, absl::StatusCode::kFailedPrecondition,
                "rule user_disabled:");
  MustRun(DisableUser{"op-1", "离职"});
  EXPECT_TRUE(state_.FindUser("op-1")->disabled);
  EXPECT_EQ(state_.FindUser("op-1")->disabled_reason, "离职");
  ExpectRefused(DisableUser{"op-1", ""}, absl::StatusCode::kFailedPrecondition,
                "rule user_enabled:");
  MustRun(EnableUser{"op-1"});
  EXPECT_FALSE(state_.FindUser("op-1")->disabled);
  EXPECT_EQ(state_.FindUser("op-1")->disabled_reason, "");
  ExpectRefused(DisableUser{"nobody", ""}, absl::StatusCode::kNotFound, "user_id: no user");
}

TEST_F(AccessRulesTest, RuleLastAdmin) {
  AdminAndPartner();
  ExpectRefused(DisableUser{"admin", ""}, absl::StatusCode::kFailedPrecondition,
                "rule last_admin:");
  ExpectRefused(UpdateUser{"admin", std::nullopt, Assignment{v1::ROLE_AUDITOR, "", ""}},
                absl::StatusCode::kFailedPrecondition, "rule last_admin:");
  // Renaming the last admin, or moving her unit, keeps an admin.
  MustRun(UpdateUser{"admin", "管理员", Assignment{v1::ROLE_ADMIN, "nj", ""}});
  MustRun(User("admin-2", v1::ROLE_ADMIN));
  MustRun(DisableUser{"admin", ""});
  ExpectRefused(DisableUser{"admin-2", ""}, absl::StatusCode::kFailedPrecondition,
                "rule last_admin:");
}

TEST_F(AccessRulesTest, EvolveRefusesEventsThatDoNotFit) {
  AdminAndPartner();
  v1::AccessEvent again;
  again.mutable_user_registered()->set_user_id("admin");
  EXPECT_EQ(Evolve(state_, again).code(), absl::StatusCode::kInternal);
  v1::AccessEvent unknown;
  unknown.mutable_user_disabled()->set_user_id("nobody");
  EXPECT_EQ(Evolve(state_, unknown).code(), absl::StatusCode::kInternal);
  v1::AccessEvent partner_again;
  partner_again.mutable_partner_registered()->set_partner_id("legal-xw");
  EXPECT_EQ(Evolve(state_, partner_again).code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(Evolve(state_, v1::AccessEvent()).ok()) << "an empty event is skipped";
}

}  // namespace
}  // namespace haven::access
