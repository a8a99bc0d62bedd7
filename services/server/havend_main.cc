// havend: serves the Haven event store until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <iostream>

#include "absl/synchronization/mutex.h"
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

}  // namespace

int main(int argc, char** argv) {
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
  auto server = haven::server::HavenServer::Start(config->listen, std::move(*stores));
  if (!server.ok()) {
    spdlog::critical("startup_failed reason=\"{}\"", std::string(server.status().message()));
    std::cerr << "havend: " << server.status().message() << "\n";
    return kCannotListen;
  }
  spdlog::info("server listening address={} port={} data_dir={}", config->listen,
               (*server)->port(), config->data_dir);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("server signal_received signal={}", strsignal(signal_number));
  (*server)->Shutdown(std::chrono::seconds(config->shutdown_grace_seconds));
  server->reset();
  spdlog::info("server exited status=0");
  return kOk;
}
