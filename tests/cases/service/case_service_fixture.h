// An in-process CaseService, with the DirectoryService beside it, over an
// in-memory log whose clock the test sets; helpers to build part of 南京市,
// open cases and send commands with the version last seen.
#ifndef HAVEN_TESTS_CASES_SERVICE_CASE_SERVICE_FIXTURE_H_
#define HAVEN_TESTS_CASES_SERVICE_CASE_SERVICE_FIXTURE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "services/cases/service/case_service.h"
#include "services/directory/service/directory_service.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "tests/cases/case_test_util.h"

namespace haven::services {

namespace v1 = cases::v1;
using Stub = v1::CaseService::Stub;
using cases::testing::kDayUs;
using cases::testing::kHourUs;
using cases::testing::kMinuteUs;

// The operator who acts unless a test says otherwise (sent as haven-actor-bin).
inline constexpr char kOperator[] = "接线员-王芳";
// The unit most cases belong to: 南京市/玄武区/梅园新村街道/长江路社区.
inline constexpr char kUnit[] = "nj-xw-my-cjl";

// What a command call returned.
struct Reply {
  grpc::Status status;
  v1::CommandResponse response;
  std::map<std::string, std::string> trailers;
};

// A case as the client knows it: its id and the last version it saw.
struct CaseRef {
  std::string id;
  uint64_t version = 0;
};

class CaseServiceTest : public ::testing::Test {
 protected:
  template <typename Request>
  using Rpc = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, v1::CommandResponse*);

  CaseServiceTest() : clock_(std::make_shared<storage::ManualClock>(cases::testing::Now())) {
    storage::Options options;
    options.clock = clock_;
    log_ = storage::EventLog::OpenInMemory(options);
  }

