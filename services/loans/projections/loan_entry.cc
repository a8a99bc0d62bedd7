#include <algorithm>

#include "services/loans/projections/loan_projections.h"

namespace haven::loans {

v1::LoanStatus LoanStatusOf(LoanStep step) {
  switch (step) {
    case LoanStep::kNone:
      return v1::LOAN_STATUS_UNSPECIFIED;
    case LoanStep::kApplied:
      return v1::LOAN_STATUS_APPLIED;
    case LoanStep::kCertified:
      return v1::LOAN_STATUS_CERTIFIED;
    case LoanStep::kSubmitted:
      return v1::LOAN_STATUS_SUBMITTED;
    case LoanStep::kRecommended:
      return v1::LOAN_STATUS_RECOMMENDED;
    case LoanStep::kNotRecommended:
      return v1::LOAN_STATUS_NOT_RECOMMENDED;
    case LoanStep::kApproved:
      return v1::LOAN_STATUS_APPROVED;
    case LoanStep::kRefused:
      return v1::LOAN_STATUS_REFUSED;
    case LoanStep::kDisbursed:
      return v1::LOAN_STATUS_DISBURSED;
    case LoanStep::kSettled:
      return v1::LOAN_STATUS_SETTLED;
    case LoanStep::kWithdrawn:
      return v1::LOAN_STATUS_WITHDRAWN;
  }
  return v1::LOAN_STATUS_UNSPECIFIED;
}

bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::LoanEvent& event,
                   v1::LoanListEntry* entry) {
  using E = v1::LoanEvent;
  const bool applied = !entry->loan_id().empty();
  if (applied == (event.event_case() == E::kApplied)) return false;
  switch (event.event_case()) {
    case E::kApplied: {
      const v1::LoanApplied& e = event.applied();
      entry->set_loan_id(recorded.stream);
      entry->set_village_unit_id(e.village_unit_id());
      entry->set_status(v1::LOAN_STATUS_APPLIED);
      entry->set_applicant_kind(e.applicant_kind());
      entry->set_purpose(e.purpose());
      entry->set_applied_fen(e.amount_fen());
      entry->set_applied_at_us(e.applied_at_us());
      break;
    }
    case E::kCertified:
      entry->set_status(v1::LOAN_STATUS_CERTIFIED);
      break;
    case E::kSubmitted:
      entry->set_status(v1::LOAN_STATUS_SUBMITTED);
      break;
    case E::kCountyOpinionGiven:
      entry->set_status(event.county_opinion_given().opinion() == v1::COUNTY_OPINION_FAVOURABLE
                            ? v1::LOAN_STATUS_RECOMMENDED
                            : v1::LOAN_STATUS_NOT_RECOMMENDED);
      break;
    case E::kLenderDecided:
      if (event.lender_decided().decision() == v1::LENDER_DECISION_APPROVED) {
        entry->set_status(v1::LOAN_STATUS_APPROVED);
        entry->set_approved_fen(event.lender_decided().approved_amount_fen());
      } else {
        entry->set_status(v1::LOAN_STATUS_REFUSED);
      }
      break;
    case E::kDisbursed:
      entry->set_status(v1::LOAN_STATUS_DISBURSED);
      entry->set_disbursed_fen(event.disbursed().amount_fen());
      entry->set_outstanding_fen(event.disbursed().amount_fen());
      break;
    case E::kRepaymentRecorded: {
      const int64_t principal = event.repayment_recorded().principal_fen();
      entry->set_outstanding_fen(entry->outstanding_fen() - principal);
      entry->set_overdue_fen(std::max<int64_t>(0, entry->overdue_fen() - principal));
      break;
    }
    case E::kOverdue:
      entry->set_overdue_fen(event.overdue().overdue_fen());
      break;
    case E::kSettled:
      entry->set_status(v1::LOAN_STATUS_SETTLED);
      entry->set_overdue_fen(0);
      break;
    case E::kJobsReported:
      entry->set_jobs_created(event.jobs_reported().jobs_created());
      break;
    case E::kWithdrawn:
      entry->set_status(v1::LOAN_STATUS_WITHDRAWN);
      break;
    case E::kSubsidyPaid:
    case E::EVENT_NOT_SET:
      break;
  }
  entry->set_overdue(entry->overdue_fen() > 0);
  entry->set_updated_at_us(recorded.recorded_time_us);
  entry->set_version(recorded.version);
  return true;
}

}  // namespace haven::loans
