#include "services/children/projections/children_projections.h"

namespace haven::children {

// child_list.cc, children_stats.cc
std::unique_ptr<storage::Projection> MakeChildListProjection();
std::unique_ptr<storage::Projection> MakeChildStatsProjection();

std::vector<std::unique_ptr<storage::Projection>> MakeChildrenProjections() {
  std::vector<std::unique_ptr<storage::Projection>> projections;
  projections.push_back(MakeChildListProjection());
  projections.push_back(MakeChildStatsProjection());
  return projections;
}

}  // namespace haven::children
