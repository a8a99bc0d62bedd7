// The directory as the contexts' services use it: the facts of one unit
// for a decide function (unit_facts.h), and the units of a "unit subtree"
// query once the projections that answer it have caught up.
//
// Thread safety: as DirectoryView.
#ifndef HAVEN_SERVICES_COMMON_DIRECTORY_UNITS_H_
#define HAVEN_SERVICES_COMMON_DIRECTORY_UNITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "services/common/unit_facts.h"
#include "services/directory/service/directory_view.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

// What the directory says about `unit_id`; `exists` false if nothing (or
// the directory cannot be read: the rules then refuse the unit).
units::UnitFacts LookUpUnit(DirectoryView& directory, const std::string& unit_id);

// The ids of the subtree `unit_id` names, after waiting for `projections`
// to reach `min_position`.  INVALID_ARGUMENT "unit_subtree: ..." (empty or
// unknown); UNAVAILABLE "read_models: ..." when the server runs no
// projections (either pointer null); DEADLINE_EXCEEDED "min_position: ...".
absl::StatusOr<std::vector<std::string>> SubtreeForQuery(
    DirectoryView& directory, const storage::ReadModelStore* read_models,
    storage::ProjectionRunner* projections, const grpc::ServerContextBase& context,
    const std::string& unit_id, uint64_t min_position);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_COMMON_DIRECTORY_UNITS_H_
