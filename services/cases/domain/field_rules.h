// The case aggregate checks its fields with the rules every context shares
// (services/common/field_rules.h); this brings them into haven::cases.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_FIELD_RULES_H_
#define HAVEN_SERVICES_CASES_DOMAIN_FIELD_RULES_H_

#include "services/common/field_rules.h"

namespace haven::cases {

using fields::kClockSkewUs;
using fields::kMaxFreeTextChars;
using fields::kMaxIdBytes;
using fields::kMaxNameChars;
using fields::kMaxReasonChars;
using fields::kMaxShortTextChars;
using fields::kMicrosPerDay;
using fields::kMicrosPerHour;
using fields::kMicrosPerMinute;
using fields::kMicrosPerSecond;
using fields::Presence;

using fields::CheckEnum;
using fields::CheckFreeText;
using fields::CheckId;
using fields::CheckLine;
using fields::CheckPastTime;
using fields::CheckPhone;
using fields::CstYear;
using fields::FormatCst;
using fields::InvalidField;
using fields::TimeOrNow;
using fields::Utf8Length;

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_FIELD_RULES_H_
