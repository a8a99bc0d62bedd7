#include "services/children/domain/child_state.h"

#include <algorithm>

#include "absl/time/civil_time.h"

namespace haven::children {

const char* StatusName(ChildStatus status) {
  switch (status) {
    case ChildStatus::kNone:
      return "not registered";
    case ChildStatus::kUnpaired:
      return "not yet paired";
    case ChildStatus::kPaired:
      return "paired";
    case ChildStatus::kAwaiting:
      return "awaiting a new pairing";
    case ChildStatus::kCareEnded:
      return "out of care";
  }
  return "unknown";
}

bool LeavesChildInNeed(v1::PairingEndReason reason) {
  return reason == v1::PAIRING_END_REASON_MENTOR_LEFT ||
         reason == v1::PAIRING_END_REASON_MOVED_WITHIN_AREA;
}

const Pairing* ChildState::active() const {
  if (pairings.empty() || !pairings.back().active()) return nullptr;
  return &pairings.back();
}

const Pairing* ChildState::pairing(int32_t no) const {
  if (no < 1 || static_cast<size_t>(no) > pairings.size()) return nullptr;
  return &pairings[no - 1];
}

namespace {

Pairing* Numbered(ChildState& s, int32_t no) {
  if (no < 1 || static_cast<size_t>(no) > s.pairings.size()) return nullptr;
  return &s.pairings[no - 1];
}

}  // namespace

void Evolve(ChildState& s, const v1::ChildEvent& event) {
  ++s.version;
  using E = v1::ChildEvent;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::ChildRegistered& e = event.registered();
      s.exists = true;
      s.status = ChildStatus::kUnpaired;
      s.child_id = e.child_id();
      s.unit_id = e.unit_id();
      s.category = e.category();
      absl::ParseCivilTime(e.child().birth_date(), &s.birth_day);
      s.registered_at_us = e.registered_at_us();
      break;
    }
    case E::kPaired: {
      const v1::ChildPaired& e = event.paired();
      Pairing p;
      p.no = e.pairing_no();
      p.mentor_id = e.mentor_id();
      p.mentor_kind = e.mentor_kind();
      p.paired_at_us = e.paired_at_us();
      p.last_fact_at_us = e.paired_at_us();
      s.pairings.push_back(std::move(p));
      s.status = ChildStatus::kPaired;
      s.awaiting_since_us = 0;
      break;
    }
    case E::kVisitRecorded:
      if (Pairing* p = Numbered(s, event.visit_recorded().pairing_no())) {
        ++p->visits;
        p->last_visit_at_us = std::max(p->last_visit_at_us, event.visit_recorded().visited_at_us());
        p->last_fact_at_us = std::max(p->last_fact_at_us, event.visit_recorded().visited_at_us());
      }
      break;
    case E::kSupportDelivered: {
      const v1::SupportDelivered& e = event.support_delivered();
      (e.kind() == v1::SUPPORT_KIND_GOODS ? s.support_goods_fen : s.support_money_fen) +=
          e.amount_fen();
      break;
    }
    case E::kStipendPaid: {
      const v1::StipendPaid& e = event.stipend_paid();
      s.stipend_terms.insert(e.term());
      s.stipend_fen += e.amount_fen();
      if (Pairing* p = Numbered(s, e.pairing_no())) {
        p->last_fact_at_us = std::max(p->last_fact_at_us, e.paid_at_us());
      }
      break;
    }
    case E::kStatusChecked:
      s.schooling = event.status_checked().schooling();
      s.living = event.status_checked().living();
      s.last_checked_at_us = event.status_checked().checked_at_us();
      break;
    case E::kCounsellingReferred:
      ++s.counselling_referrals;
      break;
    case E::kPairingEnded: {
      const v1::PairingEnded& e = event.pairing_ended();
      if (Pairing* p = Numbered(s, e.pairing_no())) {
        p->ended_at_us = e.ended_at_us();
        p->end_reason = e.reason();
      }
      if (e.awaits_new_pairing()) {
        s.status = ChildStatus::kAwaiting;
        s.awaiting_since_us = e.ended_at_us();
      } else {
        s.status = ChildStatus::kCareEnded;
        s.care_ended_at_us = e.ended_at_us();
      }
      break;
    }
    case E::EVENT_NOT_SET:
      break;
  }
}

}  // namespace haven::children
