// A case read back from its event stream: the recorded events decoded and
// folded into the aggregate's state, and that state as the CaseView the
// service answers GetCase with.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_VIEW_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_VIEW_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_events.pb.h"
#include "haven/cases/v1/case_service.pb.h"
#include "services/cases/domain/case_state.h"
#include "storage/event.h"

namespace haven::services {

struct FoldedCase {
  cases::CaseState state;
  // What the case was opened with (the seeker and tags are not part of the
  // state the aggregate decides on).
  cases::v1::CaseOpened opened;
  // The log position and recorded time of the last event folded in.
  uint64_t position = 0;
  int64_t updated_at_us = 0;
};

// Folds `history`, a case stream's first events in order.  DATA_LOSS if an
// event does not decode (the message names the stream and version).
absl::StatusOr<FoldedCase> FoldRecorded(const std::vector<storage::RecordedEvent>& history);

// The view of a folded case.
cases::v1::CaseView ToCaseView(const FoldedCase& folded);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_VIEW_H_
