// kill -9 durability of the real havend.
//
// Several cycles of: start havend on the same data directory, verify the
// whole log against everything learnt so far, retry acknowledged appends
// (they must replay without writing), then run concurrent appenders and
// SIGKILL the server at a random moment.  An acknowledged append must
// survive at exactly the acknowledged place; an append whose outcome is
// unknown (in flight or failed at the kill) must be entirely present or
// entirely absent.
//
// HAVEN_E2E_SEED=N reproduces a run's random choices (timing still varies).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e_util.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "havend_process.h"

namespace haven::e2e {
namespace {

namespace hv = haven::v1;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 8;
constexpr int kCycles = 8;
constexpr int kRetriesPerCycle = 40;
const char* const kActor = "e2e-crash";
const char* const kEventType = "e2e.crash.tick";
const char* const kContentType = "application/json";
const std::vector<std::string> kSharedStreams = {"crash-shared-a", "crash-shared-b",
                                                 "crash-shared-c"};

std::string PrivateStream(int thread) { return "crash-private-" + std::to_string(thread); }

// One append the test sent.
struct Attempt {
  hv::AppendRequest request;
  int cycle = 0;
  int thread = 0;
  uint64_t seq = 0;
  // Outcome as the client saw it.
  bool acked = false;
  hv::AppendResponse response;  // when acked (or once resolved as present)
  grpc::Status status;          // when not acked
  bool failed_before_kill = false;
};

// An event the log must hold, exactly here.
struct Expected {
  std::string stream;
  uint64_t version = 0;
  uint64_t position = 0;
  std::string payload;
  int cycle = 0;
};

struct WorkerResult {
  std::vector<Attempt> attempts;
  std::vector<std::string> problems;  // protocol violations seen live
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* s = std::getenv("HAVEN_E2E_SEED"); s != nullptr && *s != '\0') {
      seed_ = std::strtoull(s, nullptr, 10);
    } else {
      seed_ = std::random_device{}();
    }
    std::cout << "[crash_test] seed " << seed_ << " (HAVEN_E2E_SEED to reproduce)" << std::endl;
    rng_.seed(seed_);
    server_ = std::make_unique<HavendProcess>();
    thread_seq_.assign(kThreads, 0);
  }

  void TearDown() override {
    if (HasFailure() && server_) {
      std::cout << "[crash_test] last havend stderr:\n" << server_->StderrTail() << std::endl;
      server_->keep_files();
    }
    server_.reset();
  }

