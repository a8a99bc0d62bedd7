#include "services/cases/projections/case_list_projection.h"

#include <algorithm>
#include <vector>

#include "services/cases/projections/case_list_keys.h"
#include "services/cases/projections/row_codec.h"

namespace haven::cases {

CaseListProjection::CaseListProjection()
    : CaseProjection({v1::CaseEvent::kContactRecorded,
                      v1::CaseEvent::kNoteAdded,
                      v1::CaseEvent::kMediationScheduled,
                      v1::CaseEvent::kMediationHeld,
                      v1::CaseEvent::kMediationAgreementFollowedUp,
                      v1::CaseEvent::kConsentRecorded,
                      v1::CaseEvent::kConsentWithdrawn,
                      v1::CaseEvent::kReferralMade,
                      v1::CaseEvent::kReferralAccepted,
                      v1::CaseEvent::kReferralDeclined,
                      v1::CaseEvent::kReferralProgressReported,
                      v1::CaseEvent::kReferralOutcomeReported,
                      v1::CaseEvent::kDvAlarmRecorded,
                      v1::CaseEvent::kInjuryAssessmentRequested,
                      v1::CaseEvent::kShelterAdmitted,
                      v1::CaseEvent::kShelterDischarged,
                      v1::CaseEvent::kProtectionOrderApplied,
                      v1::CaseEvent::kProtectionOrderGranted,
                      v1::CaseEvent::kProtectionOrderDenied,
                      v1::CaseEvent::kWarningLetterIssued,
                      v1::CaseEvent::kAssistanceGranted}) {}

void CaseListProjection::Trim(rowpb::CaseRecord* r) const {
  r->clear_subcategory();
  r->clear_received_at_us();
  r->clear_closed_at_us();
  r->clear_resolution();
  r->clear_satisfaction();
  r->clear_reopen_count();
  r->clear_open_referrals();
  r->clear_last_position();
  r->clear_version();
  r->clear_last_event_at_us();
  r->clear_opened_day();
  r->clear_pending_mediation_ids();
  r->clear_in_shelter();
}

namespace {

class ListBatch final : public CaseProjection::CaseBatch {
 public:
  using CaseBatch::CaseBatch;

 protected:
  void OnRecordChanged(const rowpb::CaseRecord* committed, const rowpb::CaseRecord& now) override {
    std::vector<std::string> old_keys;
    std::string old_value;
    if (committed != nullptr) {
      old_keys = list_keys::IndexKeys(*committed);
      old_value = SerializeDeterministic(list_keys::EntryOf(*committed));
    }
    const std::vector<std::string> new_keys = list_keys::IndexKeys(now);
    const std::string new_value = SerializeDeterministic(list_keys::EntryOf(now));
    const bool same_value = committed != nullptr && old_value == new_value;
    // Both key lists are sorted: one merge pass finds what to delete and write.
    auto o = old_keys.begin();
    auto n = new_keys.begin();
    while (o != old_keys.end() || n != new_keys.end()) {
      if (n == new_keys.end() || (o != old_keys.end() && *o < *n)) {
        rows().Delete(*o++);
      } else if (o == old_keys.end() || *n < *o) {
        rows().Put(*n++, new_value);
      } else {
        if (!same_value) rows().Put(*n, new_value);
        ++o;
        ++n;
      }
    }
  }
};

}  // namespace

std::unique_ptr<storage::Projection::Batch> CaseListProjection::StartBatch(
    storage::NamespaceBatch& rows) const {
  return std::make_unique<ListBatch>(*this, rows);
}

}  // namespace haven::cases
