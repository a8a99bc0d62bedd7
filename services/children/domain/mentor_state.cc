#include "services/children/domain/mentor_state.h"

namespace haven::children {

void Evolve(MentorState& s, const v1::MentorEvent& event) {
  ++s.version;
  using E = v1::MentorEvent;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::MentorRegistered& e = event.registered();
      s.exists = true;
      s.mentor_id = e.mentor_id();
      s.kind = e.kind();
      s.unit_id = e.unit_id();
      s.capacity = e.capacity();
      s.registered_at_us = e.registered_at_us();
      break;
    }
    case E::kChildAssigned:
      s.assigned[event.child_assigned().child_id()] = event.child_assigned().pairing_no();
      ++s.pairings_taken;
      break;
    case E::kChildReleased: {
      auto it = s.assigned.find(event.child_released().child_id());
      if (it != s.assigned.end() && it->second == event.child_released().pairing_no()) {
        s.assigned.erase(it);
        if (event.child_released().reason() == v1::RELEASE_REASON_PAIRING_NOT_MADE) {
          --s.pairings_taken;
        }
      }
      break;
    }
    case E::EVENT_NOT_SET:
      break;
  }
}

}  // namespace haven::children
