// Opening, assigning, working, closing and reopening a case.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cases/domain/decide_internal.h"
#include "services/cases/domain/person_rules.h"

namespace haven::cases::internal {
namespace {

// How long before it is recorded a call, letter or visit may have come in.
constexpr int64_t kMaxReceivedAgeUs = 366 * kMicrosPerDay;

absl::Status CheckOpenCase(const v1::OpenCase& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEnum("open_case.channel", c.channel(), v1::Channel_IsValid, Presence::kRequired));
  if (!c.has_seeker()) return InvalidField("open_case.seeker", "is required");
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckPerson("open_case.seeker", c.seeker(), Presence::kRequired, ctx.now_us));
  if (c.has_respondent()) {
    HAVEN_CASES_RETURN_IF_ERROR(
        CheckPerson("open_case.respondent", c.respondent(), Presence::kRequired, ctx.now_us));
  }
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("open_case.respondent_relationship",
                                        c.respondent_relationship(), v1::Relationship_IsValid,
                                        Presence::kOptional));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEnum("open_case.category", c.category(), v1::Category_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("open_case.subcategory", c.subcategory(),
                                        v1::Subcategory_IsValid, Presence::kOptional));
  if (c.subcategory() != v1::SUBCATEGORY_UNSPECIFIED && c.subcategory() / 100 != c.category()) {
    return InvalidField("open_case.subcategory",
                        absl::StrCat(v1::Subcategory_Name(c.subcategory()), " does not belong to ",
                                     v1::Category_Name(c.category())));
  }
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEnum("open_case.urgency", c.urgency(), v1::Urgency_IsValid, Presence::kRequired));
  std::set<int> tags;
  for (int i = 0; i < c.vulnerability_tags_size(); ++i) {
    const std::string path = absl::StrCat("open_case.vulnerability_tags[", i, "]");
    HAVEN_CASES_RETURN_IF_ERROR(CheckEnum(path, c.vulnerability_tags(i),
                                          v1::VulnerabilityTag_IsValid, Presence::kRequired));
    if (!tags.insert(c.vulnerability_tags(i)).second) {
      return InvalidField(path, "repeats an earlier tag");
    }
  }
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("open_case.org_unit_id", c.org_unit_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("open_case.account", c.account(), kMaxFreeTextChars, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckPastTime("open_case.received_at_us",
                                            TimeOrNow(c.received_at_us(), ctx.now_us), ctx.now_us,
                                            ctx.now_us - kMaxReceivedAgeUs, "366 days ago"));
  return CheckId("open_case.assignee_operator_id", c.assignee_operator_id(), Presence::kOptional);
}

}  // namespace

Decision DecideOpenCase(const CaseState& s, const v1::OpenCase& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckOpenCase(c, ctx));
  Events events;
  v1::CaseEvent opened = NewEvent(ctx);
  v1::CaseOpened* e = opened.mutable_opened();
  e->set_case_id(ctx.case_id);
  e->set_channel(c.channel());
  *e->mutable_seeker() = c.seeker();
  NormalizePerson(e->mutable_seeker());
  if (c.has_respondent()) {
    *e->mutable_respondent() = c.respondent();
    NormalizePerson(e->mutable_respondent());
  }
  e->set_respondent_relationship(c.respondent_relationship());
  e->set_category(c.category());
  e->set_subcategory(c.subcategory());
  e->set_urgency(c.urgency());
  e->set_priority(c.priority());
  *e->mutable_vulnerability_tags() = c.vulnerability_tags();
  e->set_org_unit_id(c.org_unit_id());
  e->set_account(c.account());
  e->set_received_at_us(TimeOrNow(c.received_at_us(), ctx.now_us));
  events.push_back(std::move(opened));
  if (!c.assignee_operator_id().empty()) {
    v1::CaseEvent assigned = NewEvent(ctx);
    assigned.mutable_assigned()->set_operator_id(c.assignee_operator_id());
    events.push_back(std::move(assigned));
  }
  return events;
}

