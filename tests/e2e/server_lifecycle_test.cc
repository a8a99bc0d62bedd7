// The real havend as an operator meets it: one server per data directory,
// clean SIGTERM shutdown with appends in flight, health checks, --help,
// UTF-8 round trips and server reflection.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "havend_process.h"

namespace haven::e2e {
namespace {

namespace hv = haven::v1;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<HavendProcess>(); }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cout << "[lifecycle] havend stderr:\n" << server_->StderrTail() << std::endl;
      server_->keep_files();
    }
    server_.reset();
  }
  void StartServer() {
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
  }
  std::unique_ptr<HavendProcess> server_;
};

TEST_F(LifecycleTest, SecondServerOnSameDataDirExitsAtOnceWithClearMessage) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const auto t0 = Clock::now();
  RunResult second = RunHavendToCompletion(
      {"--listen=127.0.0.1:" + std::to_string(PickFreePort()), "--data-dir=" + server_->data_dir(),
       "--insecure-plaintext"},
      20s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  ASSERT_FALSE(second.timed_out) << "second havend still running after 20 s; stderr:\n"
                                 << second.err;
  EXPECT_TRUE(second.exit.exited && second.exit.code != 0)
      << "second havend " << second.exit.Describe() << "; stderr:\n"
      << second.err;
  EXPECT_LT(took.count(), 5000) << "second havend took " << took.count() << " ms to give up";
  EXPECT_NE(second.err.find(server_->data_dir()), std::string::npos)
      << "stderr does not name the data directory " << server_->data_dir() << ":\n"
      << second.err;

  // The first server is unharmed and still takes writes.
  ASSERT_TRUE(server_->running());
  auto stub = hv::EventStore::NewStub(server_->channel());
  grpc::ClientContext ctx;
  PrepareContext(&ctx, 10s);
  hv::AppendRequest req;
  req.set_stream_id("lifecycle-first-server");
  req.mutable_expected_version()->set_kind(hv::ExpectedVersion::NO_STREAM);
  std::mt19937_64 rng(std::random_device{}());
  auto* e = req.add_events();
  e->set_event_id(NewUuid(rng));
  e->set_event_type("e2e.lifecycle");
  e->set_payload("{}");
  hv::AppendResponse resp;
  grpc::Status st = stub->Append(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << "first server after the second one's attempt: " << StatusText(st);
  EXPECT_EQ(resp.first_position(), 1u);
}

TEST_F(LifecycleTest, SigtermWithAppendsInFlightExitsZeroAndKeepsAcknowledged) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  constexpr int kThreads = 4;
  struct Attempt {
    hv::AppendRequest request;
    bool acked = false;
    hv::AppendResponse response;
    grpc::Status status;
  };
  std::vector<std::vector<Attempt>> attempts(kThreads);
  std::atomic<bool> stop{false};
  std::atomic<int> acked_before_term{0};
  std::vector<std::thread> threads;
  auto channel = server_->channel();
  const uint64_t seed = std::random_device{}();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = hv::EventStore::NewStub(channel);
      std::mt19937_64 rng(seed + t);
      for (int seq = 0; !stop.load(); ++seq) {
        Attempt a;
        a.request.set_stream_id("lifecycle-term-" + std::to_string(t % 2));
        a.request.mutable_expected_version()->set_kind(hv::ExpectedVersion::ANY);
        const int n = 1 + static_cast<int>(rng() % 2);
        for (int i = 0; i < n; ++i) {
          auto* e = a.request.add_events();
          e->set_event_id(NewUuid(rng));
          e->set_event_type("e2e.lifecycle.term");
          e->set_content_type("application/json");
          e->set_payload("{\"thread\":" + std::to_string(t) + ",\"seq\":" + std::to_string(seq) +
                         ",\"index\":" + std::to_string(i) + "}");
        }
        grpc::ClientContext ctx;
        PrepareContext(&ctx, 15s);
        a.status = stub->Append(&ctx, a.request, &a.response);
        a.acked = a.status.ok();
        const bool ok = a.acked;
        attempts[t].push_back(std::move(a));
        if (!ok) break;
        acked_before_term.fetch_add(1);
      }
    });
  }
  // Let the appenders get going, then ask the server to stop.
  const auto warmup_deadline = Clock::now() + 10s;
  while (acked_before_term.load() < 20 && Clock::now() < warmup_deadline) {
    std::this_thread::sleep_for(10ms);
  }
  std::this_thread::sleep_for(200ms);
  const auto t0 = Clock::now();
  auto exit = server_->Terminate(30s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  stop.store(true);
  for (auto& th : threads) th.join();
  if (!exit) server_->Kill9();
  ASSERT_TRUE(exit.has_value()) << "havend still running 30 s after SIGTERM";
  EXPECT_TRUE(exit->exited && exit->code == 0)
      << "after SIGTERM havend " << exit->Describe() << "; stderr:\n"
      << server_->StderrTail();
  std::cout << "[lifecycle] SIGTERM to exit: " << took.count() << " ms" << std::endl;

  size_t acked = 0, failed = 0;
  std::map<grpc::StatusCode, int> failure_codes;
  for (const auto& list : attempts) {
    for (const auto& a : list) {
      if (a.acked) {
        ++acked;
      } else {
        ++failed;
        ++failure_codes[a.status.error_code()];
        const auto code = a.status.error_code();
        EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                    code == grpc::StatusCode::CANCELLED)
            << "append during shutdown failed with " << StatusText(a.status)
            << " (expected UNAVAILABLE)";
      }
    }
  }
  ASSERT_GT(acked, 0u) << "no append was acknowledged before SIGTERM";

  // Restart: every acknowledged append is there, every failed one entirely
  // present or entirely absent.
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto stub = hv::EventStore::NewStub(server_->channel());
  LogSnapshot log;
  grpc::Status st = ReadWholeLog(stub.get(), &log);
  ASSERT_TRUE(st.ok()) << StatusText(st);
  EXPECT_EQ(log.head, log.events.size());
  std::map<std::string, const hv::RecordedEvent*> by_id;
  for (size_t i = 0; i < log.events.size(); ++i) {
    EXPECT_EQ(log.events[i].position(), i + 1);
    EXPECT_TRUE(by_id.emplace(log.events[i].event_id(), &log.events[i]).second)
        << "duplicate event id " << log.events[i].event_id();
  }
  Problems problems;
  size_t expected_events = 0;
  for (const auto& list : attempts) {
    for (const auto& a : list) {
      const int n = a.request.events_size();
      int found = 0;
      for (int k = 0; k < n; ++k) {
        auto it = by_id.find(a.request.events(k).event_id());
        if (it == by_id.end()) continue;
        ++found;
        if (it->second->payload() != a.request.events(k).payload()) {
          problems.Add("event " + it->first + " payload differs after restart");
        }
        if (a.acked && (it->second->position() != a.response.first_position() + k ||
                        it->second->version() != a.response.first_version() + k ||
                        it->second->stream_id() != a.request.stream_id())) {
          problems.Add("acknowledged event " + it->first + " moved: acked at position " +
                       std::to_string(a.response.first_position() + k) + ", now at " +
                       std::to_string(it->second->position()));
        }
      }
      if (a.acked) {
        expected_events += n;
        if (found != n) {
          problems.Add("acknowledged append to " + a.request.stream_id() + " at position " +
                       std::to_string(a.response.first_position()) + ": " +
                       std::to_string(found) + " of " + std::to_string(n) +
                       " events after restart");
        }
      } else if (found != 0 && found != n) {
        problems.Add("failed append (" + StatusText(a.status) + "): " + std::to_string(found) +
                     " of " + std::to_string(n) + " events present (half append)");
      } else {
        expected_events += found;
      }
    }
  }
  EXPECT_TRUE(problems.empty()) << problems.Text();
  EXPECT_EQ(log.events.size(), expected_events) << "the log holds events nobody appended";
  std::cout << "[lifecycle] " << acked << " appends acknowledged, " << failed
            << " failed during shutdown; " << log.events.size() << " events after restart"
            << std::endl;
}

