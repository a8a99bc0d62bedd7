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

grpc::ServerUnaryReactor* EventStoreService::Append(grpc::CallbackServerContext* context,
                                                    const v1::AppendRequest* request,
                                                    v1::AppendResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto caller = authoriser_->Authorize(*context, access::Permission::kRawEventStore);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  auto expected = FromProto(request->expected_version());
  if (!expected.ok()) {
    reactor->Finish(ToGrpcStatus(expected.status()));
    return reactor;
  }
  log_.AppendAsync(
      request->stream_id(), *expected, FromProto(request->events(), caller->user_id),
      [context, reactor, response](absl::StatusOr<storage::AppendResult> result) {
        if (!result.ok()) {
          reactor->Finish(ToGrpcStatus(result.status(), *context));
          return;
        }
        response->set_first_version(result->first_version);
        response->set_last_version(result->last_version);
        response->set_first_position(result->first_position);
        response->set_last_position(result->last_position);
        response->set_replayed(result->replayed);
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
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