Decision DecideAssignCase(const CaseState& s, const v1::AssignCase& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("assign_case.operator_id", c.operator_id(), Presence::kRequired));
  if (c.operator_id() == s.assignee) {
    return Refuse("already_assigned", absl::StrCat("the case is already assigned to ", s.assignee));
  }
  v1::CaseEvent event = NewEvent(ctx);
  event.mutable_assigned()->set_operator_id(c.operator_id());
  event.mutable_assigned()->set_previous_operator_id(s.assignee);
  return Events{std::move(event)};
}

Decision DecideRecordContact(const CaseState& s, const v1::RecordContact& c,
                             const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("record_contact.method", c.method(),
                                        v1::ContactMethod_IsValid, Presence::kRequired));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEventTime("record_contact.contacted_at_us", c.contacted_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("record_contact.summary", c.summary(), kMaxFreeTextChars, Presence::kRequired));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ContactRecorded* e = event.mutable_contact_recorded();
  e->set_method(c.method());
  e->set_inbound(c.inbound());
  e->set_contacted_at_us(at_us);
  e->set_summary(c.summary());
  return Events{std::move(event)};
}

Decision DecideAddNote(const CaseState& s, const v1::AddNote& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("add_note.text", c.text(), kMaxFreeTextChars, Presence::kRequired));
  v1::CaseEvent event = NewEvent(ctx);
  event.mutable_note_added()->set_text(c.text());
  event.mutable_note_added()->set_internal(c.internal());
  return Events{std::move(event)};
}

Decision DecideAssessRisk(const CaseState& s, const v1::AssessRisk& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEnum("assess_risk.level", c.level(), v1::RiskLevel_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("assess_risk.basis", c.basis(), kMaxReasonChars, Presence::kOptional));
  v1::CaseEvent event = NewEvent(ctx);
  v1::RiskAssessed* e = event.mutable_risk_assessed();
  e->set_level(c.level());
  e->set_previous_level(s.risk);
  e->set_community_early_warning(c.community_early_warning());
  e->set_basis(c.basis());
  return Events{std::move(event)};
}

Decision DecideCloseCase(const CaseState& s, const v1::CloseCase& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("close_case.resolution", c.resolution(),
                                        v1::Resolution_IsValid, Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum(
      "close_case.satisfaction", c.satisfaction(), v1::Satisfaction_IsValid,
      c.resolution() == v1::RESOLUTION_UNREACHABLE ? Presence::kOptional : Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("close_case.closure_note", c.closure_note(),
                                            kMaxFreeTextChars, Presence::kOptional));
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("close_case.pending_referral_reason",
                                            c.pending_referral_reason(), kMaxReasonChars,
                                            Presence::kOptional));
  if (std::optional<std::string> mediation = s.PendingMediationId()) {
    return Refuse("mediation_pending",
                  absl::StrCat("mediation ", *mediation,
                               " has no final outcome; record_mediation_outcome first"));
  }
  const std::vector<std::string> open_referrals = s.OpenReferralIds();
  if (!open_referrals.empty() && c.pending_referral_reason().empty()) {
    return Refuse("referral_pending",
                  absl::StrCat("close_case needs pending_referral_reason while referral ",
                               absl::StrJoin(open_referrals, ", "), " is open"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::CaseClosed* e = event.mutable_closed();
  e->set_resolution(c.resolution());
  e->set_satisfaction(c.satisfaction());
  e->set_closure_note(c.closure_note());
  e->set_pending_referral_reason(c.pending_referral_reason());
  for (const std::string& id : open_referrals) e->add_pending_referral_ids(id);
  return Events{std::move(event)};
}

Decision DecideReopenCase(const CaseState& s, const v1::ReopenCase& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("reopen_case.reason", c.reason(), kMaxReasonChars, Presence::kRequired));
  v1::CaseEvent event = NewEvent(ctx);
  event.mutable_reopened()->set_reason(c.reason());
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
