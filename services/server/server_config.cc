#include "services/server/server_config.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace haven::server {
namespace {

absl::Status Apply(const std::string& key, const std::string& value, const std::string& where,
                   ServerConfig* config) {
  if (key == "listen") {
    if (value.find(':') == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": listen must be host:port"));
    }
    config->listen = value;
  } else if (key == "data-dir") {
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": data-dir is empty"));
    config->data_dir = value;
  } else if (key == "log-level") {
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    bool known = false;
    for (const char* l : kLevels) known |= value == l;
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": log-level must be trace, debug, info, warn, error, critical or off"));
    }
    config->log_level = value;
  } else if (key == "tls-dir") {
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": tls-dir is empty"));
    config->tls_dir = value;
  } else if (key == "insecure-plaintext") {
    if (value != "true" && value != "false") {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": insecure-plaintext must be true or false"));
    }
    config->insecure_plaintext = value == "true";
  } else if (key == "bootstrap-admin") {
    if (value.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": bootstrap-admin is empty"));
    }
    config->bootstrap_admin = value;
  } else if (key == "shutdown-grace-seconds") {
    int seconds;
    if (!absl::SimpleAtoi(value, &seconds) || seconds < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": shutdown-grace-seconds must be a whole number >= 0"));
    }
    config->shutdown_grace_seconds = seconds;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": unknown setting \"", key, "\" (see --help)"));
  }
  return absl::OkStatus();
}

absl::Status ReadConfigFile(const std::string& path, ServerConfig* config) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("--config: cannot read ", path));
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty()) continue;
    auto eq = text.find('=');
    const std::string where = absl::StrCat(path, ":", number);
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": expected key = value"));
    }
    std::string key(absl::StripAsciiWhitespace(text.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(text.substr(eq + 1)));
    if (auto s = Apply(key, value, where, config); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

std::string EffectiveTlsDir(const ServerConfig& config) {
  return config.tls_dir.empty() ? config.data_dir + "/tls" : config.tls_dir;
}

std::string ServerUsage() {
  return R"(havend: the Haven event store server (gRPC over an embedded RocksDB log).

Usage: havend [--config=FILE] [--listen=HOST:PORT] [--data-dir=DIR]
              [--tls-dir=DIR | --insecure-plaintext] [--bootstrap-admin=USER_ID]
              [--log-level=LEVEL] [--shutdown-grace-seconds=N]
       havend issue-token --user=USER_ID [--ttl=DURATION] [--tls-dir=DIR]

  --config=FILE                 read settings from FILE first: "key = value" lines,
                                keys as the flags below without "--"; flags given
                                on the command line win. Example: deploy/havend.conf
  --listen=HOST:PORT            address to serve gRPC on; port 0 picks a free port.
                                Default: 127.0.0.1:7070 (loopback only)
  --data-dir=DIR                directory of the RocksDB event log, created if
                                missing; one havend per directory. Default: ./data
  --tls-dir=DIR                 TLS material: ca.crt (trusted client CAs),
                                server.crt and server.key, token-signing.key
                                (docs/security.md). Clients authenticate with a
                                certificate (SAN URI haven:user/<id>) or a bearer
                                token. Make a development set with
                                deploy/make-dev-certs.sh. Default: <data-dir>/tls
  --insecure-plaintext          no TLS, no authentication, nothing enforced: for
                                tests and benchmarks only (warns at start)
  --bootstrap-admin=USER_ID      on a data directory with no user yet, register
                                USER_ID as the first admin (who then registers
                                the others); ignored once anyone is registered.
                                deploy/serve.sh passes dev-admin with development
                                certificates. Default: none
  --log-level=LEVEL             trace, debug, info, warn, error, critical or off.
                                Logs go to stderr, one line per event. Default: info
  --shutdown-grace-seconds=N    on SIGTERM/SIGINT, seconds in-flight calls get to
                                finish before they are cancelled. Default: 10
  --help                        show this text

"havend issue-token --help" explains tokens.

Serves haven.v1.EventStore, grpc.health.v1.Health and server reflection.
Exit status: 0 after a clean shutdown, 2 on a bad setting (TLS material
missing or bad included), 3 if the data
directory cannot be opened (e.g. another havend holds it), 4 if the address
cannot be bound.
)";
}

absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& args) {
  ServerConfig config;
  for (const std::string& arg : args) {  // The config file first, so flags override it.
    if (arg.rfind("--config=", 0) == 0) {
      if (auto s = ReadConfigFile(arg.substr(9), &config); !s.ok()) return s;
    }
  }
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      config.show_help = true;
      continue;
    }
    if (arg == "--insecure-plaintext") {
      config.insecure_plaintext = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg.find('=') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\"; flags take the form --name=value"));
    }
    auto eq = arg.find('=');
    std::string key = arg.substr(2, eq - 2);
    if (key == "config") continue;
    if (auto s = Apply(key, arg.substr(eq + 1), "--" + key, &config); !s.ok()) return s;
  }
  return config;
}

}  // namespace haven::server
