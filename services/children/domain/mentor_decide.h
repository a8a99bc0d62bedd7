// The mentor aggregate's decisions: her registration, and the places her
// capacity gives (a place taken before a child's pairing is written, given
// back after it ends: RULES.md, "One active pairing").  Pure.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_DECIDE_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_DECIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/children/v1/children_commands.pb.h"
#include "haven/children/v1/children_events.pb.h"
#include "services/children/domain/mentor_state.h"
#include "services/common/unit_facts.h"

namespace haven::children {

inline constexpr int kMaxMentorCapacity = 5;

struct MentorDecideContext {
  int64_t now_us = 0;
  std::string actor;
  std::string mentor_id;
  // register_mentor: the unit it names.
  units::UnitFacts unit;
};

// register_mentor.  INVALID_ARGUMENT naming the field; FAILED_PRECONDITION
// unit_closed; NOT_FOUND / ALREADY_EXISTS as the child's Decide.
absl::StatusOr<std::vector<v1::MentorEvent>> Decide(const MentorState& state,
                                                    const v1::MentorCommand& command,
                                                    const MentorDecideContext& ctx);

// Takes one of the mentor's places for pairing `pairing_no` of `child_id`.
// No events if that pairing holds one already.  NOT_FOUND
// mentor_not_found; FAILED_PRECONDITION mentor_full.
absl::StatusOr<std::vector<v1::MentorEvent>> DecideAssignment(const MentorState& state,
                                                              const std::string& child_id,
                                                              int32_t pairing_no,
                                                              const MentorDecideContext& ctx);

// Gives the place of pairing `pairing_no` of `child_id` back.  No events
// if that pairing holds none.
std::vector<v1::MentorEvent> DecideRelease(const MentorState& state, const std::string& child_id,
                                           int32_t pairing_no, v1::ReleaseReason reason,
                                           const MentorDecideContext& ctx);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_MENTOR_DECIDE_H_
