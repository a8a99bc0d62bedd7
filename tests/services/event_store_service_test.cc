// The EventStore service through a real gRPC channel to an in-process
// server: status codes, field-naming messages, nothing written on bad input,
// UTF-8 round trips, subscriptions.
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "services/server/server.h"
#include "storage/uuid.h"

namespace haven {
namespace {

using ::testing::HasSubstr;

class EventStoreServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = server::HavenServer::Start("127.0.0.1:0", server::ServerStores::InMemory());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::EventStore::NewStub(channel_);
  }

  static v1::EventData Event(const std::string& id, const std::string& type = "case.opened",
                             const std::string& payload = "{}") {
    v1::EventData e;
    e.set_event_id(id);
    e.set_event_type(type);
    e.set_payload(payload);
    e.set_content_type("application/json");
    return e;
  }

  static v1::AppendRequest Request(const std::string& stream, v1::ExpectedVersion::Kind kind,
                                   std::vector<v1::EventData> events, uint64_t version = 0) {
    v1::AppendRequest r;
    r.set_stream_id(stream);
    r.mutable_expected_version()->set_kind(kind);
    r.mutable_expected_version()->set_version(version);
    for (auto& e : events) *r.add_events() = std::move(e);
    return r;
  }

  grpc::Status Append(const v1::AppendRequest& request, v1::AppendResponse* response,
                      grpc::ClientContext* context = nullptr) {
    grpc::ClientContext local;
    if (context == nullptr) context = &local;
    context->AddMetadata("haven-actor", "operator-wangfang");
    return stub_->Append(context, request, response);
  }

  uint64_t Head() {
    grpc::ClientContext context;
    v1::ReadAllRequest request;
    request.set_limit(1);
    v1::ReadAllResponse response;
    EXPECT_TRUE(stub_->ReadAll(&context, request, &response).ok());
    return response.head_position();
  }

  // Appends `request`, expects `code` with `field` in the message, and that
  // the log did not move.
  void ExpectRejected(const v1::AppendRequest& request, grpc::StatusCode code,
                      const std::string& field) {
    const uint64_t head = Head();
    v1::AppendResponse response;
    grpc::Status status = Append(request, &response);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(field));
    EXPECT_EQ(Head(), head) << "a rejected append wrote something";
  }

  static constexpr char kId1[] = "6f1c2a9e-0b7d-4f55-9a53-1d2e3f4a5b60";
  static constexpr char kId2[] = "6f1c2a9e-0b7d-4f55-9a53-1d2e3f4a5b61";

  std::unique_ptr<server::HavenServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::EventStore::Stub> stub_;
};

TEST_F(EventStoreServiceTest, AppendReturnsVersionsAndPositionsAndRecordsTheActor) {
  v1::AppendResponse response;
  ASSERT_TRUE(Append(Request("case-1", v1::ExpectedVersion::NO_STREAM,
                             {Event(kId1), Event(kId2, "case.assigned")}),
                     &response)
                  .ok());
  EXPECT_EQ(response.first_version(), 0u);
  EXPECT_EQ(response.last_version(), 1u);
  EXPECT_EQ(response.first_position(), 1u);
  EXPECT_EQ(response.last_position(), 2u);
  EXPECT_FALSE(response.replayed());

  grpc::ClientContext context;
  v1::ReadStreamRequest read;
  read.set_stream_id("case-1");
  v1::ReadStreamResponse page;
  ASSERT_TRUE(stub_->ReadStream(&context, read, &page).ok());
  ASSERT_EQ(page.events_size(), 2);
  EXPECT_EQ(page.events(0).actor(), "operator-wangfang");
  EXPECT_EQ(page.events(1).event_type(), "case.assigned");
  EXPECT_FALSE(page.has_next_version());
}

