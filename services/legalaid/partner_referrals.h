// The legal_aid_referrals read model: every referral under the partner it
// was made to, for ListMyReferrals and for finding a partner's referrals
// when a subscription starts.  No personal data.
//
// Rows:
//   "c/" case id                → the case's category (4 bytes big-endian)
//   "r/" referral id            → ReferralSummary
//   "p/" partner id 0x00 ~referred_at_us (8 bytes big-endian) referral id
//                               → "" (newest first)
#ifndef HAVEN_SERVICES_LEGALAID_PARTNER_REFERRALS_H_
#define HAVEN_SERVICES_LEGALAID_PARTNER_REFERRALS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/legalaid/v1/legal_aid.pb.h"
#include "storage/projection.h"
#include "storage/read_model_store.h"

namespace haven::legalaid {

inline constexpr char kPartnerReferralsNamespace[] = "legal_aid_referrals";

class PartnerReferralsProjection final : public storage::Projection {
 public:
  std::string name() const override { return kPartnerReferralsNamespace; }
  bool Wants(const storage::RecordedEvent& event) const override;
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const override;
};

struct ReferralPage {
  std::vector<v1::ReferralSummary> referrals;
  std::string next_page_token;
};

// `partner_id`'s referrals, newest first, with a status in `statuses`
// (every status when empty); INVALID_ARGUMENT naming page_size or
// page_token.
absl::StatusOr<ReferralPage> ListPartnerReferrals(const storage::ReadModelStore& store,
                                                  const std::string& partner_id,
                                                  const std::set<v1::ReferralStatus>& statuses,
                                                  uint32_t page_size,
                                                  const std::string& page_token);

// The row of `referral_id`, nullopt if the read model has none (yet).
absl::StatusOr<std::optional<v1::ReferralSummary>> FindReferral(
    const storage::ReadModelStore& store, const std::string& referral_id);

// Every referral id ever made to `partner_id`.
absl::StatusOr<std::set<std::string>> PartnerReferralIds(const storage::ReadModelStore& store,
                                                         const std::string& partner_id);

}  // namespace haven::legalaid

#endif  // HAVEN_SERVICES_LEGALAID_PARTNER_REFERRALS_H_