TEST_F(LifecycleTest, HealthCheckAnswersServing) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::health::v1::HealthCheckRequest req;  // "" = the server as a whole
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status st = health->Check(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << "grpc.health.v1.Health/Check: " << StatusText(st);
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING)
      << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());

  // An idle server stops cleanly on SIGTERM too.
  const auto t0 = Clock::now();
  auto exit = server_->Terminate(30s);
  std::cout << "[lifecycle] idle SIGTERM to exit: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count()
            << " ms" << std::endl;
  ASSERT_TRUE(exit.has_value()) << "idle havend still running 30 s after SIGTERM";
  EXPECT_TRUE(exit->exited && exit->code == 0) << "idle havend after SIGTERM " << exit->Describe();
}

TEST(HavendCommandLine, HelpExitsZeroAndNamesTheFlags) {
  RunResult r = RunHavendToCompletion({"--help"}, 20s);
  ASSERT_FALSE(r.timed_out) << "havend --help still running after 20 s";
  EXPECT_TRUE(r.exit.exited && r.exit.code == 0) << "havend --help " << r.exit.Describe()
                                                 << "\nstdout:\n" << r.out << "\nstderr:\n"
                                                 << r.err;
  const std::string text = r.out + r.err;
  EXPECT_NE(text.find("--listen"), std::string::npos) << "help text:\n" << text;
  EXPECT_NE(text.find("--data-dir"), std::string::npos) << "help text:\n" << text;
}

