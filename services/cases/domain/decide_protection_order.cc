// Personal-safety protection orders (人身安全保护令): applied for, then
// granted with an expiry or denied.
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/decide_internal.h"

namespace haven::cases::internal {
namespace {

// Anti-Domestic Violence Law art. 30: an order lasts at most six months.
constexpr int64_t kMaxOrderDurationUs = 184 * kMicrosPerDay;

absl::Status CheckDecisionFields(const v1::RecordProtectionOrderDecision& c, int64_t decided_us) {
  constexpr absl::string_view kPrefix = "record_protection_order_decision.";
  const auto path = [&](absl::string_view f) { return absl::StrCat(kPrefix, f); };
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId(path("court_reference"), c.court_reference(), Presence::kOptional));
  if (c.decision() == v1::PROTECTION_ORDER_DECISION_DENIED) {
    if (c.expires_at_us() != 0) {
      return InvalidField(path("expires_at_us"), "must be 0 for a denied application");
    }
    return CheckFreeText(path("reason"), c.reason(), kMaxReasonChars, Presence::kRequired);
  }
  if (!c.reason().empty()) {
    return InvalidField(path("reason"), "is only for a denied application");
  }
  if (c.expires_at_us() == 0) return InvalidField(path("expires_at_us"), "is required");
  if (c.expires_at_us() <= decided_us) {
    return InvalidField(path("expires_at_us"),
                        absl::StrCat("must be after the grant (", FormatCst(decided_us), ")"));
  }
  if (c.expires_at_us() > decided_us + kMaxOrderDurationUs) {
    return InvalidField(path("expires_at_us"),
                        "must be at most six months (184 days) after the grant "
                        "(Anti-Domestic Violence Law art. 30)");
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideApplyProtectionOrder(const CaseState& s, const v1::ApplyProtectionOrder& c,
                                    const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(CheckLine("apply_protection_order.court_name", c.court_name(),
                                        kMaxShortTextChars, Presence::kRequired));
  int64_t at_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckPriorFactTime("apply_protection_order.applied_at_us",
                                                 c.applied_at_us(), s, ctx, &at_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckNewId(ctx, s.protection_orders, "protection order"));
  v1::CaseEvent event = NewEvent(ctx);
  v1::ProtectionOrderApplied* e = event.mutable_protection_order_applied();
  e->set_order_id(ctx.new_id);
  e->set_court_name(c.court_name());
  e->set_emergency(c.emergency());
  e->set_applied_at_us(at_us);
  return Events{std::move(event)};
}

Decision DecideRecordProtectionOrderDecision(const CaseState& s,
                                             const v1::RecordProtectionOrderDecision& c,
                                             const DecideContext& ctx) {
  HAVEN_CASES_RETURN_IF_ERROR(
      CheckId("record_protection_order_decision.order_id", c.order_id(), Presence::kRequired));
  HAVEN_CASES_RETURN_IF_ERROR(CheckEnum("record_protection_order_decision.decision", c.decision(),
                                        v1::ProtectionOrderDecision_IsValid, Presence::kRequired));
  int64_t decided_us;
  HAVEN_CASES_RETURN_IF_ERROR(CheckPriorFactTime("record_protection_order_decision.decided_at_us",
                                                 c.decided_at_us(), s, ctx, &decided_us));
  HAVEN_CASES_RETURN_IF_ERROR(CheckDecisionFields(c, decided_us));
  auto it = s.protection_orders.find(c.order_id());
  if (it == s.protection_orders.end()) {
    return Refuse(
        "protection_order_not_applied",
        absl::StrCat("no application for protection order ", c.order_id(), " on this case"));
  }
  if (it->second.status != ProtectionOrderStatus::kApplied) {
    return Refuse(
        "protection_order_already_decided",
        absl::StrCat("protection order ", c.order_id(), " was already ",
                     it->second.status == ProtectionOrderStatus::kGranted ? "granted" : "denied"));
  }
  if (decided_us < it->second.applied_at_us) {
    return InvalidField("record_protection_order_decision.decided_at_us",
                        absl::StrCat("must not be before the application (",
                                     FormatCst(it->second.applied_at_us), ")"));
  }
  v1::CaseEvent event = NewEvent(ctx);
  if (c.decision() == v1::PROTECTION_ORDER_DECISION_GRANTED) {
    v1::ProtectionOrderGranted* e = event.mutable_protection_order_granted();
    e->set_order_id(c.order_id());
    e->set_granted_at_us(decided_us);
    e->set_expires_at_us(c.expires_at_us());
    e->set_court_reference(c.court_reference());
  } else {
    v1::ProtectionOrderDenied* e = event.mutable_protection_order_denied();
    e->set_order_id(c.order_id());
    e->set_decided_at_us(decided_us);
    e->set_reason(c.reason());
  }
  return Events{std::move(event)};
}

}  // namespace haven::cases::internal
