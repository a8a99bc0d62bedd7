// The pure helpers of "havenctl unit" and "havenctl case": enum names from
// the proto descriptors, China Standard Time, money, aligned tables.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "commands_case_format.h"
#include "display_width.h"
#include "haven/cases/v1/case_service.pb.h"
#include "haven/directory/v1/directory.pb.h"

namespace haven::cli {
namespace {

namespace v1 = haven::cases::v1;
using google::protobuf::EnumDescriptor;

TEST(EnumNamesTest, PrefixIsTheEnumNameInUpperSnakeCase) {
  EXPECT_EQ(EnumValuePrefix(EnumType<v1::Channel>()), "CHANNEL_");
  EXPECT_EQ(EnumValuePrefix(EnumType<v1::VulnerabilityTag>()), "VULNERABILITY_TAG_");
  EXPECT_EQ(EnumValuePrefix(EnumType<v1::ReferralProgressKind>()), "REFERRAL_PROGRESS_KIND_");
  EXPECT_EQ(EnumValuePrefix(EnumType<haven::directory::v1::UnitKind>()), "UNIT_KIND_");
}

TEST(EnumNamesTest, FlagNamesAreLowerCaseWithoutThePrefix) {
  EXPECT_EQ(EnumFlagName(EnumType<v1::Channel>(), v1::CHANNEL_HOTLINE), "hotline");
  EXPECT_EQ(EnumFlagName(EnumType<v1::Category>(), v1::CATEGORY_DOMESTIC_VIOLENCE),
            "domestic_violence");
  EXPECT_EQ(EnumFlagName(EnumType<v1::VulnerabilityTag>(), v1::VULNERABILITY_TAG_JOB_SEEKER_4050),
            "job_seeker_4050");
  EXPECT_EQ(EnumFlagName(EnumType<v1::Channel>(), 999), "999");
}

TEST(EnumNamesTest, ParseAcceptsShortAndFullNamesInAnyCaseWithHyphens) {
  const EnumDescriptor* category = EnumType<v1::Category>();
  EXPECT_EQ(ParseEnumFlag(category, "domestic_violence"), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(ParseEnumFlag(category, "domestic-violence"), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(ParseEnumFlag(category, "Domestic_Violence"), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(ParseEnumFlag(category, "CATEGORY_DOMESTIC_VIOLENCE"), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(ParseEnumFlag(category, "violence"), std::nullopt);
  EXPECT_EQ(ParseEnumFlag(category, ""), std::nullopt);
}

TEST(EnumNamesTest, UnspecifiedIsNeverAccepted) {
  EXPECT_EQ(ParseEnumFlag(EnumType<v1::Channel>(), "unspecified"), std::nullopt);
  EXPECT_EQ(ParseEnumFlag(EnumType<v1::Channel>(), "CHANNEL_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(EnumFlagChoices(EnumType<v1::Urgency>()), "routine, urgent, emergency");
}

// Every value of every enum a flag takes round-trips through its flag name,
// and (but for UNSPECIFIED) the enums havenctl shows have a Chinese label:
// the lists cannot drift from the schema, and a label missing from the
// table is caught here.
TEST(EnumNamesTest, EveryValueOfEveryCaseEnumRoundTripsAndHasALabel) {
  const google::protobuf::FileDescriptor* files[] = {
      v1::CaseView::descriptor()->file(), v1::Channel_descriptor()->file(),
      haven::directory::v1::UnitKind_descriptor()->file()};
  std::set<const EnumDescriptor*> enums;
  for (const auto* file : files) {
    for (int i = 0; i < file->enum_type_count(); ++i) enums.insert(file->enum_type(i));
  }
  ASSERT_GE(enums.size(), 25u);
  // Shown with labels: the domain's enums, unit kinds, and the statuses of
  // the case view.
  std::set<const EnumDescriptor*> shown;
  const auto* domain = v1::Channel_descriptor()->file();
  for (int i = 0; i < domain->enum_type_count(); ++i) shown.insert(domain->enum_type(i));
  shown.insert(haven::directory::v1::UnitKind_descriptor());
  shown.insert(v1::CaseStatus_descriptor());
  shown.insert(v1::ReferralStatus_descriptor());
  shown.insert(v1::ProtectionOrderStatus_descriptor());
  for (const EnumDescriptor* type : enums) {
    std::set<std::string> names;
    for (int i = 0; i < type->value_count(); ++i) {
      const int number = type->value(i)->number();
      if (number == 0) continue;
      const std::string name = EnumFlagName(type, number);
      EXPECT_TRUE(names.insert(name).second) << type->full_name() << " repeats " << name;
      EXPECT_EQ(ParseEnumFlag(type, name), number) << type->full_name() << " " << name;
      const std::string label = EnumLabel(type, number);
      if (shown.count(type) > 0) {
        EXPECT_NE(label, name) << type->value(i)->full_name() << " has no Chinese label";
      }
      EXPECT_GT(DisplayWidth(label), 0);
    }
  }
}

TEST(EnumNamesTest, ListsAreCommaSeparated) {
  const EnumDescriptor* tags = EnumType<v1::VulnerabilityTag>();
  auto parsed = ParseEnumListFlag(tags, "disabled, subsistence-allowance");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, (std::vector<int>{v1::VULNERABILITY_TAG_DISABLED,
                                       v1::VULNERABILITY_TAG_SUBSISTENCE_ALLOWANCE}));
  EXPECT_EQ(ParseEnumListFlag(tags, "disabled,,laid_off"), std::nullopt);
  EXPECT_EQ(ParseEnumListFlag(tags, "disabled,nobody"), std::nullopt);
  EXPECT_EQ(ParseEnumListFlag(tags, ""), std::vector<int>{});
}

TEST(EnumNamesTest, LabelsShowChineseWithTheFlagName) {
  EXPECT_EQ(EnumLabel(EnumType<v1::Channel>(), v1::CHANNEL_HOTLINE), "12338热线");
  EXPECT_EQ(EnumLabelWithName(EnumType<v1::Category>(), v1::CATEGORY_MARRIAGE_FAMILY),
            "婚姻家庭纠纷 (marriage_family)");
  EXPECT_EQ(EnumLabelWithName(EnumType<v1::Category>(), 0), "—");
}

constexpr int64_t kSecond = 1000000;

TEST(CstTest, FormatsInChinaStandardTime) {
  // 2024-05-01T06:30:05Z is 14:30:05 in Beijing.
  const int64_t t = 1714545005LL * kSecond;
  EXPECT_EQ(FormatCst(t), "2024-05-01 14:30:05");
  EXPECT_EQ(FormatCstMinutes(t), "2024-05-01 14:30");
  // 20:00 UTC is the next day in Beijing.
  EXPECT_EQ(FormatCst(1714593600LL * kSecond), "2024-05-02 04:00:00");
  EXPECT_EQ(FormatCst(0), "—");
}

TEST(CstTest, ParsesDatesAndTimesAsChinaStandardTime) {
  const int64_t now = 1714545005LL * kSecond;
  EXPECT_EQ(ParseTimeFlag("2024-05-01 14:30:05", now), 1714545005LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01T14:30:05", now), 1714545005LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01 14:30", now), 1714545000LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01", now), (1714545005LL - 14 * 3600 - 30 * 60 - 5) * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01T06:30:05Z", now), 1714545005LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01T14:30:05+08:00", now), 1714545005LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-05-01T01:30:05-05:00", now), 1714545005LL * kSecond);
  EXPECT_EQ(ParseTimeFlag("2024-02-29", now).has_value(), true);
}

TEST(CstTest, ParsesRelativeTimes) {
  const int64_t now = 1714545005LL * kSecond;
  EXPECT_EQ(ParseTimeFlag("now", now), now);
  EXPECT_EQ(ParseTimeFlag("+3d", now), now + 3 * 86400 * kSecond);
  EXPECT_EQ(ParseTimeFlag("-2h", now), now - 2 * 3600 * kSecond);
  EXPECT_EQ(ParseTimeFlag("-30m", now), now - 30 * 60 * kSecond);
  EXPECT_EQ(ParseTimeFlag("+90s", now), now + 90 * kSecond);
}

TEST(CstTest, RefusesWhatIsNotATime) {
  for (const char* bad :
       {"", "yesterday", "2023-02-29", "2024-13-01", "2024-04-31", "2024-5-1", "2024-05-01 25:00",
        "2024-05-01 14", "2024-05-01T14:30Zx", "+3w", "+d", "-2x", "2024-05-01  14:30"}) {
    EXPECT_EQ(ParseTimeFlag(bad, 0), std::nullopt) << bad;
  }
}

TEST(MoneyTest, YuanBecomeFenExactly) {
  EXPECT_EQ(ParseYuanToFen("1500"), 150000);
  EXPECT_EQ(ParseYuanToFen("1500.5"), 150050);
  EXPECT_EQ(ParseYuanToFen("1500.05"), 150005);
  EXPECT_EQ(ParseYuanToFen("1,500.50"), 150050);
  EXPECT_EQ(ParseYuanToFen("0.01"), 1);
  EXPECT_EQ(ParseYuanToFen("0.29"), 29);  // Never through floating point.
  for (const char* bad : {"", "-1", "1.234", "1.", ".5", "abc", "1e3", "１２"}) {
    EXPECT_EQ(ParseYuanToFen(bad), std::nullopt) << bad;
  }
}

TEST(MoneyTest, FenPrintAsYuanWithThousandsSeparators) {
  EXPECT_EQ(FormatFen(0), "0.00元");
  EXPECT_EQ(FormatFen(150050), "1,500.50元");
  EXPECT_EQ(FormatFen(100000000), "1,000,000.00元");
  EXPECT_EQ(FormatFen(-5), "-0.05元");
}

TEST(TableTest, AlignsChineseByDisplayWidth) {
  const std::string table = FormatTable(
      {"NAME", "ID", "N"}, {{"秣陵市", "moling", "1"}, {"栖霞区燕子矶街道", "yzj", "12"}}, {2});
  EXPECT_EQ(table,
            "NAME              ID       N\n"
            "秣陵市            moling   1\n"
            "栖霞区燕子矶街道  yzj     12\n");
}

TEST(TableTest, FieldsAlignValuesAndSanitizeThem) {
  EXPECT_EQ(FormatFields({{"状态 status", "办理中"}, {"id", "a\x1b[31m"}}),
            "状态 status  办理中\n"
            "id           a\\x1b[31m\n");
}

}  // namespace
}  // namespace haven::cli
