// The state of one entrepreneurship loan, as the aggregate needs it to
// decide commands: built by folding the loan's events (Evolve), never
// edited otherwise.
//
// Thread safety: a plain value.
#ifndef HAVEN_SERVICES_LOANS_DOMAIN_LOAN_STATE_H_
#define HAVEN_SERVICES_LOANS_DOMAIN_LOAN_STATE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "haven/loans/v1/loan_events.pb.h"

namespace haven::loans {

// Where the loan stands in the chain.  kNotRecommended, kRefused and
// kWithdrawn take nothing more; kSettled only jobs reports.
enum class LoanStep {
  kNone,  // no loan yet
  kApplied,
  kCertified,
  kSubmitted,
  kRecommended,
  kNotRecommended,
  kApproved,
  kRefused,
  kDisbursed,
  kSettled,
  kWithdrawn,
};

// "applied", "certified", ... for messages.
const char* StepName(LoanStep step);

struct LoanState {
  bool exists = false;
  // Version of the last event folded in (from 0); -1 before any.
  int64_t version = -1;

  std::string loan_id;
  LoanStep step = LoanStep::kNone;
  v1::ApplicantKind applicant_kind = v1::APPLICANT_KIND_UNSPECIFIED;
  std::string village_unit_id;
  int64_t applied_fen = 0;
  int32_t term_months = 0;
  v1::LoanPurpose purpose = v1::LOAN_PURPOSE_UNSPECIFIED;
  int32_t jobs_expected = 0;
  int64_t applied_at_us = 0;
  int64_t certified_at_us = 0;
  int64_t submitted_at_us = 0;
  int64_t opinion_at_us = 0;
  int64_t decided_at_us = 0;
  int64_t approved_fen = 0;
  int64_t disbursed_fen = 0;
  int32_t disbursed_term_months = 0;
  int32_t annual_rate_bp = 0;
  int64_t disbursed_at_us = 0;
  int64_t matures_at_us = 0;
  std::set<int32_t> subsidy_periods;
  int64_t subsidy_paid_fen = 0;
  int64_t principal_repaid_fen = 0;
  int64_t interest_repaid_fen = 0;
  // Principal past due not yet repaid; > 0 while the loan is overdue.
  int64_t overdue_fen = 0;
  int32_t jobs_created = 0;
  int64_t settled_at_us = 0;
  int64_t withdrawn_at_us = 0;
  // The time of the latest fact after disbursement (a repayment, subsidy,
  // overdue or jobs report): settlement is not dated before it.
  int64_t last_fact_at_us = 0;

  bool overdue() const { return overdue_fen > 0; }
  int64_t outstanding_fen() const { return disbursed_fen - principal_repaid_fen; }
  // The interest the loan bears over its term at its rate: the most the
  // subsidy may cover.
  int64_t term_interest_fen() const;
};

// Applies one event and advances the version.  Trusts the log: checks
// nothing; an event with no member set only advances the version.
void Evolve(LoanState& state, const v1::LoanEvent& event);

LoanState Fold(const std::vector<v1::LoanEvent>& events);

}  // namespace haven::loans

#endif  // HAVEN_SERVICES_LOANS_DOMAIN_LOAN_STATE_H_
