// Durability: what a persistent log keeps across closing and reopening, and
// who may open its directory.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/storage/contract_fixture.h"

extern char** environ;

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::SizeIs;

constexpr char kProbeDirEnv[] = "HAVEN_CONTRACT_PROBE_DATA_DIR";

void ExpectSameEvent(const RecordedEvent& got, const RecordedEvent& want) {
  EXPECT_EQ(got.event_id, want.event_id);
  EXPECT_EQ(got.stream, want.stream);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.position, want.position);
  EXPECT_EQ(got.type, want.type);
  EXPECT_TRUE(got.payload == want.payload) << "payload of " << want.event_id;
  EXPECT_EQ(got.content_type, want.content_type);
  EXPECT_EQ(got.recorded_time_us, want.recorded_time_us);
  EXPECT_EQ(got.actor, want.actor);
  EXPECT_EQ(got.correlation_id, want.correlation_id);
  EXPECT_EQ(got.causation_id, want.causation_id);
}

class PersistenceContractTest : public EventLogContractTest {
 protected:
  void SetUp() override {
    SKIP_UNLESS_PERSISTENT();
    EventLogContractTest::SetUp();
  }
};

TEST_P(PersistenceContractTest, ReopenKeepsEveryEventAndTheHead) {
  NewEvent rich = MakeEvent("案件.已受理", std::string("\0申请\xff", 8));
  rich.content_type = "application/json";
  rich.actor = "caseworker:alice";
  rich.correlation_id = "corr-1";
  rich.causation_id = "cause-1";
  ASSERT_OK(StatusOf(Append("案件-1", ExpectedVersion::NoStream(), {rich})));
  clock_->Advance(1'000'000);
  ASSERT_OK(StatusOf(Append("case-2", ExpectedVersion::NoStream(), MakeEvents(3))));
  ASSERT_OK(StatusOf(Append("案件-1", ExpectedVersion::Exact(0), MakeEvents(2))));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> before, ReadWholeLog());
  ASSERT_THAT(before, SizeIs(6));

  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(log().HeadPosition(), 6u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> after, ReadWholeLog());
  ASSERT_THAT(after, SizeIs(before.size()));
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectSameEvent(after[i], before[i]);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> stream, ReadWholeStream("案件-1"));
  EXPECT_THAT(VersionsOf(stream), ElementsAreArray(Iota(0, 3)));
  ExpectLastVersion("case-2", 2);
}

TEST_P(PersistenceContractTest, ReopenContinuesVersionsAndPositions) {
  ASSERT_OK(StatusOf(Append("a", ExpectedVersion::Any(), MakeEvents(3))));
  ASSERT_OK(StatusOf(Append("b", ExpectedVersion::Any(), MakeEvents(1))));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(AppendResult a, Append("a", ExpectedVersion::Any(), MakeEvents(2)));
  EXPECT_EQ(a.first_version, 3u);
  EXPECT_EQ(a.last_version, 4u);
  EXPECT_EQ(a.first_position, 5u);
  EXPECT_EQ(a.last_position, 6u);
  ASSERT_OK_AND_ASSIGN(AppendResult c, Append("c", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(c.first_version, 0u);
  EXPECT_EQ(c.first_position, 7u);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(AppendResult b, Append("b", ExpectedVersion::Any(), MakeEvents(1)));
  EXPECT_EQ(b.first_version, 1u);
  EXPECT_EQ(b.first_position, 8u);
  ASSERT_OK_AND_ASSIGN(std::vector<RecordedEvent> all, ReadWholeLog());
  EXPECT_THAT(PositionsOf(all), ElementsAreArray(Iota(1, 8)));
}

TEST_P(PersistenceContractTest, ReopenKeepsExpectedVersionChecks) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(2))));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("s", ExpectedVersion::NoStream(), MakeEvents(1))), 1));
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("s", ExpectedVersion::Exact(0), MakeEvents(1))), 1));
  EXPECT_TRUE(IsAbortedWithCurrentVersion(
      StatusOf(Append("t", ExpectedVersion::StreamExists(), MakeEvents(1))), -1));
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(1), MakeEvents(1)));
  EXPECT_EQ(r.first_version, 2u);
  EXPECT_EQ(r.first_position, 3u);
}

TEST_P(PersistenceContractTest, EmptyLogReopensEmpty) {
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(log().HeadPosition(), 0u);
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::NoStream(), MakeEvents(1)));
  EXPECT_EQ(r.first_position, 1u);
}

TEST_P(PersistenceContractTest, RejectedAppendsLeaveNothingAfterReopen) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  EXPECT_FALSE(Append("s", ExpectedVersion::NoStream(), MakeEvents(2)).ok());
  std::vector<NewEvent> bad = MakeEvents(2);
  bad[1].type.clear();
  EXPECT_FALSE(Append("t", ExpectedVersion::Any(), bad).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(log().HeadPosition(), 1u);
  ExpectStreamMissing("t");
  ExpectLastVersion("s", 0);
  // Neither rejected append recorded its ids.
  bad[1].type = "fixed";
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("t", ExpectedVersion::NoStream(), bad));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.first_position, 2u);
}

TEST_P(PersistenceContractTest, SecondOpenInTheSameProcessFailsAndLeavesTheFirstWorking) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  absl::StatusOr<std::unique_ptr<EventLog>> second = OpenSecond();
  EXPECT_FALSE(second.ok()) << "a second log opened the same directory";
  ASSERT_OK_AND_ASSIGN(AppendResult r, Append("s", ExpectedVersion::Exact(0), MakeEvents(1)));
  EXPECT_EQ(r.first_position, 2u);
}

// Runs this binary again as a child that tries to open the directory.
TEST_P(PersistenceContractTest, OpenFailsWhileAnotherProcessHoldsTheDirectory) {
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Any(), MakeEvents(1))));
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(std::string(kProbeDirEnv) + "=" + options_.data_dir);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = "/proc/self/exe";
  std::string filter = "--gtest_filter=ChildProcessProbe.OpenDataDir";
  std::vector<char*> argv = {exe.data(), filter.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_EQ(rc, 0) << "posix_spawn failed";
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus)) << "child did not exit normally";
  const int code = WEXITSTATUS(wstatus);
  ASSERT_LT(code, 100) << "the child probe did not run (exit " << code << ")";
  EXPECT_EQ(static_cast<absl::StatusCode>(code), absl::StatusCode::kFailedPrecondition)
      << "the other process's Open returned "
      << absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  // The holder still works.
  ASSERT_OK(StatusOf(Append("s", ExpectedVersion::Exact(0), MakeEvents(1))));
}

// Not a test of its own: the child half of
// OpenFailsWhileAnotherProcessHoldsTheDirectory.  Exits with the status code
// of EventLog::Open on the directory named by the environment.
TEST(ChildProcessProbe, OpenDataDir) {
  const char* dir = std::getenv(kProbeDirEnv);
  if (dir == nullptr) GTEST_SKIP() << "runs only as the child of a persistence test";
  Options options;
  options.data_dir = dir;
  absl::StatusOr<std::unique_ptr<EventLog>> log = EventLog::Open(options);
  const int code = static_cast<int>(log.status().code());
  if (log.ok()) log->reset();
  std::_Exit(code);
}

INSTANTIATE_CONTRACT_SUITE(PersistenceContractTest);

}  // namespace
}  // namespace haven::storage::testing
