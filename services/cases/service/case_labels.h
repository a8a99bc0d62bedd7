// Readable labels of the case schema's enum values, in Chinese (the words
// the federation uses) and English (the value's name without its prefix,
// e.g. CHANNEL_HOME_VISIT -> "home visit").  For timelines and clients that
// show a case; values this code does not know read "未知(7)" / "unknown (7)".
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_LABELS_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_LABELS_H_

#include <string>

#include "haven/cases/v1/case_events.pb.h"

namespace haven::services {

struct Label {
  std::string zh;
  std::string en;
};

Label LabelOf(cases::v1::Channel value);
Label LabelOf(cases::v1::Category value);
Label LabelOf(cases::v1::Urgency value);
Label LabelOf(cases::v1::RiskLevel value);
Label LabelOf(cases::v1::ContactMethod value);
Label LabelOf(cases::v1::CommitteeLevel value);
Label LabelOf(cases::v1::MediationOutcome value);
Label LabelOf(cases::v1::AgreementCompliance value);
Label LabelOf(cases::v1::PartnerType value);
Label LabelOf(cases::v1::ConsentForm value);
Label LabelOf(cases::v1::ReferralProgressKind value);
Label LabelOf(cases::v1::ReferralOutcome value);
Label LabelOf(cases::v1::AssistanceKind value);
Label LabelOf(cases::v1::Resolution value);
Label LabelOf(cases::v1::Satisfaction value);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_LABELS_H_
