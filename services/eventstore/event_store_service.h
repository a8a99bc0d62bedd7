// The haven.v1.EventStore gRPC service: validates requests, stamps the actor,
// and hands them to the event log.  Its rpcs expose and write every stream,
// so in enforced mode only the system role may call them (rule
// raw_event_store, services/access/RULES.md); a subscription is authorised
// when it starts.  Append uses the callback API, so an
// append waiting for its group commit holds no thread; reads and
// subscriptions are synchronous, and a subscription's blocking Write is its
// back-pressure.
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the service.
#ifndef HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_
#define HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include "haven/v1/event_store.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "storage/event_log.h"

namespace haven::services {

class EventStoreService final
    : public v1::EventStore::WithCallbackMethod_Append<v1::EventStore::Service> {
 public:
  // `authoriser` decides who may call (Development(): everyone).
  explicit EventStoreService(
      storage::EventLog& log,
      std::shared_ptr<access::Authoriser> authoriser = access::Authoriser::Development())
      : log_(log), authoriser_(std::move(authoriser)) {}

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                   const v1::AppendRequest* request,
                                   v1::AppendResponse* response) override;
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
  storage::EventLog& log_;
  const std::shared_ptr<access::Authoriser> authoriser_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_EVENTSTORE_EVENT_STORE_SERVICE_H_
