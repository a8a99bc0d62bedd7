// A mentor's places, kept in her own stream (RULES.md, "One active
// pairing"): a pairing takes a place before the child's stream records it,
// and gives it back after the pairing ends (or when it was not made).  The
// mentor's record may therefore count a place a moment too long, never too
// short; a place still held by a pairing the child's record shows ended is
// given back when the mentor is full and another child needs her.
//
// Thread safety: functions of the log, which others write meanwhile: a
// concurrent write to the mentor's stream makes them read it again.
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_MENTOR_PLACES_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_MENTOR_PLACES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_events.pb.h"
#include "storage/clock.h"
#include "storage/event_log.h"

namespace haven::services {

struct PlaceRequest {
  std::string mentor_id;
  std::string child_id;
  int32_t pairing_no = 0;
  // The command's request id: the mentor's events are idempotent by it.
  std::string request_id;
  std::string actor;
};

// Takes a place for the pairing (nothing if it holds one already).
// Returns the request id the place was taken under (the command's, or a
// derived one when a retry finds its first place given back), for
// GivePlaceBack.  NOT_FOUND mentor_not_found; FAILED_PRECONDITION
// mentor_full; the log's errors.
absl::StatusOr<std::string> TakeMentorPlace(storage::EventLog& log, const storage::Clock& clock,
                                            const PlaceRequest& request);

// Gives the pairing's place back (nothing if it holds none).  The log's
// errors; NOT_FOUND mentor_not_found.
absl::Status GiveMentorPlaceBack(storage::EventLog& log, const storage::Clock& clock,
                                 const PlaceRequest& request, children::v1::ReleaseReason reason);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_MENTOR_PLACES_H_
