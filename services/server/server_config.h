// havend's settings: defaults, then a config file, then command-line flags.
#ifndef HAVEN_SERVICES_SERVER_SERVER_CONFIG_H_
#define HAVEN_SERVICES_SERVER_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace haven::server {

struct ServerConfig {
  // host:port to serve gRPC on; port 0 picks a free one.
  // Default: 127.0.0.1:7070 (loopback only).
  std::string listen = "127.0.0.1:7070";
  // Directory of the embedded RocksDB event log; created if missing.
  // Default: ./data
  std::string data_dir = "./data";
  // Log level: trace, debug, info, warn, error, critical, off.
  // Default: info
  std::string log_level = "info";
  // Directory of the TLS material (services/auth/tls_material.h).
  // Default: <data_dir>/tls (empty here means that).
  std::string tls_dir;
  // Plaintext, no authentication, nothing enforced: for tests and
  // benchmarks only; havend warns loudly.  Default: false
  bool insecure_plaintext = false;
  // The first admin's user id, registered on start while no user is (a
  // new data directory); ignored once anyone is.  Default: none
  std::string bootstrap_admin;
  // Seconds that in-flight calls get to finish on SIGTERM/SIGINT before
  // they are cancelled.
  // Default: 10
  int shutdown_grace_seconds = 10;
  // Set by --help.
  bool show_help = false;
};

// tls_dir, or <data_dir>/tls when it is empty.
std::string EffectiveTlsDir(const ServerConfig& config);

// The --help text: every flag and config key, with its default.
std::string ServerUsage();

// Parses `args` (argv without the program name).  --config=FILE reads
// "key = value" lines (keys as the flags, without the dashes; '#' starts a
// comment) before the other flags are applied, so flags win.  A boolean
// flag may stand alone (--insecure-plaintext) or take true/false.
// INVALID_ARGUMENT naming the flag or the file line on a bad setting.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& args);

}  // namespace haven::server

#endif  // HAVEN_SERVICES_SERVER_SERVER_CONFIG_H_
