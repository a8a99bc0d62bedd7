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

absl::Status CaseListProjection::OnEvent(const storage::RecordedEvent& /*recorded*/,
                                         const v1::CaseEvent& /*event*/,
                                         const rowpb::CaseRecord& before,
                                         const rowpb::CaseRecord& after,
                                         storage::NamespaceBatch& rows) const {
  std::vector<std::string> old_keys;
  std::string old_value;
  if (Exists(before)) {
    old_keys = list_keys::IndexKeys(before);
    old_value = SerializeDeterministic(list_keys::EntryOf(before));
  }
  const std::vector<std::string> new_keys = list_keys::IndexKeys(after);
  const std::string new_value = SerializeDeterministic(list_keys::EntryOf(after));
  const bool same_value = Exists(before) && old_value == new_value;
  // Both key lists are sorted: one merge pass finds what to delete and write.
  auto o = old_keys.begin();
  auto n = new_keys.begin();
  while (o != old_keys.end() || n != new_keys.end()) {
    if (n == new_keys.end() || (o != old_keys.end() && *o < *n)) {
      rows.Delete(*o++);
    } else if (o == old_keys.end() || *n < *o) {
      rows.Put(*n++, new_value);
    } else {
      if (!same_value) rows.Put(*n, new_value);
      ++o;
      ++n;
    }
  }
  return absl::OkStatus();
}

}  // namespace haven::cases
