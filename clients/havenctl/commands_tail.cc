// havenctl tail: follow the log live until Ctrl-C.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "command.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

using haven::v1::EventStore;

// Turns SIGINT/SIGTERM into a cancellation of the subscription.  The signals
// are blocked before gRPC starts its threads and taken by sigwait() on a
// dedicated thread, because ClientContext::TryCancel is not safe to call
// from a signal handler.
class CancelOnSignal {
 public:
  CancelOnSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    thread_ = std::thread([this] { Wait(); });
  }
  ~CancelOnSignal() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      context_ = nullptr;
    }
    // Wakes sigwait() when no signal came; harmless if one already did.
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
  }

  void Watch(grpc::ClientContext* context) {
    std::lock_guard<std::mutex> lock(mu_);
    context_ = context;
  }
  bool signaled() const { return signaled_; }

 private:
  void Wait() {
    int signal = 0;
    sigwait(&signals_, &signal);
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return;
    signaled_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }

  sigset_t signals_;
  std::mutex mu_;
  grpc::ClientContext* context_ = nullptr;
  bool done_ = false;
  std::atomic<bool> signaled_{false};
  std::thread thread_;
};

int RunTail(const GlobalOptions& options, const ParsedArgs& args) {
  const Command command = TailCommand();
  if (!args.positional.empty()) return UsageError(command, "tail takes no arguments");
  if (args.Has("from") && args.Has("from-end")) {
    return UsageError(command, "give at most one of --from and --from-end");
  }
  haven::v1::SubscribeRequest request;
  if (auto from = args.Get("from")) {
    auto position = ParseUint64(*from);
    if (!position) return UsageError(command, "--from must be a position number");
    request.set_from_position(*position);
  }
  request.mutable_filter()->set_event_type_prefix(args.Get("type-prefix").value_or(""));
  request.mutable_filter()->set_stream_prefix(args.Get("stream-prefix").value_or(""));

  CancelOnSignal cancel_on_signal;
  auto stub = EventStore::NewStub(Connect(options));
  if (args.Has("from-end")) {
    haven::v1::ReadAllRequest head_request;
    head_request.set_limit(1);
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    haven::v1::ReadAllResponse head;
    const grpc::Status status = stub->ReadAll(&context, head_request, &head);
    if (!status.ok()) return ReportRpcError(status, context);
    request.set_from_position(head.head_position() + 1);
  }

  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/false, &context);
  cancel_on_signal.Watch(&context);
  if (cancel_on_signal.signaled()) return kExitOk;  // Ctrl-C before Watch().
  auto reader = stub->Subscribe(&context, request);
  EventPrinter printer(std::cout, options.json);
  uint64_t last_position = 0;
  haven::v1::SubscribeResponse response;
  while (reader->Read(&response)) {
    if (response.has_event()) {
      printer.Print(response.event());
      last_position = response.event().position();
    } else if (response.message_case() == haven::v1::SubscribeResponse::kCaughtUpAt &&
               !options.json) {
      std::cerr << "(caught up at position " << response.caught_up_at()
                << "; waiting for new events, Ctrl-C to stop)\n";
    }
  }
  const grpc::Status status = reader->Finish();
  cancel_on_signal.Watch(nullptr);
  if (cancel_on_signal.signaled()) return kExitOk;
  const int exit_code = ReportRpcError(status, context);
  if (last_position > 0) {
    std::cerr << "havenctl: resume with --from=" << last_position + 1 << '\n';
  }
  return exit_code;
}

}  // namespace

Command TailCommand() {
  return {
      "tail",
      "[--from=P | --from-end] [--type-prefix=T] [--stream-prefix=S]",
      "follow the log: history from a position, then live events",
      "Subscribes to the log and prints every event from position --from on:\n"
      "first the history, then new events as they are committed, until\n"
      "Ctrl-C (exit status 0).  When the server ends the subscription (e.g.\n"
      "UNAVAILABLE while shutting down), the error and the --from value to\n"
      "resume with are printed and the exit status is 1.",
      {
          {"from", "P", "first position (default: the start of the log)"},
          {"from-end", "", "only events committed from now on"},
          {"type-prefix", "T", "only events whose type starts with T, e.g. case."},
          {"stream-prefix", "S", "only events whose stream id starts with S"},
      },
      RunTail,
  };
}

}  // namespace haven::cli