  // Runs kThreads appenders until `killed` is set or an append fails.
  WorkerResult RunWorker(int thread, int cycle, std::shared_ptr<grpc::Channel> channel,
                         uint64_t private_next_version, const std::atomic<bool>& killed) {
    WorkerResult out;
    auto stub = hv::EventStore::NewStub(channel);
    std::mt19937_64 rng(seed_ * 1000003u + static_cast<uint64_t>(cycle) * 101u +
                        static_cast<uint64_t>(thread));
    uint64_t& seq = thread_seq_[thread];  // each thread touches only its own slot
    const std::string private_stream = PrivateStream(thread);
    while (!killed.load()) {
      Attempt a;
      a.cycle = cycle;
      a.thread = thread;
      a.seq = seq++;
      const bool to_private = (rng() % 2) == 0;
      const int count = 1 + static_cast<int>(rng() % 3);
      hv::AppendRequest& req = a.request;
      if (to_private) {
        req.set_stream_id(private_stream);
        if (private_next_version == 0) {
          req.mutable_expected_version()->set_kind(hv::ExpectedVersion::NO_STREAM);
        } else {
          req.mutable_expected_version()->set_kind(hv::ExpectedVersion::EXACT);
          req.mutable_expected_version()->set_version(private_next_version - 1);
        }
      } else {
        req.set_stream_id(kSharedStreams[rng() % kSharedStreams.size()]);
        req.mutable_expected_version()->set_kind(hv::ExpectedVersion::ANY);
      }
      for (int i = 0; i < count; ++i) {
        hv::EventData* e = req.add_events();
        e->set_event_id(NewUuid(rng));
        e->set_event_type(kEventType);
        e->set_content_type(kContentType);
        nlohmann::json body = {{"thread", thread},
                               {"seq", a.seq},
                               {"index", i},
                               {"count", count},
                               {"cycle", cycle},
                               {"stream", req.stream_id()},
                               {"pad", std::string(rng() % 200, 'x')}};
        e->set_payload(body.dump());
        e->set_correlation_id("t" + std::to_string(thread) + "-s" + std::to_string(a.seq));
      }
      grpc::ClientContext ctx;
      PrepareContext(&ctx, 15s, kActor);
      grpc::Status st = stub->Append(&ctx, req, &a.response);
      if (st.ok()) {
        a.acked = true;
        const auto& r = a.response;
        const uint64_t n = static_cast<uint64_t>(count);
        if (r.replayed()) {
          out.problems.push_back("fresh append " + a.request.stream_id() +
                                 " acknowledged with replayed=true");
        }
        if (r.last_position() - r.first_position() != n - 1 || r.first_position() == 0 ||
            r.last_version() - r.first_version() != n - 1) {
          out.problems.push_back(
              "append of " + std::to_string(n) + " events to " + req.stream_id() +
              " acknowledged with positions " + std::to_string(r.first_position()) + ".." +
              std::to_string(r.last_position()) + " versions " +
              std::to_string(r.first_version()) + ".." + std::to_string(r.last_version()));
        }
        if (to_private) {
          if (r.first_version() != private_next_version) {
            out.problems.push_back("append to " + private_stream + " expecting next version " +
                                   std::to_string(private_next_version) +
                                   " acknowledged at first_version " +
                                   std::to_string(r.first_version()));
          }
          private_next_version = r.last_version() + 1;
        }
        out.attempts.push_back(std::move(a));
        continue;
      }
      a.status = st;
      a.failed_before_kill = !killed.load();
      const auto code = st.error_code();
      const bool plausible_crash_code =
          code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::CANCELLED ||
          code == grpc::StatusCode::DEADLINE_EXCEEDED || code == grpc::StatusCode::UNKNOWN ||
          code == grpc::StatusCode::INTERNAL;
      if (a.failed_before_kill || !plausible_crash_code) {
        out.problems.push_back("append to " + req.stream_id() + " (" + std::to_string(count) +
                               " events, expected " +
                               req.expected_version().ShortDebugString() + ") failed " +
                               (a.failed_before_kill ? "BEFORE" : "after") +
                               " the kill: " + StatusText(st));
      }
      out.attempts.push_back(std::move(a));
      break;  // the server is gone (or misbehaving): this thread is done
    }
    return out;
  }

