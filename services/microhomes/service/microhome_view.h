// A micro-home read back from its event stream: the events decoded and
// folded into the aggregate's state and into the MicroHomeView of
// GetMicroHome (host, executives, activities by kind, titles).
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_VIEW_H_
#define HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_VIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "haven/microhomes/v1/microhome_service.pb.h"
#include "services/microhomes/domain/microhome_state.h"
#include "storage/event.h"

namespace haven::services {

struct FoldedMicroHome {
  microhomes::MicroHomeState state;
  microhomes::v1::MicroHomeView view;
};

// Folds a micro-home stream's first events in order.  DATA_LOSS naming the
// stream and version if an event does not decode.
absl::StatusOr<FoldedMicroHome> FoldMicroHome(const std::vector<storage::RecordedEvent>& history);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_MICROHOMES_SERVICE_MICROHOME_VIEW_H_
