// An in-process DirectoryService over a MeddlingEventLog, with helpers to
// build part of 南京市 through it.
#ifndef HAVEN_TESTS_DIRECTORY_SERVICE_FIXTURE_H_
#define HAVEN_TESTS_DIRECTORY_SERVICE_FIXTURE_H_

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "services/directory/service/directory_service.h"
#include "tests/directory/test_logs.h"

namespace haven::services {

namespace v1 = directory::v1;

class DirectoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }
  void TearDown() override { StopServer(); }

  void StartServer() {
    service_ = std::make_unique<DirectoryService>(log_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::DirectoryService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                              grpc::InsecureChannelCredentials()));
  }

  void StopServer() {
    server_->Shutdown();
    server_.reset();
    service_.reset();
  }

  // Runs `call` with a fresh context naming the actor.
  template <typename Call>
  grpc::Status As(const std::string& actor, Call call, grpc::ClientContext* context = nullptr) {
    grpc::ClientContext local;
    if (context == nullptr) context = &local;
    context->AddMetadata("haven-actor-bin", actor);
    return call(context);
  }

  grpc::Status Create(const v1::CreateUnitRequest& request, v1::CommandResponse* response,
                      grpc::ClientContext* context = nullptr) {
    return As(
        "接线员-王芳",
        [&](grpc::ClientContext* c) { return stub_->CreateUnit(c, request, response); }, context);
  }

  static v1::CreateUnitRequest CreateRequest(const std::string& id, const std::string& name,
                                             v1::UnitKind kind, const std::string& parent,
                                             const std::string& code = "") {
    v1::CreateUnitRequest r;
    r.set_request_id("create-" + id);
    r.set_unit_id(id);
    r.set_name(name);
    r.set_kind(kind);
    r.set_parent_id(parent);
    r.set_statistical_code(code);
    return r;
  }

  void MustCreate(const std::string& id, const std::string& name, v1::UnitKind kind,
                  const std::string& parent, const std::string& code = "") {
    v1::CommandResponse response;
    grpc::Status status = Create(CreateRequest(id, name, kind, parent, code), &response);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  // Part of 南京市, as in the domain tests; versions 0..7.
  void BuildNanjing() {
    MustCreate("nj", "南京市", v1::UNIT_KIND_CITY, "", "320100000000");
    MustCreate("nj-xw", "玄武区", v1::UNIT_KIND_DISTRICT, "nj", "320102000000");
    MustCreate("nj-xw-my", "梅园新村街道", v1::UNIT_KIND_STREET, "nj-xw", "320102002000");
    MustCreate("nj-xw-my-cjl", "长江路社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002001");
    MustCreate("nj-xw-my-cjl-wj1", "长江路巾帼微家", v1::UNIT_KIND_MICRO_HOME, "nj-xw-my-cjl");
    MustCreate("nj-xw-my-dxg", "大行宫社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002002");
    MustCreate("nj-gc", "高淳区", v1::UNIT_KIND_DISTRICT, "nj", "320118000000");
    MustCreate("nj-gc-zq", "砖墙镇", v1::UNIT_KIND_TOWNSHIP, "nj-gc", "320118102000");
  }

  v1::GetUnitResponse Get(const std::string& unit_id) {
    grpc::ClientContext context;
    v1::GetUnitRequest request;
    request.set_unit_id(unit_id);
    v1::GetUnitResponse response;
    grpc::Status status = stub_->GetUnit(&context, request, &response);
    EXPECT_TRUE(status.ok()) << unit_id << ": " << status.error_message();
    return response;
  }

  // Sends `request` (a command) and expects `code` with `text`, and nothing written.
  template <typename Call>
  void ExpectRefused(Call call, grpc::StatusCode code, const std::string& text) {
    const uint64_t head = log_.HeadPosition();
    grpc::Status status = As("接线员-王芳", call);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr(text));
    EXPECT_EQ(log_.HeadPosition(), head) << "a refused command wrote something";
  }

  MeddlingEventLog log_;
  std::unique_ptr<DirectoryService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::DirectoryService::Stub> stub_;
};

}  // namespace haven::services

#endif  // HAVEN_TESTS_DIRECTORY_SERVICE_FIXTURE_H_
