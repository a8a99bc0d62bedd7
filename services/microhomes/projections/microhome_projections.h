// The micro-home read models (PROJECTIONS.md): projections of the
// "microhome." events, run by the server's ProjectionRunner, and the
// queries over their rows.
//
//   microhome_list   a micro-home's list entry under "r/" stream and, for
//                    listing by unit, under "u/" unit 0x00 order unit
//   microhome_stats  its record of facts (ComplianceRecord) under "r/"
//                    stream, and counter rows (services/common/stats/
//                    counter_rows.h) under "s/" by its unit and the CST day
//                    each fact was recorded
//
// No row holds personal data: ids, enums, counts and days only.
//
// Thread safety: projections as storage::Projection; the queries are pure
// functions of the store.
#ifndef HAVEN_SERVICES_MICROHOMES_PROJECTIONS_MICROHOME_PROJECTIONS_H_
#define HAVEN_SERVICES_MICROHOMES_PROJECTIONS_MICROHOME_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/microhomes/v1/microhome_read_models.pb.h"
#include "haven/microhomes/v1/microhome_service.pb.h"
#include "services/common/stats/calendar.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::microhomes {

inline constexpr char kMicroHomeListNamespace[] = "microhome_list";
inline constexpr char kMicroHomeStatsNamespace[] = "microhome_stats";

// Folds one micro-home event into its list entry, or into its record (both
// empty before the registration).  False if the event cannot apply
// (anything before the registration, a second registration).
bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::MicroHomeEvent& event,
                   v1::MicroHomeListEntry* entry);
bool FoldRecord(const storage::RecordedEvent& recorded, const v1::MicroHomeEvent& event,
                v1::ComplianceRecord* record);

// Both micro-home projections.
std::vector<std::unique_ptr<storage::Projection>> MakeMicroHomeProjections();

// The micro-homes among `unit_ids` (a subtree the caller expanded), newest
// registration first, filtered and paged as `request` says.
// INVALID_ARGUMENT page_size, page_token.
absl::StatusOr<v1::ListMicroHomesResponse> ListMicroHomes(const storage::ReadModelStore& store,
                                                          const std::vector<std::string>& unit_ids,
                                                          const v1::ListMicroHomesRequest& request);

// One micro-home's check against the standard over the checked days
// [period.from, min(period.to, period.as_of)], from the facts recorded by
// the end of period.as_of; nullopt if it was a demonstration site on none
// of those days.
std::optional<v1::HomeCompliance> CheckHome(const v1::ComplianceRecord& record,
                                            const stats::StatsPeriod& period);
// The titles of `record` due for re-certification at the end of the
// checked days (see TitleDue in microhome_service.proto).
void AddTitlesDue(const v1::ComplianceRecord& record, const stats::StatsPeriod& period,
                  std::vector<v1::TitleDue>* due);

// The compliance check of the micro-homes among `unit_ids`.
absl::StatusOr<v1::MicroHomeCompliance> MicroHomeCompliance(
    const storage::ReadModelStore& store, const std::vector<std::string>& unit_ids,
    const stats::StatsPeriod& period, bool short_only);

// The statistics of the micro-homes among `unit_ids`.
absl::StatusOr<v1::MicroHomeStatistics> MicroHomeStatistics(
    const storage::ReadModelStore& store, const std::vector<std::string>& unit_ids,
    const stats::StatsPeriod& period);

}  // namespace haven::microhomes

#endif  // HAVEN_SERVICES_MICROHOMES_PROJECTIONS_MICROHOME_PROJECTIONS_H_
