// Reading: ReadStream, ReadAll and its filters, the envelope, the head.
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class ReadContractTest : public EventLogContractTest {
 protected:
  // Appends `n` single-event appends to `stream`.
  void Fill(const std::string& stream, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(StatusOf(Append(stream, ExpectedVersion::Any(), MakeEvents(1))));
    }
  }

  // A log of 10 events, position -> (stream, type):
  //   1 case-1 case.opened      6 loan-1 loan.issued
  //   2 loan-1 loan.requested   7 case-2 case.closed
  //   3 case-2 case.opened      8 other  other.thing
  //   4 case-1 case.note        9 case-1 case.closed
  //   5 other  other.thing     10 loan-2 loan.requested
  void FillMixed() {
    const std::vector<std::pair<std::string, std::string>> layout = {
        {"case-1", "case.opened"},   {"loan-1", "loan.requested"}, {"case-2", "case.opened"},
        {"case-1", "case.note"},     {"other", "other.thing"},     {"loan-1", "loan.issued"},
        {"case-2", "case.closed"},   {"other", "other.thing"},     {"case-1", "case.closed"},
        {"loan-2", "loan.requested"}};
    for (const auto& [stream, type] : layout) {
      ASSERT_OK(StatusOf(Append(stream, ExpectedVersion::Any(), {MakeEvent(type)})));
    }
  }
};

// --- ReadStream ------------------------------------------------------------

TEST_P(ReadContractTest, ReadStreamForwardsFromStart) {
  std::vector<NewEvent> events = MakeEvents(5);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), events)));
  ASSERT_OK(StatusOf(Append("other", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", 0, Direction::kForwards, 100));
  EXPECT_THAT(VersionsOf(page.events), ElementsAreArray(Iota(0, 5)));
  EXPECT_THAT(IdsOf(page.events), ElementsAreArray(IdsOf(events)));
  EXPECT_FALSE(page.has_next);
  EXPECT_EQ(page.last_version, 4u);
}

TEST_P(ReadContractTest, ReadStreamForwardsFromVersion) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 6));
  ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", 3, Direction::kForwards, 100));
  EXPECT_THAT(VersionsOf(page.events), ElementsAre(3, 4, 5));
  EXPECT_FALSE(page.has_next);
  EXPECT_EQ(page.last_version, 5u);
}

TEST_P(ReadContractTest, ReadStreamForwardsPaginates) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 7));
  ASSERT_OK_AND_ASSIGN(StreamPage p1, log().ReadStream("s", 0, Direction::kForwards, 3));
  EXPECT_THAT(VersionsOf(p1.events), ElementsAre(0, 1, 2));
  EXPECT_TRUE(p1.has_next);
  EXPECT_EQ(p1.next_version, 3u);
  EXPECT_EQ(p1.last_version, 6u);
  ASSERT_OK_AND_ASSIGN(StreamPage p2,
                       log().ReadStream("s", p1.next_version, Direction::kForwards, 3));
  EXPECT_THAT(VersionsOf(p2.events), ElementsAre(3, 4, 5));
  EXPECT_TRUE(p2.has_next);
  EXPECT_EQ(p2.next_version, 6u);
  ASSERT_OK_AND_ASSIGN(StreamPage p3,
                       log().ReadStream("s", p2.next_version, Direction::kForwards, 3));
  EXPECT_THAT(VersionsOf(p3.events), ElementsAre(6));
  EXPECT_FALSE(p3.has_next);
  EXPECT_EQ(p3.last_version, 6u);
}

TEST_P(ReadContractTest, ReadStreamPageEndingAtLastEventHasNoNext) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 6));
  ASSERT_OK_AND_ASSIGN(StreamPage fwd, log().ReadStream("s", 3, Direction::kForwards, 3));
  EXPECT_THAT(VersionsOf(fwd.events), ElementsAre(3, 4, 5));
  EXPECT_FALSE(fwd.has_next);
  ASSERT_OK_AND_ASSIGN(StreamPage back, log().ReadStream("s", 2, Direction::kBackwards, 3));
  EXPECT_THAT(VersionsOf(back.events), ElementsAre(2, 1, 0));
  EXPECT_FALSE(back.has_next);
}

