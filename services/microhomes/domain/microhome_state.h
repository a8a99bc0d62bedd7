// The state of one micro-home, as the aggregate needs it to decide
// commands: built by folding its events (Evolve), never edited otherwise.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_STATE_H_
#define HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_STATE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "haven/microhomes/v1/microhome_events.pb.h"

namespace haven::microhomes {

struct TitleState {
  std::string title_id;
  v1::TitleName title = v1::TITLE_NAME_UNSPECIFIED;
  v1::TitleLevel level = v1::TITLE_LEVEL_UNSPECIFIED;
  int64_t granted_at_us = 0;
  // The last grant or re-certification, and when it expires.
  int64_t certified_at_us = 0;
  int64_t expires_at_us = 0;
  bool revoked = false;
};

struct MicroHomeState {
  bool exists = false;
  // Version of the last event folded in (from 0); -1 before any.
  int64_t version = -1;

  std::string unit_id;
  v1::MicroHomeKind kind = v1::MICRO_HOME_KIND_UNSPECIFIED;
  int64_t registered_at_us = 0;
  std::set<std::string> executive_ids;
  bool demonstration = false;
  int64_t designated_at_us = 0;
  std::vector<TitleState> titles;  // in the order granted
  bool closed = false;

  // The title with this id, revoked or not; nullptr if none.
  const TitleState* FindTitle(const std::string& title_id) const;
  // True if a title of this name and level is held (not revoked).
  bool Holds(v1::TitleName title, v1::TitleLevel level) const;
};

// Two years after `time_us`, on the CST calendar (29 February → 28th or
// 1 March as the civil calendar normalises it).
int64_t TwoYearsAfter(int64_t time_us);

// Applies one event and advances the version.  Trusts the log: checks
// nothing; an event with no member set only advances the version.
void Evolve(MicroHomeState& state, const v1::MicroHomeEvent& event);

MicroHomeState Fold(const std::vector<v1::MicroHomeEvent>& events);

}  // namespace haven::microhomes

#endif  // HAVEN_SERVICES_MICROHOMES_DOMAIN_MICROHOME_STATE_H_
