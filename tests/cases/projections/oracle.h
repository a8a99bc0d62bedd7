// What the case queries must answer, computed the slow and obvious way from
// the synthetic events themselves (folding them with the domain's Evolve,
// counting them one by one), never through the projections' rows or code.
#ifndef HAVEN_TESTS_CASES_PROJECTIONS_ORACLE_H_
#define HAVEN_TESTS_CASES_PROJECTIONS_ORACLE_H_

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/cases/domain/case_state.h"
#include "services/cases/projections/case_list_query.h"
#include "services/cases/projections/case_stats_query.h"
#include "services/cases/projections/case_summary.h"
#include "tests/cases/projections/synthetic_cases.h"

namespace haven::cases::testing {

inline constexpr uint64_t kWholeLog = std::numeric_limits<uint64_t>::max();

// The CST day of an instant.
absl::CivilDay CstDay(int64_t us);

// The case after its events at positions up to `max_position` whose CST
// day is at most `last_day`.
CaseState StateAt(const SyntheticCase& c, absl::CivilDay last_day = absl::CivilDay(9999, 12, 31),
                  uint64_t max_position = kWholeLog);

// The summary the projection must show after every event of `c` was
// appended (positions filled in).
CaseSummary ExpectedSummary(const SyntheticCase& c);

// The case ids a list must return, in order, for the cases as they are
// after all events: `units` is the unit filter already expanded (empty: no
// unit filter); the filter's own unit fields are ignored.
std::vector<std::string> ExpectedList(const std::vector<SyntheticCase>& cases,
                                      const CaseListFilter& filter,
                                      const std::set<std::string>& units, CaseListSort sort);

// The statistics of the cases of `units`, counting only events at
// positions up to `max_position`.
CaseStatistics ExpectedStatistics(const std::vector<SyntheticCase>& cases,
                                  const std::set<std::string>& units, absl::CivilDay from,
                                  absl::CivilDay to, absl::CivilDay as_of,
                                  uint64_t max_position = kWholeLog);

}  // namespace haven::cases::testing

#endif  // HAVEN_TESTS_CASES_PROJECTIONS_ORACLE_H_