TEST_P(ReadContractTest, ReadStreamForwardsPastEndIsEmpty) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 3));
  for (uint64_t from : {uint64_t{3}, uint64_t{100}, UINT64_MAX}) {
    SCOPED_TRACE(from);
    ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", from, Direction::kForwards, 10));
    EXPECT_THAT(page.events, IsEmpty());
    EXPECT_FALSE(page.has_next);
    EXPECT_EQ(page.last_version, 2u);
  }
}

TEST_P(ReadContractTest, ReadStreamBackwardsFromEnd) {
  std::vector<NewEvent> events = MakeEvents(5);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), events)));
  ASSERT_OK_AND_ASSIGN(StreamPage page,
                       log().ReadStream("s", UINT64_MAX, Direction::kBackwards, 100));
  EXPECT_THAT(VersionsOf(page.events), ElementsAre(4, 3, 2, 1, 0));
  EXPECT_EQ(page.events.front().event_id, events[4].event_id);
  EXPECT_EQ(page.events.back().event_id, events[0].event_id);
  EXPECT_FALSE(page.has_next);
  EXPECT_EQ(page.last_version, 4u);
}

TEST_P(ReadContractTest, ReadStreamBackwardsFromPastEndStartsAtLastEvent) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 4));
  for (uint64_t from : {uint64_t{4}, uint64_t{5}, uint64_t{1000}}) {
    SCOPED_TRACE(from);
    ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", from, Direction::kBackwards, 2));
    EXPECT_THAT(VersionsOf(page.events), ElementsAre(3, 2));
    EXPECT_TRUE(page.has_next);
    EXPECT_EQ(page.next_version, 1u);
    EXPECT_EQ(page.last_version, 3u);
  }
}

TEST_P(ReadContractTest, ReadStreamBackwardsFromVersion) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 6));
  ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", 2, Direction::kBackwards, 100));
  EXPECT_THAT(VersionsOf(page.events), ElementsAre(2, 1, 0));
  EXPECT_FALSE(page.has_next);
  EXPECT_EQ(page.last_version, 5u);
  ASSERT_OK_AND_ASSIGN(StreamPage zero, log().ReadStream("s", 0, Direction::kBackwards, 100));
  EXPECT_THAT(VersionsOf(zero.events), ElementsAre(0));
  EXPECT_FALSE(zero.has_next);
}

TEST_P(ReadContractTest, ReadStreamBackwardsPaginates) {
  ASSERT_NO_FATAL_FAILURE(Fill("s", 7));
  ASSERT_OK_AND_ASSIGN(StreamPage p1, log().ReadStream("s", UINT64_MAX, Direction::kBackwards, 3));
  EXPECT_THAT(VersionsOf(p1.events), ElementsAre(6, 5, 4));
  EXPECT_TRUE(p1.has_next);
  EXPECT_EQ(p1.next_version, 3u);
  ASSERT_OK_AND_ASSIGN(StreamPage p2,
                       log().ReadStream("s", p1.next_version, Direction::kBackwards, 3));
  EXPECT_THAT(VersionsOf(p2.events), ElementsAre(3, 2, 1));
  EXPECT_TRUE(p2.has_next);
  EXPECT_EQ(p2.next_version, 0u);
  ASSERT_OK_AND_ASSIGN(StreamPage p3,
                       log().ReadStream("s", p2.next_version, Direction::kBackwards, 3));
  EXPECT_THAT(VersionsOf(p3.events), ElementsAre(0));
  EXPECT_FALSE(p3.has_next);
  EXPECT_EQ(p3.last_version, 6u);
}