TEST_F(EventStoreServiceTest, ChineseActorTravelsInTheBinaryHeader) {
  grpc::ClientContext context;
  context.AddMetadata("haven-actor-bin", "接线员-王芳");
  v1::AppendResponse response;
  ASSERT_TRUE(stub_->Append(&context, Request("case-1", v1::ExpectedVersion::ANY, {Event(kId1)}),
                            &response)
                  .ok());
  grpc::ClientContext read_context;
  v1::ReadStreamRequest read;
  read.set_stream_id("case-1");
  v1::ReadStreamResponse page;
  ASSERT_TRUE(stub_->ReadStream(&read_context, read, &page).ok());
  EXPECT_EQ(page.events(0).actor(), "接线员-王芳");
}

TEST_F(EventStoreServiceTest, ChineseStreamIdAndPayloadRoundTrip) {
  const std::string stream = "个案-江苏省-南京市-玄武区-0001";
  const std::string payload = R"({"求助人":"李秀英","陈述":"丈夫长期家暴，请求庇护。𠮷"})";
  v1::AppendResponse response;
  ASSERT_TRUE(
      Append(Request(stream, v1::ExpectedVersion::ANY, {Event(kId1, "个案.登记", payload)}),
             &response)
          .ok());
  grpc::ClientContext context;
  v1::ReadAllRequest read;
  v1::ReadAllResponse page;
  ASSERT_TRUE(stub_->ReadAll(&context, read, &page).ok());
  ASSERT_EQ(page.events_size(), 1);
  EXPECT_EQ(page.events(0).stream_id(), stream);
  EXPECT_EQ(page.events(0).event_type(), "个案.登记");
  EXPECT_EQ(page.events(0).payload(), payload);
}

TEST_F(EventStoreServiceTest, RetryReturnsOriginalPositionsAndWritesNothing) {
  auto request = Request("case-1", v1::ExpectedVersion::NO_STREAM, {Event(kId1)});
  v1::AppendResponse first, second;
  ASSERT_TRUE(Append(request, &first).ok());
  ASSERT_TRUE(Append(request, &second).ok());
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(second.first_position(), first.first_position());
  EXPECT_EQ(Head(), 1u);
}

TEST_F(EventStoreServiceTest, VersionConflictIsAbortedWithCurrentVersionInTrailers) {
  v1::AppendResponse response;
  ASSERT_TRUE(Append(Request("case-1", v1::ExpectedVersion::ANY, {Event(kId1)}), &response).ok());
  grpc::ClientContext context;
  grpc::Status status = Append(
      Request("case-1", v1::ExpectedVersion::EXACT, {Event(kId2)}, /*version=*/5), &response,
      &context);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(status.error_message(), HasSubstr("expected_version"));
  auto trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find("haven-current-version");
  ASSERT_NE(it, trailers.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "0");

  grpc::ClientContext none_context;
  status = Append(Request("case-2", v1::ExpectedVersion::STREAM_EXISTS, {Event(kId2)}), &response,
                  &none_context);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  auto none = none_context.GetServerTrailingMetadata().find("haven-current-version");
  EXPECT_EQ(std::string(none->second.data(), none->second.size()), "none");
}

