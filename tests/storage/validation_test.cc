// Append validation: every rule gives INVALID_ARGUMENT naming the field, and
// a rejected append writes nothing.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::SizeIs;

// 3 bytes of UTF-8 each.
constexpr std::string_view kZhong = "中";

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out.append(unit);
  return out;
}

class ValidationContractTest : public EventLogContractTest {
 protected:
  // Appends `events` to `stream` and expects INVALID_ARGUMENT naming `field`,
  // with nothing written: the head has not moved and no event is readable.
  void ExpectRejected(const std::string& stream, std::vector<NewEvent> events,
                      std::string_view field) {
    const uint64_t head = log().HeadPosition();
    EXPECT_TRUE(IsInvalidArgumentNaming(
        StatusOf(Append(stream, ExpectedVersion::Any(), std::move(events))), field));
    EXPECT_EQ(log().HeadPosition(), head);
    absl::StatusOr<LogPage> page = log().ReadAll(head + 1, 10, Filter{});
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_THAT(page->events, SizeIs(0));
    EXPECT_EQ(page->head_position, head);
  }

  // Appends one event to a fresh stream and expects it back byte for byte.
  void ExpectAcceptedRoundTrip(const NewEvent& event) {
    const std::string stream = "accepted-" + event.event_id;
    ASSERT_OK(StatusOf(Append(stream, ExpectedVersion::NoStream(), {event})));
    ASSERT_OK_AND_ASSIGN(StreamPage page, log().ReadStream(stream, 0, Direction::kForwards, 1));
    ASSERT_THAT(page.events, SizeIs(1));
    const RecordedEvent& got = page.events[0];
    EXPECT_EQ(got.type, event.type);
    EXPECT_EQ(got.payload, event.payload);
    EXPECT_EQ(got.content_type, event.content_type);
    EXPECT_EQ(got.correlation_id, event.correlation_id);
    EXPECT_EQ(got.causation_id, event.causation_id);
  }
};

// --- stream id -------------------------------------------------------------

TEST_P(ValidationContractTest, AppendRejectsEmptyStreamId) {
  ExpectRejected("", MakeEvents(1), "stream_id");
}

TEST_P(ValidationContractTest, AppendAcceptsStreamIdOf512Bytes) {
  const std::string ascii(512, 's');
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append(ascii, ExpectedVersion::NoStream(), MakeEvents(1)));
  EXPECT_EQ(r.first_position, 1u);
  ExpectLastVersion(ascii, 0);
  // 170 three-byte characters and two ASCII bytes: 512 bytes.
  const std::string chinese = Repeat(kZhong, 170) + "-1";
  ASSERT_EQ(chinese.size(), 512u);
  ASSERT_OK(StatusOf(Append(chinese, ExpectedVersion::NoStream(), MakeEvents(1))));
  ExpectLastVersion(chinese, 0);
}

TEST_P(ValidationContractTest, AppendRejectsStreamIdOver512Bytes) {
  ExpectRejected(std::string(513, 's'), MakeEvents(1), "stream_id");
  ExpectStreamMissing(std::string(512, 's'));
  ExpectRejected(Repeat(kZhong, 171), MakeEvents(1), "stream_id");  // 513 bytes
  ExpectRejected(std::string(100000, 's'), MakeEvents(1), "stream_id");
}

TEST_P(ValidationContractTest, AppendRejectsInvalidUtf8StreamId) {
  const std::vector<std::string> bad = {
      "\xff",                            // never valid
      "case-\x80",                       // lone continuation byte
      "case-\xe4\xb8",                   // truncated 3-byte sequence (中 is e4 b8 ad)
      Repeat(kZhong, 170) + "\xe4\xb8",  // 512 bytes, cut mid-character
      "\xc0\xaf",                        // overlong '/'
      "\xe0\x80\xaf",                    // overlong '/', 3 bytes
      "\xed\xa0\x80",                    // UTF-16 surrogate U+D800
      "\xf4\x90\x80\x80",                // above U+10FFFF
      "\xf8\x88\x80\x80\x80",            // 5-byte form
      "case-\xe4\xb8"
      "a",  // continuation byte missing mid-string
  };
  for (const std::string& stream : bad) {
    SCOPED_TRACE(::testing::PrintToString(stream));
    ExpectRejected(stream, MakeEvents(1), "stream_id");
  }
}