TEST_P(ReadContractTest, ReadStreamOfMissingStreamIsNotFound) {
  ExpectStreamMissing("s");
  ASSERT_OK(StatusOf(Append("s1", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), MakeEvents(1))));
  ExpectStreamMissing("s");
  ExpectStreamMissing("s12");
  ExpectStreamMissing("T");
}

// --- ReadAll ---------------------------------------------------------------

TEST_P(ReadContractTest, ReadAllOfEmptyLogIsEmpty) {
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(1, 10, Filter{}));
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.head_position, 0u);
  EXPECT_EQ(page.next_position, 1u);
}

TEST_P(ReadContractTest, ReadAllFromZeroOrOneStartsAtTheBeginning) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  for (uint64_t from : {0u, 1u}) {
    SCOPED_TRACE(from);
    ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(from, 100, Filter{}));
    EXPECT_THAT(PositionsOf(page.events), ElementsAreArray(Iota(1, 10)));
    EXPECT_EQ(page.next_position, 11u);
    EXPECT_EQ(page.head_position, 10u);
  }
}

TEST_P(ReadContractTest, ReadAllFromPosition) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(7, 100, Filter{}));
  EXPECT_THAT(PositionsOf(page.events), ElementsAre(7, 8, 9, 10));
  EXPECT_EQ(page.events[0].stream, "case-2");
  EXPECT_EQ(page.events[0].version, 1u);
  EXPECT_EQ(page.next_position, 11u);
}

TEST_P(ReadContractTest, ReadAllPaginates) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  ASSERT_OK_AND_ASSIGN(LogPage p1, log().ReadAll(1, 4, Filter{}));
  EXPECT_THAT(PositionsOf(p1.events), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(p1.next_position, 5u);
  EXPECT_EQ(p1.head_position, 10u);
  ASSERT_OK_AND_ASSIGN(LogPage p2, log().ReadAll(p1.next_position, 4, Filter{}));
  EXPECT_THAT(PositionsOf(p2.events), ElementsAre(5, 6, 7, 8));
  EXPECT_EQ(p2.next_position, 9u);
  ASSERT_OK_AND_ASSIGN(LogPage p3, log().ReadAll(p2.next_position, 4, Filter{}));
  EXPECT_THAT(PositionsOf(p3.events), ElementsAre(9, 10));
  EXPECT_EQ(p3.next_position, 11u);
  EXPECT_EQ(p3.head_position, 10u);
}

TEST_P(ReadContractTest, ReadAllAtHeadIsEmptyAndStaysPut) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(11, 10, Filter{}));
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.next_position, 11u);
  EXPECT_EQ(page.head_position, 10u);
  // A poller that keeps reading from next_position sees the next append.
  ASSERT_OK(StatusOf(Append("late", ExpectedVersion::Any(), MakeEvents(1))));
  ASSERT_OK_AND_ASSIGN(LogPage after, log().ReadAll(page.next_position, 10, Filter{}));
  EXPECT_THAT(PositionsOf(after.events), ElementsAre(11));
  EXPECT_EQ(after.events[0].stream, "late");
  EXPECT_EQ(after.head_position, 11u);
}

TEST_P(ReadContractTest, ReadAllFiltersByEventTypePrefix) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.event_type_prefix = "case.";
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(1, 100, filter));
  EXPECT_THAT(PositionsOf(page.events), ElementsAre(1, 3, 4, 7, 9));
  for (const auto& e : page.events) EXPECT_EQ(e.type.rfind("case.", 0), 0u) << e.type;
  EXPECT_EQ(page.next_position, 11u);
  EXPECT_EQ(page.head_position, 10u);
  filter.event_type_prefix = "loan.requested";
  ASSERT_OK_AND_ASSIGN(LogPage exact, log().ReadAll(1, 100, filter));
  EXPECT_THAT(PositionsOf(exact.events), ElementsAre(2, 10));
}

