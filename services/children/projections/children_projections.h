// The children read models (PROJECTIONS.md): projections of the "child."
// and "mentor." events, run by the server's ProjectionRunner, and the
// queries over their rows.
//
//   child_list   a child's list entry under "r/" child id and, for listing
//                by unit, under "u/" unit 0x00 order child id (newest
//                registration first)
//   child_stats  the entry under "r/" child id, and counter rows
//                (services/common/stats/counter_rows.h) under "s/" by the
//                child's (or mentor's) unit and the CST day each fact was
//                recorded
//
// No row holds personal data: ids, enums, amounts and times only.
//
// Thread safety: projections as storage::Projection; the queries are pure
// functions of the store.
#ifndef HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTIONS_H_
#define HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_service.pb.h"
#include "services/children/domain/child_state.h"
#include "services/common/stats/calendar.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::children {

inline constexpr char kChildListNamespace[] = "child_list";
inline constexpr char kChildStatsNamespace[] = "child_stats";

v1::ChildStatus ChildStatusOf(ChildStatus status);

// Folds one child event into her list entry (empty before registration).
// False if the event cannot apply (anything before the registration, a
// second registration): the projections skip it.
bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::ChildEvent& event,
                   v1::ChildListEntry* entry);

// Both children projections.
std::vector<std::unique_ptr<storage::Projection>> MakeChildrenProjections();

// The children whose unit is one of `unit_ids` (a subtree the caller
// expanded), newest registration first, filtered and paged as `request`
// says (its unit_subtree and min_position are not read here).
// INVALID_ARGUMENT page_size, page_token.
absl::StatusOr<v1::ListChildrenResponse> ListChildren(const storage::ReadModelStore& store,
                                                      const std::vector<std::string>& unit_ids,
                                                      const v1::ListChildrenRequest& request);

// The statistics of children (and mentors) whose unit is one of
// `unit_ids`, over `period`; "awaiting for more than `awaiting_days`".
absl::StatusOr<v1::ChildrenStatistics> ChildrenStatistics(const storage::ReadModelStore& store,
                                                          const std::vector<std::string>& unit_ids,
                                                          const stats::StatsPeriod& period,
                                                          uint32_t awaiting_days);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTIONS_H_
