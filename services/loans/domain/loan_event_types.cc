#include "services/loans/domain/loan_event_types.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace haven::loans {
namespace {

using Case = v1::LoanEvent::EventCase;

constexpr std::pair<Case, absl::string_view> kTypes[] = {
    {Case::kApplied, "loan.applied"},
    {Case::kCertified, "loan.certified"},
    {Case::kSubmitted, "loan.submitted"},
    {Case::kCountyOpinionGiven, "loan.county_opinion_given"},
    {Case::kLenderDecided, "loan.lender_decided"},
    {Case::kDisbursed, "loan.disbursed"},
    {Case::kSubsidyPaid, "loan.subsidy_paid"},
    {Case::kRepaymentRecorded, "loan.repayment_recorded"},
    {Case::kOverdue, "loan.overdue"},
    {Case::kSettled, "loan.settled"},
    {Case::kJobsReported, "loan.jobs_reported"},
    {Case::kWithdrawn, "loan.withdrawn"},
};

}  // namespace

absl::string_view EventTypeOf(Case event_case) {
  for (const auto& [c, type] : kTypes) {
    if (c == event_case) return type;
  }
  return {};
}

Case EventCaseOf(absl::string_view type) {
  for (const auto& [c, t] : kTypes) {
    if (t == type) return c;
  }
  return Case::EVENT_NOT_SET;
}

std::string EncodeLoanEvent(const v1::LoanEvent& event) {
  std::string payload;
  event.SerializeToString(&payload);
  return payload;
}

absl::StatusOr<v1::LoanEvent> DecodeLoanEvent(absl::string_view type, absl::string_view payload) {
  v1::LoanEvent event;
  if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError(
        absl::StrCat("loan event of type ", type, ": payload is not a haven.loans.v1.LoanEvent"));
  }
  const Case expected = EventCaseOf(type);
  if (expected != Case::EVENT_NOT_SET && expected != event.event_case()) {
    return absl::DataLossError(
        absl::StrCat("loan event of type ", type, ": payload holds another event"));
  }
  return event;
}

}  // namespace haven::loans