TEST_P(ValidationContractTest, AppendRejectsControlCharacterInStreamId) {
  const std::vector<std::string> bad = {
      std::string("case\0one", 8),
      "\x01",
      "case\tone",
      "case\none",
      "case\r",
      "\x1b[31mred",
      "case\x1f",
      "case\x7f",
  };
  for (const std::string& stream : bad) {
    SCOPED_TRACE(::testing::PrintToString(stream));
    ExpectRejected(stream, MakeEvents(1), "stream_id");
  }
}

// Unicode's control characters (general category Cc) are C0, DEL and C1
// (U+0080..U+009F); C1 controls such as NEL (U+0085) break log lines too.
TEST_P(ValidationContractTest, AppendRejectsC1ControlCharacterInStreamId) {
  for (const std::string& stream : {"case\xc2\x80", "case\xc2\x85one", "\xc2\x9f"}) {
    SCOPED_TRACE(::testing::PrintToString(stream));
    ExpectRejected(stream, MakeEvents(1), "stream_id");
  }
}

// --- event id --------------------------------------------------------------

TEST_P(ValidationContractTest, AppendRejectsMissingEventId) {
  std::vector<NewEvent> events = MakeEvents(3);
  events[2].event_id.clear();
  ExpectRejected("s", events, "events[2].event_id");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsMalformedEventId) {
  const std::vector<std::string> bad = {
      "not-a-uuid",
      "123e4567e89b12d3a456426614174000",        // no hyphens
      "123e4567-e89b-12d3-a456-42661417400",     // 35 characters
      "123e4567-e89b-12d3-a456-4266141740000",   // 37 characters
      "123e4567-e89b-12d3-a456_426614174000",    // wrong separator
      "123e4567-e89b-12d3-a456-42661417400g",    // not hex
      "123e4567e-89b-12d3-a456-426614174000",    // hyphen misplaced
      "{123e4567-e89b-12d3-a456-426614174000}",  // braces
      " 123e4567-e89b-12d3-a456-426614174000",   // leading space
      "123e4567-e89b-12d3-a456-426614174000 ",   // trailing space
      "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
      "１２３e4567-e89b-12d3-a456-426614174000",  // full-width digits
  };
  for (const std::string& id : bad) {
    SCOPED_TRACE(id);
    std::vector<NewEvent> events = MakeEvents(3);
    events[1].event_id = id;
    ExpectRejected("s", events, "events[1].event_id");
  }
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsDuplicateEventIdsInOneAppend) {
  std::vector<NewEvent> events = MakeEvents(3);
  events[2].event_id = events[0].event_id;
  ExpectRejected("s", events, "events[2].event_id");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsDuplicateEventIdsDifferingOnlyInCase) {
  std::vector<NewEvent> events = MakeEvents(2);
  events[1].event_id = Upper(events[0].event_id);
  ExpectRejected("s", events, "events[1].event_id");
  ExpectStreamMissing("s");
}

// --- event type ------------------------------------------------------------

TEST_P(ValidationContractTest, AppendRejectsEmptyEventType) {
  std::vector<NewEvent> events = MakeEvents(3);
  events[1].type.clear();
  ExpectRejected("s", events, "events[1].event_type");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendAcceptsEventTypeOf256Bytes) {
  ExpectAcceptedRoundTrip(MakeEvent(std::string(256, 't')));
  ExpectAcceptedRoundTrip(MakeEvent(Repeat(kZhong, 85) + "."));  // 256 bytes
}

TEST_P(ValidationContractTest, AppendRejectsEventTypeOver256Bytes) {
  std::vector<NewEvent> events = MakeEvents(3);
  events[1].type = std::string(257, 't');
  ExpectRejected("s", events, "events[1].event_type");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsInvalidUtf8EventType) {
  for (const std::string& type : {"case.\xff", "case.\xe4\xb8", "\xc0\xae"}) {
    SCOPED_TRACE(::testing::PrintToString(type));
    std::vector<NewEvent> events = MakeEvents(2);
    events[0].type = type;
    ExpectRejected("s", events, "events[0].event_type");
  }
  ExpectStreamMissing("s");
}

// --- payload ---------------------------------------------------------------

