#include "services/loans/service/loan_view.h"

#include "absl/strings/str_cat.h"
#include "services/loans/domain/loan_event_types.h"
#include "services/loans/projections/loan_projections.h"

namespace haven::services {
namespace {

namespace v1 = loans::v1;

// Keeps in `view` what the state does not: the applicant and who did what.
void Note(const v1::LoanEvent& event, v1::LoanView* view) {
  switch (event.event_case()) {
    case v1::LoanEvent::kApplied:
      *view->mutable_applicant() = event.applied().applicant();
      view->set_household_members(event.applied().household_members());
      view->set_project(event.applied().project());
      break;
    case v1::LoanEvent::kCertified:
      view->set_certified_by_unit_id(event.certified().unit_id());
      break;
    case v1::LoanEvent::kSubmitted:
      view->set_submitted_by_unit_id(event.submitted().unit_id());
      break;
    case v1::LoanEvent::kCountyOpinionGiven:
      view->set_county_opinion(event.county_opinion_given().opinion());
      view->set_county_unit_id(event.county_opinion_given().unit_id());
      break;
    case v1::LoanEvent::kLenderDecided:
      view->set_lender(event.lender_decided().lender());
      view->set_lender_decision(event.lender_decided().decision());
      break;
    default:
      break;
  }
}

}  // namespace

absl::StatusOr<FoldedLoan> FoldLoan(const std::vector<storage::RecordedEvent>& history) {
  FoldedLoan folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = loans::DecodeLoanEvent(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    Note(*event, &folded.view);
    loans::Evolve(folded.state, *event);
    folded.view.set_position(recorded.position);
    folded.view.set_updated_at_us(recorded.recorded_time_us);
  }
  return folded;
}

v1::LoanView ToLoanView(const FoldedLoan& folded) {
  const loans::LoanState& s = folded.state;
  v1::LoanView view = folded.view;
  view.set_loan_id(s.loan_id);
  view.set_version(static_cast<uint64_t>(s.version));
  view.set_status(loans::LoanStatusOf(s.step));
  view.set_overdue(s.overdue());
  view.set_applicant_kind(s.applicant_kind);
  view.set_village_unit_id(s.village_unit_id);
  view.set_applied_fen(s.applied_fen);
  view.set_term_months(s.term_months);
  view.set_purpose(s.purpose);
  view.set_jobs_expected(s.jobs_expected);
  view.set_applied_at_us(s.applied_at_us);
  view.set_certified_at_us(s.certified_at_us);
  view.set_submitted_at_us(s.submitted_at_us);
  view.set_opinion_at_us(s.opinion_at_us);
  view.set_approved_fen(s.approved_fen);
  view.set_decided_at_us(s.decided_at_us);
  view.set_disbursed_fen(s.disbursed_fen);
  view.set_disbursed_term_months(s.disbursed_term_months);
  view.set_annual_rate_bp(s.annual_rate_bp);
  view.set_disbursed_at_us(s.disbursed_at_us);
  view.set_matures_at_us(s.matures_at_us);
  view.set_subsidy_paid_fen(s.subsidy_paid_fen);
  for (int32_t period : s.subsidy_periods) view.add_subsidy_periods_paid(period);
  view.set_principal_repaid_fen(s.principal_repaid_fen);
  view.set_interest_repaid_fen(s.interest_repaid_fen);
  view.set_outstanding_fen(s.outstanding_fen());
  view.set_overdue_fen(s.overdue_fen);
  view.set_jobs_created(s.jobs_created);
  view.set_settled_at_us(s.settled_at_us);
  view.set_withdrawn_at_us(s.withdrawn_at_us);
  return view;
}

}  // namespace haven::services