TEST_F(LifecycleTest, ChineseStreamIdAndJsonPayloadRoundTrip) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string stream = "案件-张三-二〇二六-001";
  const std::string payload =
      R"({"姓名":"张三","事由":"劳动争议 — 拖欠工资","金额":12345.67,"备注":"法律援助 ✓"})";
  const std::string type = "case.opened";
  std::mt19937_64 rng(std::random_device{}());
  const std::string id = NewUuid(rng);
  const std::string upper_id = [&] {
    std::string s = id;
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }();

  auto check = [&](hv::EventStore::Stub* stub, const char* when) {
    SCOPED_TRACE(when);
    std::vector<hv::RecordedEvent> events;
    grpc::Status st = ReadWholeStream(stub, stream, &events);
    ASSERT_TRUE(st.ok()) << "ReadStream: " << StatusText(st);
    ASSERT_EQ(events.size(), 1u);
    const auto& e = events[0];
    EXPECT_EQ(e.stream_id(), stream);
    EXPECT_EQ(e.payload(), payload);
    EXPECT_EQ(e.event_type(), type);
    EXPECT_EQ(e.content_type(), "application/json");
    EXPECT_EQ(e.event_id(), id) << "event id not lowercased";
    EXPECT_EQ(e.actor(), "e2e-tester");
    EXPECT_EQ(e.correlation_id(), "关联-1");
    EXPECT_EQ(e.version(), 0u);
    EXPECT_GT(e.recorded_time_us(), 1600000000000000);

    grpc::ClientContext ctx;
    PrepareContext(&ctx, 10s);
    hv::ReadAllRequest req;
    req.mutable_filter()->set_stream_prefix("案件-张三");
    hv::ReadAllResponse resp;
    st = stub->ReadAll(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << "ReadAll with a Chinese stream prefix: " << StatusText(st);
    ASSERT_EQ(resp.events_size(), 1);
    EXPECT_EQ(resp.events(0).stream_id(), stream);
    EXPECT_EQ(resp.events(0).payload(), payload);
  };

  {
    auto stub = hv::EventStore::NewStub(server_->channel());
    grpc::ClientContext ctx;
    PrepareContext(&ctx, 10s);
    hv::AppendRequest req;
    req.set_stream_id(stream);
    req.mutable_expected_version()->set_kind(hv::ExpectedVersion::NO_STREAM);
    auto* e = req.add_events();
    e->set_event_id(upper_id);  // "any hex case"
    e->set_event_type(type);
    e->set_payload(payload);
    e->set_content_type("application/json");
    e->set_correlation_id("关联-1");
    hv::AppendResponse resp;
    grpc::Status st = stub->Append(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << "Append to a Chinese stream id: " << StatusText(st);
    // A second, unrelated stream so that the prefix filter has something to skip.
    grpc::ClientContext ctx2;
    PrepareContext(&ctx2, 10s);
    hv::AppendRequest other;
    other.set_stream_id("案件-李四-001");
    other.mutable_expected_version()->set_kind(hv::ExpectedVersion::ANY);
    auto* e2 = other.add_events();
    e2->set_event_id(NewUuid(rng));
    e2->set_event_type(type);
    e2->set_payload("{}");
    st = stub->Append(&ctx2, other, &resp);
    ASSERT_TRUE(st.ok()) << StatusText(st);
    check(stub.get(), "before restart");
  }
  auto exit = server_->Terminate(30s);
  ASSERT_TRUE(exit.has_value());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto stub = hv::EventStore::NewStub(server_->channel());
  check(stub.get(), "after restart");
}

TEST_F(LifecycleTest, ServerReflectionListsEventStore) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  namespace refl = grpc::reflection::v1alpha;
  auto stub = refl::ServerReflection::NewStub(server_->channel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  auto stream = stub->ServerReflectionInfo(&ctx);
  refl::ServerReflectionRequest req;
  req.set_list_services("*");
  ASSERT_TRUE(stream->Write(req));
  // Also ask for the file defining the service: a client such as grpcurl
  // needs it to build requests.
  refl::ServerReflectionRequest sym;
  sym.set_file_containing_symbol("haven.v1.EventStore");
  ASSERT_TRUE(stream->Write(sym));
  stream->WritesDone();

  std::set<std::string> services;
  bool got_list = false, got_file = false;
  refl::ServerReflectionResponse resp;
  while (stream->Read(&resp)) {
    if (resp.has_list_services_response()) {
      got_list = true;
      for (const auto& s : resp.list_services_response().service()) services.insert(s.name());
    } else if (resp.has_file_descriptor_response()) {
      got_file = resp.file_descriptor_response().file_descriptor_proto_size() > 0;
    } else if (resp.has_error_response()) {
      ADD_FAILURE() << "reflection error " << resp.error_response().error_code() << ": "
                    << resp.error_response().error_message();
    }
  }
  grpc::Status st = stream->Finish();
  ASSERT_TRUE(st.ok()) << "ServerReflectionInfo: " << StatusText(st);
  ASSERT_TRUE(got_list) << "no list_services response";
  EXPECT_TRUE(services.count("haven.v1.EventStore"))
      << "services listed: " << ::testing::PrintToString(services);
  EXPECT_TRUE(got_file) << "no file descriptor for haven.v1.EventStore";
}

}  // namespace
}  // namespace haven::e2e
