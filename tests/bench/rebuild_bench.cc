// Rebuild benchmark: how fast each of havend's projections, and all of them
// together, replay an event log into empty read models.  Offline (no
// server): it opens the log in --data-dir, and for each run a fresh read
// model store under --work-dir, starts a ProjectionRunner over the
// projections of that run and times it from Start until every checkpoint
// reaches the log's head.  Prints one line per run:
//   rebuild projection=<name|all> events=<head> seconds=<s> events_per_s=<r>
// Run it on a copy of a seeded log (tests/bench/queries.sh keeps one).
// --batch-events and --fold-threads set the runner's rebuild_batch_events
// and fold_threads (default: its own).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench_common.h"
#include "services/server/server.h"
#include "spdlog/spdlog.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::bench {
namespace {

using Projections = std::vector<std::unique_ptr<storage::Projection>>;

// Replays the whole log into `projections` over a new store in `dir`;
// returns the seconds it took, or a negative number on failure.
double Replay(const storage::EventLog& log, const std::string& dir, Projections projections,
              const storage::ProjectionRunnerOptions& options) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = storage::ReadModelStore::Open(dir);
  if (!store.ok()) {
    std::fprintf(stderr, "rebuild_bench: %s\n", store.status().ToString().c_str());
    return -1;
  }
  auto runner = storage::ProjectionRunner::Create(log, **store, std::move(projections), options);
  if (!runner.ok()) {
    std::fprintf(stderr, "rebuild_bench: %s\n", runner.status().ToString().c_str());
    return -1;
  }
  const Clock::time_point start = Clock::now();
  if (auto s = (*runner)->Start(); !s.ok()) return -1;
  absl::Status reached =
      (*runner)->WaitForPosition(log.HeadPosition(), Clock::now() + std::chrono::hours(1));
  const double seconds = NanosSince(start, Clock::now()) / 1e9;
  (*runner)->Stop();
  runner->reset();
  store->reset();
  std::filesystem::remove_all(dir);
  if (!reached.ok()) {
    std::fprintf(stderr, "rebuild_bench: %s\n", reached.ToString().c_str());
    return -1;
  }
  return seconds;
}

void Report(const std::string& name, uint64_t events, double seconds) {
  std::printf("rebuild projection=%s events=%llu seconds=%.3f events_per_s=%.0f\n", name.c_str(),
              static_cast<unsigned long long>(events), seconds, events / seconds);
  std::fflush(stdout);
}

int Main(int argc, char** argv) {
  Flags flags(argc, argv,
              {{"data-dir", ""},
               {"work-dir", ""},
               {"only", ""},
               {"each", "true"},
               {"batch-events", "0"},
               {"fold-threads", "0"}});
  if (flags.Str("data-dir").empty() || flags.Str("work-dir").empty()) {
    Flags::Die(argv[0], "--data-dir (a seeded log) and --work-dir are required");
  }
  spdlog::set_level(spdlog::level::warn);
  storage::Options options;
  options.data_dir = flags.Str("data-dir");
  auto log = storage::EventLog::Open(options);
  if (!log.ok()) Flags::Die(argv[0], log.status().ToString());
  const uint64_t events = (*log)->HeadPosition();
  const std::string dir = flags.Str("work-dir") + "/read-models";
  storage::ProjectionRunnerOptions runner_options;
  if (flags.Int("batch-events") > 0) {
    runner_options.rebuild_batch_events = static_cast<size_t>(flags.Int("batch-events"));
  }
  runner_options.fold_threads = static_cast<size_t>(flags.Int("fold-threads"));
  if (flags.Bool("each")) {
    const size_t count = server::MakeReadModelProjections().size();
    for (size_t i = 0; i < count; ++i) {
      Projections all = server::MakeReadModelProjections();
      const std::string name = all[i]->name();
      if (!flags.Str("only").empty() && name != flags.Str("only")) continue;
      Projections one;
      one.push_back(std::move(all[i]));
      const double seconds = Replay(**log, dir, std::move(one), runner_options);
      if (seconds < 0) return 1;
      Report(name, events, seconds);
    }
  }
  if (flags.Str("only").empty()) {
    const double seconds = Replay(**log, dir, server::MakeReadModelProjections(), runner_options);
    if (seconds < 0) return 1;
    Report("all", events, seconds);
  }
  return 0;
}

}  // namespace
}  // namespace haven::bench

int main(int argc, char** argv) { return haven::bench::Main(argc, argv); }
