#include "services/eventstore/event_store_service.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/eventstore/proto_convert.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"
#include "storage/subscription.h"
#include "storage/validation.h"

namespace haven::services {
namespace {

constexpr size_t kSubscribeBatch = 256;
constexpr auto kSubscribePoll = std::chrono::milliseconds(500);

}  // namespace

// One Append call, from its request to its answer.  The same object is the
// tag of both completion-queue events: `answered` tells them apart.
struct EventStoreService::AppendCall {
  explicit AppendCall(EventStoreService& service) : service(service), responder(&context) {}

  EventStoreService& service;
  grpc::ServerContext context;
  v1::AppendRequest request;
  v1::AppendResponse response;
  grpc::ServerAsyncResponseWriter<v1::AppendResponse> responder;
  bool answered = false;

  void Answer(const grpc::Status& status) {
    answered = true;
    responder.Finish(response, status, this);
  }
};

void EventStoreService::StartAppends(std::unique_ptr<grpc::ServerCompletionQueue> cq,
                                     int threads) {
  append_queue_ = std::move(cq);
  {
    std::lock_guard<std::mutex> lock(calls_mu_);
    accepting_appends_ = true;
  }
  // One call waiting per thread, so that a burst is matched without delay.
  for (int i = 0; i < threads; ++i) AwaitNextAppend();
  for (int i = 0; i < threads; ++i) append_threads_.emplace_back([this] { DrainAppends(); });
}

void EventStoreService::StopAppends() {
  if (append_queue_ == nullptr) return;
  {
    std::unique_lock<std::mutex> lock(calls_mu_);
    accepting_appends_ = false;
    calls_released_.wait(lock, [this] { return live_calls_ == 0; });
  }
  append_queue_->Shutdown();
  for (std::thread& thread : append_threads_) thread.join();
  append_threads_.clear();
  append_queue_.reset();
}

void EventStoreService::AwaitNextAppend() {
  std::lock_guard<std::mutex> lock(calls_mu_);
  if (!accepting_appends_) return;
  ++live_calls_;
  auto* call = new AppendCall(*this);
  RequestAppend(&call->context, &call->request, &call->responder, append_queue_.get(),
                append_queue_.get(), call);
}

void EventStoreService::Release(AppendCall* call) {
  delete call;
  std::lock_guard<std::mutex> lock(calls_mu_);
  if (--live_calls_ == 0) calls_released_.notify_all();
}

void EventStoreService::DrainAppends() {
  void* tag;
  bool ok;
  while (append_queue_->Next(&tag, &ok)) {
    auto* call = static_cast<AppendCall*>(tag);
    // Answered, or a request the server dropped at shutdown.
    if (call->answered || !ok) {
      Release(call);
      continue;
    }
    AwaitNextAppend();
    Serve(call);
  }
}

void EventStoreService::Serve(AppendCall* call) {
  auto caller = authoriser_->Authorize(call->context, access::Permission::kRawEventStore);
  if (!caller.ok()) return call->Answer(ToGrpcStatus(caller.status()));
  auto expected = FromProto(call->request.expected_version());
  if (!expected.ok()) return call->Answer(ToGrpcStatus(expected.status()));
  log_.AppendAsync(call->request.stream_id(), *expected,
                   FromProto(call->request.events(), caller->user_id),
                   [call](absl::StatusOr<storage::AppendResult> result) {
                     if (!result.ok()) {
                       return call->Answer(ToGrpcStatus(result.status(), call->context));
                     }
                     v1::AppendResponse& response = call->response;
                     response.set_first_version(result->first_version);
                     response.set_last_version(result->last_version);
                     response.set_first_position(result->first_position);
                     response.set_last_position(result->last_position);
                     response.set_replayed(result->replayed);
                     call->Answer(grpc::Status::OK);
                   });
}

grpc::Status EventStoreService::ReadStream(grpc::ServerContext* context,
                                           const v1::ReadStreamRequest* request,
                                           v1::ReadStreamResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kRawEventStore);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto limit = PageLimit(request->limit());
  if (!limit.ok()) return ToGrpcStatus(limit.status());
  const bool backwards = request->direction() == v1::BACKWARDS;
  if (request->direction() != v1::DIRECTION_UNSPECIFIED && request->direction() != v1::FORWARDS &&
      !backwards) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "direction: must be FORWARDS or BACKWARDS");
  }
  if (request->from_end() && !backwards) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "from_end: only allowed with direction BACKWARDS");
  }
  const uint64_t from = request->from_end() ? UINT64_MAX : request->from_version();
  auto page = log_.ReadStream(request->stream_id(), from,
                              backwards ? storage::Direction::kBackwards
                                        : storage::Direction::kForwards,
                              *limit);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (auto& e : page->events) ToProto(std::move(e), response->add_events());
  if (page->has_next) response->set_next_version(page->next_version);
  response->set_last_version(page->last_version);
  return grpc::Status::OK;
}

grpc::Status EventStoreService::ReadAll(grpc::ServerContext* context,
                                        const v1::ReadAllRequest* request,
                                        v1::ReadAllResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kRawEventStore);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto limit = PageLimit(request->limit());
  if (!limit.ok()) return ToGrpcStatus(limit.status());
  auto page = log_.ReadAll(request->from_position(), *limit, FromProto(request->filter()));
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (auto& e : page->events) ToProto(std::move(e), response->add_events());
  response->set_next_position(page->next_position);
  response->set_head_position(page->head_position);
  return grpc::Status::OK;
}

grpc::Status EventStoreService::Subscribe(grpc::ServerContext* context,
                                          const v1::SubscribeRequest* request,
                                          grpc::ServerWriter<v1::SubscribeResponse>* writer) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kRawEventStore);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  storage::Subscription subscription(log_, request->from_position(),
                                     FromProto(request->filter()));
  spdlog::info("subscription started peer={} from_position={}", context->peer(),
               subscription.next_position());
  bool announced_caught_up = false;
  v1::SubscribeResponse message;
  while (true) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    if (shutting_down_.load()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("server shutting down; resubscribe from position ",
                                       subscription.next_position()));
    }
    auto events =
        subscription.Next(kSubscribeBatch, std::chrono::steady_clock::now() + kSubscribePoll);
    if (!events.ok()) return ToGrpcStatus(events.status());
    for (auto& e : *events) {
      ToProto(std::move(e), message.mutable_event());
      if (!writer->Write(message)) return grpc::Status::CANCELLED;  // Client went away.
    }
    if (subscription.caught_up() && !announced_caught_up) {
      message.set_caught_up_at(subscription.next_position() - 1);
      if (!writer->Write(message)) return grpc::Status::CANCELLED;
      announced_caught_up = true;
    }
  }
}

}  // namespace haven::services