TEST_P(ReadContractTest, ReadAllFiltersByStreamPrefix) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.stream_prefix = "loan-";
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(1, 100, filter));
  EXPECT_THAT(PositionsOf(page.events), ElementsAre(2, 6, 10));
  filter.stream_prefix = "case-1";
  ASSERT_OK_AND_ASSIGN(LogPage one, log().ReadAll(1, 100, filter));
  EXPECT_THAT(PositionsOf(one.events), ElementsAre(1, 4, 9));
  // Byte prefixes compare exactly: case matters.
  filter.stream_prefix = "CASE-";
  ASSERT_OK_AND_ASSIGN(LogPage none, log().ReadAll(1, 100, filter));
  EXPECT_THAT(none.events, IsEmpty());
  EXPECT_EQ(none.next_position, 11u);
}

TEST_P(ReadContractTest, ReadAllFiltersByBothPrefixes) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.stream_prefix = "case-";
  filter.event_type_prefix = "case.closed";
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(1, 100, filter));
  EXPECT_THAT(PositionsOf(page.events), ElementsAre(7, 9));
  filter.stream_prefix = "loan-";
  filter.event_type_prefix = "case.";
  ASSERT_OK_AND_ASSIGN(LogPage none, log().ReadAll(1, 100, filter));
  EXPECT_THAT(none.events, IsEmpty());
}

TEST_P(ReadContractTest, ReadAllNextPositionPassesSkippedEvents) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.stream_prefix = "loan-";
  // A page full after one match ends just past it.
  ASSERT_OK_AND_ASSIGN(LogPage p1, log().ReadAll(1, 1, filter));
  EXPECT_THAT(PositionsOf(p1.events), ElementsAre(2));
  EXPECT_EQ(p1.next_position, 3u);
  ASSERT_OK_AND_ASSIGN(LogPage p2, log().ReadAll(p1.next_position, 1, filter));
  EXPECT_THAT(PositionsOf(p2.events), ElementsAre(6));
  EXPECT_EQ(p2.next_position, 7u);
  ASSERT_OK_AND_ASSIGN(LogPage p3, log().ReadAll(p2.next_position, 1, filter));
  EXPECT_THAT(PositionsOf(p3.events), ElementsAre(10));
  EXPECT_EQ(p3.next_position, 11u);
  // A page that scans to the head without filling passes every skipped event.
  filter.stream_prefix = "other";
  ASSERT_OK_AND_ASSIGN(LogPage p4, log().ReadAll(9, 5, filter));
  EXPECT_THAT(p4.events, IsEmpty());
  EXPECT_EQ(p4.next_position, 11u);
}

TEST_P(ReadContractTest, ReadAllScanLimitBoundsASparseFilter) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.event_type_prefix = "loan.";  // positions 2, 6, 10
  ASSERT_OK_AND_ASSIGN(LogPage first, log().ReadAll(3, 100, filter, /*scan_limit=*/2));
  EXPECT_THAT(first.events, IsEmpty());  // scanned at most 3 and 4
  EXPECT_GT(first.next_position, 3u);
  EXPECT_LE(first.next_position, 5u);
  // Paging with a tiny scan limit finds every match once and in order.
  std::vector<uint64_t> found;
  uint64_t from = 1;
  for (int pages = 0; from <= 10; ++pages) {
    ASSERT_LT(pages, 100) << "no progress from " << from;
    ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(from, 100, filter, /*scan_limit=*/2));
    for (uint64_t p : PositionsOf(page.events)) found.push_back(p);
    ASSERT_GT(page.next_position, from);
    ASSERT_LE(page.next_position, from + 2);
    from = page.next_position;
  }
  EXPECT_THAT(found, ElementsAre(2, 6, 10));
}

