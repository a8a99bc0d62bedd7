// The state of one child in the federation's care, as the child aggregate
// needs it to decide commands: built by folding her events (Evolve).  Her
// pairings live here, numbered from 1; at most the last is active.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_STATE_H_
#define HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_STATE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "haven/children/v1/children_events.pb.h"

namespace haven::children {

enum class ChildStatus {
  kNone,       // not registered
  kUnpaired,   // registered, never paired
  kPaired,     // the last pairing is active
  kAwaiting,   // her pairing ended and she is still in need
  kCareEnded,  // aged out, moved away, returned to parents: takes nothing more
};

// "unpaired", "paired", ... for messages.
const char* StatusName(ChildStatus status);

struct Pairing {
  int32_t no = 0;
  std::string mentor_id;
  v1::MentorKind mentor_kind = v1::MENTOR_KIND_UNSPECIFIED;
  int64_t paired_at_us = 0;
  int64_t ended_at_us = 0;  // 0 while active
  v1::PairingEndReason end_reason = v1::PAIRING_END_REASON_UNSPECIFIED;
  int32_t visits = 0;
  int64_t last_visit_at_us = 0;
  // The latest fact of the pairing (pairing, visit, stipend): it does not
  // end before it.
  int64_t last_fact_at_us = 0;

  bool active() const { return ended_at_us == 0; }
};

// True when a pairing ending for `reason` leaves the child in need: she
// awaits a new pairing ("pairings change people but never break").
bool LeavesChildInNeed(v1::PairingEndReason reason);

struct ChildState {
  bool exists = false;
  // Version of the last event folded in (from 0); -1 before any.
  int64_t version = -1;

  std::string child_id;
  std::string unit_id;
  v1::ChildCategory category = v1::CHILD_CATEGORY_UNSPECIFIED;
  absl::CivilDay birth_day;
  int64_t registered_at_us = 0;
  ChildStatus status = ChildStatus::kNone;
  std::vector<Pairing> pairings;
  int64_t awaiting_since_us = 0;  // kAwaiting only
  std::set<std::string> stipend_terms;
  int64_t support_money_fen = 0;
  int64_t support_goods_fen = 0;
  int64_t stipend_fen = 0;
  v1::SchoolingStatus schooling = v1::SCHOOLING_STATUS_UNSPECIFIED;
  v1::LivingStatus living = v1::LIVING_STATUS_UNSPECIFIED;
  int64_t last_checked_at_us = 0;
  int32_t counselling_referrals = 0;
  int64_t care_ended_at_us = 0;

  // The active pairing, or nullptr.
  const Pairing* active() const;
  // Pairing `no` (1-based), or nullptr.
  const Pairing* pairing(int32_t no) const;
};

// Applies one event and advances the version.  Trusts the log: checks
// nothing; an event with no member set only advances the version.
void Evolve(ChildState& state, const v1::ChildEvent& event);

}  // namespace haven::children

#endif  // HAVEN_SERVICES_CHILDREN_DOMAIN_CHILD_STATE_H_
