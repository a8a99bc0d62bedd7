// A loan read back from its event stream: the events decoded and folded
// into the aggregate's state plus what the view shows beyond it (the
// applicant, who did each step), and that as the LoanView of GetLoan.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_LOANS_SERVICE_LOAN_VIEW_H_
#define HAVEN_SERVICES_LOANS_SERVICE_LOAN_VIEW_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "haven/loans/v1/loan_service.pb.h"
#include "services/loans/domain/loan_state.h"
#include "storage/event.h"

namespace haven::services {

struct FoldedLoan {
  loans::LoanState state;
  loans::v1::LoanView view;  // the fields the state does not keep
};

// Folds a loan stream's first events in order.  DATA_LOSS naming the
// stream and version if an event does not decode.
absl::StatusOr<FoldedLoan> FoldLoan(const std::vector<storage::RecordedEvent>& history);

loans::v1::LoanView ToLoanView(const FoldedLoan& folded);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_LOANS_SERVICE_LOAN_VIEW_H_
