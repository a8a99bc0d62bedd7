#include "seed/seeder.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"

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

// Runs every step of one case; false if one failed for good.
bool SeedCase(CaseSender& sender, const CasePlan& plan, Counters& counters, ErrorLog& errors) {
  std::vector<std::string> created(plan.steps.size());
  int64_t version = -1;
  for (size_t k = 0; k < plan.steps.size(); ++k) {
    const PlannedStep& step = plan.steps[k];
    v1::CaseCommand command = step.command;
    if (step.ref_step >= 0) SetReferencedId(&command, created[step.ref_step]);
    v1::CommandResponse response;
    grpc::Status status;
    for (int attempt = 0;; ++attempt) {
      response.Clear();
      status = sender.Send(step, command, plan.case_id, version, &response);
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
          static_cast<uint64_t>(static_cast<int64_t>(response.version()) - version),
          std::memory_order_relaxed);
    }
    version = static_cast<int64_t>(response.version());
    created[k] = response.created_id();
  }
  return true;
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

}  // namespace

SeedResult RunSeed(const SeedOptions& options, const DirectoryPlan& directory,
                   const CaseGenerator& generator) {
  SeedResult result;
  ErrorLog errors(options.max_errors_shown);
  const auto start = Clock::now();
  const int channel_count = std::max(1, std::min(options.channels, options.concurrency));
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < channel_count; ++i) channels.push_back(MakeChannel(options.server, i));

  // A server just started may take a while to open a big data directory.
  if (!channels[0]->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(60))) {
    std::fprintf(stderr, "haven_seed: cannot reach havend at %s (waited 60 s)\n",
                 options.server.c_str());
    result.fatal = true;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }
  std::fprintf(stderr, "haven_seed: directory: %zu units ...\n", directory.units.size());
  const auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };
  if (!SeedDirectory(channels[0], options, directory, &result, errors)) {
    result.interrupted = stopping();
    result.fatal = !result.interrupted;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }
  std::fprintf(stderr, "haven_seed: directory done in %.1f s; cases %llu..%llu with %d threads\n",
               std::chrono::duration<double>(Clock::now() - start).count(),
               static_cast<unsigned long long>(options.first_case),
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
        const CasePlan plan = generator.Plan(options.first_case + i);
        if (SeedCase(sender, plan, counters, errors)) {
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
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace haven::seed
