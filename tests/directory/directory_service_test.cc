// DirectoryService through a real gRPC channel to an in-process server over
// an in-memory log: commands, idempotent retries, version conflicts,
// queries, Chinese text, and nothing written on refused input.
#include <string>
#include <thread>
#include <vector>

#include "services/directory/service/directory_commands.h"
#include "tests/directory/service_fixture.h"

namespace haven::services {
namespace {

using ::testing::HasSubstr;

TEST_F(DirectoryServiceTest, CommandsReturnTheDirectoryVersionAndPosition) {
  v1::CommandResponse response;
  ASSERT_TRUE(Create(CreateRequest("nj", "南京市", v1::UNIT_KIND_CITY, ""), &response).ok());
  EXPECT_EQ(response.version(), 0u);
  EXPECT_EQ(response.position(), 1u);
  EXPECT_FALSE(response.replayed());
  ASSERT_TRUE(
      Create(CreateRequest("nj-xw", "玄武区", v1::UNIT_KIND_DISTRICT, "nj"), &response).ok());
  EXPECT_EQ(response.version(), 1u);
  EXPECT_EQ(response.position(), 2u);
}

TEST_F(DirectoryServiceTest, CreateRenameMoveClose) {
  BuildNanjing();
  v1::CommandResponse response;

  v1::RenameUnitRequest rename;
  rename.set_request_id("rename-1");
  rename.set_unit_id("nj-xw-my-dxg");
  rename.set_name("大行宫社区居委会");
  ASSERT_TRUE(
      As("接线员-王芳", [&](auto* c) { return stub_->RenameUnit(c, rename, &response); }).ok());
  EXPECT_EQ(response.version(), 8u);
  EXPECT_EQ(Get("nj-xw-my-dxg").unit().name(), "大行宫社区居委会");

  v1::MoveUnitRequest move;
  move.set_request_id("move-1");
  move.set_unit_id("nj-xw-my-cjl-wj1");
  move.set_new_parent_id("nj-gc-zq");
  ASSERT_TRUE(As("接线员-王芳", [&](auto* c) { return stub_->MoveUnit(c, move, &response); }).ok());
  EXPECT_EQ(response.version(), 9u);
  EXPECT_EQ(Get("nj-xw-my-cjl-wj1").unit().path(), "南京市/高淳区/砖墙镇/长江路巾帼微家");

  v1::CloseUnitRequest close;
  close.set_request_id("close-1");
  close.set_unit_id("nj-xw-my-cjl");
  close.set_reason("撤并入大行宫社区");
  ASSERT_TRUE(
      As("接线员-王芳", [&](auto* c) { return stub_->CloseUnit(c, close, &response); }).ok());
  EXPECT_EQ(response.version(), 10u);
  EXPECT_EQ(response.position(), 11u);
  v1::GetUnitResponse closed = Get("nj-xw-my-cjl");
  EXPECT_TRUE(closed.unit().closed());
  EXPECT_EQ(closed.directory_version(), 10u);
}

TEST_F(DirectoryServiceTest, RetriedRequestReturnsTheFirstResultAndWritesNothing) {
  BuildNanjing();
  v1::CreateUnitRequest request =
      CreateRequest("nj-xw-my-ly", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002003");
  v1::CommandResponse first;
  ASSERT_TRUE(Create(request, &first).ok());
  MustCreate("nj-gc-zq-mc", "茅城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq");
  const uint64_t head = log_.HeadPosition();

  v1::CommandResponse retry;
  ASSERT_TRUE(Create(request, &retry).ok());  // Would now break unit_id uniqueness.
  EXPECT_EQ(retry.version(), first.version());
  EXPECT_EQ(retry.position(), first.position());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(log_.HeadPosition(), head);

  // Also after a restart: the answer comes from the log, not from memory.
  StopServer();
  StartServer();
  request.set_expected_version(0);  // Long stale; the retry is still answered.
  ASSERT_TRUE(Create(request, &retry).ok());
  EXPECT_EQ(retry.version(), first.version());
  EXPECT_EQ(retry.position(), first.position());
  EXPECT_EQ(log_.HeadPosition(), head);
}

TEST_F(DirectoryServiceTest, StaleExpectedVersionIsAbortedWithTheCurrentVersion) {
  BuildNanjing();  // At version 7.
  v1::CreateUnitRequest request =
      CreateRequest("nj-gc-zq-mc", "茅城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq");
  request.set_expected_version(5);
  const uint64_t head = log_.HeadPosition();
  grpc::ClientContext context;
  v1::CommandResponse response;
  grpc::Status status = Create(request, &response, &context);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(status.error_message(), HasSubstr("expected_version"));
  EXPECT_THAT(status.error_message(), HasSubstr("7"));
  auto trailer = context.GetServerTrailingMetadata().find("haven-current-version");
  ASSERT_NE(trailer, context.GetServerTrailingMetadata().end());
  EXPECT_EQ(std::string(trailer->second.data(), trailer->second.size()), "7");
  EXPECT_EQ(log_.HeadPosition(), head);

  request.set_expected_version(7);
  ASSERT_TRUE(Create(request, &response).ok());
  EXPECT_EQ(response.version(), 8u);
}

TEST_F(DirectoryServiceTest, CommandWithoutExpectedVersionIsDecidedAgainAfterAConflict) {
  BuildNanjing();
  // Another operator creates a village with the same name just before our append.
  log_.ArmBeforeNextAppend([](storage::EventLog& log) {
    DirectoryView view(log);
    auto outcome = RunDirectoryCommand(
        log, view,
        directory::CreateUnit{"nj-gc-zq-mc2", "茅城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq"},
        std::nullopt, "other-request", "接线员-李娜");
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  });
  // Our decision was made on version 7; decided again on version 8, the
  // sibling name is now taken.  Only the other operator's event is written.
  v1::CommandResponse response;
  grpc::Status status =
      Create(CreateRequest("nj-gc-zq-mc", "茅城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("rule sibling_name_unique"));
  EXPECT_EQ(log_.HeadPosition(), 9u);

  // And a command that still holds on the new state goes through.
  log_.ArmBeforeNextAppend([](storage::EventLog& log) {
    DirectoryView view(log);
    ASSERT_TRUE(RunDirectoryCommand(log, view,
                                    directory::CreateUnit{"nj-gc-zq-dz", "东坝村",
                                                          v1::UNIT_KIND_VILLAGE, "nj-gc-zq"},
                                    std::nullopt, "other-request-2", "接线员-李娜")
                    .ok());
  });
  ASSERT_TRUE(
      Create(CreateRequest("nj-gc-zq-xc", "薛城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq"), &response)
          .ok());
  EXPECT_EQ(response.version(), 10u);
}

TEST_F(DirectoryServiceTest, ConcurrentCommandsKeepTheRules) {
  BuildNanjing();
  // Eight operators create the same village at once under different ids:
  // exactly one may win (sibling_name_unique), whatever the interleaving.
  std::vector<grpc::StatusCode> codes(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([this, i, &codes] {
      v1::CommandResponse response;
      codes[i] = Create(CreateRequest("mc-" + std::to_string(i), "茅城村", v1::UNIT_KIND_VILLAGE,
                                      "nj-gc-zq"),
                        &response)
                     .error_code();
    });
  }
  for (auto& t : threads) t.join();
  int won = 0;
  for (grpc::StatusCode code : codes) {
    won += code == grpc::StatusCode::OK;
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::FAILED_PRECONDITION ||
                code == grpc::StatusCode::ABORTED)
        << code;
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(log_.HeadPosition(), 9u);
}

TEST_F(DirectoryServiceTest, RefusedCommandsNameTheFieldOrRuleAndWriteNothing) {
  BuildNanjing();
  v1::CommandResponse response;
  auto create = [&](v1::CreateUnitRequest request) {
    return [this, request, &response](auto* c) { return stub_->CreateUnit(c, request, &response); };
  };
  v1::CreateUnitRequest bad_name =
      CreateRequest("nj-xw-x", "\xE7\xA4", v1::UNIT_KIND_COMMUNITY, "nj-xw-my");
  ExpectRefused(create(bad_name), grpc::StatusCode::INVALID_ARGUMENT, "name: must be UTF-8");
  v1::CreateUnitRequest no_request_id =
      CreateRequest("nj-xw-x", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my");
  no_request_id.clear_request_id();
  ExpectRefused(create(no_request_id), grpc::StatusCode::INVALID_ARGUMENT, "request_id");
  ExpectRefused(create(CreateRequest("nj-xw-x", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xx")),
                grpc::StatusCode::NOT_FOUND, "parent_id");
  ExpectRefused(create(CreateRequest("nj-xw-x", "兰园社区", v1::UNIT_KIND_VILLAGE, "nj-xw")),
                grpc::StatusCode::FAILED_PRECONDITION, "rule kind_order");
  v1::CreateUnitRequest taken_id = CreateRequest("nj-xw", "秦淮区", v1::UNIT_KIND_DISTRICT, "nj");
  taken_id.set_request_id("create-qinhuai");  // Not a retry of the first create of nj-xw.
  ExpectRefused(create(taken_id), grpc::StatusCode::ALREADY_EXISTS, "unit_id");

  v1::MoveUnitRequest move;
  move.set_request_id("move-cycle");
  move.set_unit_id("nj-xw");
  move.set_new_parent_id("nj-xw-my");
  ExpectRefused([&](auto* c) { return stub_->MoveUnit(c, move, &response); },
                grpc::StatusCode::FAILED_PRECONDITION, "rule no_cycle");
  v1::CloseUnitRequest close;
  close.set_request_id("close-busy");
  close.set_unit_id("nj-xw-my");
  ExpectRefused([&](auto* c) { return stub_->CloseUnit(c, close, &response); },
                grpc::StatusCode::FAILED_PRECONDITION, "rule no_open_children");
  v1::RenameUnitRequest rename;
  rename.set_request_id("rename-unknown");
  rename.set_unit_id("nj-xx");
  rename.set_name("新名");
  ExpectRefused([&](auto* c) { return stub_->RenameUnit(c, rename, &response); },
                grpc::StatusCode::NOT_FOUND, "unit_id");
}

}  // namespace
}  // namespace haven::services
