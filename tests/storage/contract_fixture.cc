#include "tests/storage/contract_fixture.h"

#include <stdlib.h>

#include <atomic>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <system_error>

namespace haven::storage::testing {

std::string NewEventId() {
  static const uint32_t process_bits = std::random_device{}();
  static std::atomic<uint64_t> counter{1};
  const uint64_t n = counter.fetch_add(1);
  // Version-4 layout: the 13th hex digit is 4, the 17th is 8..b.
  char buf[37];
  std::snprintf(buf, sizeof(buf),
                "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-a%03" PRIx32 "-%012" PRIx64,
                process_bits, static_cast<uint32_t>((n >> 48) & 0xffff),
                static_cast<uint32_t>((n >> 36) & 0xfff), static_cast<uint32_t>(n >> 60),
                n & 0xffffffffffffULL);
  return buf;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

NewEvent MakeEvent(std::string type, std::string payload) {
  NewEvent e;
  e.event_id = NewEventId();
  e.type = std::move(type);
  e.payload = std::move(payload);
  return e;
}

std::vector<NewEvent> MakeEvents(int n, const std::string& type) {
  std::vector<NewEvent> events;
  for (int i = 0; i < n; ++i) events.push_back(MakeEvent(type, "payload-" + std::to_string(i)));
  return events;
}

std::vector<uint64_t> VersionsOf(const std::vector<RecordedEvent>& events) {
  std::vector<uint64_t> out;
  for (const auto& e : events) out.push_back(e.version);
  return out;
}

std::vector<uint64_t> PositionsOf(const std::vector<RecordedEvent>& events) {
  std::vector<uint64_t> out;
  for (const auto& e : events) out.push_back(e.position);
  return out;
}

std::vector<std::string> IdsOf(const std::vector<RecordedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event_id);
  return out;
}

std::vector<std::string> IdsOf(const std::vector<NewEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event_id);
  return out;
}

std::vector<uint64_t> Iota(uint64_t first, size_t n) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(first + i);
  return out;
}

std::vector<uint64_t> IotaDown(uint64_t first, size_t n) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(first - i);
  return out;
}

::testing::AssertionResult HasCode(const absl::Status& status, absl::StatusCode code) {
  if (status.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected code " << absl::StatusCodeToString(code) << ", got " << status;
}

::testing::AssertionResult IsInvalidArgumentNaming(const absl::Status& status,
                                                   std::string_view field) {
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return ::testing::AssertionFailure()
           << "expected INVALID_ARGUMENT naming \"" << field << "\", got " << status;
  }
  if (std::string(status.message()).find(field) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "INVALID_ARGUMENT message does not name \"" << field << "\": " << status;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsAbortedWithCurrentVersion(const absl::Status& status,
                                                       int64_t current_version) {
  if (status.code() != absl::StatusCode::kAborted) {
    return ::testing::AssertionFailure()
           << "expected ABORTED with current version " << current_version << ", got " << status;
  }
  const int64_t got = CurrentVersionOf(status);
  if (got != current_version) {
    return ::testing::AssertionFailure() << "ABORTED carries current version " << got
                                         << ", expected " << current_version << ": " << status;
  }
  return ::testing::AssertionSuccess();
}

void EventLogContractTest::SetUp() {
  clock_ = std::make_shared<ManualClock>(kStartTimeUs);
  options_.clock = clock_;
  options_.sync = true;
  if (GetParam() == "memory") {
    log_ = EventLog::OpenInMemory(options_);
    ASSERT_NE(log_, nullptr);
    return;
  }
  ASSERT_EQ(GetParam(), "rocksdb");
  std::string tmpl = (std::filesystem::temp_directory_path() / "haven-event-log-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
  dir_ = tmpl;
  // A subdirectory that does not exist yet: Open must create it.
  options_.data_dir = (dir_ / "db").string();
  ASSERT_OK_AND_ASSIGN(log_, EventLog::Open(options_));
  ASSERT_NE(log_, nullptr);
}

void EventLogContractTest::TearDown() {
  log_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void EventLogContractTest::Reopen() {
  ASSERT_TRUE(persistent()) << "Reopen() needs a persistent log";
  log_.reset();
  ASSERT_OK_AND_ASSIGN(log_, EventLog::Open(options_));
  ASSERT_NE(log_, nullptr);
}

absl::StatusOr<std::unique_ptr<EventLog>> EventLogContractTest::OpenSecond() {
  return EventLog::Open(options_);
}

absl::StatusOr<std::vector<RecordedEvent>> EventLogContractTest::ReadWholeStream(
    const std::string& stream, size_t page_size) {
  std::vector<RecordedEvent> out;
  uint64_t from = 0;
  while (true) {
    absl::StatusOr<StreamPage> page =
        log_->ReadStream(stream, from, Direction::kForwards, page_size);
    if (!page.ok()) return page.status();
    out.insert(out.end(), page->events.begin(), page->events.end());
    if (!page->has_next) return out;
    if (page->next_version <= from) {
      return absl::InternalError("ReadStream pagination does not advance: next_version " +
                                 std::to_string(page->next_version) + " after from " +
                                 std::to_string(from));
    }
    if (page->events.empty()) {
      return absl::InternalError("ReadStream returned an empty page with has_next");
    }
    from = page->next_version;
  }
}

absl::StatusOr<std::vector<RecordedEvent>> EventLogContractTest::ReadWholeLog(
    size_t page_size, const Filter& filter) {
  std::vector<RecordedEvent> out;
  uint64_t from = 1;
  while (true) {
    absl::StatusOr<LogPage> page = log_->ReadAll(from, page_size, filter);
    if (!page.ok()) return page.status();
    out.insert(out.end(), page->events.begin(), page->events.end());
    if (page->next_position > page->head_position) return out;
    if (page->next_position <= from) {
      return absl::InternalError("ReadAll pagination does not advance: next_position " +
                                 std::to_string(page->next_position) + " after from " +
                                 std::to_string(from));
    }
    from = page->next_position;
  }
}

void EventLogContractTest::ExpectStreamMissing(const std::string& stream) {
  EXPECT_TRUE(HasCode(StatusOf(log_->ReadStream(stream, 0, Direction::kForwards, 10)),
                      absl::StatusCode::kNotFound))
      << "stream \"" << stream << "\" read forwards";
  EXPECT_TRUE(HasCode(StatusOf(log_->ReadStream(stream, UINT64_MAX, Direction::kBackwards, 10)),
                      absl::StatusCode::kNotFound))
      << "stream \"" << stream << "\" read backwards";
}

void EventLogContractTest::ExpectLastVersion(const std::string& stream, uint64_t last) {
  absl::StatusOr<StreamPage> page = log_->ReadStream(stream, UINT64_MAX, Direction::kBackwards, 1);
  ASSERT_TRUE(page.ok()) << "stream \"" << stream << "\": " << page.status();
  EXPECT_EQ(page->last_version, last) << "stream \"" << stream << "\"";
  ASSERT_EQ(page->events.size(), 1u) << "stream \"" << stream << "\"";
  EXPECT_EQ(page->events[0].version, last) << "stream \"" << stream << "\"";
}

std::string ImplName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace haven::storage::testing