TEST_P(ReadContractTest, ReadAllReportsHeadPosition) {
  ASSERT_NO_FATAL_FAILURE(FillMixed());
  Filter filter;
  filter.stream_prefix = "case-1";
  ASSERT_OK_AND_ASSIGN(LogPage page, log().ReadAll(1, 1, filter));
  EXPECT_EQ(page.head_position, 10u);
  ASSERT_OK(StatusOf(Append("x", ExpectedVersion::Any(), MakeEvents(3))));
  ASSERT_OK_AND_ASSIGN(LogPage later, log().ReadAll(1, 1, Filter{}));
  EXPECT_EQ(later.head_position, 13u);
  EXPECT_EQ(log().HeadPosition(), 13u);
}

TEST(FilterTest, MatchesBothPrefixes) {
  RecordedEvent e;
  e.stream = "case-42";
  e.type = "case.opened";
  EXPECT_TRUE(Filter{}.Matches(e));
  EXPECT_TRUE(Filter{}.empty());
  EXPECT_TRUE((Filter{"case.", ""}.Matches(e)));
  EXPECT_TRUE((Filter{"", "case-"}.Matches(e)));
  EXPECT_TRUE((Filter{"case.opened", "case-42"}.Matches(e)));
  EXPECT_FALSE((Filter{"case.opened.", ""}.Matches(e)));
  EXPECT_FALSE((Filter{"loan.", "case-"}.Matches(e)));
  EXPECT_FALSE((Filter{"case.", "loan-"}.Matches(e)));
  EXPECT_FALSE((Filter{"Case.", ""}.Matches(e)));
  EXPECT_FALSE((Filter{"", "case-42-"}.Matches(e)));
  EXPECT_FALSE((Filter{"case.", ""}.empty()));
  EXPECT_FALSE((Filter{"", "x"}.empty()));
}

// --- the envelope ----------------------------------------------------------

TEST_P(ReadContractTest, EnvelopeRoundTrips) {
  NewEvent e;
  e.event_id = "123E4567-E89B-12D3-A456-426614174000";
  e.type = "case.opened";
  e.payload = std::string("\x08\x96\x01\x00\xff", 5);
  e.content_type = "application/x-protobuf; type=haven.cases.v1.CaseOpened";
  e.actor = "caseworker:alice";
  e.correlation_id = "corr-7";
  e.causation_id = "cmd-9";
  NewEvent bare = MakeEvent("case.noted", "");
  ASSERT_OK(StatusOf(Append("pad", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::Any(), MakeEvents(1))));
  clock_->Set(kStartTimeUs + 5'000'000);
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::Exact(0), {e, bare})));

  auto check = [&](const RecordedEvent& got) {
    EXPECT_EQ(got.event_id, "123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ(got.stream, "case-1");
    EXPECT_EQ(got.version, 1u);
    EXPECT_EQ(got.position, 4u);
    EXPECT_EQ(got.type, "case.opened");
    EXPECT_EQ(got.payload, e.payload);
    EXPECT_EQ(got.content_type, e.content_type);
    EXPECT_EQ(got.recorded_time_us, kStartTimeUs + 5'000'000);
    EXPECT_EQ(got.actor, "caseworker:alice");
    EXPECT_EQ(got.correlation_id, "corr-7");
    EXPECT_EQ(got.causation_id, "cmd-9");
  };
  auto check_bare = [&](const RecordedEvent& got) {
    EXPECT_EQ(got.event_id, bare.event_id);
    EXPECT_EQ(got.stream, "case-1");
    EXPECT_EQ(got.version, 2u);
    EXPECT_EQ(got.position, 5u);
    EXPECT_EQ(got.type, "case.noted");
    EXPECT_EQ(got.payload, "");
    EXPECT_EQ(got.content_type, "");
    EXPECT_EQ(got.actor, "");
    EXPECT_EQ(got.correlation_id, "");
    EXPECT_EQ(got.causation_id, "");
  };
  ASSERT_OK_AND_ASSIGN(StreamPage fwd, log().ReadStream("case-1", 1, Direction::kForwards, 10));
  ASSERT_THAT(fwd.events, SizeIs(2));
  check(fwd.events[0]);
  check_bare(fwd.events[1]);
  ASSERT_OK_AND_ASSIGN(StreamPage back, log().ReadStream("case-1", 1, Direction::kBackwards, 1));
  ASSERT_THAT(back.events, SizeIs(1));
  check(back.events[0]);
  ASSERT_OK_AND_ASSIGN(LogPage all, log().ReadAll(4, 10, Filter{}));
  ASSERT_THAT(all.events, SizeIs(2));
  check(all.events[0]);
  check_bare(all.events[1]);
}

