// The rules of CreateUnit that depend on the tree: each test is named for
// its rule and checks the exact status code and the rule's name.
#include <set>
#include <utility>

#include "services/directory/domain/events.h"
#include "tests/directory/nanjing_tree.h"

namespace haven::directory {
namespace {

constexpr auto kRefused = absl::StatusCode::kFailedPrecondition;

class CreateRulesTest : public DirectoryTest {
 protected:
  void SetUp() override { BuildNanjing(); }
};

TEST_F(CreateRulesTest, CreateRecordsEveryField) {
  auto event = Decide(state_, CreateUnit{"nj-xw-my-ly", "兰园社区", v1::UNIT_KIND_COMMUNITY,
                                         "nj-xw-my", "320102002003"});
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(EventTypeOf(*event), "directory.unit_created");
  const v1::UnitCreated& e = event->unit_created();
  EXPECT_EQ(e.unit_id(), "nj-xw-my-ly");
  EXPECT_EQ(e.name(), "兰园社区");
  EXPECT_EQ(e.kind(), v1::UNIT_KIND_COMMUNITY);
  EXPECT_EQ(e.parent_id(), "nj-xw-my");
  EXPECT_EQ(e.statistical_code(), "320102002003");
}

TEST_F(CreateRulesTest, SingleRoot) {
  EXPECT_THAT(Apply(CreateUnit{"sz", "苏州市", v1::UNIT_KIND_CITY, "", "320500000000"}),
              StatusIs(kRefused, "rule single_root"));
}

TEST_F(CreateRulesTest, UnitIdUnique) {
  EXPECT_THAT(Apply(CreateUnit{"nj-xw", "秦淮区", v1::UNIT_KIND_DISTRICT, "nj"}),
              StatusIs(absl::StatusCode::kAlreadyExists, "unit_id: unit \"nj-xw\" already exists"));
}

TEST_F(CreateRulesTest, ParentExists) {
  EXPECT_THAT(Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-xx"}),
              StatusIs(absl::StatusCode::kNotFound, "parent_id: no unit \"nj-xw-xx\""));
}

TEST_F(CreateRulesTest, ParentOpen) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg", "撤并"}).ok());
  EXPECT_THAT(Apply(CreateUnit{"w1", "大行宫巾帼微家", v1::UNIT_KIND_MICRO_HOME, "nj-xw-my-dxg"}),
              StatusIs(kRefused, "rule parent_open: 大行宫社区 (nj-xw-my-dxg) is closed"));
}

TEST_F(CreateRulesTest, KindOrderIsRefusedWithTheRuleName) {
  EXPECT_THAT(Apply(CreateUnit{"v1", "樱驼村", v1::UNIT_KIND_VILLAGE, "nj-xw"}),
              StatusIs(kRefused,
                       "rule kind_order: a village hangs under a township or street, "
                       "not under a district (玄武区 (nj-xw))"));
}

// Every pair of kinds: a child may hang under exactly these parents.
TEST_F(CreateRulesTest, KindOrder) {
  using K = v1::UnitKind;
  const std::set<std::pair<K, K>> allowed = {
      {v1::UNIT_KIND_COUNTY, v1::UNIT_KIND_CITY},
      {v1::UNIT_KIND_DISTRICT, v1::UNIT_KIND_CITY},
      {v1::UNIT_KIND_TOWNSHIP, v1::UNIT_KIND_COUNTY},
      {v1::UNIT_KIND_TOWNSHIP, v1::UNIT_KIND_DISTRICT},
      {v1::UNIT_KIND_STREET, v1::UNIT_KIND_COUNTY},
      {v1::UNIT_KIND_STREET, v1::UNIT_KIND_DISTRICT},
      {v1::UNIT_KIND_VILLAGE, v1::UNIT_KIND_TOWNSHIP},
      {v1::UNIT_KIND_VILLAGE, v1::UNIT_KIND_STREET},
      {v1::UNIT_KIND_COMMUNITY, v1::UNIT_KIND_TOWNSHIP},
      {v1::UNIT_KIND_COMMUNITY, v1::UNIT_KIND_STREET},
      {v1::UNIT_KIND_MICRO_HOME, v1::UNIT_KIND_TOWNSHIP},
      {v1::UNIT_KIND_MICRO_HOME, v1::UNIT_KIND_STREET},
      {v1::UNIT_KIND_MICRO_HOME, v1::UNIT_KIND_VILLAGE},
      {v1::UNIT_KIND_MICRO_HOME, v1::UNIT_KIND_COMMUNITY},
      {v1::UNIT_KIND_DEPARTMENT_COMMITTEE, v1::UNIT_KIND_CITY},
      {v1::UNIT_KIND_DEPARTMENT_COMMITTEE, v1::UNIT_KIND_COUNTY},
      {v1::UNIT_KIND_DEPARTMENT_COMMITTEE, v1::UNIT_KIND_DISTRICT},
      {v1::UNIT_KIND_ENTERPRISE_COMMITTEE, v1::UNIT_KIND_CITY},
      {v1::UNIT_KIND_ENTERPRISE_COMMITTEE, v1::UNIT_KIND_COUNTY},
      {v1::UNIT_KIND_ENTERPRISE_COMMITTEE, v1::UNIT_KIND_DISTRICT},
      {v1::UNIT_KIND_MEMBER_ORGANISATION, v1::UNIT_KIND_CITY},
      {v1::UNIT_KIND_MEMBER_ORGANISATION, v1::UNIT_KIND_COUNTY},
      {v1::UNIT_KIND_MEMBER_ORGANISATION, v1::UNIT_KIND_DISTRICT},
  };
  // One parent of each kind, each with a code-less unit so codes play no part.
  Directory state;
  auto add = [&state](const std::string& id, K kind, const std::string& parent) {
    auto event = Decide(state, CreateUnit{id, id, kind, parent});
    ASSERT_TRUE(event.ok()) << id << ": " << event.status();
    ASSERT_TRUE(Evolve(state, *event).ok());
  };
  add("city", v1::UNIT_KIND_CITY, "");
  add("county", v1::UNIT_KIND_COUNTY, "city");
  add("district", v1::UNIT_KIND_DISTRICT, "city");
  add("township", v1::UNIT_KIND_TOWNSHIP, "county");
  add("street", v1::UNIT_KIND_STREET, "district");
  add("village", v1::UNIT_KIND_VILLAGE, "township");
  add("community", v1::UNIT_KIND_COMMUNITY, "street");
  add("micro_home", v1::UNIT_KIND_MICRO_HOME, "community");
  add("department_committee", v1::UNIT_KIND_DEPARTMENT_COMMITTEE, "district");
  add("enterprise_committee", v1::UNIT_KIND_ENTERPRISE_COMMITTEE, "county");
  add("member_organisation", v1::UNIT_KIND_MEMBER_ORGANISATION, "city");
  const std::pair<const char*, K> parents[] = {
      {"city", v1::UNIT_KIND_CITY},
      {"county", v1::UNIT_KIND_COUNTY},
      {"district", v1::UNIT_KIND_DISTRICT},
      {"township", v1::UNIT_KIND_TOWNSHIP},
      {"street", v1::UNIT_KIND_STREET},
      {"village", v1::UNIT_KIND_VILLAGE},
      {"community", v1::UNIT_KIND_COMMUNITY},
      {"micro_home", v1::UNIT_KIND_MICRO_HOME},
      {"department_committee", v1::UNIT_KIND_DEPARTMENT_COMMITTEE},
      {"enterprise_committee", v1::UNIT_KIND_ENTERPRISE_COMMITTEE},
      {"member_organisation", v1::UNIT_KIND_MEMBER_ORGANISATION},
  };
  for (int k = v1::UNIT_KIND_COUNTY; k <= v1::UNIT_KIND_MEMBER_ORGANISATION; ++k) {
    const K child = static_cast<K>(k);
    for (const auto& [parent_id, parent_kind] : parents) {
      auto event = Decide(state, CreateUnit{"new", "新单位", child, parent_id});
      if (allowed.count({child, parent_kind})) {
        EXPECT_TRUE(event.ok()) << k << " under " << parent_id << ": " << event.status();
      } else {
        EXPECT_THAT(event.status(), StatusIs(kRefused, "rule kind_order"))
            << k << " under " << parent_id;
      }
    }
  }
}

TEST_F(CreateRulesTest, SiblingNameUnique) {
  EXPECT_THAT(Apply(CreateUnit{"c1", "长江路社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my"}),
              StatusIs(kRefused,
                       "rule sibling_name_unique: 梅园新村街道 (nj-xw-my) already has "
                       "an open unit named 长江路社区 (nj-xw-my-cjl)"));
  // Trimming happens before the comparison.
  EXPECT_THAT(Apply(CreateUnit{"c1", " 长江路社区 ", v1::UNIT_KIND_COMMUNITY, "nj-xw-my"}),
              StatusIs(kRefused, "rule sibling_name_unique"));
  // The same name under another parent is fine.
  EXPECT_TRUE(Apply(CreateUnit{"c1", "长江路社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-xwm"}).ok());
}

TEST_F(CreateRulesTest, SiblingNameUniqueIgnoresClosedSiblings) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_TRUE(
      Apply(CreateUnit{"nj-xw-my-dxg2", "大行宫社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my"}).ok());
}

