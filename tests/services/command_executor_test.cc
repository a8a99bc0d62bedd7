// ExecuteCommand: the version check, idempotent retries by request id, and
// nothing written when a command is refused.
#include "services/common/command_executor.h"

#include <regex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/request_ids.h"

namespace haven::services {
namespace {

using ::testing::HasSubstr;

class CommandExecutorTest : public ::testing::Test {
 protected:
  // Appends one "counter.incremented" event whose payload is the history size.
  absl::StatusOr<CommandOutcome> Increment(std::optional<uint64_t> expected,
                                           const std::string& request_id) {
    CommandContext context{"counter-1", expected, request_id, "operator-1", "corr-1"};
    return ExecuteCommand(*log_, context, [](const auto& history) {
      return absl::StatusOr<std::vector<ProposedEvent>>(std::vector<ProposedEvent>{
          {"counter.incremented", std::to_string(history.size()), "text/plain"}});
    });
  }

  std::unique_ptr<storage::EventLog> log_ = storage::EventLog::OpenInMemory({});
};

TEST_F(CommandExecutorTest, CreatingCommandAppendsToANewStream) {
  auto outcome = Increment(std::nullopt, "req-1");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->version, 0u);
  EXPECT_EQ(outcome->position, 1u);
  EXPECT_FALSE(outcome->replayed);
  auto history = ReadWholeStream(*log_, "counter-1");
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].actor, "operator-1");
  EXPECT_EQ((*history)[0].correlation_id, "corr-1");
  EXPECT_EQ((*history)[0].causation_id, "req-1");
}

TEST_F(CommandExecutorTest, RetriedRequestReturnsFirstResultAndWritesNothing) {
  ASSERT_TRUE(Increment(std::nullopt, "req-1").ok());
  ASSERT_TRUE(Increment(0, "req-2").ok());
  auto retry = Increment(std::nullopt, "req-1");  // Its expected version is long stale.
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->version, 0u);
  EXPECT_EQ(retry->position, 1u);
  EXPECT_EQ(log_->HeadPosition(), 2u);
}

TEST_F(CommandExecutorTest, StaleExpectedVersionIsAbortedWithCurrentVersion) {
  ASSERT_TRUE(Increment(std::nullopt, "req-1").ok());
  ASSERT_TRUE(Increment(0, "req-2").ok());
  auto stale = Increment(0, "req-3");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(storage::CurrentVersionOf(stale.status()), 1);
  EXPECT_EQ(log_->HeadPosition(), 2u);
}

TEST_F(CommandExecutorTest, CreatingAnExistingStreamIsAborted) {
  ASSERT_TRUE(Increment(std::nullopt, "req-1").ok());
  auto again = Increment(std::nullopt, "req-2");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(storage::CurrentVersionOf(again.status()), 0);
}

TEST_F(CommandExecutorTest, CommandOnMissingStreamIsNotFound) {
  EXPECT_EQ(Increment(0, "req-1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(log_->HeadPosition(), 0u);
}

TEST_F(CommandExecutorTest, RefusedDecisionWritesNothing) {
  CommandContext context{"counter-1", std::nullopt, "req-1", "operator-1", ""};
  auto refused = ExecuteCommand(*log_, context, [](const auto&) {
    return absl::StatusOr<std::vector<ProposedEvent>>(
        absl::FailedPreconditionError("rule_x: refused"));
  });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(log_->HeadPosition(), 0u);
}

TEST_F(CommandExecutorTest, MissingRequestIdIsInvalidArgument) {
  auto outcome = Increment(std::nullopt, "");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.status().message(), HasSubstr("request_id"));
}

TEST(RequestIdsTest, EventIdsAreStableUuidsThatDependOnEveryInput) {
  const std::string id = EventIdFor("req-1", "case-1", 0);
  EXPECT_EQ(id, EventIdFor("req-1", "case-1", 0));
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_NE(id, EventIdFor("req-1", "case-1", 1));
  EXPECT_NE(id, EventIdFor("req-1", "case-2", 0));
  EXPECT_NE(id, EventIdFor("req-2", "case-1", 0));
  EXPECT_NE(EventIdFor("ab", "c", 0), EventIdFor("a", "bc", 0));
}

}  // namespace
}  // namespace haven::services
