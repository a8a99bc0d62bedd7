#include "services/directory/domain/kinds.h"

namespace haven::directory {
namespace {

// Invariant: each geographic tier hangs under the tier just above it.
enum class Tier { kCity, kCounty, kTownship, kVillage, kMicroHome, kCommittee, kUnknown };

Tier TierOf(v1::UnitKind kind) {
  switch (kind) {
    case v1::UNIT_KIND_CITY:
      return Tier::kCity;
    case v1::UNIT_KIND_COUNTY:
    case v1::UNIT_KIND_DISTRICT:
      return Tier::kCounty;
    case v1::UNIT_KIND_TOWNSHIP:
    case v1::UNIT_KIND_STREET:
      return Tier::kTownship;
    case v1::UNIT_KIND_VILLAGE:
    case v1::UNIT_KIND_COMMUNITY:
      return Tier::kVillage;
    case v1::UNIT_KIND_MICRO_HOME:
      return Tier::kMicroHome;
    case v1::UNIT_KIND_DEPARTMENT_COMMITTEE:
    case v1::UNIT_KIND_ENTERPRISE_COMMITTEE:
    case v1::UNIT_KIND_MEMBER_ORGANISATION:
      return Tier::kCommittee;
    default:
      return Tier::kUnknown;
  }
}

}  // namespace

bool IsKnownKind(v1::UnitKind kind) { return TierOf(kind) != Tier::kUnknown; }

bool IsGeographic(v1::UnitKind kind) {
  const Tier tier = TierOf(kind);
  return tier == Tier::kCity || tier == Tier::kCounty || tier == Tier::kTownship ||
         tier == Tier::kVillage;
}

bool MayHangUnder(v1::UnitKind child, v1::UnitKind parent) {
  const Tier p = TierOf(parent);
  switch (TierOf(child)) {
    case Tier::kCounty:
      return p == Tier::kCity;
    case Tier::kTownship:
      return p == Tier::kCounty;
    case Tier::kVillage:
      return p == Tier::kTownship;
    case Tier::kMicroHome:
      return p == Tier::kTownship || p == Tier::kVillage;
    case Tier::kCommittee:
      return p == Tier::kCity || p == Tier::kCounty;
    default:  // The city is the root; unknown kinds hang nowhere.
      return false;
  }
}

std::string AllowedParents(v1::UnitKind child) {
  switch (TierOf(child)) {
    case Tier::kCounty:
      return "the city";
    case Tier::kTownship:
      return "a county or district";
    case Tier::kVillage:
      return "a township or street";
    case Tier::kMicroHome:
      return "a township, street, village or community";
    case Tier::kCommittee:
      return "the city or a county or district";
    default:
      return "nothing (it is the root)";
  }
}

std::string KindName(v1::UnitKind kind) {
  switch (kind) {
    case v1::UNIT_KIND_CITY:
      return "city";
    case v1::UNIT_KIND_COUNTY:
      return "county";
    case v1::UNIT_KIND_DISTRICT:
      return "district";
    case v1::UNIT_KIND_TOWNSHIP:
      return "township";
    case v1::UNIT_KIND_STREET:
      return "street";
    case v1::UNIT_KIND_VILLAGE:
      return "village";
    case v1::UNIT_KIND_COMMUNITY:
      return "community";
    case v1::UNIT_KIND_MICRO_HOME:
      return "micro-home";
    case v1::UNIT_KIND_DEPARTMENT_COMMITTEE:
      return "department committee";
    case v1::UNIT_KIND_ENTERPRISE_COMMITTEE:
      return "enterprise committee";
    case v1::UNIT_KIND_MEMBER_ORGANISATION:
      return "member organisation";
    default:
      return "unknown kind";
  }
}

std::string AKind(v1::UnitKind kind) {
  const std::string name = KindName(kind);
  const bool vowel = name.find_first_of("aeiou") == 0;
  return (vowel ? "an " : "a ") + name;
}

}  // namespace haven::directory
