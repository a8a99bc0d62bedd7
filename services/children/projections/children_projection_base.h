// What both children projections share: they want the "child." and
// "mentor." events, keep each child's list entry under "r/" child id,
// fold each child event into it, and derive their other rows from the
// entry before and after the event.  Mentor events go to OnMentorEvent.
#ifndef HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTION_BASE_H_
#define HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTION_BASE_H_

#include <string>

#include "absl/status/status.h"
#include "haven/children/v1/children_events.pb.h"
#include "haven/children/v1/children_service.pb.h"
#include "storage/projection.h"

namespace haven::children {

class ChildrenProjection : public storage::Projection {
 public:
  bool Wants(const storage::RecordedEvent& event) const override;
  // Decodes (DATA_LOSS stops the projection if a payload is not of its
  // type), folds the child's entry, calls OnChildEvent, stores the entry;
  // or calls OnMentorEvent.
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const final;

 protected:
  // `before` is empty (no child_id) for the registration.
  virtual absl::Status OnChildEvent(const storage::RecordedEvent& recorded,
                                    const v1::ChildEvent& event, const v1::ChildListEntry& before,
                                    const v1::ChildListEntry& after,
                                    storage::NamespaceBatch& rows) const = 0;
  virtual absl::Status OnMentorEvent(const storage::RecordedEvent&, const v1::MentorEvent&,
                                     storage::NamespaceBatch&) const {
    return absl::OkStatus();
  }
};

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_PROJECTIONS_CHILDREN_PROJECTION_BASE_H_
