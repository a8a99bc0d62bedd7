#include "services/cases/projections/case_projections.h"

namespace haven::cases {

std::vector<std::unique_ptr<storage::Projection>> MakeCaseProjections() {
  std::vector<std::unique_ptr<storage::Projection>> projections;
  projections.push_back(std::make_unique<CaseSummaryProjection>());
  projections.push_back(std::make_unique<CaseListProjection>());
  projections.push_back(std::make_unique<CaseStatsProjection>());
  return projections;
}

std::vector<std::string> CaseProjectionNames() {
  return {kCaseSummaryNamespace, kCaseListNamespace, kCaseStatsNamespace};
}

}  // namespace haven::cases
