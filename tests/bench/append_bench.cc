// haven_append_bench: closed-loop load generator for EventStore.Append.
//
// Keeps exactly --inflight Append RPCs outstanding against --server, each
// slot appending to its own stream "bench-<run>-<slot>" with expected_version
// ANY, either one event per Append or --batch events per Append.  Uses the
// gRPC callback API, so one process keeps hundreds of RPCs in flight on a
// handful of threads; the slots are spread over min(N, 8) channels, each with
// its own subchannel pool so that each is a separate HTTP/2 connection.
//
// After a --warmup, requests are counted by completion time for --duration
// seconds (or until --count events completed); prints events/s and the
// p50/p99/p99.9 latency of the counted requests, plus a RESULT line for
// tests/bench/append.sh.
//
//   haven_append_bench --server=127.0.0.1:50051 --inflight=64 --duration=10
//   haven_append_bench --server=127.0.0.1:50051 --inflight=16 --batch=100
//   haven_append_bench --server=127.0.0.1:50051 --wait-ready=30 --health-only
#include "absl/synchronization/mutex.h"
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "haven/v1/event_store.grpc.pb.h"

namespace hb = haven::bench;
using haven::v1::AppendRequest;
using haven::v1::AppendResponse;
using haven::v1::EventStore;

namespace {

// grpc.health.v1.Health/Check for the whole server ("" service), without the
// generated health stubs: the request is the empty message and a SERVING
// response is field 1 = 1, i.e. the two bytes 08 01.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, bool* serving) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  grpc::Slice empty(std::string{});
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  *serving = false;
  if (status.ok()) {
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (response.Dump(&slices).ok()) {
      for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    *serving = bytes == std::string("\x08\x01", 2);
  }
  return status;
}

// Waits until the server reports SERVING (or, if it has no health service,
// accepts an Append).  False on timeout.
bool WaitReady(const std::shared_ptr<grpc::Channel>& channel, const std::string& run, double timeout_s) {
  auto deadline = hb::Clock::now() + std::chrono::duration<double>(timeout_s);
  std::string last;
  do {
    bool serving = false;
    grpc::Status s = HealthCheck(channel, &serving);
    if (s.ok() && serving) return true;
    if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      auto stub = EventStore::NewStub(channel);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      ctx.AddMetadata("haven-actor", "bench");
      AppendRequest req;
      AppendResponse resp;
      req.set_stream_id("bench-" + run + "-probe");
      req.mutable_expected_version()->set_kind(haven::v1::ExpectedVersion::ANY);
      std::mt19937_64 rng(std::random_device{}());
      auto* e = req.add_events();
      e->set_event_id(hb::RandomUuidV4(rng));
      e->set_event_type("bench.probe");
      e->set_payload("{}");
      e->set_content_type("application/json");
      s = stub->Append(&ctx, req, &resp);
      if (s.ok()) return true;
    }
    last = s.ok() ? "health: NOT_SERVING" : "status " + std::to_string(s.error_code()) + ": " + s.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (hb::Clock::now() < deadline);
  std::fprintf(stderr, "server not ready after %.0f s (%s)\n", timeout_s, last.c_str());
  return false;
}

class Bench;

// One in-flight RPC at a time, re-issued from its own completion callback.
struct Slot {
  Bench* bench = nullptr;
  int index = 0;
  EventStore::Stub* stub = nullptr;
  std::unique_ptr<grpc::ClientContext> ctx;
  AppendRequest request;
  AppendResponse response;
  std::mt19937_64 rng;
  uint64_t seq = 0;
  hb::Clock::time_point start;
  std::vector<int64_t> latencies_ns;
  int64_t events = 0, requests = 0, errors = 0;
};

class Bench {
 public:
  Bench(std::vector<std::unique_ptr<EventStore::Stub>>* stubs, int inflight, int batch,
        size_t payload_bytes, std::string run, int64_t count, int deadline_ms)
      : window_(count), batch_(batch), payload_bytes_(payload_bytes), deadline_ms_(deadline_ms) {
    slots_.resize(inflight);
    std::random_device rd;
    for (int i = 0; i < inflight; ++i) {
      Slot& s = slots_[i];
      s.bench = this;
      s.index = i;
      s.stub = (*stubs)[i % stubs->size()].get();
      s.rng.seed((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(i));
      s.latencies_ns.reserve(1 << 14);
      s.request.set_stream_id("bench-" + run + "-" + std::to_string(i));
      s.request.mutable_expected_version()->set_kind(haven::v1::ExpectedVersion::ANY);
      for (int e = 0; e < batch; ++e) {
        auto* ev = s.request.add_events();
        ev->set_event_type("case.note_added");
        ev->set_content_type("application/json");
      }
    }
  }

  void Run(double warmup_s, double duration_s, int64_t count) {
    active_ = static_cast<int>(slots_.size());
    for (Slot& s : slots_) Issue(&s);
    hb::DriveWindow(window_, warmup_s, duration_s, count);
    // Drain: every slot stops re-issuing once the window has stopped.
    std::unique_lock<std::mutex> lock(mu_);
    if (!drained_.wait_for(lock, std::chrono::milliseconds(deadline_ms_ + 10000), [&] { return active_ == 0; })) {
      std::fprintf(stderr, "warning: %d RPCs still in flight after the run\n", active_);
    }
  }

  int Report(int inflight) {
    std::vector<int64_t> all;
    int64_t events = 0, requests = 0, errors = 0;
    for (const Slot& s : slots_) {
      all.insert(all.end(), s.latencies_ns.begin(), s.latencies_ns.end());
      events += s.events;
      requests += s.requests;
      errors += s.errors;
    }
    hb::PrintResult("haven", inflight, batch_, events, requests, window_.Seconds(), hb::Stats(std::move(all)),
                    errors);
    return errors > 0 || events == 0 ? 1 : 0;
  }

 private:
  void Issue(Slot* s) {
    for (int e = 0; e < batch_; ++e) {
      auto* ev = s->request.mutable_events(e);
      ev->set_event_id(hb::RandomUuidV4(s->rng));
      ev->set_payload(hb::MakePayload(s->rng, s->seq++, payload_bytes_));
    }
    s->ctx = std::make_unique<grpc::ClientContext>();
    s->ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms_));
    s->ctx->AddMetadata("haven-actor", "bench");
    s->response.Clear();
    s->start = hb::Clock::now();
    s->stub->async()->Append(s->ctx.get(), &s->request, &s->response,
                             [s](grpc::Status status) { s->bench->Done(s, status); });
  }

