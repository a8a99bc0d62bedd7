// The rules of RenameUnit, MoveUnit and CloseUnit, each test named for its
// rule, and what a move does to the subtree.
#include <string>
#include <vector>

#include "services/directory/domain/events.h"
#include "tests/directory/nanjing_tree.h"

namespace haven::directory {
namespace {

using ::testing::ElementsAre;

constexpr auto kRefused = absl::StatusCode::kFailedPrecondition;
constexpr auto kNotFound = absl::StatusCode::kNotFound;

class ChangeRulesTest : public DirectoryTest {
 protected:
  void SetUp() override { BuildNanjing(); }
};

// ---- Rename.

TEST_F(ChangeRulesTest, RenameRecordsThePreviousName) {
  auto event = Decide(state_, RenameUnit{"nj-xw-my-dxg", "大行宫社区居委会"});
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(EventTypeOf(*event), "directory.unit_renamed");
  EXPECT_EQ(event->unit_renamed().name(), "大行宫社区居委会");
  EXPECT_EQ(event->unit_renamed().previous_name(), "大行宫社区");
}

TEST_F(ChangeRulesTest, RenameChangesThePathsBelow) {
  ASSERT_TRUE(Apply(RenameUnit{"nj-xw-my", "梅园新村街道办事处"}).ok());
  EXPECT_EQ(*state_.Path("nj-xw-my-cjl-wj1"),
            "南京市/玄武区/梅园新村街道办事处/长江路社区/长江路巾帼微家");
}

TEST_F(ChangeRulesTest, RenameUnknownUnitIsNotFound) {
  EXPECT_THAT(Apply(RenameUnit{"nj-xx", "新名"}),
              StatusIs(kNotFound, "unit_id: no unit \"nj-xx\""));
}

TEST_F(ChangeRulesTest, RenameUnitOpen) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_THAT(Apply(RenameUnit{"nj-xw-my-dxg", "新名"}), StatusIs(kRefused, "rule unit_open"));
}

TEST_F(ChangeRulesTest, RenameNameChanges) {
  EXPECT_THAT(Apply(RenameUnit{"nj-xw", " 玄武区 "}), StatusIs(kRefused, "rule name_changes"));
}

TEST_F(ChangeRulesTest, RenameSiblingNameUnique) {
  EXPECT_THAT(Apply(RenameUnit{"nj-xw-my-dxg", "长江路社区"}),
              StatusIs(kRefused, "rule sibling_name_unique"));
}

TEST_F(ChangeRulesTest, RenameRootCity) {
  EXPECT_TRUE(Apply(RenameUnit{"nj", "南京"}).ok());
  EXPECT_EQ(*state_.Path("nj-gc"), "南京/高淳区");
}

// ---- Move.

TEST_F(ChangeRulesTest, MoveMovesTheSubtree) {
  // 长江路社区, with its micro-home, goes from 梅园新村街道 to 玄武门街道 and
  // takes a code that fits there.
  auto event = Decide(state_, MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm", "320102003002"});
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(EventTypeOf(*event), "directory.unit_moved");
  EXPECT_EQ(event->unit_moved().parent_id(), "nj-xw-xwm");
  EXPECT_EQ(event->unit_moved().previous_parent_id(), "nj-xw-my");
  EXPECT_EQ(event->unit_moved().statistical_code(), "320102003002");
  ASSERT_TRUE(Apply(MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm", "320102003002"}).ok());

  EXPECT_EQ(*state_.Path("nj-xw-my-cjl-wj1"), "南京市/玄武区/玄武门街道/长江路社区/长江路巾帼微家");
  EXPECT_THAT(*state_.Subtree("nj-xw-my"), ElementsAre("nj-xw-my", "nj-xw-my-dxg"));
  EXPECT_THAT(*state_.Subtree("nj-xw-xwm"),
              ElementsAre("nj-xw-xwm", "nj-xw-xwm-dfj", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1"));
  EXPECT_TRUE(state_.IsInSubtree("nj-xw-my-cjl-wj1", "nj-xw-xwm"));
  EXPECT_FALSE(state_.IsInSubtree("nj-xw-my-cjl-wj1", "nj-xw-my"));
  EXPECT_THAT(*state_.Ancestors("nj-xw-my-cjl-wj1"),
              ElementsAre("nj", "nj-xw", "nj-xw-xwm", "nj-xw-my-cjl"));
  // The new code replaces the old one, which is free again.
  EXPECT_EQ(state_.FindOpenByCode("320102003002")->id, "nj-xw-my-cjl");
  EXPECT_EQ(state_.FindOpenByCode("320102002001"), nullptr);
}

TEST_F(ChangeRulesTest, MoveAcrossCountiesOfUnitsWithoutCodes) {
  Create("nj-xw-my-wj2", "梅园巾帼微家", v1::UNIT_KIND_MICRO_HOME, "nj-xw-my");
  ASSERT_TRUE(Apply(MoveUnit{"nj-xw-my-wj2", "nj-gc-zq-mc"}).ok());
  EXPECT_EQ(*state_.Path("nj-xw-my-wj2"), "南京市/高淳区/砖墙镇/茅城村/梅园巾帼微家");
  EXPECT_TRUE(state_.IsInSubtree("nj-xw-my-wj2", "nj-gc"));
  EXPECT_FALSE(state_.IsInSubtree("nj-xw-my-wj2", "nj-xw"));
}

TEST_F(ChangeRulesTest, MoveUnknownUnitOrParentIsNotFound) {
  EXPECT_THAT(Apply(MoveUnit{"nj-xx", "nj-gc"}), StatusIs(kNotFound, "unit_id: no unit"));
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my", "nj-xx"}), StatusIs(kNotFound, "new_parent_id: no unit"));
}

TEST_F(ChangeRulesTest, MoveRootStays) {
  EXPECT_THAT(Apply(MoveUnit{"nj", "nj-xw"}), StatusIs(kRefused, "rule root_stays"));
}

TEST_F(ChangeRulesTest, MoveUnitOpen) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-dxg", "nj-xw-xwm"}), StatusIs(kRefused, "rule unit_open"));
}

TEST_F(ChangeRulesTest, MoveParentOpen) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-xwm-dfj"}).ok());
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-xwm"}).ok());
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-dxg", "nj-xw-xwm"}),
              StatusIs(kRefused, "rule parent_open: 玄武门街道 (nj-xw-xwm) is closed"));
}

TEST_F(ChangeRulesTest, MoveParentChanges) {
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-dxg", "nj-xw-my"}),
              StatusIs(kRefused, "rule parent_changes"));
}

TEST_F(ChangeRulesTest, MoveNoCycle) {
  // Under itself, under its child, under its grandchild's child.
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my", "nj-xw-my"}), StatusIs(kRefused, "rule no_cycle"));
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my", "nj-xw-my-cjl"}),
              StatusIs(kRefused,
                       "rule no_cycle: 长江路社区 (nj-xw-my-cjl) is within the subtree of "
                       "梅园新村街道 (nj-xw-my)"));
  EXPECT_THAT(Apply(MoveUnit{"nj-xw", "nj-xw-my-cjl-wj1"}), StatusIs(kRefused, "rule no_cycle"));
}

TEST_F(ChangeRulesTest, MoveKindOrder) {
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my", "nj"}),
              StatusIs(kRefused, "rule kind_order: a street hangs under a county or district"));
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-jg", "nj-xw-my"}), StatusIs(kRefused, "rule kind_order"));
  EXPECT_TRUE(Apply(MoveUnit{"nj-xw-jg", "nj"}).ok());  // A committee under the city.
}

