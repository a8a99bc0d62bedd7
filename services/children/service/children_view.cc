#include "services/children/service/children_view.h"

#include "absl/strings/str_cat.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/projections/children_projections.h"

namespace haven::services {
namespace {

namespace v1 = children::v1;

absl::Status Undecodable(const storage::RecordedEvent& recorded, const absl::Status& status) {
  return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                          recorded.version, ": ", status.message()));
}

}  // namespace

absl::StatusOr<FoldedChild> FoldChild(const std::vector<storage::RecordedEvent>& history) {
  FoldedChild folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = children::DecodeChildEvent(recorded.type, recorded.payload);
    if (!event.ok()) return Undecodable(recorded, event.status());
    if (event->has_registered()) *folded.view.mutable_child() = event->registered().child();
    children::Evolve(folded.state, *event);
    folded.view.set_position(recorded.position);
    folded.view.set_updated_at_us(recorded.recorded_time_us);
  }
  return folded;
}

absl::StatusOr<FoldedMentor> FoldMentor(const std::vector<storage::RecordedEvent>& history) {
  FoldedMentor folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = children::DecodeMentorEvent(recorded.type, recorded.payload);
    if (!event.ok()) return Undecodable(recorded, event.status());
    if (event->has_registered()) *folded.view.mutable_mentor() = event->registered().mentor();
    children::Evolve(folded.state, *event);
  }
  return folded;
}

v1::ChildView ToChildView(const FoldedChild& folded) {
  const children::ChildState& s = folded.state;
  v1::ChildView view = folded.view;
  view.set_child_id(s.child_id);
  view.set_version(static_cast<uint64_t>(s.version));
  view.set_status(children::ChildStatusOf(s.status));
  view.set_category(s.category);
  view.set_unit_id(s.unit_id);
  view.set_registered_at_us(s.registered_at_us);
  for (const children::Pairing& p : s.pairings) {
    v1::PairingView* out = view.add_pairings();
    out->set_pairing_no(p.no);
    out->set_mentor_id(p.mentor_id);
    out->set_mentor_kind(p.mentor_kind);
    out->set_paired_at_us(p.paired_at_us);
    out->set_ended_at_us(p.ended_at_us);
    out->set_end_reason(p.end_reason);
    out->set_visits(p.visits);
    out->set_last_visit_at_us(p.last_visit_at_us);
  }
  view.set_awaiting_since_us(s.awaiting_since_us);
  view.set_support_money_fen(s.support_money_fen);
  view.set_support_goods_fen(s.support_goods_fen);
  view.set_stipend_fen(s.stipend_fen);
  for (const std::string& term : s.stipend_terms) view.add_stipend_terms(term);
  view.set_schooling(s.schooling);
  view.set_living(s.living);
  view.set_last_checked_at_us(s.last_checked_at_us);
  view.set_counselling_referrals(s.counselling_referrals);
  view.set_care_ended_at_us(s.care_ended_at_us);
  return view;
}

v1::MentorView ToMentorView(const FoldedMentor& folded) {
  const children::MentorState& s = folded.state;
  v1::MentorView view = folded.view;
  view.set_mentor_id(s.mentor_id);
  view.set_version(static_cast<uint64_t>(s.version));
  view.set_kind(s.kind);
  view.set_unit_id(s.unit_id);
  view.set_capacity(s.capacity);
  view.set_registered_at_us(s.registered_at_us);
  for (const auto& [child_id, pairing_no] : s.assigned) view.add_child_ids(child_id);
  view.set_pairings_taken(s.pairings_taken);
  return view;
}

}  // namespace haven::services
