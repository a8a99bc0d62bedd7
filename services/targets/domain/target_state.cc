#include "services/targets/domain/target_state.h"

namespace haven::targets {

const TargetEntry* TargetsState::Find(const TargetKey& key) const {
  auto it = targets.find(key);
  return it == targets.end() ? nullptr : &it->second;
}

v1::Comparison EffectiveComparison(v1::Comparison comparison) {
  return comparison == v1::COMPARISON_UNSPECIFIED ? v1::COMPARISON_AT_LEAST : comparison;
}

void Evolve(TargetsState& state, const v1::TargetEvent& event, absl::string_view actor) {
  ++state.version;
  switch (event.event_case()) {
    case v1::TargetEvent::kTargetSet: {
      const v1::TargetSet& set = event.target_set();
      TargetKey key{set.year(), set.period(), set.indicator()};
      auto [it, created] = state.targets.try_emplace(key);
      TargetEntry& entry = it->second;
      if (!created) ++entry.revisions;
      entry.comparison = EffectiveComparison(set.comparison());
      entry.value = set.value();
      entry.note = set.note();
      entry.set_at_us = set.set_at_us();
      entry.set_by = std::string(actor);
      break;
    }
    case v1::TargetEvent::kTargetWithdrawn: {
      const v1::TargetWithdrawn& withdrawn = event.target_withdrawn();
      state.targets.erase(TargetKey{withdrawn.year(), withdrawn.period(), withdrawn.indicator()});
      break;
    }
    case v1::TargetEvent::EVENT_NOT_SET:
      break;
  }
}

}  // namespace haven::targets
