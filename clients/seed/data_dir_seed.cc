#include "seed/data_dir_seed.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "services/server/server.h"
#include "storage/clock.h"

namespace haven::seed {

SeedResult SeedDataDir(const std::string& data_dir, SeedOptions options,
                       const DirectoryPlan& directory, const CaseGenerator& generator,
                       const std::vector<ProgrammePlan>& programmes) {
  using SteadyClock = std::chrono::steady_clock;
  const auto start = SteadyClock::now();
  const auto seconds_since = [](SteadyClock::time_point t) {
    return std::chrono::duration<double>(SteadyClock::now() - t).count();
  };
  SeedResult failed;
  failed.fatal = true;
  if (generator.history_days() <= 0) {
    std::fprintf(stderr, "haven_seed: seeding a data directory needs a history (--history-days)\n");
    return failed;
  }
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    std::fprintf(stderr, "haven_seed: cannot create %s: %s\n", data_dir.c_str(),
                 error.message().c_str());
    return failed;
  }
  auto clock = std::make_shared<storage::ManualClock>(generator.HistoryStartUs());
  auto stores = server::ServerStores::Open(data_dir, clock);
  if (!stores.ok()) {
    std::fprintf(stderr, "haven_seed: cannot open %s (is a havend serving it?): %s\n",
                 data_dir.c_str(), stores.status().ToString().c_str());
    return failed;
  }
  auto haven = server::HavenServer::Start("127.0.0.1:0", std::move(*stores));
  if (!haven.ok()) {
    std::fprintf(stderr, "haven_seed: cannot serve %s in-process: %s\n", data_dir.c_str(),
                 haven.status().ToString().c_str());
    return failed;
  }
  options.server = "127.0.0.1:" + std::to_string((*haven)->port());
  SeedResult result = RunSeedAlongHistory(options, directory, generator, programmes,
                                          [&clock](int64_t now_us) { clock->Set(now_us); });

  const auto catch_up = SteadyClock::now();
  const uint64_t head = (*haven)->log().HeadPosition();
  const auto status =
      (*haven)->projections().WaitForPosition(head, catch_up + std::chrono::minutes(30));
  if (status.ok()) {
    std::fprintf(stderr,
                 "haven_seed: projections caught up with the log (position %llu) in %.1f s\n",
                 static_cast<unsigned long long>(head), seconds_since(catch_up));
  } else {
    std::fprintf(stderr,
                 "haven_seed: projections did not catch up (%s); havend will continue them\n",
                 status.ToString().c_str());
  }
  (*haven)->Shutdown(std::chrono::seconds(5));
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace haven::seed
