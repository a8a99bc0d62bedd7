#include "services/cases/domain/case_state.h"

namespace haven::cases {

std::vector<std::string> CaseState::OpenReferralIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, referral] : referrals) {
    if (referral.open()) ids.push_back(id);
  }
  return ids;
}

std::optional<std::string> CaseState::PendingMediationId() const {
  for (const auto& [id, mediation] : mediations) {
    if (!mediation.decided()) return id;
  }
  return std::nullopt;
}

std::optional<int64_t> CaseState::NextFollowUpDueUs() const {
  std::optional<int64_t> next;
  for (const auto& [id, follow_up] : follow_ups) {
    if (!follow_up.done && (!next || follow_up.due_at_us < *next)) next = follow_up.due_at_us;
  }
  return next;
}

}  // namespace haven::cases
