// The generated directory of org units: a fictional city with its counties
// and districts, townships and streets, villages and communities, a few
// women's micro-homes and committees outside the geographic tree.  Names are
// assembled from syllable lists; statistical division codes are consistent
// with the hierarchy (6 digits county, 3 township, 3 village).
#ifndef HAVEN_CLIENTS_SEED_DIRECTORY_PLAN_H_
#define HAVEN_CLIENTS_SEED_DIRECTORY_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "haven/directory/v1/directory.pb.h"

namespace haven::seed {

struct DirectoryOptions {
  uint64_t seed = 1;
  int counties = 5;
  int townships_per_county = 10;
  int villages_per_township = 10;
  int micro_homes = 150;  // 100 a year over the default 540 days of history.
};

struct UnitPlan {
  std::string unit_id;
  std::string name;
  haven::directory::v1::UnitKind kind = haven::directory::v1::UNIT_KIND_UNSPECIFIED;
  std::string parent_id;
  std::string statistical_code;  // Empty for micro-homes and committees.
  // Indices into DirectoryPlan::units; -1 where none.
  int parent = -1;
  int county = -1;    // The county or district the unit is in (itself for one).
  int township = -1;  // The township or street (itself for one).
  int village = -1;   // The village or community (itself for one).
  double weight = 1;  // How many cases a village draws, relatively.
};

struct DirectoryPlan {
  uint64_t seed = 1;
  std::vector<UnitPlan> units;  // Every parent before its children.
  int city = 0;
  std::vector<int> counties, townships, villages, micro_homes, committees;

  const UnitPlan& unit(int index) const { return units[index]; }
  // "栖霞区燕子矶街道和燕社区" for a village; shorter for higher units.
  std::string PlaceName(int index) const;
};

// The same options always give the same plan.
DirectoryPlan PlanDirectory(const DirectoryOptions& options);

// The request id of the CreateUnit for units[index]: stable across runs.
std::string UnitRequestId(const DirectoryPlan& plan, int index);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_DIRECTORY_PLAN_H_
