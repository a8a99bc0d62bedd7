// Append: versions, positions and expected-version checks.
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class AppendContractTest : public EventLogContractTest {};

TEST_P(AppendContractTest, FirstAppendStartsAtVersionZeroAndPositionOne) {
  EXPECT_EQ(log().HeadPosition(), 0u);
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(r.first_version, 0u);
  EXPECT_EQ(r.last_version, 0u);
  EXPECT_EQ(r.first_position, 1u);
  EXPECT_EQ(r.last_position, 1u);
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(log().HeadPosition(), 1u);
}

TEST_P(AppendContractTest, VersionsAreGaplessWithinAStream) {
  ASSERT_OK_AND_ASSIGN(AppendResult a, Append("s", ExpectedVersion::Any(), MakeEvents(1)));
  ASSERT_OK_AND_ASSIGN(AppendResult b, Append("s", ExpectedVersion::Any(), MakeEvents(3)));
  ASSERT_OK_AND_ASSIGN(AppendResult c, Append("s", ExpectedVersion::Any(), MakeEvents(2)));
  EXPECT_EQ(a.first_version, 0u);
  EXPECT_EQ(a.last_version, 0u);
  EXPECT_EQ(b.first_version, 1u);
  EXPECT_EQ(b.last_version, 3u);
  EXPECT_EQ(c.first_version, 4u);
  EXPECT_EQ(c.last_version, 5u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events, ReadWholeStream("s"));
  EXPECT_THAT(VersionsOf(events), ElementsAreArray(Iota(0, 6)));
  EXPECT_THAT(PositionsOf(events), ElementsAreArray(Iota(1, 6)));
}

TEST_P(AppendContractTest, PositionsAreGaplessAcrossStreams) {
  ASSERT_OK_AND_ASSIGN(AppendResult a1, Append("a", ExpectedVersion::Any(), MakeEvents(2)));
  ASSERT_OK_AND_ASSIGN(AppendResult b1, Append("b", ExpectedVersion::Any(), MakeEvents(1)));
  ASSERT_OK_AND_ASSIGN(AppendResult a2, Append("a", ExpectedVersion::Any(), MakeEvents(3)));
  ASSERT_OK_AND_ASSIGN(AppendResult c1, Append("c", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(a1.first_position, 1u);
  EXPECT_EQ(a1.last_position, 2u);
  EXPECT_EQ(b1.first_position, 3u);
  EXPECT_EQ(b1.last_position, 3u);
  EXPECT_EQ(b1.first_version, 0u);
  EXPECT_EQ(a2.first_position, 4u);
  EXPECT_EQ(a2.last_position, 6u);
  EXPECT_EQ(a2.first_version, 2u);
  EXPECT_EQ(a2.last_version, 4u);
  EXPECT_EQ(c1.first_position, 7u);
  EXPECT_EQ(c1.first_version, 0u);
  EXPECT_EQ(log().HeadPosition(), 7u);

  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  EXPECT_THAT(PositionsOf(all), ElementsAreArray(Iota(1, 7)));
  std::vector<std::string> streams;
  for (const auto& e : all) streams.push_back(e.stream);
  EXPECT_THAT(streams, ElementsAre("a", "a", "b", "a", "a", "a", "c"));
  EXPECT_THAT(VersionsOf(all), ElementsAre(0, 1, 0, 2, 3, 4, 0));
}

TEST_P(AppendContractTest, AppendIsReadableOnceAcknowledged) {
  std::vector<NewEvent> events = MakeEvents(3);
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::NoStream(), events));
  EXPECT_GE(log().HeadPosition(), r.last_position);
  ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream("s", 0, Direction::kForwards, 10));
  EXPECT_THAT(IdsOf(page.events), ElementsAreArray(IdsOf(events)));
  ASSERT_OK_AND_ASSIGN(LogPage all, log().ReadAll(r.first_position, 10, Filter{}));
  EXPECT_THAT(IdsOf(all.events), ElementsAreArray(IdsOf(events)));
}

TEST_P(AppendContractTest, AnyAcceptsMissingAndExistingStream) {
  ASSERT_OK_AND_ASSIGN(AppendResult a, Append("s", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(a.first_version, 0u);
  ASSERT_OK_AND_ASSIGN(AppendResult b, Append("s", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(b.first_version, 1u);
}

TEST_P(AppendContractTest, NoStreamAcceptsMissingStream) {
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::NoStream(), MakeEvents(2)));
  EXPECT_EQ(r.first_version, 0u);
  EXPECT_EQ(r.last_version, 1u);
}

TEST_P(AppendContractTest, NoStreamRejectsExistingStream) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(3))));
  const uint64_t head = log().HeadPosition();
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("s", ExpectedVersion::NoStream(), MakeEvents(1))), 2));
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectLastVersion("s", 2);
}

TEST_P(AppendContractTest, StreamExistsAcceptsExistingStream) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::StreamExists(), MakeEvents(1)));
  EXPECT_EQ(r.first_version, 1u);
}

TEST_P(AppendContractTest, StreamExistsRejectsMissingStream) {
  ASSERT_OK(StatusOf(Append("other", ExpectedVersion::Any(), MakeEvents(1))));
  const uint64_t head = log().HeadPosition();
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("s", ExpectedVersion::StreamExists(), MakeEvents(2))), -1));
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectStreamMissing("s");
}

