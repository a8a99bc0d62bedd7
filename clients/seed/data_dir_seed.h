// Seeds a data directory in-process along a simulated past: opens the
// directory with a clock the seeder sets (as havend would open it, but
// with that clock), serves it on a loopback port, and sends it the same
// gRPC calls as a seeding of a running havend, moving the clock through the
// history (RunSeedAlongHistory).  No other process may have the directory
// open.
#ifndef HAVEN_CLIENTS_SEED_DATA_DIR_SEED_H_
#define HAVEN_CLIENTS_SEED_DATA_DIR_SEED_H_

#include <string>
#include <vector>

#include "seed/case_plan.h"
#include "seed/directory_plan.h"
#include "seed/programme_plan.h"
#include "seed/seeder.h"

namespace haven::seed {

// `generator` must use the history model; options.server is ignored.
// `programmes` (programme_plan.h) go along the same history.
// Before returning, waits until the case projections have caught up with
// the log, so the directory serves complete read models at once.
SeedResult SeedDataDir(const std::string& data_dir, SeedOptions options,
                       const DirectoryPlan& directory, const CaseGenerator& generator,
                       const std::vector<ProgrammePlan>& programmes = {});

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_DATA_DIR_SEED_H_