TEST_P(ValidationContractTest, AppendAcceptsPayloadOf1MiB) {
  std::string payload(kMiB, 'p');
  payload[0] = '\0';
  payload[kMiB - 1] = '\xff';
  ExpectAcceptedRoundTrip(MakeEvent("big", payload));
}

TEST_P(ValidationContractTest, AppendAcceptsEmptyPayload) {
  ExpectAcceptedRoundTrip(MakeEvent("empty", ""));
}

TEST_P(ValidationContractTest, AppendRejectsPayloadOver1MiB) {
  std::vector<NewEvent> events = MakeEvents(3);
  events[1].payload = std::string(kMiB + 1, 'p');
  ExpectRejected("s", events, "events[1].payload");
  ExpectStreamMissing("s");
}

// --- optional short fields -------------------------------------------------

TEST_P(ValidationContractTest, AppendAcceptsShortFieldsOf256Bytes) {
  NewEvent e = MakeEvent();
  e.content_type = std::string(256, 'c');
  e.correlation_id = std::string(256, 'r');
  e.causation_id = Repeat(kZhong, 85) + "x";  // 256 bytes
  ExpectAcceptedRoundTrip(e);
}

TEST_P(ValidationContractTest, AppendRejectsContentTypeOver256Bytes) {
  std::vector<NewEvent> events = MakeEvents(2);
  events[1].content_type = std::string(257, 'c');
  ExpectRejected("s", events, "events[1].content_type");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsCorrelationIdOver256Bytes) {
  std::vector<NewEvent> events = MakeEvents(2);
  events[1].correlation_id = std::string(257, 'r');
  ExpectRejected("s", events, "events[1].correlation_id");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendRejectsCausationIdOver256Bytes) {
  std::vector<NewEvent> events = MakeEvents(2);
  events[0].causation_id = std::string(257, 'x');
  ExpectRejected("s", events, "events[0].causation_id");
  ExpectStreamMissing("s");
}

// --- the append as a whole -------------------------------------------------

TEST_P(ValidationContractTest, AppendRejectsEmptyAppend) {
  ExpectRejected("s", {}, "events");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendAccepts1000Events) {
  std::vector<NewEvent> events = MakeEvents(1000);
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::NoStream(), events));
  EXPECT_EQ(r.first_version, 0u);
  EXPECT_EQ(r.last_version, 999u);
  EXPECT_EQ(r.first_position, 1u);
  EXPECT_EQ(r.last_position, 1000u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> got, ReadWholeStream("s"));
  EXPECT_THAT(IdsOf(got), ElementsAreArray(IdsOf(events)));
}

TEST_P(ValidationContractTest, AppendRejects1001Events) {
  ExpectRejected("s", MakeEvents(1001), "events");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, AppendAccepts8MiBOfPayload) {
  std::vector<NewEvent> events;
  for (int i = 0; i < 8; ++i) {
    events.push_back(MakeEvent("big", std::string(kMiB, static_cast<char>('a' + i))));
  }
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::NoStream(), events));
  EXPECT_EQ(r.last_position, 8u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> got, ReadWholeStream("s"));
  ASSERT_THAT(got, SizeIs(8));
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(got[i].payload == events[i].payload) << i;
}

TEST_P(ValidationContractTest, AppendRejectsPayloadTotalOver8MiB) {
  std::vector<NewEvent> events;
  for (int i = 0; i < 8; ++i) events.push_back(MakeEvent("big", std::string(kMiB, 'p')));
  events.push_back(MakeEvent("small", "x"));  // 8 MiB + 1 byte in all
  ExpectRejected("s", events, "events");
  ExpectStreamMissing("s");
}

TEST_P(ValidationContractTest, RejectedAppendToExistingStreamWritesNothing) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  std::vector<NewEvent> events = MakeEvents(3);
  events[2].type.clear();
  ExpectRejected("s", events, "events[2].event_type");
  ExpectLastVersion("s", 1);
  // The valid ids of the rejected append were not recorded either.
  events[2].type = "fixed";
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(1), events));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.first_version, 2u);
  EXPECT_EQ(r.first_position, 3u);
}

INSTANTIATE_CONTRACT_SUITE(ValidationContractTest);

}  // namespace
}  // namespace haven::storage::testing