  // Verifies the whole log against the model and folds resolved unknown
  // appends into it.  Fills private_next_ from the log.  Returns the head.
  uint64_t VerifyLog(hv::EventStore::Stub* stub, int cycle, Problems* problems) {
    LogSnapshot log;
    grpc::Status st = ReadWholeLog(stub, &log);
    if (!st.ok()) {
      problems->Add("ReadAll failed: " + StatusText(st));
      return 0;
    }
    const auto& events = log.events;
    // Positions gapless 1..head.
    if (log.head != events.size()) {
      problems->Add("head_position " + std::to_string(log.head) + " but ReadAll returned " +
                    std::to_string(events.size()) + " events");
    }
    std::map<std::string, size_t> by_id;
    std::map<std::string, std::vector<size_t>> by_stream;
    for (size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      if (e.position() != i + 1) {
        problems->Add("event #" + std::to_string(i) + " (" + e.event_id() + ") has position " +
                      std::to_string(e.position()) + ", expected " + std::to_string(i + 1));
      }
      auto [it, inserted] = by_id.emplace(e.event_id(), i);
      if (!inserted) {
        problems->Add("event id " + e.event_id() + " appears twice, at positions " +
                      std::to_string(events[it->second].position()) + " and " +
                      std::to_string(e.position()));
      }
      auto& list = by_stream[e.stream_id()];
      if (e.version() != list.size()) {
        problems->Add("stream " + e.stream_id() + ": event at position " +
                      std::to_string(e.position()) + " has version " +
                      std::to_string(e.version()) + ", expected " + std::to_string(list.size()));
      }
      list.push_back(i);
    }

    // Every event's payload says which append it belongs to; the events of
    // one append sit together, complete, at consecutive positions/versions.
    std::map<std::pair<int, uint64_t>, std::vector<size_t>> by_append;
    for (size_t i = 0; i < events.size(); ++i) {
      nlohmann::json body = nlohmann::json::parse(events[i].payload(), nullptr, false);
      if (body.is_discarded() || !body.contains("thread") || !body.contains("seq")) {
        problems->Add("event at position " + std::to_string(events[i].position()) +
                      " has an unparsable payload");
        continue;
      }
      by_append[{body["thread"].get<int>(), body["seq"].get<uint64_t>()}].push_back(i);
    }
    for (const auto& [key, idx] : by_append) {
      nlohmann::json first = nlohmann::json::parse(events[idx[0]].payload());
      const size_t count = first["count"].get<size_t>();
      std::string where = "append (thread " + std::to_string(key.first) + ", seq " +
                          std::to_string(key.second) + ")";
      if (idx.size() != count) {
        problems->Add(where + ": " + std::to_string(idx.size()) + " of its " +
                      std::to_string(count) + " events are in the log (half append)");
        continue;
      }
      for (size_t k = 0; k < idx.size(); ++k) {
        const auto& e = events[idx[k]];
        nlohmann::json body = nlohmann::json::parse(e.payload());
        if (body["index"].get<size_t>() != k || e.stream_id() != events[idx[0]].stream_id() ||
            e.position() != events[idx[0]].position() + k ||
            e.version() != events[idx[0]].version() + k) {
          problems->Add(where + ": event " + std::to_string(k) + " at position " +
                        std::to_string(e.position()) + " version " +
                        std::to_string(e.version()) + " is not contiguous with the append");
        }
      }
    }

    // Every acknowledged (or earlier resolved) event, exactly where it was.
    for (const auto& [id, want] : expected_) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        problems->Add("acknowledged event " + id + " (stream " + want.stream + ", position " +
                      std::to_string(want.position) + ", cycle " + std::to_string(want.cycle) +
                      ") is missing");
        continue;
      }
      const auto& e = events[it->second];
      if (e.stream_id() != want.stream || e.version() != want.version ||
          e.position() != want.position) {
        problems->Add("event " + id + " acknowledged at " + want.stream + "@" +
                      std::to_string(want.version) + " position " +
                      std::to_string(want.position) + " is now at " + e.stream_id() + "@" +
                      std::to_string(e.version()) + " position " + std::to_string(e.position()));
      }
      if (e.payload() != want.payload) {
        problems->Add("event " + id + " at position " + std::to_string(e.position()) +
                      " has a different payload than appended");
      }
      if (e.event_type() != kEventType || e.content_type() != kContentType ||
          e.actor() != kActor) {
        problems->Add("event " + id + " has type/content_type/actor '" + e.event_type() + "'/'" +
                      e.content_type() + "'/'" + e.actor() + "'");
      }
    }

    // Unknown outcomes: all or nothing; the present ones join the model.
    size_t present = 0, absent = 0;
    for (Attempt& a : unknown_) {
      size_t found = 0;
      for (const auto& ev : a.request.events()) found += by_id.count(ev.event_id());
      const size_t n = static_cast<size_t>(a.request.events_size());
      if (found == 0) {
        ++absent;
        continue;
      }
      if (found != n) {
        problems->Add("unknown-outcome append to " + a.request.stream_id() + " (thread " +
                      std::to_string(a.thread) + ", seq " + std::to_string(a.seq) + "): " +
                      std::to_string(found) + " of " + std::to_string(n) +
                      " events present (half append)");
        continue;
      }
      ++present;
      const auto& first = events[by_id[a.request.events(0).event_id()]];
      a.response.set_first_position(first.position());
      a.response.set_last_position(first.position() + n - 1);
      a.response.set_first_version(first.version());
      a.response.set_last_version(first.version() + n - 1);
      for (size_t k = 0; k < n; ++k) {
        const auto& ev = a.request.events(static_cast<int>(k));
        const auto& e = events[by_id[ev.event_id()]];
        if (e.stream_id() != a.request.stream_id() || e.position() != first.position() + k ||
            e.version() != first.version() + k || e.payload() != ev.payload()) {
          problems->Add("unknown-outcome append to " + a.request.stream_id() + ": event " +
                        ev.event_id() + " is at " + e.stream_id() + "@" +
                        std::to_string(e.version()) + " position " +
                        std::to_string(e.position()) + ", not in place or payload differs");
        }
        expected_[ev.event_id()] =
            Expected{e.stream_id(), e.version(), e.position(), ev.payload(), a.cycle};
      }
      committed_.push_back(a);
    }
    if (!unknown_.empty()) {
      std::cout << "[crash_test] cycle " << cycle << ": " << unknown_.size()
                << " unknown-outcome append(s): " << present << " present, " << absent
                << " absent" << std::endl;
    }
    unknown_.clear();

    // Nothing in the log that the test did not send (or that was lost track of).
    for (const auto& e : events) {
      if (!expected_.count(e.event_id())) {
        problems->Add("event " + e.event_id() + " at position " + std::to_string(e.position()) +
                      " in stream " + e.stream_id() + " was never acknowledged nor in flight");
      }
    }

    // ReadStream agrees with ReadAll for every stream.
    for (const auto& [stream, idx] : by_stream) {
      std::vector<hv::RecordedEvent> got;
      grpc::Status rs = ReadWholeStream(stub, stream, &got);
      if (!rs.ok()) {
        problems->Add("ReadStream(" + stream + ") failed: " + StatusText(rs));
        continue;
      }
      if (got.size() != idx.size()) {
        problems->Add("ReadStream(" + stream + ") returned " + std::to_string(got.size()) +
                      " events, ReadAll has " + std::to_string(idx.size()));
        continue;
      }
      for (size_t k = 0; k < got.size(); ++k) {
        const auto& want = events[idx[k]];
        if (got[k].event_id() != want.event_id() || got[k].version() != want.version() ||
            got[k].position() != want.position() || got[k].payload() != want.payload()) {
          problems->Add("ReadStream(" + stream + ")[" + std::to_string(k) + "] = " +
                        got[k].event_id() + "@" + std::to_string(got[k].version()) + " pos " +
                        std::to_string(got[k].position()) + ", ReadAll has " + want.event_id() +
                        "@" + std::to_string(want.version()) + " pos " +
                        std::to_string(want.position()));
          break;
        }
      }
    }

    private_next_.assign(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      auto it = by_stream.find(PrivateStream(t));
      if (it != by_stream.end()) private_next_[t] = it->second.size();
    }
    std::cout << "[crash_test] cycle " << cycle << ": verified " << events.size()
              << " events in " << by_stream.size() << " streams (" << log.pages
              << " ReadAll pages), " << expected_.size() << " known" << std::endl;
    return log.head;
  }

  // Retries a sample of appends known to be in the log: each must replay
  // with the original positions and write nothing.
  void CheckRetries(hv::EventStore::Stub* stub, uint64_t head, Problems* problems) {
    if (committed_.empty()) return;
    std::vector<size_t> picks;
    // Always the newest ones (acked just before the kill, or resolved
    // unknowns), plus a random sample of older ones.
    for (size_t i = committed_.size(); i > 0 && picks.size() < kRetriesPerCycle / 2; --i) {
      picks.push_back(i - 1);
    }
    while (picks.size() < std::min<size_t>(kRetriesPerCycle, committed_.size())) {
      picks.push_back(rng_() % committed_.size());
    }
    for (size_t i : picks) {
      const Attempt& a = committed_[i];
      grpc::ClientContext ctx;
      PrepareContext(&ctx, 15s, kActor);
      hv::AppendResponse resp;
      grpc::Status st = stub->Append(&ctx, a.request, &resp);
      std::string what = "retry of append to " + a.request.stream_id() + " (cycle " +
                         std::to_string(a.cycle) + ", thread " + std::to_string(a.thread) +
                         ", seq " + std::to_string(a.seq) + ", expected " +
                         a.request.expected_version().ShortDebugString() + ", originally " +
                         a.response.ShortDebugString() + ")";
      if (!st.ok()) {
        problems->Add(what + " failed: " + StatusText(st));
        continue;
      }
      if (!resp.replayed() || resp.first_position() != a.response.first_position() ||
          resp.last_position() != a.response.last_position() ||
          resp.first_version() != a.response.first_version() ||
          resp.last_version() != a.response.last_version()) {
        problems->Add(what + " answered " + resp.ShortDebugString());
      }
    }
    grpc::ClientContext ctx;
    PrepareContext(&ctx, 15s, kActor);
    hv::ReadAllRequest req;
    req.set_from_position(head + 1);
    req.set_limit(10);
    hv::ReadAllResponse resp;
    grpc::Status st = stub->ReadAll(&ctx, req, &resp);
    if (!st.ok()) {
      problems->Add("ReadAll after retries failed: " + StatusText(st));
    } else if (resp.head_position() != head || resp.events_size() != 0) {
      problems->Add("retries wrote to the log: head " + std::to_string(head) + " -> " +
                    std::to_string(resp.head_position()) + ", " +
                    std::to_string(resp.events_size()) + " new event(s)");
    }
  }

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<HavendProcess> server_;
  std::vector<uint64_t> thread_seq_;
  std::vector<uint64_t> private_next_;
  std::map<std::string, Expected> expected_;  // event id -> where it must be
  std::vector<Attempt> committed_;            // appends known to be in the log
  std::vector<Attempt> unknown_;              // outcome not yet resolved
};

TEST_F(CrashTest, KillNineDuringConcurrentAppendsLosesNothingAcknowledged) {
  const auto test_start = Clock::now();
  size_t total_acked = 0;
  for (int cycle = 0; cycle <= kCycles; ++cycle) {
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << "cycle " << cycle << ": " << error;
    auto stub = hv::EventStore::NewStub(server_->channel());

    Problems problems;
    uint64_t head = VerifyLog(stub.get(), cycle, &problems);
    ASSERT_TRUE(problems.empty()) << "after restart #" << cycle << ": " << problems.Text();
    CheckRetries(stub.get(), head, &problems);
    ASSERT_TRUE(problems.empty()) << "retries after restart #" << cycle << ": "
                                  << problems.Text();
    if (cycle == kCycles) break;  // the last start only verifies

    // Concurrent appenders, then SIGKILL at a random moment.
    std::atomic<bool> killed{false};
    std::vector<WorkerResult> results(kThreads);
    std::vector<std::thread> threads;
    auto channel = server_->channel();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        results[t] = RunWorker(t, cycle, channel, private_next_[t], killed);
      });
    }
    const auto delay = std::chrono::milliseconds(200 + rng_() % 1301);
    std::this_thread::sleep_for(delay);
    killed.store(true);
    server_->Kill9();
    for (auto& th : threads) th.join();

    size_t acked = 0, unknown = 0;
    Problems live;
    for (auto& r : results) {
      for (auto& p : r.problems) live.Add(p);
      for (auto& a : r.attempts) {
        if (a.acked) {
          ++acked;
          for (int k = 0; k < a.request.events_size(); ++k) {
            const auto& ev = a.request.events(k);
            expected_[ev.event_id()] =
                Expected{a.request.stream_id(), a.response.first_version() + k,
                         a.response.first_position() + k, ev.payload(), cycle};
          }
          committed_.push_back(std::move(a));
        } else {
          ++unknown;
          unknown_.push_back(std::move(a));
        }
      }
    }
    total_acked += acked;
    std::cout << "[crash_test] cycle " << cycle << ": killed after " << delay.count() << " ms; "
              << acked << " appends acknowledged, " << unknown << " unknown" << std::endl;
    ASSERT_TRUE(live.empty()) << "cycle " << cycle << " (live): " << live.Text();
  }
  // Stop the last server politely.
  if (!server_->Terminate(20s)) server_->Kill9();
  const double secs = std::chrono::duration<double>(Clock::now() - test_start).count();
  std::cout << "[crash_test] " << kCycles << " kill -9 cycles, " << total_acked
            << " acknowledged appends, " << expected_.size() << " events verified, " << secs
            << " s" << std::endl;
  EXPECT_GT(total_acked, 0u) << "no append was ever acknowledged";
}

}  // namespace
}  // namespace haven::e2e
