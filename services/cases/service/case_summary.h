// One-line summaries of case events for timelines, in Chinese and English.
// A summary names what happened with enum labels, ids, times and the names
// of bodies (courts, committees, partners), and never personal data: no
// names, phones, ID numbers, addresses or free text of any field the
// schema marks with (haven.v1.personal_data), nor a mediation's location.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_SUMMARY_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_SUMMARY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "haven/cases/v1/case_events.pb.h"

namespace haven::services {

struct EventSummary {
  std::string zh;  // e.g. "立案：12338热线，家庭暴力，紧急，单位 nj-xw"
  std::string en;  // e.g. "Case opened: hotline, domestic violence, urgent, unit nj-xw"
};

// The summary of `event`, recorded under the log type `type` (named in the
// summary of an event this code does not know).
EventSummary SummarizeCaseEvent(const cases::v1::CaseEvent& event, absl::string_view type);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_SUMMARY_H_
