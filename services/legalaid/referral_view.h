// What a partner may see of one referral: folded from the case's events,
// never from a read model, so the check that she may see it and the data
// she sees come from the same committed history.
#ifndef HAVEN_SERVICES_LEGALAID_REFERRAL_VIEW_H_
#define HAVEN_SERVICES_LEGALAID_REFERRAL_VIEW_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/legalaid/v1/legal_aid.pb.h"
#include "storage/event.h"

namespace haven::legalaid {

// The minimised view of `referral_id` in `history` (a case's events, oldest
// first), or nullopt when the case has no such referral made to
// `partner_id`.  DATA_LOSS if an event does not parse.
absl::StatusOr<std::optional<v1::GetReferralResponse>> PartnerReferralView(
    const std::vector<storage::RecordedEvent>& history, const std::string& referral_id,
    const std::string& partner_id);

// True while the partner may see the referral: awaiting an answer or active.
inline bool IsOpenOrActive(v1::ReferralStatus status) {
  return status == v1::REFERRAL_STATUS_AWAITING_ANSWER || status == v1::REFERRAL_STATUS_ACTIVE;
}

}  // namespace haven::legalaid

#endif  // HAVEN_SERVICES_LEGALAID_REFERRAL_VIEW_H_