TEST_P(AppendContractTest, ExactAcceptsCurrentVersion) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(3))));
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(2), MakeEvents(2)));
  EXPECT_EQ(r.first_version, 3u);
  EXPECT_EQ(r.last_version, 4u);
  ASSERT_OK_AND_ASSIGN(AppendResult r2, Append("s", ExpectedVersion::Exact(4), MakeEvents(1)));
  EXPECT_EQ(r2.first_version, 5u);
}

TEST_P(AppendContractTest, ExactRejectsStaleVersion) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(3))));
  const uint64_t head = log().HeadPosition();
  for (uint64_t stale : {0u, 1u}) {
    SCOPED_TRACE(stale);
    EXPECT_TRUE(IsAbortedWithCurrentVersion(
        StatusOf(Append("s", ExpectedVersion::Exact(stale), MakeEvents(1))), 2));
  }
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectLastVersion("s", 2);
}

TEST_P(AppendContractTest, ExactRejectsFutureVersion) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(3))));
  const uint64_t head = log().HeadPosition();
  for (uint64_t future : {3u, 4u, 1000u}) {
    SCOPED_TRACE(future);
    EXPECT_TRUE(IsAbortedWithCurrentVersion(
        StatusOf(Append("s", ExpectedVersion::Exact(future), MakeEvents(1))), 2));
  }
  EXPECT_EQ(log().HeadPosition(), head);
  ExpectLastVersion("s", 2);
}

TEST_P(AppendContractTest, ExactRejectsMissingStream) {
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("s", ExpectedVersion::Exact(0), MakeEvents(1))), -1));
  EXPECT_EQ(log().HeadPosition(), 0u);
  ExpectStreamMissing("s");
}

TEST_P(AppendContractTest, RejectedAppendDoesNotConsumeEventIds) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  std::vector<NewEvent> events = MakeEvents(2);
  EXPECT_TRUE(
      IsAbortedWithCurrentVersion(StatusOf(Append("s", ExpectedVersion::NoStream(), events)), 0));
  // The same ids go in once the expected version is right: a fresh append,
  // not a replay of the rejected one.
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(0), events));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.first_version, 1u);
  EXPECT_EQ(r.first_position, 2u);
  EXPECT_EQ(r.last_position, 3u);
}

TEST_P(AppendContractTest, ConflictOnOneStreamLeavesOthersAlone) {
  ASSERT_OK(StatusOf(Append("a", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_OK(StatusOf(Append("b", ExpectedVersion::Any(), MakeEvents(1))));
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("a", ExpectedVersion::Exact(0), MakeEvents(1))), 1));
  // b's version is its own.
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("b", ExpectedVersion::Exact(0), MakeEvents(1)));
  EXPECT_EQ(r.first_version, 1u);
  EXPECT_EQ(r.first_position, 4u);
}

TEST_P(AppendContractTest, StreamsSharingAPrefixAreSeparate) {
  ASSERT_OK(StatusOf(Append("case-1", ExpectedVersion::NoStream(), MakeEvents(2))));
  ASSERT_OK_AND_ASSIGN(AppendResult r,
                       Append("case-10", ExpectedVersion::NoStream(), MakeEvents(1)));
  EXPECT_EQ(r.first_version, 0u);
  ASSERT_OK(StatusOf(Append("case-", ExpectedVersion::NoStream(), MakeEvents(1))));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> one, ReadWholeStream("case-1"));
  EXPECT_THAT(VersionsOf(one), ElementsAre(0, 1));
  for (const auto& e : one) EXPECT_EQ(e.stream, "case-1");
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> ten, ReadWholeStream("case-10"));
  ASSERT_EQ(ten.size(), 1u);
  EXPECT_EQ(ten[0].stream, "case-10");
  ExpectLastVersion("case-1", 1);
  ExpectLastVersion("case-10", 0);
  ExpectLastVersion("case-", 0);
  ExpectStreamMissing("case");
  ExpectStreamMissing("case-100");
}

TEST_P(AppendContractTest, UppercaseEventIdIsAcceptedAndStoredLowercase) {
  NewEvent upper = MakeEvent();
  const std::string lower = upper.event_id;
  upper.event_id = Upper(lower);
  ASSERT_NE(upper.event_id, lower);
  NewEvent mixed = MakeEvent();
  const std::string mixed_lower = mixed.event_id;
  for (size_t i = 0; i < mixed.event_id.size(); i += 2) {
    mixed.event_id[i] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(mixed.event_id[i])));
  }
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), {upper, mixed})));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> events, ReadWholeStream("s"));
  EXPECT_THAT(IdsOf(events), ElementsAre(lower, mixed_lower));
  ASSERT_OK_AND_ASSIGN(LogPage all, log().ReadAll(1, 10, Filter{}));
  EXPECT_THAT(IdsOf(all.events), ElementsAre(lower, mixed_lower));
}

TEST(CurrentVersionOfTest, StatusWithoutVersionGivesMinusTwo) {
  EXPECT_EQ(CurrentVersionOf(absl::OkStatus()), -2);
  EXPECT_EQ(CurrentVersionOf(absl::InvalidArgumentError("stream_id: empty")), -2);
  EXPECT_EQ(CurrentVersionOf(absl::AbortedError("no version here")), -2);
}

INSTANTIATE_CONTRACT_SUITE(AppendContractTest);

}  // namespace
}  // namespace haven::storage::testing
