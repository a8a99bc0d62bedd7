// havenctl health: the standard grpc.health.v1 check.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

int RunHealth(const GlobalOptions& options, const ParsedArgs& args) {
  if (!args.positional.empty()) {
    return UsageError(HealthCommand(), "health takes no arguments");
  }
  HealthCheckRequest request;
  request.set_service(args.Get("service").value_or(""));
  auto stub = Health::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);

  const std::string name = HealthCheckResponse::ServingStatus_Name(response.status());
  if (options.json) {
    std::cout << DumpJsonLine({{"service", request.service()}, {"status", name}}) << std::endl;
  } else {
    std::cout << name << std::endl;
  }
  return response.status() == HealthCheckResponse::SERVING ? kExitOk : kExitFailure;
}

}  // namespace

Command HealthCommand() {
  return {
      "health",
      "[--service=NAME]",
      "check whether the server is serving",
      "Calls the standard gRPC health check (grpc.health.v1.Health/Check) and\n"
      "prints SERVING, NOT_SERVING or UNKNOWN.  Exit status 0 only when\n"
      "SERVING.  A server without the health service answers UNIMPLEMENTED.",
      {
          {"service", "NAME",
           "service to check, e.g. haven.v1.EventStore (default: the whole\nserver)"},
      },
      RunHealth,
  };
}

}  // namespace haven::cli
