// havend: serves the Haven event store until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/auth/issue_token_command.h"
#include "services/auth/tls_material.h"
#include "services/server/server.h"
#include "services/server/server_config.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "storage/event_log.h"

namespace {

enum ExitCode { kOk = 0, kBadSetting = 2, kCannotOpenData = 3, kCannotListen = 4 };

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("havend");
  spdlog::set_default_logger(logger);
  // One line per event: UTC time, level, then key=value fields.
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

// TLS with client certificates and tokens, or --insecure-plaintext.  Exits
// kBadSetting with what to do when the TLS material is missing or bad.
std::optional<haven::server::ServerSecurity> MakeSecurity(
    const haven::server::ServerConfig& config) {
  if (config.insecure_plaintext) {
    spdlog::warn(
        "SECURITY_WARNING insecure_plaintext=true: no TLS, no authentication, no authorisation; "
        "anyone who can reach {} can read and change every case. For tests and benchmarks "
        "only.",
        config.listen);
    return haven::server::ServerSecurity::Development();
  }
  const std::string tls_dir = haven::server::EffectiveTlsDir(config);
  auto material = haven::auth::LoadTlsMaterial(tls_dir, absl::Now());
  if (material.status().code() == absl::StatusCode::kNotFound) {
    std::cerr << "havend: no TLS material: " << material.status().message() << ".\n"
              << "  For development make it with:  deploy/make-dev-certs.sh " << tls_dir << "\n"
              << "  (deploy/serve.sh does that by itself); for production see docs/security.md.\n"
              << "  Without TLS and authentication (tests only): havend --insecure-plaintext\n";
    return std::nullopt;
  }
  if (!material.ok()) {
    std::cerr << "havend: bad TLS material: " << material.status().message()
              << "\n(see docs/security.md)\n";
    return std::nullopt;
  }
  spdlog::info("tls dir={} client_certificates=requested bearer_tokens={} token_keys={} "
               "server_certificate_expires={}",
               tls_dir, material->token_keys.empty() ? "refused" : "accepted",
               material->token_keys.keys().size(),
               absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", material->server_cert_expires,
                                absl::UTCTimeZone()));
  if (material->server_cert_expires < absl::Now() + absl::Hours(24 * 30)) {
    spdlog::warn("tls server_certificate_expires_soon expires={}",
                 absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", material->server_cert_expires,
                                  absl::UTCTimeZone()));
  }
  haven::server::ServerSecurity security{haven::auth::MakeServerCredentials(*material), true};
  security.bootstrap_admin = config.bootstrap_admin;
  return security;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "issue-token") {
    return haven::auth::IssueTokenMain({argv + 2, argv + argc}, absl::Now(), std::cout, std::cerr);
  }
  auto config = haven::server::ParseServerConfig({argv + 1, argv + argc});
  if (!config.ok()) {
    std::cerr << "havend: " << config.status().message() << "\n(see havend --help)\n";
    return kBadSetting;
  }
  if (config->show_help) {
    std::cout << haven::server::ServerUsage();
    return kOk;
  }
  SetUpLogging(config->log_level);
  // Debian's Abseil checks every absl::Mutex (gRPC's locks) for lock-order
  // cycles, which costs several percent of the append path's CPU.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  std::optional<haven::server::ServerSecurity> security = MakeSecurity(*config);
  if (!security) return kBadSetting;

  // Block the stop signals in every thread (threads inherit the mask), so
  // that only the sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto stores = haven::server::ServerStores::Open(config->data_dir);
  if (!stores.ok()) {
    spdlog::critical("startup_failed reason=\"{}\"", std::string(stores.status().message()));
    std::cerr << "havend: cannot open data directory " << config->data_dir << ": "
              << stores.status().message() << "\n";
    return kCannotOpenData;
  }
  auto server =
      haven::server::HavenServer::Start(config->listen, std::move(*stores), *std::move(security));
  if (!server.ok()) {
    spdlog::critical("startup_failed reason=\"{}\"", std::string(server.status().message()));
    std::cerr << "havend: " << server.status().message() << "\n";
    return kCannotListen;
  }
  spdlog::info("server listening address={} port={} data_dir={} transport={}", config->listen,
               (*server)->port(), config->data_dir,
               config->insecure_plaintext ? "plaintext" : "tls");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("server signal_received signal={}", strsignal(signal_number));
  (*server)->Shutdown(std::chrono::seconds(config->shutdown_grace_seconds));
  server->reset();
  spdlog::info("server exited status=0");
  return kOk;
}