TEST_P(ReadContractTest, RecordedTimeComesFromTheClock) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  clock_->Advance(1'500);
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  clock_->Set(42);
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), MakeEvents(1))));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  ASSERT_THAT(all, SizeIs(4));
  EXPECT_EQ(all[0].recorded_time_us, kStartTimeUs);
  EXPECT_EQ(all[1].recorded_time_us, kStartTimeUs);
  EXPECT_EQ(all[2].recorded_time_us, kStartTimeUs + 1'500);
  EXPECT_EQ(all[3].recorded_time_us, 42);
}

TEST_P(ReadContractTest, ChineseStreamIdsAndPayloadsRoundTripByteExactly) {
  const std::string stream = "案件-二〇二四-001";
  const std::string other = "案件-二〇二四-002";
  const std::string payload = "申请人：张三；状态：已受理。备注：“紧急”";
  NewEvent e = MakeEvent("案件.已受理", payload);
  e.content_type = "text/plain; charset=utf-8";
  e.actor = "社工:李四";
  e.correlation_id = "关联-1";
  ASSERT_OK(StatusOf(Append(stream, ExpectedVersion::NoStream(), {e})));
  ASSERT_OK(StatusOf(Append(other, ExpectedVersion::NoStream(), MakeEvents(1))));
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::NoStream(), MakeEvents(1))));

  ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream(stream, 0, Direction::kForwards, 10));
  ASSERT_THAT(page.events, SizeIs(1));
  const RecordedEvent& got = page.events[0];
  EXPECT_EQ(got.stream, stream);
  EXPECT_EQ(got.stream.size(), stream.size());
  EXPECT_EQ(got.payload, payload);
  EXPECT_EQ(got.payload.size(), payload.size());
  EXPECT_EQ(got.type, "案件.已受理");
  EXPECT_EQ(got.actor, "社工:李四");
  EXPECT_EQ(got.correlation_id, "关联-1");

  Filter filter;
  filter.stream_prefix = "案件-";
  ASSERT_OK_AND_ASSIGN(LogPage all, log().ReadAll(1, 10, filter));
  EXPECT_THAT(PositionsOf(all.events), ElementsAre(1, 2));
  ASSERT_THAT(all.events, SizeIs(2));
  EXPECT_EQ(all.events[0].stream, stream);
  EXPECT_EQ(all.events[1].stream, other);
  filter = Filter{"案件.", ""};
  ASSERT_OK_AND_ASSIGN(LogPage typed, log().ReadAll(1, 10, filter));
  EXPECT_THAT(PositionsOf(typed.events), ElementsAre(1));
  // A prefix cut inside a character matches byte-wise.
  filter = Filter{"", std::string("案件-二〇二四-001").substr(0, 4)};
  ASSERT_OK_AND_ASSIGN(LogPage partial, log().ReadAll(1, 10, filter));
  EXPECT_THAT(PositionsOf(partial.events), ElementsAre(1, 2));
}

TEST_P(ReadContractTest, BinaryPayloadRoundTripsByteExactly) {
  std::string payload;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) payload.push_back(static_cast<char>(b));
  }
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), {MakeEvent("bin", payload)})));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> got, ReadWholeStream("s"));
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].payload.size(), 1024u);
  EXPECT_TRUE(got[0].payload == payload);
}

// --- the head --------------------------------------------------------------

