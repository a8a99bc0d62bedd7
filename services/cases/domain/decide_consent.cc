// The survivor's consent to be referred, by partner type.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases::internal {
namespace {

// At least one partner type, each known, none twice.
absl::Status CheckScope(absl::string_view path, const google::protobuf::RepeatedField<int>& scope) {
  if (scope.empty()) return InvalidField(path, "needs at least one partner type");
  std::set<int> seen;
  for (int i = 0; i < scope.size(); ++i) {
    const std::string item = absl::StrCat(path, "[", i, "]");
    HAVEN_CASES_RETURN_IF_ERROR(
        CheckEnum(item, scope[i], v1::PartnerType_IsValid, Presence::kRequired));
    if (!seen.insert(scope[i]).second) return InvalidField(item, "repeats an earlier type");
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideRecordConsent(const CaseState& s, const v1::RecordConsent& c,
                             const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckScope("record_consent.scope", c.scope()));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEnum("record_consent.form", c.form(), v1::ConsentForm_IsValid, Presence::kRequired));
  int64_t given_at_us;
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckEventTime("record_consent.given_at_us", c.given_at_us(), s, ctx, &given_at_us));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("record_consent.note", c.note(), kMaxReasonChars, Presence::kOptional));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ConsentRecorded* e = event.mutable_consent_recorded();
  *e->mutable_scope() = c.scope();
  e->set_form(c.form());
  e->set_given_at_us(given_at_us);
  e->set_note(c.note());
  return Events{std::move(event)};
}

Decision DecideWithdrawConsent(const CaseState& s, const v1::WithdrawConsent& c,
                               const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckScope("withdraw_consent.scope", c.scope()));
  int64_t withdrawn_at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckEventTime("withdraw_consent.withdrawn_at_us",
                                             c.withdrawn_at_us(), s, ctx, &withdrawn_at_us));
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckFreeText("withdraw_consent.reason", c.reason(), kMaxReasonChars, Presence::kOptional));
  for (int type : c.scope()) {
    if (s.consent.count(static_cast<v1::PartnerType>(type)) == 0) {
      return Refuse("consent_not_recorded", absl::StrCat("there is no consent to withdraw for ",
                                                         v1::PartnerType_Name(type)));
    }
  }
  v1::CaseEvent event = NewEvent(ctx);
  v1::ConsentWithdrawn* e = event.mutable_consent_withdrawn();
  *e->mutable_scope() = c.scope();
  e->set_withdrawn_at_us(withdrawn_at_us);
  e->set_reason(c.reason());
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
