#include "services/common/unit_facts.h"

#include <algorithm>

namespace haven::units {

const char* LevelName(UnitLevel level) {
  switch (level) {
    case UnitLevel::kCity:
      return "a city";
    case UnitLevel::kCounty:
      return "a county or district";
    case UnitLevel::kTownship:
      return "a township or street";
    case UnitLevel::kVillage:
      return "a village or community";
    case UnitLevel::kOther:
      break;
  }
  return "not a unit of the chain";
}

bool IsAtOrUnder(const UnitFacts& unit, const std::string& ancestor_id) {
  return unit.id == ancestor_id ||
         std::find(unit.ancestors.begin(), unit.ancestors.end(), ancestor_id) !=
             unit.ancestors.end();
}

std::string NearestAtLevel(const UnitFacts& unit, UnitLevel level) {
  if (unit.level == level) return unit.id;
  for (size_t i = unit.ancestors.size(); i-- > 0;) {
    if (i < unit.ancestor_levels.size() && unit.ancestor_levels[i] == level) {
      return unit.ancestors[i];
    }
  }
  return "";
}

}  // namespace haven::units
