#include "services/cases/domain/event_types.h"

#include "absl/strings/str_cat.h"

namespace haven::cases {

using Case = v1::CaseEvent::EventCase;

const std::vector<CaseEventType>& AllCaseEventTypes() {
  static const auto* const kTypes = new std::vector<CaseEventType>{
      {Case::kOpened, "case.opened"},
      {Case::kAssigned, "case.assigned"},
      {Case::kContactRecorded, "case.contact_recorded"},
      {Case::kNoteAdded, "case.note_added"},
      {Case::kRiskAssessed, "case.risk_assessed"},
      {Case::kMediationScheduled, "case.mediation_scheduled"},
      {Case::kMediationHeld, "case.mediation_held"},
      {Case::kMediationAgreementFollowedUp, "case.mediation_agreement_followed_up"},
      {Case::kConsentRecorded, "case.consent_recorded"},
      {Case::kConsentWithdrawn, "case.consent_withdrawn"},
      {Case::kReferralMade, "case.referral_made"},
      {Case::kReferralAccepted, "case.referral_accepted"},
      {Case::kReferralDeclined, "case.referral_declined"},
      {Case::kReferralProgressReported, "case.referral_progress_reported"},
      {Case::kReferralOutcomeReported, "case.referral_outcome_reported"},
      {Case::kDvAlarmRecorded, "case.dv_alarm_recorded"},
      {Case::kInjuryAssessmentRequested, "case.injury_assessment_requested"},
      {Case::kShelterAdmitted, "case.shelter_admitted"},
      {Case::kShelterDischarged, "case.shelter_discharged"},
      {Case::kProtectionOrderApplied, "case.protection_order_applied"},
      {Case::kProtectionOrderGranted, "case.protection_order_granted"},
      {Case::kProtectionOrderDenied, "case.protection_order_denied"},
      {Case::kWarningLetterIssued, "case.warning_letter_issued"},
      {Case::kAssistanceGranted, "case.assistance_granted"},
      {Case::kFollowUpScheduled, "case.follow_up_scheduled"},
      {Case::kFollowUpDone, "case.follow_up_done"},
      {Case::kClosed, "case.closed"},
      {Case::kReopened, "case.reopened"},
  };
  return *kTypes;
}

absl::string_view EventTypeOf(v1::CaseEvent::EventCase event_case) {
  for (const CaseEventType& t : AllCaseEventTypes()) {
    if (t.event_case == event_case) return t.type;
  }
  return {};
}

v1::CaseEvent::EventCase EventCaseOf(absl::string_view type) {
  for (const CaseEventType& t : AllCaseEventTypes()) {
    if (t.type == type) return t.event_case;
  }
  return Case::EVENT_NOT_SET;
}

std::string EncodeCaseEvent(const v1::CaseEvent& event) {
  std::string payload;
  event.SerializeToString(&payload);
  return payload;
}

absl::StatusOr<v1::CaseEvent> DecodeCaseEvent(absl::string_view type, absl::string_view payload) {
  v1::CaseEvent event;
  if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError(
        absl::StrCat("case event of type ", type, ": payload is not a haven.cases.v1.CaseEvent"));
  }
  const Case expected = EventCaseOf(type);
  if (expected != Case::EVENT_NOT_SET && expected != event.event_case()) {
    return absl::DataLossError(absl::StrCat("case event of type ", type, ": payload holds ",
                                            EventTypeOf(event.event_case()).empty()
                                                ? "no known event"
                                                : EventTypeOf(event.event_case())));
  }
  return event;
}

}  // namespace haven::cases