  void SetUp() override {
    directory_ = std::make_unique<DirectoryService>(*log_);
    service_ = std::make_unique<CaseService>(*log_, directory_->view(), clock_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(directory_.get());
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    stub_ = v1::CaseService::NewStub(channel);
    directory_stub_ = directory::v1::DirectoryService::NewStub(channel);
    BuildNanjing();
  }

  void TearDown() override { server_->Shutdown(); }

  // 南京市 ─ 玄武区 ─ 梅园新村街道 ─ 长江路社区 ─ 长江路巾帼微家
  //        │                       └ 大行宫社区
  //        └ 高淳区 ─ 砖墙镇
  void BuildNanjing() {
    CreateUnit("nj", "南京市", directory::v1::UNIT_KIND_CITY, "");
    CreateUnit("nj-xw", "玄武区", directory::v1::UNIT_KIND_DISTRICT, "nj");
    CreateUnit("nj-xw-my", "梅园新村街道", directory::v1::UNIT_KIND_STREET, "nj-xw");
    CreateUnit(kUnit, "长江路社区", directory::v1::UNIT_KIND_COMMUNITY, "nj-xw-my");
    CreateUnit("nj-xw-my-cjl-wj1", "长江路巾帼微家", directory::v1::UNIT_KIND_MICRO_HOME, kUnit);
    CreateUnit("nj-xw-my-dxg", "大行宫社区", directory::v1::UNIT_KIND_COMMUNITY, "nj-xw-my");
    CreateUnit("nj-gc", "高淳区", directory::v1::UNIT_KIND_DISTRICT, "nj");
    CreateUnit("nj-gc-zq", "砖墙镇", directory::v1::UNIT_KIND_TOWNSHIP, "nj-gc");
  }

  void CreateUnit(const std::string& id, const std::string& name, directory::v1::UnitKind kind,
                  const std::string& parent) {
    directory::v1::CreateUnitRequest request;
    request.set_request_id("create-" + id);
    request.set_unit_id(id);
    request.set_name(name);
    request.set_kind(kind);
    request.set_parent_id(parent);
    directory::v1::CommandResponse response;
    grpc::ClientContext context;
    grpc::Status status = directory_stub_->CreateUnit(&context, request, &response);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  std::string NextRequestId() { return absl::StrCat("req-", ++requests_); }

  // Sends `request` as `actor` ("" sends no actor metadata).
  template <typename Request>
  Reply Send(Rpc<Request> rpc, const Request& request, const std::string& actor = kOperator) {
    grpc::ClientContext context;
    if (!actor.empty()) context.AddMetadata("haven-actor-bin", actor);
    Reply reply;
    reply.status = (stub_.get()->*rpc)(&context, request, &reply.response);
    for (const auto& [key, value] : context.GetServerTrailingMetadata()) {
      reply.trailers.emplace(std::string(key.data(), key.size()),
                             std::string(value.data(), value.size()));
    }
    return reply;
  }

  // Sends a command for `c`, filling in what the request leaves unset: a
  // fresh request id, c's id and c's version as the expected one.  On
  // success `c` takes the new version.
  template <typename Request>
  Reply Do(CaseRef& c, Rpc<Request> rpc, Request request, const std::string& actor = kOperator) {
    if (request.request_id().empty()) request.set_request_id(NextRequestId());
    if (request.case_id().empty()) request.set_case_id(c.id);
    if (!request.has_expected_version()) request.set_expected_version(c.version);
    Reply reply = Send(rpc, request, actor);
    if (reply.status.ok()) c.version = reply.response.version();
    return reply;
  }

  // Do, failing the test unless the command is accepted.
  template <typename Request>
  v1::CommandResponse MustDo(CaseRef& c, Rpc<Request> rpc, Request request,
                             const std::string& actor = kOperator) {
    Reply reply = Do(c, rpc, std::move(request), actor);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    return reply.response;
  }

  // The standard hotline call about domestic violence (王秀兰), in `unit`,
  // received an hour before the clock.
  v1::OpenCaseRequest OpenRequest(const std::string& unit = kUnit) {
    v1::OpenCaseRequest request;
    request.set_request_id(NextRequestId());
    *request.mutable_open_case() = cases::testing::OpenCaseCommand().open_case();
    request.mutable_open_case()->set_org_unit_id(unit);
    request.mutable_open_case()->set_received_at_us(clock_->NowMicros() - kHourUs);
    return request;
  }

  // Opens the standard case, failing the test if it is refused.
  CaseRef Open(const std::string& actor = kOperator) {
    Reply reply = Send(&Stub::OpenCase, OpenRequest(), actor);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    return {reply.response.case_id(), reply.response.version()};
  }

  // GetCase; fails the test unless it answers.
  v1::CaseView GetCase(const v1::GetCaseRequest& request) {
    grpc::ClientContext context;
    v1::GetCaseResponse response;
    grpc::Status status = stub_->GetCase(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_view();
  }
  v1::CaseView GetCase(const std::string& case_id) {
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    return GetCase(request);
  }

  // The whole history, read `page_size` entries at a time.
  std::vector<v1::CaseHistoryEntry> History(const std::string& case_id, uint32_t page_size = 0) {
    std::vector<v1::CaseHistoryEntry> entries;
    v1::GetCaseHistoryRequest request;
    request.set_case_id(case_id);
    request.set_page_size(page_size);
    do {
      grpc::ClientContext context;
      v1::GetCaseHistoryResponse response;
      grpc::Status status = stub_->GetCaseHistory(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      entries.insert(entries.end(), response.entries().begin(), response.entries().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return entries;
  }

  std::shared_ptr<storage::ManualClock> clock_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<DirectoryService> directory_;
  std::unique_ptr<CaseService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<directory::v1::DirectoryService::Stub> directory_stub_;
  int requests_ = 0;
};

// Matches a grpc::Status with `code` whose message starts with `prefix`
// followed by ": " (a field path or a rule).
MATCHER_P2(Refused, code, prefix,
           absl::StrCat("is code ", static_cast<int>(code), " starting with \"",
                        std::string(prefix), ": \"")) {
  *result_listener << "status " << arg.error_code() << " \"" << arg.error_message() << "\"";
  return arg.error_code() == code &&
         arg.error_message().rfind(absl::StrCat(std::string(prefix), ": "), 0) == 0;
}

}  // namespace haven::services

#endif  // HAVEN_TESTS_CASES_SERVICE_CASE_SERVICE_FIXTURE_H_
