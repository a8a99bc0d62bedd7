#include "services/targets/domain/target_decide.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/decide_support.h"
#include "services/common/field_rules.h"
#include "services/targets/domain/indicators.h"

namespace haven::targets {
namespace {

using fields::CheckEnum;
using fields::CheckLine;
using fields::InvalidField;
using fields::Presence;
using fields::Refuse;

constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2100;

// The checks SetTarget and WithdrawTarget share: the unit, the year, the
// period and the indicator.  The indicator found is returned in *found.
template <typename Command>
absl::Status CheckWhichTarget(const Command& command, const DecideContext& context,
                              const IndicatorInfo** found) {
  if (!context.unit.exists) {
    return InvalidField("unit_id", "no such unit in the directory");
  }
  if (!context.unit.open) {
    return Refuse("unit_closed", absl::StrCat("unit ", context.unit.id,
                                              " is closed; its targets can no longer change"));
  }
  if (auto s = CheckTargetYear(command.year()); !s.ok()) return s;
  if (auto s = CheckEnum("period", command.period(), v1::TargetPeriod_IsValid, Presence::kRequired);
      !s.ok()) {
    return s;
  }
  *found = FindIndicator(command.indicator());
  if (*found == nullptr) {
    return InvalidField("indicator",
                        "not an indicator: \"<context>.<statistic>\" as ListIndicators names "
                        "them, e.g. cases.closure_rate");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckTargetYear(int year, absl::string_view path) {
  if (year < kFirstYear || year > kLastYear) {
    return InvalidField(path, absl::StrCat("must be a year from ", kFirstYear, " to ", kLastYear));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::TargetEvent>> DecideSetTarget(const TargetsState& state,
                                                             const v1::SetTargetRequest& command,
                                                             const DecideContext& context) {
  const IndicatorInfo* indicator = nullptr;
  if (auto s = CheckWhichTarget(command, context, &indicator); !s.ok()) return s;
  if (auto s = CheckEnum("comparison", command.comparison(), v1::Comparison_IsValid,
                         Presence::kOptional);
      !s.ok()) {
    return s;
  }
  const int64_t max = MaxTargetValue(indicator->kind);
  if (command.value() < 0 || command.value() > max) {
    return InvalidField("value", absl::StrCat("must be from 0 to ", max, " for ", indicator->name,
                                              indicator->kind == v1::INDICATOR_KIND_RATE
                                                  ? " (hundredths of a percent: 10000 is 100%)"
                                                  : ""));
  }
  if (auto s = CheckLine("note", command.note(), fields::kMaxShortTextChars, Presence::kOptional);
      !s.ok()) {
    return s;
  }
  const TargetKey key{command.year(), command.period(), command.indicator()};
  const v1::Comparison comparison = EffectiveComparison(command.comparison());
  const TargetEntry* current = state.Find(key);
  if (current != nullptr && current->value == command.value() &&
      current->comparison == comparison) {
    return Refuse("target_unchanged",
                  absl::StrCat("the target of ", indicator->name, " for this period of ",
                               command.year(), " is already ", command.value()));
  }
  v1::TargetEvent event;
  v1::TargetSet& set = *event.mutable_target_set();
  set.set_unit_id(context.unit.id);
  set.set_year(command.year());
  set.set_period(command.period());
  set.set_indicator(command.indicator());
  set.set_comparison(comparison);
  set.set_value(command.value());
  if (current != nullptr) set.set_previous_value(current->value);
  set.set_note(command.note());
  set.set_set_at_us(context.now_us);
  return std::vector<v1::TargetEvent>{std::move(event)};
}

absl::StatusOr<std::vector<v1::TargetEvent>> DecideWithdrawTarget(
    const TargetsState& state, const v1::WithdrawTargetRequest& command,
    const DecideContext& context) {
  const IndicatorInfo* indicator = nullptr;
  if (auto s = CheckWhichTarget(command, context, &indicator); !s.ok()) return s;
  if (auto s = CheckLine("reason", command.reason(), fields::kMaxShortTextChars,
                         Presence::kRequired);
      !s.ok()) {
    return s;
  }
  if (state.Find({command.year(), command.period(), command.indicator()}) == nullptr) {
    return Refuse("target_not_set",
                  absl::StrCat("unit ", context.unit.id, " has no target of ", indicator->name,
                               " for this period of ", command.year()));
  }
  v1::TargetEvent event;
  v1::TargetWithdrawn& withdrawn = *event.mutable_target_withdrawn();
  withdrawn.set_unit_id(context.unit.id);
  withdrawn.set_year(command.year());
  withdrawn.set_period(command.period());
  withdrawn.set_indicator(command.indicator());
  withdrawn.set_reason(command.reason());
  withdrawn.set_withdrawn_at_us(context.now_us);
  return std::vector<v1::TargetEvent>{std::move(event)};
}

}  // namespace haven::targets