TEST_P(ReadContractTest, HeadPositionTracksAppends) {
  EXPECT_EQ(log().HeadPosition(), 0u);
  ASSERT_OK_AND_ASSIGN(AppendResult a, Append("s", ExpectedVersion::Any(), MakeEvents(3)));
  EXPECT_EQ(log().HeadPosition(), a.last_position);
  EXPECT_EQ(log().HeadPosition(), 3u);
  ASSERT_OK_AND_ASSIGN(AppendResult b, Append("t", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(log().HeadPosition(), b.last_position);
  EXPECT_EQ(log().HeadPosition(), 4u);
  // Rejected appends leave it alone.
  EXPECT_FALSE(Append("t", ExpectedVersion::NoStream(), MakeEvents(1)).ok());
  EXPECT_FALSE(Append("", ExpectedVersion::Any(), MakeEvents(1)).ok());
  EXPECT_EQ(log().HeadPosition(), 4u);
}

TEST_P(ReadContractTest, WaitForHeadAfterReturnsWhenAWriteLands) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  const auto start = steady_clock::now();
  std::future<uint64_t> waiter = std::async(std::launch::async, [&] {
    return log().WaitForHeadAfter(2, steady_clock::now() + std::chrono::seconds(20));
  });
  // The waiter stays blocked while nothing is written.
  EXPECT_EQ(waiter.wait_for(milliseconds(100)), std::future_status::timeout);
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(waiter.get(), 4u);
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_P(ReadContractTest, WaitForHeadAfterTimesOut) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  const auto start = steady_clock::now();
  const auto deadline = start + milliseconds(150);
  EXPECT_EQ(log().WaitForHeadAfter(2, deadline), 2u);
  const auto end = steady_clock::now();
  EXPECT_GE(end, deadline);
  EXPECT_LT(end - start, std::chrono::seconds(5));
  // And again once the head has moved.
  ASSERT_OK(StatusOf(Append("t", ExpectedVersion::Any(), MakeEvents(1))));
  EXPECT_EQ(log().WaitForHeadAfter(3, steady_clock::now() + milliseconds(20)), 3u);
}

TEST_P(ReadContractTest, WaitForHeadAfterReturnsAtOnceWhenHeadIsPast) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(3))));
  const auto start = steady_clock::now();
  EXPECT_EQ(log().WaitForHeadAfter(0, start + std::chrono::seconds(30)), 3u);
  EXPECT_EQ(log().WaitForHeadAfter(2, start + std::chrono::seconds(30)), 3u);
  // A deadline already past does not matter when the head is past too.
  EXPECT_EQ(log().WaitForHeadAfter(1, start - std::chrono::seconds(1)), 3u);
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_P(ReadContractTest, WaitForHeadAfterOnEmptyLogTimesOut) {
  const auto deadline = steady_clock::now() + milliseconds(50);
  EXPECT_EQ(log().WaitForHeadAfter(0, deadline), 0u);
  EXPECT_GE(steady_clock::now(), deadline);
}

INSTANTIATE_CONTRACT_SUITE(ReadContractTest);

}  // namespace
}  // namespace haven::storage::testing

namespace haven::storage::testing {
namespace {

class ReadEventContractTest : public EventLogContractTest {};

TEST_P(ReadEventContractTest, ReadEventFindsACommittedEventById) {
  ASSERT_TRUE(log().Append("case-1", ExpectedVersion::Any(),
                           {NewEvent{"0A0B0C0D-0000-4000-8000-000000000001", "case.opened",
                                     "{}", "", "", "", ""}})
                  .ok());
  auto found = log().ReadEvent("0a0b0c0d-0000-4000-8000-000000000001");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->stream, "case-1");
  EXPECT_EQ((*found)->position, 1u);
  auto missing = log().ReadEvent("0a0b0c0d-0000-4000-8000-000000000002");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(log().ReadEvent("nope").status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_CONTRACT_SUITE(ReadEventContractTest);

}  // namespace
}  // namespace haven::storage::testing
