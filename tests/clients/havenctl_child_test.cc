// The pure parts of "havenctl child": a Chinese label for every value of
// the context's enums, the verbs the group lists, and the statistics table
// with its withheld cells.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "commands_case_format.h"
#include "commands_child.h"
#include "display_width.h"
#include "haven/children/v1/children_service.pb.h"

namespace haven::cli {
namespace {

namespace v1 = haven::children::v1;
using google::protobuf::EnumDescriptor;

TEST(ChildLabelsTest, EveryValueOfEveryChildrenEnumHasALabelAndRoundTrips) {
  const google::protobuf::FileDescriptor* files[] = {v1::ChildEvent::descriptor()->file(),
                                                     v1::ChildView::descriptor()->file()};
  int checked = 0;
  for (const auto* file : files) {
    for (int e = 0; e < file->enum_type_count(); ++e) {
      const EnumDescriptor* type = file->enum_type(e);
      for (int i = 0; i < type->value_count(); ++i) {
        const int number = type->value(i)->number();
        if (number == 0) {
          EXPECT_EQ(ChildLabel(type, 0), "—");
          continue;
        }
        const std::string name = EnumFlagName(type, number);
        EXPECT_EQ(ParseEnumFlag(type, name), number) << type->full_name() << " " << name;
        EXPECT_NE(ChildShortLabel(type, number), name)
            << type->value(i)->full_name() << " has no Chinese label";
        EXPECT_EQ(ChildLabel(type, number), ChildShortLabel(type, number) + " (" + name + ")");
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 30);
  EXPECT_EQ(ChildLabel(EnumType<v1::ChildCategory>(), v1::CHILD_CATEGORY_LEFT_BEHIND),
            "留守儿童 (left_behind)");
}

TEST(ChildCommandTest, TheGroupListsEveryVerb) {
  const Command command = ChildCommand();
  EXPECT_EQ(command.name, "child");
  for (const char* verb : {"register", "register-mentor", "pair", "visit", "support", "stipend",
                           "check", "counselling", "end-pairing", "show", "mentor", "list",
                           "stats"}) {
    EXPECT_NE(command.description.find(std::string("\n  ") + verb + " "), std::string::npos)
        << verb;
  }
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ChildStatisticsTest, CountsAlignAndWithheldCellsAreListed) {
  v1::GetChildrenStatisticsResponse response;
  v1::ChildrenStatistics* s = response.mutable_statistics();
  s->set_from_day("2024-09-01");
  s->set_to_day("2025-02-28");
  s->set_as_of_day("2025-02-28");
  s->set_awaiting_days(30);
  s->set_registered(2698);
  s->set_paired(2698);
  s->set_stipends(156);
  s->set_stipend_fen(156 * 120000);
  s->set_visits(5396);
  s->set_pairings_active(2698);
  s->set_visits_per_pairing(2.0);
  v1::CategoryCount* orphans = s->add_registered_by_category();
  orphans->set_category(v1::CHILD_CATEGORY_ORPHAN);
  orphans->set_count(0);
  response.add_suppressed_cells("registered_by_category[0].count");
  response.add_suppressed_cells("care_ended");

  const std::string out = FormatChildrenStatistics("jn", response);
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GT(lines.size(), 20u);
  EXPECT_EQ(lines[0], "留守儿童关爱 jn  2024-09-01 .. 2025-02-28  (as of 2025-02-28)");
  // The table: counts end where the header's COUNT does.
  const std::string& header = lines[1];
  const int count_end = DisplayWidth(header.substr(0, header.find("COUNT") + 5));
  auto count_ends_at = [&](const std::string& label, const std::string& count) {
    for (const std::string& line : lines) {
      if (line.rfind(label, 0) != 0) continue;
      return DisplayWidth(line.substr(0, line.find(count, label.size()) + count.size()));
    }
    return -1;
  };
  EXPECT_EQ(count_ends_at("登记儿童 registered", "2698"), count_end) << out;
  EXPECT_EQ(count_ends_at("助学金 stipends", "156"), count_end) << out;
  EXPECT_NE(out.find("187,200.00元"), std::string::npos) << out;
  EXPECT_NE(out.find("  孤儿"), std::string::npos);
  EXPECT_EQ(lines.back(),
            "withheld (1 to 4 outside your subtree, shown as 0): "
            "registered_by_category[0].count, care_ended");
  // Within her subtree nothing is withheld, and nothing says so.
  response.clear_suppressed_cells();
  EXPECT_EQ(FormatChildrenStatistics("jn", response).find("withheld"), std::string::npos);
}

}  // namespace
}  // namespace haven::cli