TEST_F(EventStoreServiceTest, BadInputIsInvalidArgumentNamingTheFieldAndWritesNothing) {
  using K = v1::ExpectedVersion;
  ExpectRejected(Request("", K::ANY, {Event(kId1)}), grpc::StatusCode::INVALID_ARGUMENT,
                 "stream_id");
  ExpectRejected(Request(std::string(513, 'a'), K::ANY, {Event(kId1)}),
                 grpc::StatusCode::INVALID_ARGUMENT, "stream_id: must be at most 512 bytes");
  ExpectRejected(Request("case-\xff\xfe", K::ANY, {Event(kId1)}),
                 grpc::StatusCode::INVALID_ARGUMENT, "stream_id: must be valid UTF-8");
  ExpectRejected(Request("case-1", K::ANY, {Event("")}), grpc::StatusCode::INVALID_ARGUMENT,
                 "events[0].event_id: is required");
  ExpectRejected(Request("case-1", K::ANY, {Event(kId1), Event("not-a-uuid")}),
                 grpc::StatusCode::INVALID_ARGUMENT, "events[1].event_id: must be a UUID");
  ExpectRejected(Request("case-1", K::KIND_UNSPECIFIED, {Event(kId1)}),
                 grpc::StatusCode::INVALID_ARGUMENT, "expected_version.kind");
  ExpectRejected(Request("case-1", static_cast<K::Kind>(17), {Event(kId1)}),
                 grpc::StatusCode::INVALID_ARGUMENT, "expected_version.kind: unknown kind 17");
  ExpectRejected(
      Request("case-1", K::ANY, {Event(kId1, "case.opened", std::string((1 << 20) + 1, 'x'))}),
      grpc::StatusCode::INVALID_ARGUMENT, "events[0].payload: must be at most 1048576 bytes");
  std::vector<v1::EventData> too_many;
  for (int i = 0; i < 1001; ++i) {
    char id[37];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    too_many.push_back(Event(id));
  }
  ExpectRejected(Request("case-1", K::ANY, too_many), grpc::StatusCode::INVALID_ARGUMENT,
                 "events: must hold at most 1000 events");
  ExpectRejected(Request("case-1", K::ANY, {}), grpc::StatusCode::INVALID_ARGUMENT,
                 "events: must hold at least one event");
  ExpectRejected(Request("case-1", K::ANY, {Event(kId1, "")}),
                 grpc::StatusCode::INVALID_ARGUMENT, "events[0].event_type");
}

TEST_F(EventStoreServiceTest, ReadLimitOverMaximumIsInvalidArgument) {
  grpc::ClientContext context;
  v1::ReadAllRequest request;
  request.set_limit(1001);
  v1::ReadAllResponse response;
  grpc::Status status = stub_->ReadAll(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("limit"));
}

