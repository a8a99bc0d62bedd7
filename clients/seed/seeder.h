// Sends a generated directory and cases to a running havend: the directory
// one unit at a time (one aggregate), then the cases from many threads, each
// thread owning whole cases so that a case's commands go in order with the
// right expected version.  Along a history, the programme stories (loans,
// children, micro-homes, projects) go with the cases, each owned by one
// thread the same way.  Every request id is derived from the seed, so a
// second run over the same data is answered from the first (nothing is
// written twice) and an interrupted run can simply be started again.
#ifndef HAVEN_CLIENTS_SEED_SEEDER_H_
#define HAVEN_CLIENTS_SEED_SEEDER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seed/case_plan.h"
#include "seed/directory_plan.h"
#include "seed/programme_plan.h"

namespace haven::seed {

struct SeedOptions {
  std::string server = "127.0.0.1:7070";  // havend's address.
  uint64_t cases = 100000;
  uint64_t first_case = 1;  // Case indices first_case .. first_case + cases - 1.
  int concurrency = 64;
  int channels = 4;             // Connections to spread the threads over.
  double progress_seconds = 5;  // 0: no progress lines.
  double rpc_timeout_seconds = 60;
  int max_errors_shown = 20;
  // When set and it turns true (e.g. on SIGTERM), no new case is started;
  // the cases under way finish, and RunSeed returns with `interrupted`.
  const std::atomic<bool>* stop = nullptr;
};

struct SeedResult {
  uint64_t units = 0;
  uint64_t cases = 0;  // Cases whose every command succeeded.
  uint64_t failed_cases = 0;
  // Programme stories whose every command succeeded, and those that failed.
  uint64_t loans = 0, children = 0, micro_homes = 0, projects = 0, targets = 0;
  uint64_t failed_programmes = 0;
  uint64_t commands = 0;  // Commands answered OK (written or replayed).
  uint64_t replayed = 0;  // Of which answered from an earlier run.
  uint64_t events = 0;    // Events written by this run.
  double seconds = 0;
  bool fatal = false;        // Stopped early (e.g. the server is unreachable).
  bool interrupted = false;  // Stopped by options.stop.
};

// Seeds the directory, then the cases; prints progress and errors to stderr.
SeedResult RunSeed(const SeedOptions& options, const DirectoryPlan& directory,
                   const CaseGenerator& generator);

// Seeds along the simulated timeline of a history-model generator (see
// case_plan.h) a server whose clock `set_clock` sets: the directory at
// generator.HistoryStartUs(), then, tick by tick (ClockTickFor), the steps
// of every case and every programme story that happen by that tick -- the
// cases and stories concurrently, each one's steps in order -- and waits
// for all of them before the clock moves on.  A refused command is fatal:
// the run stops after its tick.  `programmes` must outlive the call.
SeedResult RunSeedAlongHistory(const SeedOptions& options, const DirectoryPlan& directory,
                               const CaseGenerator& generator,
                               const std::vector<ProgrammePlan>& programmes,
                               const std::function<void(int64_t now_us)>& set_clock);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_SEEDER_H_
