#include "client.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "command.h"

namespace haven::cli {
namespace {

// gRPC only allows printable ASCII in non-binary metadata values.
bool IsValidMetadataValue(const std::string& value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"server", "HOST:PORT", "havend address (default 127.0.0.1:7070)"},
      {"actor", "NAME",
       "who is acting, recorded on appended events\n"
       "(default $USER, else havenctl; printable ASCII)"},
      {"json", "", "print one JSON object per line instead of a table"},
      {"timeout", "SECONDS", "deadline for each request (default 10; tail has none)"},
      {"help", "", "show help"},
  };
  return kSpecs;
}

std::string DefaultActor() {
  const char* user = std::getenv("USER");
  if (user != nullptr && IsValidMetadataValue(user)) return user;
  return "havenctl";
}

std::string ApplyGlobalFlags(const ParsedArgs& args, GlobalOptions* options) {
  if (auto server = args.Get("server")) {
    if (server->empty()) return "--server must not be empty";
    options->server = *server;
  }
  if (auto actor = args.Get("actor")) {
    if (actor->empty()) return "--actor must not be empty";
    options->actor = *actor;
  }
  if (args.Has("json")) options->json = true;
  if (auto timeout = args.Get("timeout")) {
    auto seconds = ParseSeconds(*timeout);
    if (!seconds) return "--timeout must be a positive number of seconds";
    options->timeout_seconds = *seconds;
  }
  if (options->actor.empty()) options->actor = DefaultActor();
  return "";
}

std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), arguments);
}

void PrepareContext(const GlobalOptions& options, bool with_deadline,
                    grpc::ClientContext* context) {
  // Plain metadata must be printable ASCII; a Chinese name travels in the
  // binary header, which gRPC base64-encodes on the wire.
  context->AddMetadata(IsValidMetadataValue(options.actor) ? "haven-actor" : "haven-actor-bin",
                       options.actor);
  if (with_deadline) {
    const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::duration<double>(options.timeout_seconds));
    context->set_deadline(std::chrono::system_clock::now() + timeout);
  }
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

int ReportRpcError(const grpc::Status& status, const grpc::ClientContext& context) {
  std::cerr << "havenctl: " << StatusCodeName(status.error_code()) << ": " << status.error_message()
            << '\n';
  if (status.error_code() == grpc::StatusCode::ABORTED) {
    const auto& trailers = context.GetServerTrailingMetadata();
    auto it = trailers.find("haven-current-version");
    if (it != trailers.end()) {
      std::cerr << "havenctl: haven-current-version: "
                << std::string(it->second.data(), it->second.size()) << '\n';
    }
  }
  return kExitFailure;
}

}  // namespace haven::cli
