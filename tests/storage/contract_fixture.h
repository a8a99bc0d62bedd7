// The fixture and helpers shared by the EventLog contract tests.  Every
// contract test runs against each implementation: "memory"
// (EventLog::OpenInMemory) and "rocksdb" (EventLog::Open on a fresh temporary
// directory, removed after the test).
#ifndef HAVEN_TESTS_STORAGE_CONTRACT_FIXTURE_H_
#define HAVEN_TESTS_STORAGE_CONTRACT_FIXTURE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/clock.h"
#include "storage/event.h"
#include "storage/event_log.h"

#define HAVEN_CONCAT_INNER_(a, b) a##b
#define HAVEN_CONCAT_(a, b) HAVEN_CONCAT_INNER_(a, b)

// ASSERT_OK(status_expr): fails the test unless the status is OK.
#define ASSERT_OK(expr)                       \
  do {                                        \
    const absl::Status _haven_st = (expr);    \
    ASSERT_TRUE(_haven_st.ok()) << _haven_st; \
  } while (0)

// ASSERT_OK_AND_ASSIGN(lhs, statusor_expr): fails the test unless OK, else
// moves the value into lhs (which may be a declaration).
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(HAVEN_CONCAT_(_haven_statusor_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();           \
  lhs = std::move(*tmp)

// Skips the calling test unless the log under test survives a Reopen().
#define SKIP_UNLESS_PERSISTENT()                                                          \
  if (!persistent()) {                                                                    \
    GTEST_SKIP() << "needs a log that survives reopening; " << GetParam() << " does not"; \
  }

namespace haven::storage::testing {

// The ManualClock starts here: 2023-11-14T22:13:20.123456Z.
inline constexpr int64_t kStartTimeUs = 1'700'000'000'123'456;
inline constexpr size_t kMiB = 1024 * 1024;

// A fresh, unique event id in lowercase canonical form.
std::string NewEventId();
// The same id with every hex letter upper-cased.
std::string Upper(std::string s);

// A valid event with a fresh id.
NewEvent MakeEvent(std::string type = "test.happened", std::string payload = "payload");
// `n` valid events with fresh ids.
std::vector<NewEvent> MakeEvents(int n, const std::string& type = "test.happened");

std::vector<uint64_t> VersionsOf(const std::vector<RecordedEvent>& events);
std::vector<uint64_t> PositionsOf(const std::vector<RecordedEvent>& events);
std::vector<std::string> IdsOf(const std::vector<RecordedEvent>& events);
std::vector<std::string> IdsOf(const std::vector<NewEvent>& events);
// {first, first + 1, ..., first + n - 1}.
std::vector<uint64_t> Iota(uint64_t first, size_t n);
// {first, first - 1, ..., first - n + 1}.
std::vector<uint64_t> IotaDown(uint64_t first, size_t n);

// Status checks: the exact code, and what the message must name.
::testing::AssertionResult IsInvalidArgumentNaming(const absl::Status& status,
                                                   std::string_view field);
::testing::AssertionResult IsAbortedWithCurrentVersion(const absl::Status& status,
                                                       int64_t current_version);
::testing::AssertionResult HasCode(const absl::Status& status, absl::StatusCode code);

template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

class EventLogContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // True when the log under test keeps its events across Reopen().
  bool persistent() const { return GetParam() == "rocksdb"; }
  EventLog& log() { return *log_; }

  // Destroys the log and opens a new one on the same directory.  Only for a
  // persistent log; call through ASSERT_NO_FATAL_FAILURE.
  void Reopen();
  // Opens a second log on the same directory while the first one is open.
  absl::StatusOr<std::unique_ptr<EventLog>> OpenSecond();

  absl::StatusOr<AppendResult> Append(const std::string& stream, ExpectedVersion expected,
                                      std::vector<NewEvent> events) {
    return log_->Append(stream, expected, std::move(events));
  }

  // Every event of `stream`, forwards, read in pages of `page_size`.
  absl::StatusOr<std::vector<RecordedEvent>> ReadWholeStream(const std::string& stream,
                                                             size_t page_size = 1000);
  // Every event of the log from position 1, read in pages of `page_size`.
  absl::StatusOr<std::vector<RecordedEvent>> ReadWholeLog(size_t page_size = 1000,
                                                          const Filter& filter = {});

  // Adds a failure unless `stream` does not exist (ReadStream is NOT_FOUND
  // both ways).
  void ExpectStreamMissing(const std::string& stream);
  // Adds a failure unless `stream` exists and its last version is `last`.
  void ExpectLastVersion(const std::string& stream, uint64_t last);

  std::shared_ptr<ManualClock> clock_;
  Options options_;
  std::filesystem::path dir_;
  std::unique_ptr<EventLog> log_;
};

// Names the parameterised instances "memory" and "rocksdb".
std::string ImplName(const ::testing::TestParamInfo<std::string>& info);

#define INSTANTIATE_CONTRACT_SUITE(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(EventLogs, suite, ::testing::Values("memory", "rocksdb"), \
                           ::haven::storage::testing::ImplName)

}  // namespace haven::storage::testing

#endif  // HAVEN_TESTS_STORAGE_CONTRACT_FIXTURE_H_
