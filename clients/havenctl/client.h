// Connection settings shared by every command, and the pieces every RPC
// needs: the channel, a prepared ClientContext, and error reporting.
#ifndef HAVEN_CLIENTS_HAVENCTL_CLIENT_H_
#define HAVEN_CLIENTS_HAVENCTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "flags.h"

namespace haven::cli {

struct GlobalOptions {
  std::string server = "127.0.0.1:7070";
  std::string actor;  // Filled by ApplyGlobalFlags.
  bool json = false;
  double timeout_seconds = 10;
};

// --server, --actor, --json, --timeout and --help.
const std::vector<FlagSpec>& GlobalFlagSpecs();

// Copies the global flags found in `args` into `options`, leaving the others
// untouched, and picks the default actor when none is set.  Returns an error
// message, or "" on success.
std::string ApplyGlobalFlags(const ParsedArgs& args, GlobalOptions* options);

// $USER if set and usable as gRPC metadata, else "havenctl".
std::string DefaultActor();

// An insecure channel to options.server that accepts responses of any size
// (a page may hold many events of up to 1 MiB each).
std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options);

// Adds the "haven-actor" metadata and, when `with_deadline`, a deadline of
// options.timeout_seconds from now.
void PrepareContext(const GlobalOptions& options, bool with_deadline, grpc::ClientContext* context);

// "OK", "CANCELLED", ..., "UNAUTHENTICATED".
const char* StatusCodeName(grpc::StatusCode code);

// Prints "havenctl: <CODE>: <message>" to stderr, plus the stream's current
// version from the trailing metadata for ABORTED.  Returns kExitFailure.
int ReportRpcError(const grpc::Status& status, const grpc::ClientContext& context);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_CLIENT_H_
