// Connection settings shared by every command, and the pieces every RPC
// needs: the channel, a prepared ClientContext, and error reporting.
#ifndef HAVEN_CLIENTS_HAVENCTL_CLIENT_H_
#define HAVEN_CLIENTS_HAVENCTL_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flags.h"

namespace haven::cli {

// Where havenctl looks for credentials when none are given: the
// development TLS directory deploy/serve.sh makes, and the user whose
// certificate it presents from there.
inline constexpr char kDefaultTlsDir[] = "./data/tls";
inline constexpr char kDefaultDevUser[] = "dev-operator";

struct GlobalOptions {
  std::string server = "127.0.0.1:7070";
  std::string actor;  // Filled by ApplyGlobalFlags.
  bool json = false;
  double timeout_seconds = 10;

  // Credentials as given (flags, profile); ResolveCredentials fills the PEMs.
  bool plaintext = false;
  std::string tls_dir;      // Default kDefaultTlsDir.
  std::string ca_file;      // Default <tls_dir>/ca.crt.
  std::string cert_file;    // With key_file: a client certificate.
  std::string key_file;
  std::string as_user;      // <tls_dir>/users/<as_user>.crt and .key.
  std::string token;        // A bearer token, or @FILE holding one.
  std::string server_name;  // The name the server's certificate must carry.
  // Why personal data is read (case show, history): sent as haven-purpose
  // and recorded in the access log.
  std::string purpose;

  std::string ca_pem, cert_pem, key_pem;  // Filled by ResolveCredentials.
};

// --server, --actor, --json, --timeout, the credential flags, --profile and
// --help.
const std::vector<FlagSpec>& GlobalFlagSpecs();

// Copies the global flags found in `args` into `options`, leaving the others
// untouched, and picks the default actor when none is set.  Returns an error
// message, or "" on success.
std::string ApplyGlobalFlags(const ParsedArgs& args, GlobalOptions* options);

// The profile file to read: `flag` if given, else $HAVEN_PROFILE, else
// ~/.config/haven/profile if it exists; "" for none.
std::string ProfilePath(const std::optional<std::string>& flag);

// Reads "key = value" lines ('#' starts a comment) into `options`: keys are
// the global flags' names (server, actor, timeout, ca, cert, key, token, as,
// tls-dir, server-name, plaintext = true|false).  Returns an error message
// naming the file and line, or "".
std::string LoadProfile(const std::string& path, GlobalOptions* options);

// Decides the credentials and reads their files: --plaintext; else TLS
// trusting --ca (default <tls-dir>/ca.crt), presenting --cert/--key, or the
// development certificate of --as, or, with neither nor --token, of
// kDefaultDevUser when <tls-dir> holds it; plus --token.  Returns an error
// message saying what is missing and how to get it, or "".
std::string ResolveCredentials(GlobalOptions* options);

// $USER if set and usable as gRPC metadata, else "havenctl".
std::string DefaultActor();

// A channel to options.server with the resolved credentials (TLS, or
// plaintext with --plaintext; a token goes with every call) that accepts
// responses of any size (a page may hold many events of up to 1 MiB each).
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
