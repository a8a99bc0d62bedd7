// What a context's pure decide function knows of an org unit: whether it
// exists and is open, its level in the federation's hierarchy and its
// ancestors.  The service looks it up (directory_units.h); the domain
// judges it without the directory.
//
// Thread safety: plain values and pure functions.
#ifndef HAVEN_SERVICES_COMMON_UNIT_FACTS_H_
#define HAVEN_SERVICES_COMMON_UNIT_FACTS_H_

#include <string>
#include <vector>

namespace haven::units {

// The federation's levels (directory unit kinds: a county or district is
// kCounty, a township or street kTownship, a village or community
// kVillage); kOther for units outside the geographic tree (micro-homes,
// committees of departments and enterprises, member organisations).
enum class UnitLevel { kOther, kCity, kCounty, kTownship, kVillage };

struct UnitFacts {
  std::string id;
  bool exists = false;
  bool open = false;
  UnitLevel level = UnitLevel::kOther;
  // Ids from the root down to the unit's parent, and their levels.
  std::vector<std::string> ancestors;
  std::vector<UnitLevel> ancestor_levels;
};

// "a village or community", ... for messages.
const char* LevelName(UnitLevel level);

// True if `unit` is the unit `ancestor_id` or lies below it.
bool IsAtOrUnder(const UnitFacts& unit, const std::string& ancestor_id);

// The id of the nearest unit at `level`, the unit itself or an ancestor;
// empty if there is none.
std::string NearestAtLevel(const UnitFacts& unit, UnitLevel level);

}  // namespace haven::units

#endif  // HAVEN_SERVICES_COMMON_UNIT_FACTS_H_
