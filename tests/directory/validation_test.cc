// Malformed input: INVALID_ARGUMENT naming the field, whatever the state.
#include "services/directory/domain/validation.h"

#include <string>

#include "tests/directory/nanjing_tree.h"

namespace haven::directory {
namespace {

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class ValidationTest : public DirectoryTest {
 protected:
  void SetUp() override { BuildNanjing(); }

  absl::Status CreateCommunity(const std::string& id, const std::string& name,
                               const std::string& code = "") {
    return Apply(CreateUnit{id, name, v1::UNIT_KIND_COMMUNITY, "nj-xw-my", code});
  }
};

TEST_F(ValidationTest, UnitIdIsRequired) {
  EXPECT_THAT(CreateCommunity("", "兰园社区"), StatusIs(kInvalid, "unit_id: is required"));
}

TEST_F(ValidationTest, UnitIdIsAsciiLettersDigitsDashUnderscoreDot) {
  EXPECT_THAT(CreateCommunity("nj xw", "兰园社区"), StatusIs(kInvalid, "unit_id: may hold only"));
  EXPECT_THAT(CreateCommunity("玄武", "兰园社区"), StatusIs(kInvalid, "unit_id"));
  EXPECT_THAT(CreateCommunity("-nj", "兰园社区"), StatusIs(kInvalid, "unit_id: must start"));
  EXPECT_TRUE(CreateCommunity("6f1c2a9e-0b7d-4f55-9a53-1d2e3f4a5b60", "兰园社区").ok());
  EXPECT_TRUE(CreateCommunity("nj_xw.my-007", "樱驼村社区").ok());
}

TEST_F(ValidationTest, UnitIdIsAtMost64Characters) {
  EXPECT_THAT(CreateCommunity(std::string(65, 'a'), "兰园社区"),
              StatusIs(kInvalid, "unit_id: must be at most 64"));
  EXPECT_TRUE(CreateCommunity(std::string(64, 'a'), "兰园社区").ok());
}

TEST_F(ValidationTest, NameIsRequiredAfterTrimming) {
  EXPECT_THAT(CreateCommunity("c1", ""), StatusIs(kInvalid, "name: is required"));
  EXPECT_THAT(CreateCommunity("c1", " \t "), StatusIs(kInvalid, "name: is required"));
  EXPECT_THAT(CreateCommunity("c1", "\xE3\x80\x80\xE3\x80\x80"),  // Ideographic spaces.
              StatusIs(kInvalid, "name: is required"));
}

TEST_F(ValidationTest, NameIsStoredTrimmed) {
  ASSERT_TRUE(CreateCommunity("c1", "\xE3\x80\x80 兰园社区 ").ok());
  EXPECT_EQ(state_.Find("c1")->name, "兰园社区");
}

TEST_F(ValidationTest, NameIsAtMost64Characters) {
  EXPECT_THAT(CreateCommunity("c1", Repeat("社", 65)),
              StatusIs(kInvalid, "name: must be at most 64 characters"));
  // 64 Chinese characters are 192 bytes: the limit counts characters.
  EXPECT_TRUE(CreateCommunity("c1", Repeat("社", 64)).ok());
}

TEST_F(ValidationTest, NameMustBeUtf8) {
  EXPECT_THAT(CreateCommunity("c1", "\xE7\xA4"), StatusIs(kInvalid, "name: must be UTF-8"));
  EXPECT_THAT(CreateCommunity("c1", "\xC0\xAF"), StatusIs(kInvalid, "name: must be UTF-8"));
  EXPECT_THAT(CreateCommunity("c1", "\xED\xA0\x80"), StatusIs(kInvalid, "name: must be UTF-8"));
}

TEST_F(ValidationTest, NameHoldsNoControlCharactersOrSlash) {
  EXPECT_THAT(CreateCommunity("c1", "兰园\n社区"),
              StatusIs(kInvalid, "name: must not hold control"));
  EXPECT_THAT(CreateCommunity("c1", "兰园\xC2\x85社区"), StatusIs(kInvalid, "name: must not hold"));
  EXPECT_THAT(CreateCommunity("c1", "兰园/社区"), StatusIs(kInvalid, "name: must not hold '/'"));
}

TEST_F(ValidationTest, KindMustBeKnown) {
  EXPECT_THAT(Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_UNSPECIFIED, "nj-xw-my"}),
              StatusIs(kInvalid, "kind: must be a known unit kind"));
  EXPECT_THAT(Apply(CreateUnit{"c1", "兰园社区", static_cast<v1::UnitKind>(99), "nj-xw-my"}),
              StatusIs(kInvalid, "kind"));
}

TEST_F(ValidationTest, RootMustBeCity) {
  Directory empty;
  EXPECT_THAT(Decide(empty, CreateUnit{"xw", "玄武区", v1::UNIT_KIND_DISTRICT, ""}).status(),
              StatusIs(kInvalid, "parent_id: is required for a district"));
}

