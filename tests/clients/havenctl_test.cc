// The pure pieces of havenctl: display width, UTF-8 safe truncation, UUIDs,
// flag parsing and event formatting.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "display_width.h"
#include "flags.h"
#include "output.h"
#include "uuid.h"

namespace haven::cli {
namespace {

TEST(DisplayWidthTest, CountsWideCharactersAsTwoColumns) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("case-1"), 6);
  EXPECT_EQ(DisplayWidth("案件"), 4);
  EXPECT_EQ(DisplayWidth("案件-42"), 7);
  EXPECT_EQ(DisplayWidth("张三 opened"), 4 + 7);
  EXPECT_EQ(DisplayWidth("ｶ"), 1);           // Halfwidth katakana.
  EXPECT_EQ(DisplayWidth("Ａ"), 2);          // Fullwidth Latin.
  EXPECT_EQ(DisplayWidth("한국"), 4);        // Hangul.
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);     // Combining acute accent.
  EXPECT_EQ(DisplayWidth("\U0001F600"), 2);  // Emoji.
  EXPECT_EQ(DisplayWidth("\U00020000"), 2);  // CJK extension B.
}

TEST(DisplayWidthTest, MalformedBytesCountOneColumnEach) {
  EXPECT_EQ(DisplayWidth("\xff"), 1);
  EXPECT_EQ(DisplayWidth("a\xe6\xa1"), 3);  // Truncated 3-byte sequence.
  EXPECT_FALSE(IsValidUtf8("\xe6\xa1"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // Overlong "/".
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_TRUE(IsValidUtf8("案件 \U0001F600"));
}

TEST(DisplayWidthTest, DecodeRoundTripsThroughAppend) {
  const std::string text = "a案\U0001F600é";
  std::string rebuilt;
  size_t pos = 0;
  while (pos < text.size()) AppendUtf8(DecodeUtf8(text, &pos), &rebuilt);
  EXPECT_EQ(rebuilt, text);
}

TEST(TruncateTest, LeavesFittingTextAlone) {
  EXPECT_EQ(TruncateToWidth("案件", 4), "案件");
  EXPECT_EQ(TruncateToWidth("abc", 3), "abc");
}

TEST(TruncateTest, NeverCutsInsideACharacter) {
  // 5 columns: "案件" (4) + "…" (1).
  EXPECT_EQ(TruncateToWidth("案件编号", 5), "案件\u2026");
  // 4 columns: only "案" fits before the ellipsis; the result is 3 wide.
  const std::string cut = TruncateToWidth("案件编号", 4);
  EXPECT_EQ(cut, "案\u2026");
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_LE(DisplayWidth(cut), 4);
  for (int width = 0; width <= 10; ++width) {
    const std::string t = TruncateToWidth("申请人张三的案件", width);
    EXPECT_TRUE(IsValidUtf8(t)) << width;
    EXPECT_LE(DisplayWidth(t), width) << width;
  }
}

TEST(PadTest, PadsByColumnsNotBytes) {
  EXPECT_EQ(PadRight("案件", 6), "案件  ");
  EXPECT_EQ(PadLeft("案", 3), " 案");
  EXPECT_EQ(PadRight("toolong", 3), "toolong");
}

TEST(SanitizeTest, EscapesControlsAndReplacesMalformedBytes) {
  EXPECT_EQ(SanitizeForTerminal("a\nb\tc"), "a\\nb\\tc");
  EXPECT_EQ(SanitizeForTerminal("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(SanitizeForTerminal("x\xffy"), "x\uFFFDy");
  EXPECT_EQ(SanitizeForTerminal("案件"), "案件");
}

TEST(UuidTest, GeneratesCanonicalVersion4) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewUuidV4();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(IsCanonicalUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_EQ(id, [&] {
      std::string lower = id;
      for (char& c : lower) c = static_cast<char>(std::tolower(c));
      return lower;
    }());
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(UuidTest, ValidatesCanonicalForm) {
  EXPECT_TRUE(IsCanonicalUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsCanonicalUuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(IsCanonicalUuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(IsCanonicalUuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(IsCanonicalUuid("{123e4567-e89b-12d3-a456-426614174000}"));
  EXPECT_FALSE(IsCanonicalUuid(""));
}

const std::vector<FlagSpec> kSpecs = {
    {"type", "TYPE", ""}, {"data", "JSON", ""},   {"backwards", "", ""},
    {"help", "", ""},     {"server", "ADDR", ""},
};

TEST(FlagsTest, ParsesValuesBooleansAndPositionals) {
  const ParsedArgs args =
      ParseFlags({"案件-1", "--type=case.opened", "--data", "{\"a\":1}", "--backwards"}, kSpecs);
  ASSERT_EQ(args.error, "");
  EXPECT_EQ(args.positional, std::vector<std::string>{"案件-1"});
  EXPECT_EQ(args.Get("type"), "case.opened");
  EXPECT_EQ(args.Get("data"), "{\"a\":1}");
  EXPECT_TRUE(args.Has("backwards"));
  EXPECT_FALSE(args.Has("server"));
}

TEST(FlagsTest, KeepsEqualsSignsAndDashValues) {
  const ParsedArgs args = ParseFlags({"--data={\"k\":\"a=b\"}", "--type", "-"}, kSpecs);
  ASSERT_EQ(args.error, "");
  EXPECT_EQ(args.Get("data"), "{\"k\":\"a=b\"}");
  EXPECT_EQ(args.Get("type"), "-");
  EXPECT_EQ(ParseFlags({"--data=-"}, kSpecs).Get("data"), "-");
  EXPECT_EQ(ParseFlags({"--data="}, kSpecs).Get("data"), "");
}

TEST(FlagsTest, RejectsBadFlags) {
  EXPECT_NE(ParseFlags({"--nope=1"}, kSpecs).error, "");
  EXPECT_NE(ParseFlags({"--type"}, kSpecs).error, "");
  EXPECT_NE(ParseFlags({"--backwards=yes"}, kSpecs).error, "");
  EXPECT_NE(ParseFlags({"--type=a", "--type=b"}, kSpecs).error, "");
  EXPECT_NE(ParseFlags({"-x"}, kSpecs).error, "");
}

TEST(FlagsTest, DoubleDashEndsFlagsAndDashHIsHelp) {
  const ParsedArgs args = ParseFlags({"-h", "--", "--backwards"}, kSpecs);
  ASSERT_EQ(args.error, "");
  EXPECT_TRUE(args.Has("help"));
  EXPECT_FALSE(args.Has("backwards"));
  EXPECT_EQ(args.positional, std::vector<std::string>{"--backwards"});
}

TEST(FlagsTest, StopsAtCommand) {
  const ParsedArgs args =
      ParseFlags({"--server=h:1", "read", "s", "--backwards", "--bogus"}, kSpecs,
                 /*stop_at_command=*/true);
  ASSERT_EQ(args.error, "");
  EXPECT_EQ(args.Get("server"), "h:1");
  EXPECT_EQ(args.positional, std::vector<std::string>{"read"});
  EXPECT_EQ(args.rest, (std::vector<std::string>{"s", "--backwards", "--bogus"}));
}

TEST(FlagsTest, ParsesNumbers) {
  EXPECT_EQ(ParseUint64("0"), 0u);
  EXPECT_EQ(ParseUint64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(ParseUint64("18446744073709551616"));
  EXPECT_FALSE(ParseUint64("-1"));
  EXPECT_FALSE(ParseUint64("1e3"));
  EXPECT_FALSE(ParseUint64(""));
  EXPECT_EQ(ParseSeconds("2.5"), 2.5);
  EXPECT_FALSE(ParseSeconds("0"));
  EXPECT_FALSE(ParseSeconds("ten"));
}

haven::v1::RecordedEvent ChineseEvent() {
  haven::v1::RecordedEvent event;
  event.set_event_id("123e4567-e89b-12d3-a456-426614174000");
  event.set_stream_id("案件-7");
  event.set_version(2);
  event.set_position(15);
  event.set_event_type("case.opened");
  event.set_payload(R"({"申请人": "张三", "n": 1})");
  event.set_content_type("application/json");
  event.set_recorded_time_us(1714552200123456);  // 2024-05-01T08:30:00.123456Z
  event.set_actor("li");
  return event;
}

TEST(OutputTest, FormatsTimestampsAsIsoUtc) {
  EXPECT_EQ(FormatTimestampUs(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampUs(1714552200123456), "2024-05-01T08:30:00.123456Z");
  EXPECT_EQ(FormatTimestampUs(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(OutputTest, RecognizesJsonContentTypes) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(IsJsonContentType("application/x-protobuf"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(OutputTest, Base64) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode(std::string("\x00\xff", 2)), "AP8=");
}

TEST(OutputTest, JsonKeepsChineseAndNestsJsonPayloads) {
  const nlohmann::ordered_json json = EventToJson(ChineseEvent());
  EXPECT_EQ(json["stream_id"], "案件-7");
  EXPECT_EQ(json["payload"]["申请人"], "张三");
  EXPECT_FALSE(json.contains("payload_base64"));
  EXPECT_EQ(json["recorded_time"], "2024-05-01T08:30:00.123456Z");
  const std::string line = DumpJsonLine(json);
  EXPECT_EQ(line.rfind("{\"event_id\":", 0), 0u) << line;  // Proto field order.
  EXPECT_NE(line.find("\"payload\":{\"申请人\":\"张三\",\"n\":1}"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(OutputTest, NonJsonPayloadsAreBase64) {
  haven::v1::RecordedEvent event = ChineseEvent();
  event.set_content_type("application/x-protobuf");
  event.set_payload(std::string("\x08\x96\x01", 3));
  const nlohmann::ordered_json json = EventToJson(event);
  EXPECT_EQ(json["payload_base64"], "CJYB");
  EXPECT_FALSE(json.contains("payload"));
  EXPECT_EQ(PayloadSummary(event), "<3 bytes>");
  event.set_payload("纯文本\nline 2");
  EXPECT_EQ(PayloadSummary(event), "纯文本\\nline 2");
}

TEST(OutputTest, TableColumnsAlignByDisplayWidth) {
  haven::v1::RecordedEvent wide = ChineseEvent();
  haven::v1::RecordedEvent narrow = ChineseEvent();
  narrow.set_stream_id("case-abcdefghijklmnopq");  // 22 columns, like none.
  wide.set_stream_id("案件编号案件编号案件编号");  // 24 columns.
  std::ostringstream out;
  EventPrinter printer(out, /*json=*/false);
  printer.Print(wide);
  printer.Print(narrow);
  std::istringstream lines(out.str());
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  // The VERSION column starts at the same display column on both rows.
  const auto column_of = [](const std::string& line, const std::string& needle) {
    return DisplayWidth(line.substr(0, line.find(needle)));
  };
  EXPECT_EQ(column_of(first, "  2  case.opened"), column_of(second, "  2  case.opened"));
  EXPECT_NE(first.find("{\"申请人\":\"张三\",\"n\":1}"), std::string::npos) << first;
  EXPECT_NE(header.find("POSITION"), std::string::npos);
}

}  // namespace
}  // namespace haven::cli
