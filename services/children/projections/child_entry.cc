#include "services/children/projections/children_projections.h"

namespace haven::children {

v1::ChildStatus ChildStatusOf(ChildStatus status) {
  switch (status) {
    case ChildStatus::kNone:
      return v1::CHILD_STATUS_UNSPECIFIED;
    case ChildStatus::kUnpaired:
      return v1::CHILD_STATUS_UNPAIRED;
    case ChildStatus::kPaired:
      return v1::CHILD_STATUS_PAIRED;
    case ChildStatus::kAwaiting:
      return v1::CHILD_STATUS_AWAITING_NEW_PAIRING;
    case ChildStatus::kCareEnded:
      return v1::CHILD_STATUS_CARE_ENDED;
  }
  return v1::CHILD_STATUS_UNSPECIFIED;
}

bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::ChildEvent& event,
                   v1::ChildListEntry* entry) {
  using E = v1::ChildEvent;
  const bool registered = !entry->child_id().empty();
  if (registered == (event.event_case() == E::kRegistered)) return false;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::ChildRegistered& e = event.registered();
      entry->set_child_id(recorded.stream);
      entry->set_unit_id(e.unit_id());
      entry->set_category(e.category());
      entry->set_status(v1::CHILD_STATUS_UNPAIRED);
      entry->set_registered_at_us(e.registered_at_us());
      break;
    }
    case E::kPaired:
      entry->set_status(v1::CHILD_STATUS_PAIRED);
      entry->set_pairing_no(event.paired().pairing_no());
      entry->set_mentor_id(event.paired().mentor_id());
      entry->set_paired_at_us(event.paired().paired_at_us());
      entry->set_awaiting_since_us(0);
      break;
    case E::kVisitRecorded:
      entry->set_visits(entry->visits() + 1);
      break;
    case E::kSupportDelivered:
      entry->set_support_fen(entry->support_fen() + event.support_delivered().amount_fen());
      break;
    case E::kStipendPaid:
      entry->set_stipend_fen(entry->stipend_fen() + event.stipend_paid().amount_fen());
      break;
    case E::kPairingEnded:
      entry->set_mentor_id("");
      entry->set_paired_at_us(0);
      if (event.pairing_ended().awaits_new_pairing()) {
        entry->set_status(v1::CHILD_STATUS_AWAITING_NEW_PAIRING);
        entry->set_awaiting_since_us(event.pairing_ended().ended_at_us());
      } else {
        entry->set_status(v1::CHILD_STATUS_CARE_ENDED);
      }
      break;
    case E::kStatusChecked:
    case E::kCounsellingReferred:
    case E::EVENT_NOT_SET:
      break;
  }
  entry->set_updated_at_us(recorded.recorded_time_us);
  entry->set_version(recorded.version);
  return true;
}

}  // namespace haven::children
