#include "services/loans/domain/loan_state.h"

#include <algorithm>

namespace haven::loans {

const char* StepName(LoanStep step) {
  switch (step) {
    case LoanStep::kNone:
      return "not applied";
    case LoanStep::kApplied:
      return "applied";
    case LoanStep::kCertified:
      return "certified";
    case LoanStep::kSubmitted:
      return "submitted";
    case LoanStep::kRecommended:
      return "recommended";
    case LoanStep::kNotRecommended:
      return "not recommended";
    case LoanStep::kApproved:
      return "approved";
    case LoanStep::kRefused:
      return "refused";
    case LoanStep::kDisbursed:
      return "disbursed";
    case LoanStep::kSettled:
      return "settled";
    case LoanStep::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

int64_t LoanState::term_interest_fen() const {
  // amount × rate (bp / 10,000) × months / 12, rounded down; fits in int64
  // for any amount the rules allow (≤ 5·10^7 fen, ≤ 2,000 bp, ≤ 36 months).
  return disbursed_fen * annual_rate_bp * disbursed_term_months / (10'000 * 12);
}

void Evolve(LoanState& s, const v1::LoanEvent& event) {
  ++s.version;
  using E = v1::LoanEvent;
  switch (event.event_case()) {
    case E::kApplied: {
      const v1::LoanApplied& e = event.applied();
      s.exists = true;
      s.step = LoanStep::kApplied;
      s.loan_id = e.loan_id();
      s.applicant_kind = e.applicant_kind();
      s.village_unit_id = e.village_unit_id();
      s.applied_fen = e.amount_fen();
      s.term_months = e.term_months();
      s.purpose = e.purpose();
      s.jobs_expected = e.jobs_expected();
      s.applied_at_us = e.applied_at_us();
      break;
    }
    case E::kCertified:
      s.step = LoanStep::kCertified;
      s.certified_at_us = event.certified().certified_at_us();
      break;
    case E::kSubmitted:
      s.step = LoanStep::kSubmitted;
      s.submitted_at_us = event.submitted().submitted_at_us();
      break;
    case E::kCountyOpinionGiven:
      s.step = event.county_opinion_given().opinion() == v1::COUNTY_OPINION_FAVOURABLE
                   ? LoanStep::kRecommended
                   : LoanStep::kNotRecommended;
      s.opinion_at_us = event.county_opinion_given().given_at_us();
      break;
    case E::kLenderDecided: {
      const v1::LenderDecided& e = event.lender_decided();
      const bool approved = e.decision() == v1::LENDER_DECISION_APPROVED;
      s.step = approved ? LoanStep::kApproved : LoanStep::kRefused;
      s.approved_fen = approved ? e.approved_amount_fen() : 0;
      s.decided_at_us = e.decided_at_us();
      break;
    }
    case E::kDisbursed: {
      const v1::LoanDisbursed& e = event.disbursed();
      s.step = LoanStep::kDisbursed;
      s.disbursed_fen = e.amount_fen();
      s.disbursed_term_months = e.term_months();
      s.annual_rate_bp = e.annual_rate_bp();
      s.disbursed_at_us = e.disbursed_at_us();
      s.matures_at_us = e.matures_at_us();
      s.last_fact_at_us = e.disbursed_at_us();
      break;
    }
    case E::kSubsidyPaid:
      s.subsidy_periods.insert(event.subsidy_paid().period());
      s.subsidy_paid_fen += event.subsidy_paid().amount_fen();
      s.last_fact_at_us = std::max(s.last_fact_at_us, event.subsidy_paid().paid_at_us());
      break;
    case E::kRepaymentRecorded: {
      const v1::RepaymentRecorded& e = event.repayment_recorded();
      s.principal_repaid_fen += e.principal_fen();
      s.interest_repaid_fen += e.interest_fen();
      s.overdue_fen = std::max<int64_t>(0, s.overdue_fen - e.principal_fen());
      s.last_fact_at_us = std::max(s.last_fact_at_us, e.repaid_at_us());
      break;
    }
    case E::kOverdue:
      s.overdue_fen = event.overdue().overdue_fen();
      s.last_fact_at_us = std::max(s.last_fact_at_us, event.overdue().overdue_at_us());
      break;
    case E::kSettled:
      s.step = LoanStep::kSettled;
      s.overdue_fen = 0;
      s.settled_at_us = event.settled().settled_at_us();
      break;
    case E::kJobsReported:
      s.jobs_created = event.jobs_reported().jobs_created();
      s.last_fact_at_us = std::max(s.last_fact_at_us, event.jobs_reported().reported_at_us());
      break;
    case E::kWithdrawn:
      s.step = LoanStep::kWithdrawn;
      s.withdrawn_at_us = event.withdrawn().withdrawn_at_us();
      break;
    case E::EVENT_NOT_SET:
      break;
  }
}

LoanState Fold(const std::vector<v1::LoanEvent>& events) {
  LoanState state;
  for (const v1::LoanEvent& e : events) Evolve(state, e);
  return state;
}

}  // namespace haven::loans