  void Done(Slot* s, const grpc::Status& status) {
    auto end = hb::Clock::now();
    if (!status.ok()) {
      ++s->errors;
      int64_t n = ++errors_;
      if (n <= 5) {
        std::fprintf(stderr, "slot %d: Append failed: %d %s\n", s->index, status.error_code(),
                     status.error_message().c_str());
      }
      // A broken server fails fast; stop rather than spin (and bound the
      // recursion of callbacks that may run inline on immediate failure).
      if (n >= 100) window_.Stop();
    } else if (window_.Completed(batch_)) {
      s->latencies_ns.push_back(hb::NanosSince(s->start, end));
      s->events += batch_;
      ++s->requests;
    }
    if (window_.Running()) {
      Issue(s);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) drained_.notify_all();
  }

  hb::Window window_;
  const int batch_;
  const size_t payload_bytes_;
  const int deadline_ms_;
  std::vector<Slot> slots_;
  std::atomic<int64_t> errors_{0};
  std::mutex mu_;
  std::condition_variable drained_;
  int active_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // As in havend: skip Debian Abseil's lock-order checks on gRPC's mutexes.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  hb::Flags flags(argc, argv,
                  {{"server", "127.0.0.1:50051"},
                   {"inflight", "1"},
                   {"channels", "0"},
                   {"batch", "1"},
                   {"duration", "10"},
                   {"count", "0"},
                   {"warmup", "2"},
                   {"payload-bytes", "200"},
                   {"run", ""},
                   {"deadline-ms", "30000"},
                   {"wait-ready", "10"},
                   {"health-only", "false"},
                   {"full-client-stack", "false"}});
  const int inflight = static_cast<int>(flags.Int("inflight"));
  const int batch = static_cast<int>(flags.Int("batch"));
  if (inflight < 1 || batch < 1 || batch > 1000) {
    hb::Flags::Die(argv[0], "--inflight must be >= 1 and --batch 1..1000");
  }
  int channels = static_cast<int>(flags.Int("channels"));
  if (channels <= 0) channels = std::min(inflight, 8);
  std::string run = flags.Str("run");
  if (run.empty()) {
    std::mt19937_64 rng(std::random_device{}());
    run = hb::RandomUuidV4(rng).substr(0, 8);
  }

  std::vector<std::shared_ptr<grpc::Channel>> chans;
  std::vector<std::unique_ptr<EventStore::Stub>> stubs;
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    // A local subchannel pool plus a distinct argument: each channel opens
    // its own TCP connection instead of sharing one.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    // The load generator shares the 2 cores with the server: the minimal
    // client stack (no client-side retry or deadline filters) leaves more of
    // them to the server under test, which keeps its full stack.
    // --full-client-stack measures with gRPC's default client instead.
    if (!flags.Bool("full-client-stack")) args.SetInt(GRPC_ARG_MINIMAL_STACK, 1);
    args.SetInt("haven.bench.channel", i);
    chans.push_back(grpc::CreateCustomChannel(flags.Str("server"), grpc::InsecureChannelCredentials(), args));
    stubs.push_back(EventStore::NewStub(chans.back()));
  }

  if (flags.Double("wait-ready") > 0 && !WaitReady(chans[0], run, flags.Double("wait-ready"))) return 1;
  if (flags.Bool("health-only")) return 0;
  for (auto& ch : chans) {
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      std::fprintf(stderr, "could not connect to %s\n", flags.Str("server").c_str());
      return 1;
    }
  }

  Bench bench(&stubs, inflight, batch, static_cast<size_t>(flags.Int("payload-bytes")), run,
              flags.Int("count"), static_cast<int>(flags.Int("deadline-ms")));
  bench.Run(flags.Double("warmup"), flags.Double("duration"), flags.Int("count"));
  return bench.Report(inflight);
}
