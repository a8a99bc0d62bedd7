// The case read models, for whoever builds the ProjectionRunner (the
// server, tests, tools): case_summary, case_list and case_stats.  Their
// queries are CaseSummaryReader, CaseListReader and CaseStatsReader; the
// key layouts are in PROJECTIONS.md.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTIONS_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "services/cases/projections/case_list_projection.h"
#include "services/cases/projections/case_list_query.h"
#include "services/cases/projections/case_stats_projection.h"
#include "services/cases/projections/case_stats_query.h"
#include "services/cases/projections/case_summary.h"
#include "storage/projection.h"

namespace haven::cases {

// One of each case projection, in the order summary, list, stats.
std::vector<std::unique_ptr<storage::Projection>> MakeCaseProjections();

// Their namespaces, in the same order.
std::vector<std::string> CaseProjectionNames();

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_PROJECTIONS_H_