TEST_F(EventStoreServiceTest, ReadStreamOfMissingStreamIsNotFound) {
  grpc::ClientContext context;
  v1::ReadStreamRequest request;
  request.set_stream_id("case-404");
  v1::ReadStreamResponse response;
  EXPECT_EQ(stub_->ReadStream(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(EventStoreServiceTest, SubscribeDeliversHistoryThenCaughtUpThenLiveEvents) {
  v1::AppendResponse response;
  ASSERT_TRUE(Append(Request("case-1", v1::ExpectedVersion::ANY, {Event(kId1)}), &response).ok());
  grpc::ClientContext context;
  v1::SubscribeRequest request;
  auto reader = stub_->Subscribe(&context, request);
  v1::SubscribeResponse message;
  ASSERT_TRUE(reader->Read(&message));
  EXPECT_EQ(message.event().position(), 1u);
  ASSERT_TRUE(reader->Read(&message));
  EXPECT_EQ(message.caught_up_at(), 1u);
  ASSERT_TRUE(Append(Request("case-2", v1::ExpectedVersion::ANY, {Event(kId2)}), &response).ok());
  ASSERT_TRUE(reader->Read(&message));
  EXPECT_EQ(message.event().position(), 2u);
  EXPECT_EQ(message.event().stream_id(), "case-2");
  context.TryCancel();
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(EventStoreServiceTest, StalledSubscriberDoesNotHoldUpWriters) {
  // A subscriber that reads its first message and then nothing more, while
  // 2,000 events of 4 KiB (8 MiB, beyond gRPC's flow-control windows) go in.
  grpc::ClientContext context;
  auto reader = stub_->Subscribe(&context, v1::SubscribeRequest());
  v1::SubscribeResponse message;
  ASSERT_TRUE(reader->Read(&message));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) {
    char id[37];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    v1::AppendResponse response;
    ASSERT_TRUE(Append(Request("case-" + std::to_string(i % 50), v1::ExpectedVersion::ANY,
                               {Event(id, "case.noted", std::string(4096, 'x'))}),
                       &response)
                    .ok());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // It then catches up from the log: every event, in order.
  uint64_t expected = 1;
  while (expected <= 2000 && reader->Read(&message)) {
    if (message.has_event()) ASSERT_EQ(message.event().position(), expected++);
  }
  EXPECT_EQ(expected, 2001u);
  context.TryCancel();
  while (reader->Read(&message)) {
  }
  reader->Finish();
}

TEST_F(EventStoreServiceTest, ShutdownEndsSubscriptionsWithUnavailable) {
  grpc::ClientContext context;
  auto reader = stub_->Subscribe(&context, v1::SubscribeRequest());
  v1::SubscribeResponse message;
  ASSERT_TRUE(reader->Read(&message));  // caught_up_at 0
  std::thread stopper([&] { server_->Shutdown(std::chrono::seconds(5)); });
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  stopper.join();
}

// Appends on the completion queue when the server stops under them: every
// call is answered, Shutdown returns, every append answered OK is in the log
// after a reopen, and the log holds nothing else but, at most, the last
// append of a client whose answer the shutdown cut off (written, then
// cancelled: a retry with the same event id tells).
TEST(EventStoreShutdownTest, AppendsInFlightAreAnsweredAndNoneAcknowledgedIsLost) {
  std::string dir = (std::filesystem::temp_directory_path() / "haven-es-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  auto stores = server::ServerStores::Open(dir);
  ASSERT_TRUE(stores.ok()) << stores.status();
  auto started = server::HavenServer::Start("127.0.0.1:0", std::move(*stores));
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<server::HavenServer> server = std::move(*started);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::EventStore::NewStub(channel);

  std::mutex mu;
  std::vector<std::string> acknowledged;  // event ids
  std::vector<std::string> refused;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0;; ++i) {
        v1::AppendRequest request;
        request.set_stream_id("shutdown-" + std::to_string(c));
        request.mutable_expected_version()->set_kind(v1::ExpectedVersion::ANY);
        v1::EventData* event = request.add_events();
        const std::string id = storage::NewRandomUuid();
        event->set_event_id(id);
        event->set_event_type("test.appended");
        event->set_payload("{\"n\":" + std::to_string(i) + "}");
        event->set_content_type("application/json");
        grpc::ClientContext context;
        context.AddMetadata("haven-actor", "operator-wangfang");
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
        v1::AppendResponse response;
        const grpc::Status status = stub->Append(&context, request, &response);
        ++answered;
        std::lock_guard<std::mutex> lock(mu);
        if (status.ok()) {
          acknowledged.push_back(id);
          continue;
        }
        EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                    status.error_code() == grpc::StatusCode::CANCELLED)
            << status.error_code() << " " << status.error_message();
        refused.push_back(id);
        return;
      }
    });
  }
  while (answered.load() < 500) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server->Shutdown(std::chrono::milliseconds(200));
  for (std::thread& client : clients) client.join();
  server.reset();

  storage::Options options;
  options.data_dir = dir;
  auto log = storage::EventLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_GE(acknowledged.size(), 500u - 16);
  EXPECT_EQ(refused.size(), 16u) << "each client ends on one refused append";
  for (const std::string& id : acknowledged) {
    auto event = (*log)->ReadEvent(id);
    ASSERT_TRUE(event.ok()) << event.status();
    EXPECT_TRUE(event->has_value()) << "acknowledged " << id << " is not in the log";
  }
  size_t written_unanswered = 0;
  for (const std::string& id : refused) {
    auto event = (*log)->ReadEvent(id);
    ASSERT_TRUE(event.ok()) << event.status();
    if (event->has_value()) ++written_unanswered;
  }
  EXPECT_EQ((*log)->HeadPosition(), acknowledged.size() + written_unanswered);
  log->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven
