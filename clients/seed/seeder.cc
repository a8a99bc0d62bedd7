#include "seed/seeder.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "seed/programme_sender.h"

namespace haven::seed {
namespace {

namespace v1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;
using Clock = std::chrono::steady_clock;

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

// Worth sending again with the same request id.
bool Transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server, int index) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  // A channel of its own (not a shared subchannel), so that threads spread
  // over several connections.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("haven.seed.channel", index);
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
}

void Prepare(grpc::ClientContext* context, const std::string& actor, double timeout_seconds) {
  context->AddMetadata("haven-actor", actor);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000)));
}

// Prints at most `limit` errors, then a note that more were suppressed.
class ErrorLog {
 public:
  explicit ErrorLog(int limit) : limit_(limit) {}
  void Report(const std::string& what, const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    if (count_ <= limit_) {
      std::fprintf(stderr, "haven_seed: %s: %s: %s\n", what.c_str(), CodeName(status.error_code()),
                   status.error_message().c_str());
    } else if (count_ == limit_ + 1) {
      std::fprintf(stderr, "haven_seed: (further errors not shown)\n");
    }
  }

 private:
  std::mutex mutex_;
  int limit_;
  int count_ = 0;
};

struct Counters {
  std::atomic<uint64_t> cases{0}, failed{0}, commands{0}, replayed{0}, events{0};
  std::atomic<uint64_t> programmes[5]{};  // By Programme.
  std::atomic<uint64_t> failed_programmes{0};
};

// Sends one case command as its typed rpc.
class CaseSender {
 public:
  CaseSender(std::shared_ptr<grpc::Channel> channel, double timeout)
      : stub_(v1::CaseService::NewStub(std::move(channel))), timeout_(timeout) {}

  grpc::Status Send(const PlannedStep& step, const v1::CaseCommand& command,
                    const std::string& case_id, int64_t expected_version,
                    v1::CommandResponse* response) {
    switch (command.command_case()) {
#define HAVEN_SEED_RPC(Name)                                                             \
  case v1::CaseCommand::k##Name:                                                         \
    return Call<v1::Name##Request>(&v1::CaseService::Stub::Name, step, command, case_id, \
                                   expected_version, response);
      HAVEN_SEED_RPC(OpenCase)
      HAVEN_SEED_RPC(AssignCase)
      HAVEN_SEED_RPC(RecordContact)
      HAVEN_SEED_RPC(AddNote)
      HAVEN_SEED_RPC(AssessRisk)
      HAVEN_SEED_RPC(ScheduleMediation)
      HAVEN_SEED_RPC(RecordMediationOutcome)
      HAVEN_SEED_RPC(RecordAgreementFollowUp)
      HAVEN_SEED_RPC(RecordConsent)
      HAVEN_SEED_RPC(WithdrawConsent)
      HAVEN_SEED_RPC(MakeReferral)
      HAVEN_SEED_RPC(AcceptReferral)
      HAVEN_SEED_RPC(DeclineReferral)
      HAVEN_SEED_RPC(ReportReferralProgress)
      HAVEN_SEED_RPC(ReportReferralOutcome)
      HAVEN_SEED_RPC(RecordDvAlarm)
      HAVEN_SEED_RPC(RequestInjuryAssessment)
      HAVEN_SEED_RPC(AdmitToShelter)
      HAVEN_SEED_RPC(DischargeFromShelter)
      HAVEN_SEED_RPC(ApplyProtectionOrder)
      HAVEN_SEED_RPC(RecordProtectionOrderDecision)
      HAVEN_SEED_RPC(IssueWarningLetter)
      HAVEN_SEED_RPC(GrantAssistance)
      HAVEN_SEED_RPC(ScheduleFollowUp)
      HAVEN_SEED_RPC(CompleteFollowUp)
      HAVEN_SEED_RPC(CloseCase)
      HAVEN_SEED_RPC(ReopenCase)
#undef HAVEN_SEED_RPC
      default:
        return grpc::Status(grpc::StatusCode::INTERNAL, "a step without a command");
    }
  }

 private:
  template <typename Request>
  using Rpc = grpc::Status (v1::CaseService::Stub::*)(grpc::ClientContext*, const Request&,
                                                      v1::CommandResponse*);

  template <typename Request>
  grpc::Status Call(Rpc<Request> rpc, const PlannedStep& step, const v1::CaseCommand& command,
                    const std::string& case_id, int64_t expected_version,
                    v1::CommandResponse* response) {
    Request request;
    const auto* descriptor = Request::descriptor();
    const auto* reflection = request.GetReflection();
    reflection->SetString(&request, descriptor->FindFieldByName("request_id"), step.request_id);
    reflection->SetString(&request, descriptor->FindFieldByName("case_id"), case_id);
    if (const auto* expected = descriptor->FindFieldByName("expected_version")) {
      reflection->SetUInt64(&request, expected, static_cast<uint64_t>(expected_version));
    }
    // Field 4 is named as the member of CaseCommand it carries.
    const auto* member = descriptor->FindFieldByNumber(4);
    const auto* source = v1::CaseCommand::descriptor()->FindFieldByName(member->name());
    reflection->MutableMessage(&request, member)
        ->CopyFrom(command.GetReflection()->GetMessage(command, source));
    grpc::ClientContext context;
    Prepare(&context, step.actor, timeout_);
    return ((*stub_).*rpc)(&context, request, response);
  }

  std::unique_ptr<v1::CaseService::Stub> stub_;
  const double timeout_;
};

// A case being sent: its plan, and what the server answered so far.
struct CaseProgress {
  CasePlan plan;
  int64_t version = -1;              // The case's version; -1 before it is opened.
  std::vector<std::string> created;  // Per step, the id the server gave what it created.
  size_t next = 0;                   // The next step to send.
};

// Sends the steps of a case from `progress.next` up to `end`, in order;
// false if one failed for good.
bool SendSteps(CaseSender& sender, CaseProgress& progress, size_t end, Counters& counters,
               ErrorLog& errors) {
  const CasePlan& plan = progress.plan;
  progress.created.resize(plan.steps.size());
  for (size_t& k = progress.next; k < end; ++k) {
    const PlannedStep& step = plan.steps[k];
    v1::CaseCommand command = step.command;
    if (step.ref_step >= 0) SetReferencedId(&command, progress.created[step.ref_step]);
    v1::CommandResponse response;
    grpc::Status status;
    for (int attempt = 0;; ++attempt) {
      response.Clear();
      status = sender.Send(step, command, plan.case_id, progress.version, &response);
      if (status.ok() || !Transient(status.error_code()) || attempt >= 8) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 5)));
    }
    if (!status.ok()) {
      errors.Report(plan.case_id + " step " + std::to_string(k) + " " + RpcName(command), status);
      return false;
    }
    counters.commands.fetch_add(1, std::memory_order_relaxed);
    if (response.replayed()) {
      counters.replayed.fetch_add(1, std::memory_order_relaxed);
    } else {
      counters.events.fetch_add(
          static_cast<uint64_t>(static_cast<int64_t>(response.version()) - progress.version),
          std::memory_order_relaxed);
    }
    progress.version = static_cast<int64_t>(response.version());
    progress.created[k] = response.created_id();
  }
  return true;
}

// A programme story being sent: its plan, and each aggregate's version.
struct ProgrammeProgress {
  const ProgrammePlan* plan = nullptr;
  std::map<std::string, uint64_t> versions;
  size_t next = 0;  // The next step to send.
};

// Sends the steps of a story from `progress.next` up to `end`, in order;
// false if one failed for good.
bool SendProgrammeSteps(ProgrammeSender& sender, ProgrammeProgress& progress, size_t end,
                        Counters& counters, ErrorLog& errors) {
  const ProgrammePlan& plan = *progress.plan;
  for (size_t& k = progress.next; k < end; ++k) {
    const ProgrammeStep& step = plan.steps[k];
    const auto known = progress.versions.find(step.aggregate_id);
    // The story's first step to an aggregate begins its stream (version 0).
    const bool first = known == progress.versions.end();
    const uint64_t before = first ? 0 : known->second;
    // A unit's targets begin with its first target, sent without a version.
    const std::optional<uint64_t> expected =
        first && plan.programme == Programme::kTargets ? std::nullopt
                                                       : std::optional<uint64_t>(before);
    ProgrammeAnswer answer;
    grpc::Status status;
    for (int attempt = 0;; ++attempt) {
      status = sender.Send(plan.service, step, expected, &answer);
      if (status.ok() || !Transient(status.error_code()) || attempt >= 8) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 5)));
    }
    if (!status.ok()) {
      errors.Report(plan.id + " step " + std::to_string(k) + " " + ProgrammeRpcName(step) + " (" +
                        step.aggregate_id + ")",
                    status);
      return false;
    }
    counters.commands.fetch_add(1, std::memory_order_relaxed);
    if (answer.replayed) {
      counters.replayed.fetch_add(1, std::memory_order_relaxed);
    } else {
      // A pairing also takes the mentor's place, its end gives it back: an
      // event in the mentor's stream.
      const std::string rpc = ProgrammeRpcName(step);
      const uint64_t mentor = rpc == "PairChild" || rpc == "EndPairing" ? 1 : 0;
      const uint64_t written = first ? answer.version + 1 : answer.version - before;
      counters.events.fetch_add(written + mentor, std::memory_order_relaxed);
    }
    progress.versions[step.aggregate_id] = answer.version;
  }
  return true;
}

