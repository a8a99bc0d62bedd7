// The case_list projection: secondary indexes over every case, so that
// listing cases by unit, assignee, category, channel or status, newest
// first, or open cases by next follow-up due, reads only the rows of the
// page (CaseListReader in case_list_query.h).
//
// Rows (namespace "case_list"; key layout in case_list_keys.h and
// PROJECTIONS.md):
//   "r/" stream            -> CaseRecord
//   every index key        -> CaseListEntry of the case
// Once per batch, for each case whose record changed, the index keys and
// entry are recomputed from the record; keys it no longer has are deleted,
// new ones written, and the others rewritten only if the entry changed.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_PROJECTION_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_PROJECTION_H_

#include <memory>
#include <string>

#include "services/cases/projections/case_projection.h"

namespace haven::cases {

inline constexpr char kCaseListNamespace[] = "case_list";

class CaseListProjection : public CaseProjection {
 public:
  // Wants only the events that change what a list shows or filters on.
  CaseListProjection();

  std::string name() const override { return kCaseListNamespace; }

  // Updates the index rows of each case whose record the batch changed.
  std::unique_ptr<Batch> StartBatch(storage::NamespaceBatch& rows) const override;

 protected:
  // Keeps the fields of CaseListEntry (and the stream).
  void Trim(rowpb::CaseRecord* record) const override;
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_PROJECTION_H_
