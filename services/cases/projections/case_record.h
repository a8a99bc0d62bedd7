// The per-case record every case projection keeps (CaseRecord in
// case_rows.proto): a fold of the case's events that holds what the
// projections derive their rows from, and nothing personal.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_RECORD_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_RECORD_H_

#include <cstdint>

#include "haven/cases/projections/v1/case_rows.pb.h"
#include "haven/cases/v1/case_events.pb.h"
#include "storage/event.h"

namespace haven::cases {

namespace rowpb = ::haven::cases::projections::v1;

// True once CaseOpened was folded in.
inline bool Exists(const rowpb::CaseRecord& record) { return !record.case_id().empty(); }

// Folds `event` (decoded from `recorded`) into `record`.  Returns false, and
// leaves `record` alone, for an event that cannot apply: anything before
// CaseOpened, or a second CaseOpened.  Like Evolve it trusts the log: an
// event naming an unknown follow-up or referral changes nothing.
bool FoldCaseEvent(const storage::RecordedEvent& recorded, const v1::CaseEvent& event,
                   rowpb::CaseRecord* record);

// The earliest due time of the follow-ups not done; 0 if none.
int64_t NextFollowUpDueUs(const rowpb::CaseRecord& record);

// Referrals made and not yet accepted or declined.
int AwaitingAcceptance(const rowpb::CaseRecord& record);

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_RECORD_H_
