// Assistance granted to the woman, and follow-ups.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases::internal {
namespace {

constexpr int64_t kMaxAssistanceFen = 100'000'000;  // one million yuan
constexpr int kFirstFundYear = 2000;
constexpr int64_t kMaxFollowUpAheadUs = 731 * kMicrosPerDay;  // two years

bool IsMoneyRelief(v1::AssistanceKind kind) {
  return kind == v1::ASSISTANCE_KIND_HARDSHIP_RELIEF ||
         kind == v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF ||
         kind == v1::ASSISTANCE_KIND_LEGAL_AID_FEE;
}

absl::Status CheckAssistance(const v1::GrantAssistance& c, const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("grant_assistance.kind", c.kind(),
                                        v1::AssistanceKind_IsValid, Presence::kRequired));
  if (c.amount_fen() < 0) {
    return InvalidField("grant_assistance.amount_fen", "must not be negative");
  }
  if (c.amount_fen() > kMaxAssistanceFen) {
    return InvalidField(
        "grant_assistance.amount_fen",
        absl::StrCat("must be at most ", kMaxAssistanceFen, " fen (1,000,000 yuan)"));
  }
  if (c.amount_fen() == 0 && IsMoneyRelief(c.kind())) {
    return InvalidField("grant_assistance.amount_fen",
                        absl::StrCat("must be positive for ", v1::AssistanceKind_Name(c.kind())));
  }
  const int last_year = CstYear(ctx.now_us) + 1;
  if (c.kind() == v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF && c.fund_year() == 0) {
    return InvalidField("grant_assistance.fund_year",
                        "is required for two-cancers relief (its places are counted per year)");
  }
  if (c.fund_year() != 0 && (c.fund_year() < kFirstFundYear || c.fund_year() > last_year)) {
    return InvalidField("grant_assistance.fund_year",
                        absl::StrCat("must be 0 or from ", kFirstFundYear, " to ", last_year));
  }
  return CheckFreeText("grant_assistance.note", c.note(), kMaxReasonChars, Presence::kOptional);
}

}  // namespace

Decision DecideGrantAssistance(const CaseState& s, const v1::GrantAssistance& c,
                               const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckAssistance(c, ctx));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEventTime("grant_assistance.granted_at_us", c.granted_at_us(), s, ctx, &at_us));
  if (c.kind() == v1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF &&
      s.two_cancers_relief_years.count(c.fund_year()) > 0) {
    return Refuse("two_cancers_relief_once_per_year",
                  absl::StrCat("this case already received two-cancers relief from the ",
                               c.fund_year(), " fund"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::AssistanceGranted* e = event.mutable_assistance_granted();
  e->set_kind(c.kind());
  e->set_amount_fen(c.amount_fen());
  e->set_fund_year(c.fund_year());
  e->set_granted_at_us(at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

Decision DecideScheduleFollowUp(const CaseState& s, const v1::ScheduleFollowUp& c,
                                const DecideContext& ctx) {
  if (c.due_at_us() == 0) return InvalidField("schedule_follow_up.due_at_us", "is required");
  if (c.due_at_us() <= s.received_at_us) {
    return InvalidField(
        "schedule_follow_up.due_at_us",
        absl::StrCat("must be after the case was received (", FormatCst(s.received_at_us), ")"));
  }
  if (c.due_at_us() > ctx.now_us + kMaxFollowUpAheadUs) {
    return InvalidField("schedule_follow_up.due_at_us", "must be within two years from now");
  }
  HAVEN_CASES_RETURN_IF_ERROR(CheckFreeText("schedule_follow_up.purpose", c.purpose(),
                                            kMaxReasonChars, Presence::kOptional));
  HAVEN_CASES_RETURN_IF_ERROR(CheckNewId(ctx, s.follow_ups, "follow-up"));
  v1::CaseEvent event = NewEvent(ctx);
  v1::FollowUpScheduled* e = event.mutable_follow_up_scheduled();
  e->set_follow_up_id(ctx.new_id);
  e->set_due_at_us(c.due_at_us());
  e->set_purpose(c.purpose());
  return Events{std::move(event)};
}

Decision DecideCompleteFollowUp(const CaseState& s, const v1::CompleteFollowUp& c,
                                const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("complete_follow_up.follow_up_id", c.follow_up_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("complete_follow_up.method", c.method(),
                                        v1::ContactMethod_IsValid, Presence::kRequired));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEventTime("complete_follow_up.done_at_us", c.done_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("complete_follow_up.note", c.note(), kMaxFreeTextChars, Presence::kOptional));
  auto it = s.follow_ups.find(c.follow_up_id());
  if (it == s.follow_ups.end()) {
    return Refuse("follow_up_not_found",
                  absl::StrCat("no follow-up ", c.follow_up_id(), " was scheduled on this case"));
  }
  if (it->second.done) {
    return Refuse("follow_up_already_done",
                  absl::StrCat("follow-up ", c.follow_up_id(), " was done at ",
                               FormatCst(it->second.done_at_us)));
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::FollowUpDone* e = event.mutable_follow_up_done();
  e->set_follow_up_id(c.follow_up_id());
  e->set_method(c.method());
  e->set_done_at_us(at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
