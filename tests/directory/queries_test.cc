// Queries over the folded state (subtree, ancestors, path), and Evolve on
// events that do not fit.
#include "services/directory/domain/events.h"
#include "tests/directory/nanjing_tree.h"

namespace haven::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class QueriesTest : public DirectoryTest {
 protected:
  void SetUp() override { BuildNanjing(); }
};

TEST_F(QueriesTest, SubtreeIsDepthFirstInJoiningOrderIncludingSelf) {
  EXPECT_THAT(*state_.Subtree("nj-xw"),
              ElementsAre("nj-xw", "nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1", "nj-xw-my-dxg",
                          "nj-xw-xwm", "nj-xw-xwm-dfj", "nj-xw-jg"));
  EXPECT_THAT(*state_.Subtree("nj-gc-zq-mc"), ElementsAre("nj-gc-zq-mc"));
  EXPECT_EQ(state_.Subtree("nj")->size(), 12u);
  EXPECT_EQ(state_.size(), 12u);
}

TEST_F(QueriesTest, AncestorsRunFromTheRoot) {
  EXPECT_THAT(*state_.Ancestors("nj-xw-my-cjl-wj1"),
              ElementsAre("nj", "nj-xw", "nj-xw-my", "nj-xw-my-cjl"));
  EXPECT_THAT(*state_.Ancestors("nj"), IsEmpty());
}

TEST_F(QueriesTest, PathJoinsNamesFromTheRoot) {
  EXPECT_EQ(*state_.Path("nj-xw-my"), "南京市/玄武区/梅园新村街道");
  EXPECT_EQ(*state_.Path("nj-xw-my-cjl"), "南京市/玄武区/梅园新村街道/长江路社区");
  EXPECT_EQ(*state_.Path("nj-gc-zq-mc"), "南京市/高淳区/砖墙镇/茅城村");
  EXPECT_EQ(*state_.Path("nj"), "南京市");
}

TEST_F(QueriesTest, IsInSubtree) {
  EXPECT_TRUE(state_.IsInSubtree("nj-xw-my-cjl-wj1", "nj-xw"));
  EXPECT_TRUE(state_.IsInSubtree("nj-xw", "nj-xw"));
  EXPECT_TRUE(state_.IsInSubtree("nj-gc-zq-mc", "nj"));
  EXPECT_FALSE(state_.IsInSubtree("nj-gc-zq-mc", "nj-xw"));
  EXPECT_FALSE(state_.IsInSubtree("nj-xw", "nj-xw-my"));
  EXPECT_FALSE(state_.IsInSubtree("nj-xx", "nj"));
  EXPECT_FALSE(state_.IsInSubtree("nj-xw", "nj-xx"));
}

TEST_F(QueriesTest, QueriesOfUnknownUnitsAreNotFound) {
  constexpr auto kNotFound = absl::StatusCode::kNotFound;
  EXPECT_THAT(state_.Subtree("nj-xx").status(), StatusIs(kNotFound, "unit_id: no unit \"nj-xx\""));
  EXPECT_THAT(state_.Ancestors("nj-xx").status(), StatusIs(kNotFound, "unit_id"));
  EXPECT_THAT(state_.Path("nj-xx").status(), StatusIs(kNotFound, "unit_id"));
  EXPECT_EQ(state_.Find("nj-xx"), nullptr);
}

TEST_F(QueriesTest, FindOpenByCodeAndChildNamed) {
  EXPECT_EQ(state_.FindOpenByCode("320102002001")->name, "长江路社区");
  EXPECT_EQ(state_.FindOpenByCode("320102002009"), nullptr);
  EXPECT_EQ(state_.FindOpenChildNamed(*state_.Find("nj-xw"), "玄武门街道")->id, "nj-xw-xwm");
  EXPECT_EQ(state_.root()->id, "nj");
}

TEST_F(QueriesTest, EvolveRefusesEventsThatDoNotFit) {
  constexpr auto kInternal = absl::StatusCode::kInternal;
  v1::DirectoryEvent second_root;
  second_root.mutable_unit_created()->set_unit_id("sz");
  EXPECT_THAT(Evolve(state_, second_root), StatusIs(kInternal, "a second root"));
  v1::DirectoryEvent rename;
  rename.mutable_unit_renamed()->set_unit_id("nj-xx");
  EXPECT_THAT(Evolve(state_, rename),
              StatusIs(kInternal, "directory.unit_renamed of unit \"nj-xx\""));
  v1::DirectoryEvent move;
  move.mutable_unit_moved()->set_unit_id("nj-xw");
  move.mutable_unit_moved()->set_parent_id("nj-xx");
  EXPECT_THAT(Evolve(state_, move), StatusIs(kInternal, "unknown unit or parent"));
  EXPECT_EQ(*state_.Path("nj-xw"), "南京市/玄武区");
  EXPECT_EQ(state_.size(), 12u);
}

TEST_F(QueriesTest, EvolveSkipsEventsOfANewerVersion) {
  EXPECT_TRUE(Evolve(state_, v1::DirectoryEvent()).ok());
  EXPECT_EQ(EventTypeOf(v1::DirectoryEvent()), "directory.unknown");
  EXPECT_EQ(state_.size(), 12u);
}

}  // namespace
}  // namespace haven::directory