TEST_F(ChangeRulesTest, MoveSiblingNameUnique) {
  Create("nj-xw-xwm-cjl", "长江路社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-xwm");
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm", "320102003002"}),
              StatusIs(kRefused, "rule sibling_name_unique"));
}

TEST_F(ChangeRulesTest, MoveCodePrefix) {
  // Kept codes must fit the new parent.
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm"}),
              StatusIs(kRefused,
                       "rule code_prefix: 320102002001 does not fit the code "
                       "320102003000 of 玄武门街道"));
  // So must new ones.
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm", "320102002009"}),
              StatusIs(kRefused, "rule code_prefix"));
}

TEST_F(ChangeRulesTest, MoveCodePrefixOfTheChildren) {
  // 梅园新村街道 to 高淳区 with a 高淳 code: its communities' codes would
  // no longer fit under it.
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my", "nj-gc", "320118003000"}),
              StatusIs(kRefused, "rule code_prefix: the code 320102002001 of 长江路社区"));
}

TEST_F(ChangeRulesTest, MoveCodeUnique) {
  Create("nj-xw-xwm-x", "新社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-xwm", "320102003002");
  EXPECT_THAT(Apply(MoveUnit{"nj-xw-my-cjl", "nj-xw-xwm", "320102003002"}),
              StatusIs(kRefused, "rule code_unique: 320102003002 is held by 新社区"));
}

// ---- Close.

TEST_F(ChangeRulesTest, CloseKeepsTheUnitAndFreesItsCode) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg", "撤并入长江路社区"}).ok());
  const Unit* unit = state_.Find("nj-xw-my-dxg");
  ASSERT_NE(unit, nullptr);
  EXPECT_TRUE(unit->closed);
  EXPECT_EQ(unit->statistical_code, "320102002002");
  EXPECT_EQ(state_.FindOpenByCode("320102002002"), nullptr);
  EXPECT_EQ(*state_.Path("nj-xw-my-dxg"), "南京市/玄武区/梅园新村街道/大行宫社区");
  EXPECT_THAT(*state_.Subtree("nj-xw-my"),
              ElementsAre("nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1", "nj-xw-my-dxg"));
}

TEST_F(ChangeRulesTest, CloseUnknownUnitIsNotFound) {
  EXPECT_THAT(Apply(CloseUnit{"nj-xx"}), StatusIs(kNotFound, "unit_id: no unit"));
}

TEST_F(ChangeRulesTest, CloseNoOpenChildren) {
  EXPECT_THAT(
      Apply(CloseUnit{"nj-xw-my"}),
      StatusIs(kRefused, "rule no_open_children: 梅园新村街道 (nj-xw-my) still has 2 open"));
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-cjl-wj1"}).ok());
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-cjl"}).ok());
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_TRUE(Apply(CloseUnit{"nj-xw-my"}).ok());
}

TEST_F(ChangeRulesTest, CloseRootStays) {
  EXPECT_THAT(Apply(CloseUnit{"nj"}), StatusIs(kRefused, "rule root_stays"));
}

TEST_F(ChangeRulesTest, CloseUnitOpen) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_THAT(Apply(CloseUnit{"nj-xw-my-dxg"}),
              StatusIs(kRefused, "rule unit_open: 大行宫社区 (nj-xw-my-dxg) is already closed"));
}

}  // namespace
}  // namespace haven::directory