TEST_F(ValidationTest, CityHasNoParent) {
  EXPECT_THAT(Apply(CreateUnit{"sz", "苏州市", v1::UNIT_KIND_CITY, "nj"}),
              StatusIs(kInvalid, "parent_id: must be empty for a city"));
}

TEST_F(ValidationTest, ParentIdMustBeWellFormed) {
  EXPECT_THAT(Apply(CreateUnit{"c1", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-梅园"}),
              StatusIs(kInvalid, "parent_id: may hold only"));
}

TEST_F(ValidationTest, CodeIsTwelveDigits) {
  EXPECT_THAT(CreateCommunity("c1", "兰园社区", "32010200200"),
              StatusIs(kInvalid, "statistical_code: must be exactly 12 digits"));
  EXPECT_THAT(CreateCommunity("c1", "兰园社区", "32010200200X"),
              StatusIs(kInvalid, "statistical_code: must be exactly 12 digits"));
}

TEST_F(ValidationTest, CodeShapeMatchesKind) {
  // A township's code for a community, a county's for a street.
  EXPECT_THAT(CreateCommunity("c1", "兰园社区", "320102002000"),
              StatusIs(kInvalid, "statistical_code: 320102002000 is not the code of a community"));
  EXPECT_THAT(Apply(CreateUnit{"s1", "新街口街道", v1::UNIT_KIND_STREET, "nj-xw", "320102000000"}),
              StatusIs(kInvalid, "statistical_code"));
  EXPECT_THAT(Apply(CreateUnit{"d1", "秦淮区", v1::UNIT_KIND_DISTRICT, "nj", "320104002000"}),
              StatusIs(kInvalid, "not the code of a district"));
}

TEST_F(ValidationTest, OnlyGeographicUnitsCarryCodes) {
  EXPECT_THAT(Apply(CreateUnit{"w1", "大行宫巾帼微家", v1::UNIT_KIND_MICRO_HOME, "nj-xw-my-dxg",
                               "320102002002"}),
              StatusIs(kInvalid, "statistical_code: a micro-home carries no"));
  EXPECT_THAT(Apply(CreateUnit{"e1", "苏宁集团妇委会", v1::UNIT_KIND_ENTERPRISE_COMMITTEE, "nj-xw",
                               "320102000001"}),
              StatusIs(kInvalid, "statistical_code: an enterprise committee carries no"));
}

TEST_F(ValidationTest, MunicipalityCodeHasTwoSignificantDigits) {
  Directory beijing;
  auto city = Decide(beijing, CreateUnit{"bj", "北京市", v1::UNIT_KIND_CITY, "", "110000000000"});
  ASSERT_TRUE(city.ok()) << city.status();
  ASSERT_TRUE(Evolve(beijing, *city).ok());
  auto district =
      Decide(beijing, CreateUnit{"bj-dc", "东城区", v1::UNIT_KIND_DISTRICT, "bj", "110101000000"});
  EXPECT_TRUE(district.ok()) << district.status();
}

TEST_F(ValidationTest, MoveCodeIsTwelveDigitsOfTheUnitsKind) {
  EXPECT_THAT(Apply(MoveUnit{"nj-gc-zq-mc", "nj-xw-my", "3201020020"}),
              StatusIs(kInvalid, "statistical_code: must be exactly 12 digits"));
  EXPECT_THAT(Apply(MoveUnit{"nj-gc-zq-mc", "nj-xw-my", "320102002000"}),
              StatusIs(kInvalid, "statistical_code: 320102002000 is not the code of a village"));
  EXPECT_THAT(Apply(MoveUnit{"nj-gc-zq-mc", ""}), StatusIs(kInvalid, "new_parent_id: is required"));
}

TEST_F(ValidationTest, CloseReasonIsAtMost500Characters) {
  EXPECT_THAT(Apply(CloseUnit{"nj-xw-my-dxg", Repeat("并", 501)}),
              StatusIs(kInvalid, "reason: must be at most 500 characters"));
  EXPECT_THAT(Apply(CloseUnit{"nj-xw-my-dxg", "撤\x01并"}), StatusIs(kInvalid, "reason"));
  EXPECT_TRUE(Apply(CloseUnit{"nj-xw-my-dxg", Repeat("并", 500)}).ok());
}

TEST_F(ValidationTest, RenameChecksIdAndName) {
  EXPECT_THAT(Apply(RenameUnit{"", "新名"}), StatusIs(kInvalid, "unit_id: is required"));
  EXPECT_THAT(Apply(RenameUnit{"nj-xw", "  "}), StatusIs(kInvalid, "name: is required"));
}

TEST(ValidateCommandTest, RefusesMalformedFieldsWithoutAnyState) {
  EXPECT_THAT(ValidateCommand(CloseUnit{"a b"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "unit_id"));
  EXPECT_TRUE(ValidateCommand(CloseUnit{"unknown-but-well-formed"}).ok());
}

}  // namespace
}  // namespace haven::directory
