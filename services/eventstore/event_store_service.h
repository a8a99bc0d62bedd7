// The haven.v1.EventStore gRPC service: validates requests, stamps the actor,
// and hands them to the event log.  Its rpcs expose and write every stream,
// so in enforced mode only the system role may call them (rule
// raw_event_store, services/access/RULES.md); a subscription is authorised
// when it starts.  Append uses the asynchronous (completion-queue) API, so an
// append waiting for its group commit holds no thread; reads and
// subscriptions are synchronous, and a subscription's blocking Write is its
// back-pressure.
//
// Not the callback API: in gRPC 1.51 a server with any callback method stalls
// its synchronous calls about 100 ms once a second (docs/benchmarks.md,
// "Queries"); a completion queue drained by our own threads does not.
//
// Thread safety: all methods may be called concurrently, but StartAppends and
// StopAppends from one thread.  The log must outlive the service.
#ifndef HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_
#define HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "grpcpp/server_context.h"

#include "haven/v1/event_store.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "storage/event_log.h"

namespace haven::services {

class EventStoreService final
    : public v1::EventStore::WithAsyncMethod_Append<v1::EventStore::Service> {
 public:
  // `authoriser` decides who may call (Development(): everyone).
  explicit EventStoreService(
      storage::EventLog& log,
      std::shared_ptr<access::Authoriser> authoriser = access::Authoriser::Development())
      : log_(log), authoriser_(std::move(authoriser)) {}

  ~EventStoreService() override { StopAppends(); }

  // Serves Append from `cq`, which was added to the builder this service
  // was registered with, on `threads` threads.  Call once the server has
  // started.
  void StartAppends(std::unique_ptr<grpc::ServerCompletionQueue> cq, int threads);
  // Call after the server's Shutdown: waits until every append taken has
  // been answered, then shuts the queue down and joins its threads.
  // Idempotent.
  void StopAppends();

  grpc::Status ReadStream(grpc::ServerContext* context, const v1::ReadStreamRequest* request,
                          v1::ReadStreamResponse* response) override;
  grpc::Status ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                       v1::ReadAllResponse* response) override;
  grpc::Status Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                         grpc::ServerWriter<v1::SubscribeResponse>* writer) override;

  // Ends open subscriptions with UNAVAILABLE (within about half a second) and
  // refuses new ones, so that the server can shut down.
  void BeginShutdown() { shutting_down_.store(true); }

 private:
  struct AppendCall;

  // Asks the server for the next Append call, unless StopAppends has begun.
  void AwaitNextAppend();
  // Runs one Append: authorises, validates and hands it to the log, whose
  // completion answers it.
  void Serve(AppendCall* call);
  // Drains the queue until it is shut down.
  void DrainAppends();
  // A call is done with: `call` is deleted.
  void Release(AppendCall* call);

  storage::EventLog& log_;
  const std::shared_ptr<access::Authoriser> authoriser_;
  std::atomic<bool> shutting_down_{false};

  std::unique_ptr<grpc::ServerCompletionQueue> append_queue_;
  std::vector<std::thread> append_threads_;
  std::mutex calls_mu_;
  std::condition_variable calls_released_;
  bool accepting_appends_ = false;  // GUARDED_BY(calls_mu_)
  // Calls requested or in flight; the queue is shut down only at zero, so
  // no tag can reach it afterwards.  GUARDED_BY(calls_mu_)
  size_t live_calls_ = 0;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_
