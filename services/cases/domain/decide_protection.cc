// Domestic-violence protection: alarms, injury assessments, shelter stays
// and police warning letters.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases::internal {
namespace {

constexpr int kMaxAccompanyingChildren = 20;

}  // namespace

Decision DecideRecordDvAlarm(const CaseState& s, const v1::RecordDvAlarm& c,
                             const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("record_dv_alarm.alarm_point_id", c.alarm_point_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("record_dv_alarm.police_reference", c.police_reference(), Presence::kOptional));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckPriorFactTime("record_dv_alarm.alarmed_at_us", c.alarmed_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("record_dv_alarm.account", c.account(),
                                            kMaxFreeTextChars, Presence::kOptional));
  v1::CaseEvent event = NewEvent(ctx);
  v1::DvAlarmRecorded* e = event.mutable_dv_alarm_recorded();
  e->set_alarm_point_id(c.alarm_point_id());
  e->set_police_reference(c.police_reference());
  e->set_alarmed_at_us(at_us);
  e->set_account(c.account());
  return Events{std::move(event)};
}

Decision DecideRequestInjuryAssessment(const CaseState& s, const v1::RequestInjuryAssessment& c,
                                       const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckId("request_injury_assessment.assessment_centre_id",
                                      c.assessment_centre_id(), Presence::kRequired));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckPriorFactTime("request_injury_assessment.requested_at_us",
                                                 c.requested_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("request_injury_assessment.note", c.note(),
                                            kMaxReasonChars, Presence::kOptional));
  v1::CaseEvent event = NewEvent(ctx);
  v1::InjuryAssessmentRequested* e = event.mutable_injury_assessment_requested();
  e->set_assessment_centre_id(c.assessment_centre_id());
  e->set_requested_at_us(at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

Decision DecideAdmitToShelter(const CaseState& s, const v1::AdmitToShelter& c,
                              const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("admit_to_shelter.shelter_id", c.shelter_id(), Presence::kRequired));
  if (c.accompanying_children() < 0 || c.accompanying_children() > kMaxAccompanyingChildren) {
    return InvalidField("admit_to_shelter.accompanying_children",
                        absl::StrCat("must be from 0 to ", kMaxAccompanyingChildren));
  }
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckPriorFactTime("admit_to_shelter.admitted_at_us", c.admitted_at_us(), s, ctx, &at_us));
  if (s.shelter.admitted) {
    return Refuse(
        "already_in_shelter",
        absl::StrCat("she was admitted to shelter ", s.shelter.shelter_id, " at ",
                     FormatCst(s.shelter.admitted_at_us), "; discharge_from_shelter first"));
  }
  if (at_us < s.shelter.discharged_at_us) {
    return InvalidField("admit_to_shelter.admitted_at_us",
                        absl::StrCat("must not be before her last discharge (",
                                     FormatCst(s.shelter.discharged_at_us), ")"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::ShelterAdmitted* e = event.mutable_shelter_admitted();
  e->set_shelter_id(c.shelter_id());
  e->set_admitted_at_us(at_us);
  e->set_accompanying_children(c.accompanying_children());
  return Events{std::move(event)};
}

Decision DecideDischargeFromShelter(const CaseState& s, const v1::DischargeFromShelter& c,
                                    const DecideContext& ctx) {
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckPriorFactTime("discharge_from_shelter.discharged_at_us",
                                                 c.discharged_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("discharge_from_shelter.note", c.note(), kMaxReasonChars, Presence::kOptional));
  if (!s.shelter.admitted) {
    return Refuse("not_in_shelter", "she is not in a shelter; admit_to_shelter first");
  }
  if (at_us <= s.shelter.admitted_at_us) {
    return InvalidField(
        "discharge_from_shelter.discharged_at_us",
        absl::StrCat("must be after the admission (", FormatCst(s.shelter.admitted_at_us), ")"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::ShelterDischarged* e = event.mutable_shelter_discharged();
  e->set_shelter_id(s.shelter.shelter_id);
  e->set_discharged_at_us(at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

Decision DecideIssueWarningLetter(const CaseState& s, const v1::IssueWarningLetter& c,
                                  const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("issue_warning_letter.police_station", c.police_station(),
                                        kMaxShortTextChars, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("issue_warning_letter.reference", c.reference(), Presence::kOptional));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckPriorFactTime("issue_warning_letter.issued_at_us", c.issued_at_us(), s, ctx, &at_us));
  v1::CaseEvent event = NewEvent(ctx);
  v1::WarningLetterIssued* e = event.mutable_warning_letter_issued();
  e->set_police_station(c.police_station());
  e->set_reference(c.reference());
  e->set_issued_at_us(at_us);
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
