#include "services/loans/projections/loan_projections.h"

namespace haven::loans {

// loan_list.cc, loan_stats.cc
std::unique_ptr<storage::Projection> MakeLoanListProjection();
std::unique_ptr<storage::Projection> MakeLoanStatsProjection();

std::vector<std::unique_ptr<storage::Projection>> MakeLoanProjections() {
  std::vector<std::unique_ptr<storage::Projection>> projections;
  projections.push_back(MakeLoanListProjection());
  projections.push_back(MakeLoanStatsProjection());
  return projections;
}

}  // namespace haven::loans
