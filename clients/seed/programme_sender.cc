#include "seed/programme_sender.h"

#include <google/protobuf/descriptor.h>

#include <chrono>
#include <future>
#include <optional>
#include <vector>

#include "flag_reader.h"

namespace haven::seed {
namespace {

namespace pb = google::protobuf;

const pb::MethodDescriptor* MethodFor(const std::string& service, const ProgrammeStep& step) {
  const pb::ServiceDescriptor* s = pb::DescriptorPool::generated_pool()->FindServiceByName(service);
  return s == nullptr ? nullptr : s->FindMethodByName(ProgrammeRpcName(step));
}

}  // namespace

ProgrammeSender::ProgrammeSender(std::shared_ptr<grpc::Channel> channel, double timeout_seconds)
    : stub_(std::move(channel)), timeout_seconds_(timeout_seconds) {}

grpc::Status ProgrammeSender::Send(const std::string& service, const ProgrammeStep& step,
                                   std::optional<uint64_t> expected_version,
                                   ProgrammeAnswer* answer) {
  const pb::MethodDescriptor* method = MethodFor(service, step);
  if (method == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "no rpc " + service + "." + ProgrammeRpcName(step) + " in this build");
  }
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  std::unique_ptr<pb::Message> request(prototype->New());
  const pb::FieldDescriptor* id_field = method->input_type()->FindFieldByNumber(2);
  // A registration's request has no expected_version (field 3 reserved).
  const bool creates = method->input_type()->FindFieldByNumber(3) == nullptr;
  cli::FillCommandRequest(step.request_id, id_field->name(), step.aggregate_id,
                          creates ? std::nullopt : expected_version,
                          *step.command, request.get());

  grpc::ClientContext context;
  context.AddMetadata("haven-actor", step.actor);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000)));
  const std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer sent(&slice, 1), received;
  std::promise<grpc::Status> done;
  stub_.UnaryCall(&context, "/" + service + "/" + method->name(), grpc::StubOptions(), &sent,
                  &received, [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return status;

  std::vector<grpc::Slice> slices;
  std::string text;
  if (received.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  std::unique_ptr<pb::Message> response(
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
  const pb::FieldDescriptor* version = method->output_type()->FindFieldByName("version");
  const pb::FieldDescriptor* replayed = method->output_type()->FindFieldByName("replayed");
  if (!response->ParseFromString(text) || version == nullptr || replayed == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the answer of " + method->full_name() +
                                                        " does not parse as a CommandResponse");
  }
  answer->version = response->GetReflection()->GetUInt64(*response, version);
  answer->replayed = response->GetReflection()->GetBool(*response, replayed);
  return status;
}

}  // namespace haven::seed
