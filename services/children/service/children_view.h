// A child or a mentor read back from her event stream: the events decoded
// and folded into the aggregate's state plus what the view shows beyond it
// (names, guardian, school), and that as the ChildView / MentorView.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_VIEW_H_
#define HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_VIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_service.pb.h"
#include "services/children/domain/child_state.h"
#include "services/children/domain/mentor_state.h"
#include "storage/event.h"

namespace haven::services {

inline constexpr char kChildIdPrefix[] = "child-";
inline constexpr char kMentorIdPrefix[] = "mentor-";

struct FoldedChild {
  children::ChildState state;
  children::v1::ChildView view;  // the fields the state does not keep
};

struct FoldedMentor {
  children::MentorState state;
  children::v1::MentorView view;
};

// Fold a stream's first events in order.  DATA_LOSS naming the stream and
// version if an event does not decode.
absl::StatusOr<FoldedChild> FoldChild(const std::vector<storage::RecordedEvent>& history);
absl::StatusOr<FoldedMentor> FoldMentor(const std::vector<storage::RecordedEvent>& history);

children::v1::ChildView ToChildView(const FoldedChild& folded);
children::v1::MentorView ToMentorView(const FoldedMentor& folded);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CHILDREN_SERVICE_CHILDREN_VIEW_H_
