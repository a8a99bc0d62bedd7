// A unit's targets as the aggregate needs them to decide commands and as
// ListTargets shows them: built by folding the unit's target events
// (Evolve), never edited otherwise.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_STATE_H_
#define HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/string_view.h"
#include "haven/targets/v1/target_events.pb.h"

namespace haven::targets {

// Which target: a unit holds at most one per year, period and indicator.
struct TargetKey {
  int year = 0;
  v1::TargetPeriod period = v1::TARGET_PERIOD_UNSPECIFIED;
  std::string indicator;

  friend bool operator<(const TargetKey& a, const TargetKey& b) {
    return std::tie(a.year, a.period, a.indicator) < std::tie(b.year, b.period, b.indicator);
  }
};

struct TargetEntry {
  v1::Comparison comparison = v1::COMPARISON_AT_LEAST;
  int64_t value = 0;
  std::string note;
  int64_t set_at_us = 0;
  std::string set_by;
  uint32_t revisions = 0;
};

struct TargetsState {
  // Version of the last event folded in (from 0); -1 before any.
  int64_t version = -1;
  // The targets in force, by year, period, then indicator.
  std::map<TargetKey, TargetEntry> targets;

  const TargetEntry* Find(const TargetKey& key) const;
};

// Applies one event by `actor` and advances the version.  Trusts the log:
// checks nothing; an event with no member set only advances the version.
void Evolve(TargetsState& state, const v1::TargetEvent& event, absl::string_view actor = {});

// COMPARISON_UNSPECIFIED reads as COMPARISON_AT_LEAST.
v1::Comparison EffectiveComparison(v1::Comparison comparison);

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_DOMAIN_TARGET_STATE_H_