// Runs every step of one case; false if one failed for good.
bool SeedCase(CaseSender& sender, CasePlan plan, Counters& counters, ErrorLog& errors) {
  CaseProgress progress;
  progress.plan = std::move(plan);
  return SendSteps(sender, progress, progress.plan.steps.size(), counters, errors);
}

// Creates the units in order (parents first); false on an error that
// leaves the directory unusable.
bool SeedDirectory(const std::shared_ptr<grpc::Channel>& channel, const SeedOptions& options,
                   const DirectoryPlan& directory, SeedResult* result, ErrorLog& errors) {
  auto stub = dv1::DirectoryService::NewStub(channel);
  for (size_t i = 0; i < directory.units.size(); ++i) {
    if (options.stop != nullptr && options.stop->load()) return false;
    const UnitPlan& unit = directory.units[i];
    dv1::CreateUnitRequest request;
    request.set_request_id(UnitRequestId(directory, static_cast<int>(i)));
    request.set_unit_id(unit.unit_id);
    request.set_name(unit.name);
    request.set_kind(unit.kind);
    request.set_parent_id(unit.parent_id);
    request.set_statistical_code(unit.statistical_code);
    dv1::CommandResponse response;
    grpc::Status status;
    for (int attempt = 0;; ++attempt) {
      grpc::ClientContext context;
      Prepare(&context, "seed-admin", options.rpc_timeout_seconds);
      status = stub->CreateUnit(&context, request, &response);
      // UNAVAILABLE at the start: havend may still be coming up.
      const bool retry =
          Transient(status.error_code()) || status.error_code() == grpc::StatusCode::ABORTED;
      if (status.ok() || !retry || attempt >= (i == 0 ? 40 : 8)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    if (!status.ok()) {
      errors.Report("unit " + unit.unit_id + " (" + unit.name + ")", status);
      if (i == 0 && status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        std::fprintf(stderr,
                     "haven_seed: the server's directory already has another root city; seed "
                     "an empty data directory, or the one seeded before with the same --seed\n");
      }
      return false;
    }
    ++result->units;
    if (response.replayed()) {
      ++result->replayed;
    } else {
      ++result->events;
    }
  }
  return true;
}

bool Stopping(const SeedOptions& options) {
  return options.stop != nullptr && options.stop->load();
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Connects (channels, one per connection) and seeds the directory; false,
// with `result` saying why, if the cases cannot follow.
bool ConnectAndSeedDirectory(const SeedOptions& options, const DirectoryPlan& directory,
                             std::vector<std::shared_ptr<grpc::Channel>>* channels,
                             SeedResult* result, ErrorLog& errors) {
  const int channel_count = std::max(1, std::min(options.channels, options.concurrency));
  for (int i = 0; i < channel_count; ++i) channels->push_back(MakeChannel(options.server, i));
  // A server just started may take a while to open a big data directory.
  if (!(*channels)[0]->WaitForConnected(std::chrono::system_clock::now() +
                                        std::chrono::seconds(60))) {
    std::fprintf(stderr, "haven_seed: cannot reach havend at %s (waited 60 s)\n",
                 options.server.c_str());
    result->fatal = true;
    return false;
  }
  std::fprintf(stderr, "haven_seed: directory: %zu units ...\n", directory.units.size());
  if (!SeedDirectory((*channels)[0], options, directory, result, errors)) {
    result->interrupted = Stopping(options);
    result->fatal = !result->interrupted;
    return false;
  }
  return true;
}

// "2024-05-01", the CST day of `us`.
std::string CstDay(int64_t us) {
  const std::time_t t = static_cast<std::time_t>(us / 1000000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

// The steps [first, end) of one case that go at one clock tick.
struct Batch {
  uint32_t case_offset;  // Case index - first_case.
  uint16_t first;
  uint16_t end;
};

// Runs a function on a fixed set of threads, round after round: Run()
// starts a round on every thread and returns when all have finished it.
class Rounds {
 public:
  // `work(worker)` is one thread's part of a round.
  Rounds(int threads, std::function<void(int)> work) : work_(std::move(work)) {
    for (int w = 0; w < threads; ++w) threads_.emplace_back([this, w] { Loop(w); });
  }
  ~Rounds() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    start_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    busy_ = static_cast<int>(threads_.size());
    ++round_;
    start_.notify_all();
    done_.wait(lock, [&] { return busy_ == 0; });
  }

 private:
  void Loop(int w) {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        start_.wait(lock, [&] { return quit_ || round_ != seen; });
        if (quit_) return;
        seen = round_;
      }
      work_(w);
      std::lock_guard<std::mutex> lock(mu_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  const std::function<void(int)> work_;
  std::mutex mu_;
  std::condition_variable start_, done_;
  uint64_t round_ = 0;  // GUARDED_BY(mu_)
  int busy_ = 0;        // GUARDED_BY(mu_)
  bool quit_ = false;   // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace

SeedResult RunSeed(const SeedOptions& options, const DirectoryPlan& directory,
                   const CaseGenerator& generator) {
  SeedResult result;
  ErrorLog errors(options.max_errors_shown);
  const auto start = Clock::now();
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  if (!ConnectAndSeedDirectory(options, directory, &channels, &result, errors)) {
    result.seconds = SecondsSince(start);
    return result;
  }
  const int channel_count = static_cast<int>(channels.size());
  const auto stopping = [&] { return Stopping(options); };
  std::fprintf(stderr, "haven_seed: directory done in %.1f s; cases %llu..%llu with %d threads\n",
               SecondsSince(start), static_cast<unsigned long long>(options.first_case),
               static_cast<unsigned long long>(options.first_case + options.cases - 1),
               options.concurrency);

  Counters counters;
  std::atomic<uint64_t> next{0};
  std::atomic<int> running{options.concurrency};
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::thread> workers;
  const auto cases_start = Clock::now();
  for (int w = 0; w < options.concurrency; ++w) {
    workers.emplace_back([&, w] {
      CaseSender sender(channels[w % channel_count], options.rpc_timeout_seconds);
      while (!stopping()) {
        const uint64_t i = next.fetch_add(1);
        if (i >= options.cases) break;
        if (SeedCase(sender, generator.Plan(options.first_case + i), counters, errors)) {
          counters.cases.fetch_add(1, std::memory_order_relaxed);
        } else {
          counters.failed.fetch_add(1, std::memory_order_relaxed);
        }
      }
      if (running.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_all();
      }
    });
  }
  // Progress until the workers are done.
  {
    std::unique_lock<std::mutex> lock(mutex);
    uint64_t last_commands = 0;
    auto last = Clock::now();
    const auto period = std::chrono::milliseconds(
        static_cast<int64_t>(std::max(options.progress_seconds, 0.1) * 1000));
    while (!done.wait_for(lock, period, [&] { return running.load() == 0; })) {
      if (options.progress_seconds <= 0) continue;
      const auto now = Clock::now();
      const uint64_t finished = counters.cases.load() + counters.failed.load();
      const uint64_t commands = counters.commands.load();
      const double window = std::chrono::duration<double>(now - last).count();
      const double elapsed = std::chrono::duration<double>(now - cases_start).count();
      const double rate = (commands - last_commands) / std::max(window, 1e-9);
      const double case_rate = finished / std::max(elapsed, 1e-9);
      const double eta = case_rate > 0 ? (options.cases - finished) / case_rate : 0;
      std::fprintf(stderr,
                   "haven_seed: cases %llu/%llu (%.1f%%) failed=%llu commands=%llu "
                   "events=%llu replayed=%llu %.0f commands/s eta %.0f s\n",
                   static_cast<unsigned long long>(finished),
                   static_cast<unsigned long long>(options.cases),
                   100.0 * finished / std::max<uint64_t>(options.cases, 1),
                   static_cast<unsigned long long>(counters.failed.load()),
                   static_cast<unsigned long long>(commands),
                   static_cast<unsigned long long>(counters.events.load()),
                   static_cast<unsigned long long>(counters.replayed.load()), rate, eta);
      last_commands = commands;
      last = now;
    }
  }
  for (std::thread& t : workers) t.join();
  result.interrupted = stopping();
  result.cases = counters.cases.load();
  result.failed_cases = counters.failed.load();
  result.commands = counters.commands.load() + result.units;
  result.replayed += counters.replayed.load();
  result.events += counters.events.load();
  result.seconds = SecondsSince(start);
  return result;
}

SeedResult RunSeedAlongHistory(const SeedOptions& options, const DirectoryPlan& directory,
                               const CaseGenerator& generator,
                               const std::vector<ProgrammePlan>& programmes,
                               const std::function<void(int64_t now_us)>& set_clock) {
  SeedResult result;
  ErrorLog errors(options.max_errors_shown);
  const auto start = Clock::now();

  // When each case's steps go: batches by clock tick, the longest first in
  // each tick (they bound how long the tick takes).
  std::map<int64_t, std::vector<Batch>> ticks;
  uint64_t planned_steps = 0;
  for (uint64_t offset = 0; offset < options.cases; ++offset) {
    const CasePlan plan = generator.Plan(options.first_case + offset);
    planned_steps += plan.steps.size();
    size_t first = 0;
    while (first < plan.steps.size()) {
      const int64_t tick = ClockTickFor(plan.steps[first].at_us, generator.now_us());
      size_t end = first + 1;
      while (end < plan.steps.size() &&
             ClockTickFor(plan.steps[end].at_us, generator.now_us()) == tick) {
        ++end;
      }
      ticks[tick].push_back({static_cast<uint32_t>(offset), static_cast<uint16_t>(first),
                             static_cast<uint16_t>(end)});
      first = end;
    }
  }
  // The programme stories follow the cases: offsets cases, cases + 1...
  for (size_t p = 0; p < programmes.size(); ++p) {
    const std::vector<ProgrammeStep>& steps = programmes[p].steps;
    planned_steps += steps.size();
    size_t first = 0;
    while (first < steps.size()) {
      const int64_t tick = ClockTickFor(steps[first].at_us, generator.now_us());
      size_t end = first + 1;
      while (end < steps.size() && ClockTickFor(steps[end].at_us, generator.now_us()) == tick) {
        ++end;
      }
      ticks[tick].push_back({static_cast<uint32_t>(options.cases + p),
                             static_cast<uint16_t>(first), static_cast<uint16_t>(end)});
      first = end;
    }
  }
  for (auto& [tick, batches] : ticks) {
    std::stable_sort(batches.begin(), batches.end(), [](const Batch& a, const Batch& b) {
      return a.end - a.first > b.end - b.first;
    });
  }
  std::fprintf(stderr,
               "haven_seed: planned %llu cases, %zu programme stories, %llu commands at %zu "
               "clock ticks from %s to %s in %.1f s\n",
               static_cast<unsigned long long>(options.cases), programmes.size(),
               static_cast<unsigned long long>(planned_steps), ticks.size(),
               ticks.empty() ? "-" : CstDay(ticks.begin()->first).c_str(),
               ticks.empty() ? "-" : CstDay(ticks.rbegin()->first).c_str(), SecondsSince(start));

  set_clock(generator.HistoryStartUs());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  if (!ConnectAndSeedDirectory(options, directory, &channels, &result, errors)) {
    result.seconds = SecondsSince(start);
    return result;
  }
  std::fprintf(stderr, "haven_seed: directory done in %.1f s; cases %llu..%llu with %d threads\n",
               SecondsSince(start), static_cast<unsigned long long>(options.first_case),
               static_cast<unsigned long long>(options.first_case + options.cases - 1),
               options.concurrency);

  // The cases under way, by offset: created at their first step, dropped
  // after their last.  Within a tick a case is one batch, so one thread.
  std::vector<std::unique_ptr<CaseProgress>> under_way(options.cases);
  std::vector<std::unique_ptr<ProgrammeProgress>> stories_under_way(programmes.size());
  std::vector<std::unique_ptr<CaseSender>> senders;
  std::vector<std::unique_ptr<ProgrammeSender>> programme_senders;
  for (int w = 0; w < options.concurrency; ++w) {
    senders.push_back(
        std::make_unique<CaseSender>(channels[w % channels.size()], options.rpc_timeout_seconds));
    programme_senders.push_back(std::make_unique<ProgrammeSender>(channels[w % channels.size()],
                                                                  options.rpc_timeout_seconds));
  }
  Counters counters;
  const std::vector<Batch>* batches = nullptr;
  std::atomic<size_t> next{0};
  Rounds rounds(options.concurrency, [&](int w) {
    for (size_t i = next.fetch_add(1); i < batches->size(); i = next.fetch_add(1)) {
      const Batch& batch = (*batches)[i];
      if (batch.case_offset >= options.cases) {
        const size_t p = batch.case_offset - options.cases;
        std::unique_ptr<ProgrammeProgress>& story = stories_under_way[p];
        if (batch.first == 0) {
          story = std::make_unique<ProgrammeProgress>();
          story->plan = &programmes[p];
        }
        if (story == nullptr || story->next != batch.first) continue;  // Failed before.
        if (!SendProgrammeSteps(*programme_senders[w], *story, batch.end, counters, errors)) {
          counters.failed_programmes.fetch_add(1, std::memory_order_relaxed);
          story.reset();
        } else if (batch.end == programmes[p].steps.size()) {
          counters.programmes[static_cast<int>(programmes[p].programme)].fetch_add(
              1, std::memory_order_relaxed);
          story.reset();
        }
        continue;
      }
      std::unique_ptr<CaseProgress>& progress = under_way[batch.case_offset];
      if (batch.first == 0) {
        progress = std::make_unique<CaseProgress>();
        progress->plan = generator.Plan(options.first_case + batch.case_offset);
      }
      if (progress == nullptr || progress->next != batch.first) continue;  // Failed before.
      if (!SendSteps(*senders[w], *progress, batch.end, counters, errors)) {
        counters.failed.fetch_add(1, std::memory_order_relaxed);
        progress.reset();
      } else if (batch.end == progress->plan.steps.size()) {
        counters.cases.fetch_add(1, std::memory_order_relaxed);
        progress.reset();
      }
    }
  });

  const auto cases_start = Clock::now();
  auto last_progress = cases_start;
  uint64_t done_ticks = 0;
  int64_t last_tick = 0;
  for (const auto& [tick, tick_batches] : ticks) {
    if (Stopping(options) || counters.failed.load() > 0 || counters.failed_programmes.load() > 0) {
      break;
    }
    last_tick = tick;
    set_clock(tick);
    batches = &tick_batches;
    next.store(0);
    rounds.Run();
    ++done_ticks;
    if (options.progress_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_progress).count() >=
            options.progress_seconds) {
      last_progress = Clock::now();
      const uint64_t commands = counters.commands.load();
      const double elapsed = SecondsSince(cases_start);
      const double rate = commands / std::max(elapsed, 1e-9);
      std::fprintf(stderr,
                   "haven_seed: %s (tick %llu/%zu) commands %llu/%llu (%.1f%%) cases done=%llu "
                   "failed=%llu events=%llu replayed=%llu %.0f commands/s eta %.0f s\n",
                   CstDay(tick).c_str(), static_cast<unsigned long long>(done_ticks), ticks.size(),
                   static_cast<unsigned long long>(commands),
                   static_cast<unsigned long long>(planned_steps),
                   100.0 * commands / std::max<uint64_t>(planned_steps, 1),
                   static_cast<unsigned long long>(counters.cases.load()),
                   static_cast<unsigned long long>(counters.failed.load()),
                   static_cast<unsigned long long>(counters.events.load()),
                   static_cast<unsigned long long>(counters.replayed.load()), rate,
                   rate > 0 ? (planned_steps - commands) / rate : 0);
    }
  }
  result.interrupted = Stopping(options) && done_ticks < ticks.size();
  result.cases = counters.cases.load();
  result.failed_cases = counters.failed.load();
  result.loans = counters.programmes[static_cast<int>(Programme::kLoans)].load();
  result.children = counters.programmes[static_cast<int>(Programme::kChildren)].load();
  result.micro_homes = counters.programmes[static_cast<int>(Programme::kMicroHomes)].load();
  result.projects = counters.programmes[static_cast<int>(Programme::kProjects)].load();
  result.targets = counters.programmes[static_cast<int>(Programme::kTargets)].load();
  result.failed_programmes = counters.failed_programmes.load();
  result.fatal = result.failed_cases > 0 || result.failed_programmes > 0;
  if (result.fatal) {
    std::fprintf(stderr, "haven_seed: a command was refused; stopped after the clock tick of %s\n",
                 CstDay(last_tick).c_str());
  }
  result.commands = counters.commands.load() + result.units;
  result.replayed += counters.replayed.load();
  result.events += counters.events.load();
  result.seconds = SecondsSince(start);
  return result;
}

}  // namespace haven::seed
