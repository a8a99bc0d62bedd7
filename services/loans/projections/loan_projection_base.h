// What both loan projections share: they want the "loan." events, keep
// each loan's list entry under "r/" loan id, fold each event into it, and
// derive their other rows from the entry before and after the event.
#ifndef HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTION_BASE_H_
#define HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTION_BASE_H_

#include <string>

#include "absl/status/status.h"
#include "haven/loans/v1/loan_events.pb.h"
#include "haven/loans/v1/loan_service.pb.h"
#include "storage/projection.h"

namespace haven::loans {

class LoanProjection : public storage::Projection {
 public:
  bool Wants(const storage::RecordedEvent& event) const override;
  // Decodes (DATA_LOSS stops the projection if the payload is no LoanEvent
  // of its type), folds the entry, calls OnEvent, stores the entry.
  absl::Status Apply(const storage::RecordedEvent& event,
                     storage::NamespaceBatch& rows) const final;

 protected:
  // `before` is empty (no loan_id) for the application.
  virtual absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::LoanEvent& event,
                               const v1::LoanListEntry& before, const v1::LoanListEntry& after,
                               storage::NamespaceBatch& rows) const = 0;
};

// "r/" loan id.
std::string EntryKey(const std::string& loan_id);

}  // namespace haven::loans

#endif  // HAVEN_SERVICES_LOANS_PROJECTIONS_LOAN_PROJECTION_BASE_H_
