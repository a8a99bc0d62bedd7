#include "services/cases/projections/case_record.h"

#include <algorithm>
#include <string>

#include "services/cases/projections/cst_days.h"

namespace haven::cases {
namespace {

template <typename Repeated, typename Element>
void InsertSorted(Repeated* list, Element element, const std::string& (Element::*id)() const) {
  auto it =
      std::lower_bound(list->begin(), list->end(), element,
                       [id](const Element& a, const Element& b) { return (a.*id)() < (b.*id)(); });
  if (it != list->end() && ((*it).*id)() == (element.*id)()) {
    *it = std::move(element);
    return;
  }
  const int index = static_cast<int>(it - list->begin());
  list->Add(std::move(element));
  for (int i = list->size() - 1; i > index; --i) list->SwapElements(i, i - 1);
}

template <typename Repeated, typename Element>
Element* FindById(Repeated* list, const std::string& wanted,
                  const std::string& (Element::*id)() const) {
  for (Element& e : *list) {
    if ((e.*id)() == wanted) return &e;
  }
  return nullptr;
}

template <typename Repeated, typename Element>
void EraseById(Repeated* list, const std::string& wanted,
               const std::string& (Element::*id)() const) {
  for (int i = 0; i < list->size(); ++i) {
    if ((list->Get(i).*id)() == wanted) {
      list->erase(list->begin() + i);
      return;
    }
  }
}

void Opened(const storage::RecordedEvent& recorded, const v1::CaseEvent& event,
            rowpb::CaseRecord* r) {
  const v1::CaseOpened& e = event.opened();
  r->set_case_id(e.case_id());
  r->set_stream(recorded.stream);
  r->set_closed(false);
  r->set_channel(e.channel());
  r->set_category(e.category());
  r->set_subcategory(e.subcategory());
  r->set_urgency(e.urgency());
  r->set_priority(e.priority());
  r->set_org_unit_id(e.org_unit_id());
  r->set_received_at_us(e.received_at_us());
  r->set_opened_at_us(event.occurred_at_us());
  r->set_opened_day(CstDayOf(recorded.recorded_time_us));
}

void FoldMediation(const v1::CaseEvent& event, rowpb::CaseRecord* r) {
  auto* pending = r->mutable_pending_mediation_ids();
  if (event.has_mediation_scheduled()) {
    const std::string& id = event.mediation_scheduled().mediation_id();
    auto it = std::lower_bound(pending->begin(), pending->end(), id);
    if (it == pending->end() || *it != id) {
      const int index = static_cast<int>(it - pending->begin());
      pending->Add(std::string(id));
      for (int i = pending->size() - 1; i > index; --i) pending->SwapElements(i, i - 1);
    }
  } else if (event.has_mediation_held() &&
             event.mediation_held().outcome() != v1::MEDIATION_OUTCOME_ADJOURNED) {
    auto it = std::find(pending->begin(), pending->end(), event.mediation_held().mediation_id());
    if (it != pending->end()) pending->erase(it);
  }
}

void FoldReferral(const v1::CaseEvent& event, rowpb::CaseRecord* r) {
  using Referral = rowpb::OpenReferral;
  auto* open = r->mutable_open_referrals();
  switch (event.event_case()) {
    case v1::CaseEvent::kReferralMade: {
      const v1::ReferralMade& e = event.referral_made();
      Referral referral;
      referral.set_referral_id(e.referral_id());
      referral.set_partner_id(e.partner_id());
      referral.set_partner_type(e.partner_type());
      referral.set_referred_at_us(e.referred_at_us());
      InsertSorted(open, std::move(referral), &Referral::referral_id);
      break;
    }
    case v1::CaseEvent::kReferralAccepted:
      if (Referral* referral =
              FindById(open, event.referral_accepted().referral_id(), &Referral::referral_id)) {
        referral->set_accepted(true);
      }
      break;
    case v1::CaseEvent::kReferralDeclined:
      EraseById(open, event.referral_declined().referral_id(), &Referral::referral_id);
      break;
    case v1::CaseEvent::kReferralOutcomeReported:
      EraseById(open, event.referral_outcome_reported().referral_id(), &Referral::referral_id);
      break;
    default:
      break;
  }
}

void FoldFollowUp(const v1::CaseEvent& event, rowpb::CaseRecord* r) {
  using FollowUp = rowpb::PendingFollowUp;
  if (event.has_follow_up_scheduled()) {
    FollowUp follow_up;
    follow_up.set_follow_up_id(event.follow_up_scheduled().follow_up_id());
    follow_up.set_due_at_us(event.follow_up_scheduled().due_at_us());
    InsertSorted(r->mutable_pending_follow_ups(), std::move(follow_up), &FollowUp::follow_up_id);
  } else if (event.has_follow_up_done()) {
    EraseById(r->mutable_pending_follow_ups(), event.follow_up_done().follow_up_id(),
              &FollowUp::follow_up_id);
  }
}

}  // namespace

bool FoldCaseEvent(const storage::RecordedEvent& recorded, const v1::CaseEvent& event,
                   rowpb::CaseRecord* record) {
  if (event.has_opened() == Exists(*record)) return false;
  switch (event.event_case()) {
    case v1::CaseEvent::kOpened:
      Opened(recorded, event, record);
      break;
    case v1::CaseEvent::kAssigned:
      record->set_assignee(event.assigned().operator_id());
      break;
    case v1::CaseEvent::kRiskAssessed:
      record->set_risk(event.risk_assessed().level());
      break;
    case v1::CaseEvent::kClosed:
      record->set_closed(true);
      record->set_closed_at_us(event.occurred_at_us());
      record->set_resolution(event.closed().resolution());
      record->set_satisfaction(event.closed().satisfaction());
      break;
    case v1::CaseEvent::kReopened:
      record->set_closed(false);
      record->set_reopen_count(record->reopen_count() + 1);
      break;
    case v1::CaseEvent::kShelterAdmitted:
      record->set_in_shelter(true);
      break;
    case v1::CaseEvent::kShelterDischarged:
      record->set_in_shelter(false);
      break;
    default:
      FoldMediation(event, record);
      FoldReferral(event, record);
      FoldFollowUp(event, record);
      break;
  }
  record->set_last_position(recorded.position);
  record->set_version(recorded.version);
  record->set_last_event_at_us(recorded.recorded_time_us);
  return true;
}

int64_t NextFollowUpDueUs(const rowpb::CaseRecord& record) {
  int64_t next = 0;
  for (const rowpb::PendingFollowUp& f : record.pending_follow_ups()) {
    if (next == 0 || f.due_at_us() < next) next = f.due_at_us();
  }
  return next;
}

int AwaitingAcceptance(const rowpb::CaseRecord& record) {
  int n = 0;
  for (const rowpb::OpenReferral& r : record.open_referrals()) n += r.accepted() ? 0 : 1;
  return n;
}

}  // namespace haven::cases