TEST_F(CreateRulesTest, CodeUnique) {
  EXPECT_THAT(
      Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002001"}),
      StatusIs(kRefused, "rule code_unique: 320102002001 is held by 长江路社区"));
}

TEST_F(CreateRulesTest, CodeUniqueIgnoresClosedUnits) {
  ASSERT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg"}).ok());
  EXPECT_TRUE(
      Apply(CreateUnit{"c1", "大行宫社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002002"})
          .ok());
  EXPECT_EQ(state_.FindOpenByCode("320102002002")->id, "c1");
}

TEST_F(CreateRulesTest, CodePrefix) {
  // A 高淳区 village code under a 玄武区 street.
  EXPECT_THAT(
      Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320118102202"}),
      StatusIs(kRefused,
               "rule code_prefix: 320118102202 does not fit the code "
               "320102002000 of 梅园新村街道"));
  // The city's four significant digits.
  EXPECT_THAT(Apply(CreateUnit{"d1", "姑苏区", v1::UNIT_KIND_DISTRICT, "nj", "320508000000"}),
              StatusIs(kRefused, "rule code_prefix"));
}

TEST_F(CreateRulesTest, CodePrefixAppliesOnlyWhenBothHaveCodes) {
  Create("nj-qh", "秦淮区", v1::UNIT_KIND_DISTRICT, "nj");  // No code.
  EXPECT_TRUE(
      Apply(CreateUnit{"nj-qh-xjk", "新街口街道", v1::UNIT_KIND_STREET, "nj-qh", "320104013000"})
          .ok());
  EXPECT_TRUE(Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my"}).ok());
}

}  // namespace
}  // namespace haven::directory
