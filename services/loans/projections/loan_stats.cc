// loan_stats: counter rows by the loan's village and the CST day each fact
// was recorded (PROJECTIONS.md).  Balances (overdue, outstanding) are
// deltas summed from the first day; everything else counts facts.
#include <algorithm>

#include "services/common/stats/counter_rows.h"
#include "services/loans/projections/loan_projection_base.h"
#include "services/loans/projections/loan_projections.h"

namespace haven::loans {
namespace {

// Counter ids of the 'n' rows; each a count or sum of facts recorded on
// the bucket's day unless it says delta.
enum Counter : uint32_t {
  kApplied = 1,
  kAppliedFen = 2,
  kCertified = 3,
  kSubmitted = 4,
  kFavourable = 5,
  kUnfavourable = 6,
  kApproved = 7,
  kApprovedFen = 8,
  kRefused = 9,
  kWithdrawn = 10,
  kDisbursed = 11,
  kDisbursedFen = 12,
  kDisbursedToWomen = 13,
  kDisbursedToHouseholds = 14,
  kSubsidyPayments = 15,
  kSubsidyFen = 16,
  kRepayments = 17,
  kRepaidPrincipalFen = 18,
  kRepaidInterestFen = 19,
  kMarkedOverdue = 20,
  kOverdueDelta = 21,     // +1 when a loan becomes overdue, -1 when it stops
  kOverdueFenDelta = 22,  // change in principal past due
  kSettled = 23,
  kJobsDelta = 24,            // change in jobs reported
  kOutstandingDelta = 25,     // +1 disbursed, -1 settled
  kOutstandingFenDelta = 26,  // change in principal outstanding
  kDisbursedByPurpose = 100,  // + LoanPurpose
  kDisbursedFenByPurpose = 200,
  kCounterIds = 300,
};

uint32_t PurposeOffset(int purpose) {
  return purpose >= 0 && purpose < 100 ? static_cast<uint32_t>(purpose) : 0;
}

bool Outstanding(const v1::LoanListEntry& e) { return e.status() == v1::LOAN_STATUS_DISBURSED; }

class LoanStatsProjection final : public LoanProjection {
 public:
  std::string name() const override { return kLoanStatsNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::LoanEvent& event,
                       const v1::LoanListEntry& before, const v1::LoanListEntry& after,
                       storage::NamespaceBatch& rows) const override {
    stats::CounterDeltas deltas("s/");
    const std::string& unit = after.village_unit_id();
    const stats::DayNumber day = stats::CstDayOf(recorded.recorded_time_us);
    auto count = [&](uint32_t id, int64_t delta = 1) { deltas.Add(unit, day, id, delta); };
    using E = v1::LoanEvent;
    switch (event.event_case()) {
      case E::kApplied:
        count(kApplied);
        count(kAppliedFen, after.applied_fen());
        break;
      case E::kCertified:
        count(kCertified);
        break;
      case E::kSubmitted:
        count(kSubmitted);
        break;
      case E::kCountyOpinionGiven:
        count(after.status() == v1::LOAN_STATUS_RECOMMENDED ? kFavourable : kUnfavourable);
        break;
      case E::kLenderDecided:
        if (after.status() == v1::LOAN_STATUS_APPROVED) {
          count(kApproved);
          count(kApprovedFen, after.approved_fen());
        } else {
          count(kRefused);
        }
        break;
      case E::kDisbursed:
        count(kDisbursed);
        count(kDisbursedFen, after.disbursed_fen());
        count(after.applicant_kind() == v1::APPLICANT_KIND_HOUSEHOLD ? kDisbursedToHouseholds
                                                                     : kDisbursedToWomen);
        count(kDisbursedByPurpose + PurposeOffset(after.purpose()));
        count(kDisbursedFenByPurpose + PurposeOffset(after.purpose()), after.disbursed_fen());
        break;
      case E::kSubsidyPaid:
        count(kSubsidyPayments);
        count(kSubsidyFen, event.subsidy_paid().amount_fen());
        break;
      case E::kRepaymentRecorded:
        count(kRepayments);
        count(kRepaidPrincipalFen, event.repayment_recorded().principal_fen());
        count(kRepaidInterestFen, event.repayment_recorded().interest_fen());
        break;
      case E::kOverdue:
        count(kMarkedOverdue);
        break;
      case E::kSettled:
        count(kSettled);
        break;
      case E::kWithdrawn:
        count(kWithdrawn);
        break;
      case E::kJobsReported:
      case E::EVENT_NOT_SET:
        break;
    }
    count(kOverdueDelta, int64_t{after.overdue()} - int64_t{before.overdue()});
    count(kOverdueFenDelta, after.overdue_fen() - before.overdue_fen());
    count(kJobsDelta, int64_t{after.jobs_created()} - before.jobs_created());
    count(kOutstandingDelta, int64_t{Outstanding(after)} - int64_t{Outstanding(before)});
    count(kOutstandingFenDelta, after.outstanding_fen() - before.outstanding_fen());
    return deltas.Write(rows);
  }
};

}  // namespace

std::unique_ptr<storage::Projection> MakeLoanStatsProjection() {
  return std::make_unique<LoanStatsProjection>();
}

absl::StatusOr<v1::LoanStatistics> LoanStatistics(const storage::ReadModelStore& store,
                                                  const std::vector<std::string>& unit_ids,
                                                  stats::DayNumber from, stats::DayNumber to,
                                                  stats::DayNumber as_of) {
  stats::PeriodQuery query;
  query.unit_ids = unit_ids;
  query.from = from;
  query.to = to;
  query.as_of = as_of;
  query.ids = kCounterIds;
  absl::StatusOr<stats::PeriodSums> sums = stats::SumPeriod(store, kLoanStatsNamespace, "s/", query);
  if (!sums.ok()) return sums.status();
  const stats::PeriodSums& s = *sums;
  v1::LoanStatistics out;
  out.set_from_day(stats::DayText(from));
  out.set_to_day(stats::DayText(std::min(to, as_of)));
  out.set_as_of_day(stats::DayText(as_of));
  out.set_applied(s.During(kApplied));
  out.set_applied_fen(s.During(kAppliedFen));
  out.set_certified(s.During(kCertified));
  out.set_submitted(s.During(kSubmitted));
  out.set_favourable_opinions(s.During(kFavourable));
  out.set_unfavourable_opinions(s.During(kUnfavourable));
  out.set_approved(s.During(kApproved));
  out.set_approved_fen(s.During(kApprovedFen));
  out.set_refused(s.During(kRefused));
  out.set_withdrawn(s.During(kWithdrawn));
  out.set_disbursed(s.During(kDisbursed));
  out.set_disbursed_fen(s.During(kDisbursedFen));
  out.set_disbursed_to_women(s.During(kDisbursedToWomen));
  out.set_disbursed_to_households(s.During(kDisbursedToHouseholds));
  for (int purpose = 1; v1::LoanPurpose_IsValid(purpose); ++purpose) {
    const int64_t count = s.During(kDisbursedByPurpose + purpose);
    if (count == 0) continue;
    v1::PurposeCount* c = out.add_disbursed_by_purpose();
    c->set_purpose(static_cast<v1::LoanPurpose>(purpose));
    c->set_count(count);
    c->set_fen(s.During(kDisbursedFenByPurpose + purpose));
  }
  out.set_subsidy_payments(s.During(kSubsidyPayments));
  out.set_subsidy_fen(s.During(kSubsidyFen));
  out.set_repayments(s.During(kRepayments));
  out.set_repaid_principal_fen(s.During(kRepaidPrincipalFen));
  out.set_repaid_interest_fen(s.During(kRepaidInterestFen));
  out.set_marked_overdue(s.During(kMarkedOverdue));
  out.set_overdue_at_end(s.AtEnd(kOverdueDelta));
  out.set_overdue_fen_at_end(s.AtEnd(kOverdueFenDelta));
  out.set_settled(s.During(kSettled));
  out.set_jobs_created(s.During(kJobsDelta));
  out.set_outstanding_at_end(s.AtEnd(kOutstandingDelta));
  out.set_outstanding_fen_at_end(s.AtEnd(kOutstandingFenDelta));
  return out;
}

}  // namespace haven::loans
