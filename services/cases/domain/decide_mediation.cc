// Marriage and family mediation: scheduled, held, agreement followed up.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"
#include "services/cases/domain/person_rules.h"

namespace haven::cases::internal {
namespace {

// A mediation may be recorded as scheduled up to a day after its time (it
// was arranged on paper first) and at most a year ahead.
constexpr int64_t kMaxSchedulePastUs = kMicrosPerDay;
constexpr int64_t kMaxScheduleAheadUs = 366 * kMicrosPerDay;

void CopyParties(const google::protobuf::RepeatedPtrField<v1::Party>& from,
                 google::protobuf::RepeatedPtrField<v1::Party>* to) {
  *to = from;
  for (v1::Party& party : *to) NormalizePerson(party.mutable_person());
}

// The scheduled mediation `id`, or mediation_not_scheduled.
absl::StatusOr<const MediationState*> FindMediation(const CaseState& s, const std::string& id) {
  auto it = s.mediations.find(id);
  if (it == s.mediations.end()) {
    return Refuse("mediation_not_scheduled",
                  absl::StrCat("mediation ", id, " was never scheduled on this case"));
  }
  return &it->second;
}

}  // namespace

Decision DecideScheduleMediation(const CaseState& s, const v1::ScheduleMediation& c,
                                 const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("schedule_mediation.committee_level", c.committee_level(),
                                        v1::CommitteeLevel_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("schedule_mediation.committee_name", c.committee_name(),
                                        kMaxShortTextChars, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("schedule_mediation.mediator_name", c.mediator_name(),
                                        kMaxNameChars, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckParties("schedule_mediation.parties", c.parties(), Presence::kRequired, ctx.now_us));
  if (c.scheduled_at_us() == 0) {
    return InvalidField("schedule_mediation.scheduled_at_us", "is required");
  }
  if (c.scheduled_at_us() < ctx.now_us - kMaxSchedulePastUs ||
      c.scheduled_at_us() < s.received_at_us) {
    return InvalidField("schedule_mediation.scheduled_at_us",
                        absl::StrCat("must not be more than 24 hours in the past nor before "
                                     "the case was received (",
                                     FormatCst(c.scheduled_at_us()), ")"));
  }
  if (c.scheduled_at_us() > ctx.now_us + kMaxScheduleAheadUs) {
    return InvalidField("schedule_mediation.scheduled_at_us", "must be within 366 days from now");
  }
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("schedule_mediation.location", c.location(),
                                        kMaxShortTextChars, Presence::kOptional));
  HAVEN_CASES_RETURN_IF_ERROR(CheckNewId(ctx, s.mediations, "mediation"));
  v1::CaseEvent event = NewEvent(ctx);
  v1::MediationScheduled* e = event.mutable_mediation_scheduled();
  e->set_mediation_id(ctx.new_id);
  e->set_committee_level(c.committee_level());
  e->set_committee_name(c.committee_name());
  e->set_mediator_name(c.mediator_name());
  e->set_invited_mediator(c.invited_mediator());
  CopyParties(c.parties(), e->mutable_parties());
  e->set_scheduled_at_us(c.scheduled_at_us());
  e->set_location(c.location());
  return Events{std::move(event)};
}

Decision DecideRecordMediationOutcome(const CaseState& s, const v1::RecordMediationOutcome& c,
                                      const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("record_mediation_outcome.mediation_id", c.mediation_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("record_mediation_outcome.outcome", c.outcome(),
                                        v1::MediationOutcome_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckParties("record_mediation_outcome.parties_present",
                                           c.parties_present(), Presence::kOptional, ctx.now_us));
  int64_t held_at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEventTime("record_mediation_outcome.held_at_us", c.held_at_us(), s, ctx, &held_at_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("record_mediation_outcome.summary", c.summary(),
                                            kMaxFreeTextChars, Presence::kOptional));
  absl::StatusOr<const MediationState*> mediation = FindMediation(s, c.mediation_id());
  if (!mediation.ok()) return mediation.status();
  if ((*mediation)->decided()) {
    return Refuse("mediation_already_decided",
                  absl::StrCat("mediation ", c.mediation_id(), " already ended with ",
                               v1::MediationOutcome_Name((*mediation)->outcome)));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::MediationHeld* e = event.mutable_mediation_held();
  e->set_mediation_id(c.mediation_id());
  e->set_outcome(c.outcome());
  CopyParties(c.parties_present(), e->mutable_parties_present());
  e->set_held_at_us(held_at_us);
  e->set_summary(c.summary());
  return Events{std::move(event)};
}

Decision DecideRecordAgreementFollowUp(const CaseState& s, const v1::RecordAgreementFollowUp& c,
                                       const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("record_agreement_follow_up.mediation_id", c.mediation_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("record_agreement_follow_up.compliance", c.compliance(),
                                        v1::AgreementCompliance_IsValid, Presence::kRequired));
  int64_t checked_at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckEventTime("record_agreement_follow_up.checked_at_us",
                                             c.checked_at_us(), s, ctx, &checked_at_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("record_agreement_follow_up.note", c.note(),
                                            kMaxFreeTextChars, Presence::kOptional));
  absl::StatusOr<const MediationState*> mediation = FindMediation(s, c.mediation_id());
  if (!mediation.ok()) return mediation.status();
  if (!(*mediation)->agreed()) {
    return Refuse("no_agreement", absl::StrCat("mediation ", c.mediation_id(), " has outcome ",
                                               v1::MediationOutcome_Name((*mediation)->outcome),
                                               "; only an agreement can be kept or broken"));
  }
  if (checked_at_us < (*mediation)->held_at_us) {
    return InvalidField("record_agreement_follow_up.checked_at_us",
                        absl::StrCat("must not be before the mediation was held (",
                                     FormatCst((*mediation)->held_at_us), ")"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::MediationAgreementFollowedUp* e = event.mutable_mediation_agreement_followed_up();
  e->set_mediation_id(c.mediation_id());
  e->set_compliance(c.compliance());
  e->set_checked_at_us(checked_at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
