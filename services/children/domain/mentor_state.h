// The state of one mentor as the mentor aggregate needs it: who she is,
// her capacity, and the children whose pairings hold her places now (her
// assignments).  Built by folding her events.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_STATE_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_STATE_H_

#include <cstdint>
#include <map>
#include <string>

#include "haven/children/v1/children_events.pb.h"

namespace haven::children {

struct MentorState {
  bool exists = false;
  int64_t version = -1;

  std::string mentor_id;
  v1::MentorKind kind = v1::MENTOR_KIND_UNSPECIFIED;
  std::string unit_id;
  int32_t capacity = 0;
  int64_t registered_at_us = 0;
  // child id -> the pairing number that holds a place.
  std::map<std::string, int32_t> assigned;
  int32_t pairings_taken = 0;

  bool full() const { return static_cast<int64_t>(assigned.size()) >= capacity; }
};

void Evolve(MentorState& state, const v1::MentorEvent& event);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_STATE_H_
