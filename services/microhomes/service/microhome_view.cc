#include "services/microhomes/service/microhome_view.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/microhomes/domain/microhome_event_types.h"

namespace haven::services {
namespace {

namespace v1 = microhomes::v1;

v1::TitleView* FindTitle(v1::MicroHomeView* view, const std::string& id) {
  for (v1::TitleView& t : *view->mutable_titles()) {
    if (t.title_id() == id) return &t;
  }
  return nullptr;
}

v1::ActivityTally* TallyOf(v1::MicroHomeView* view, v1::ActivityKind kind) {
  for (v1::ActivityTally& t : *view->mutable_activities()) {
    if (t.activity_kind() == kind) return &t;
  }
  v1::ActivityTally* t = view->add_activities();
  t->set_activity_kind(kind);
  return t;
}

void Note(const v1::MicroHomeEvent& event, v1::MicroHomeView* view) {
  using E = v1::MicroHomeEvent;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::MicroHomeRegistered& e = event.registered();
      view->set_unit_id(e.unit_id());
      view->set_kind(e.kind());
      view->set_venue(e.venue());
      *view->mutable_host() = e.host();
      *view->mutable_executives() = e.executives();
      view->set_place(e.place());
      view->set_registered_at_us(e.registered_at_us());
      for (v1::ActivityKind kind :
           {v1::ACTIVITY_KIND_RECEPTION, v1::ACTIVITY_KIND_GATHERING, v1::ACTIVITY_KIND_ACTIVITY,
            v1::ACTIVITY_KIND_BANQUET}) {
        TallyOf(view, kind);
      }
      break;
    }
    case E::kHostChanged:
      *view->mutable_host() = event.host_changed().host();
      break;
    case E::kExecutivePaired:
      *view->add_executives() = event.executive_paired().executive();
      break;
    case E::kExecutiveUnpaired: {
      auto* executives = view->mutable_executives();
      const std::string& id = event.executive_unpaired().executive_id();
      executives->erase(std::remove_if(executives->begin(), executives->end(),
                                       [&](const v1::Executive& x) {
                                         return x.executive_id() == id;
                                       }),
                        executives->end());
      break;
    }
    case E::kDemonstrationDesignated:
      view->set_demonstration(true);
      *view->mutable_five_haves() = event.demonstration_designated().five_haves();
      view->set_designated_at_us(event.demonstration_designated().designated_at_us());
      break;
    case E::kDemonstrationWithdrawn:
      view->set_demonstration(false);
      break;
    case E::kActivityRecorded: {
      const v1::ActivityRecorded& e = event.activity_recorded();
      v1::ActivityTally* t = TallyOf(view, e.activity_kind());
      t->set_count(t->count() + 1);
      t->set_attendance(t->attendance() + e.attendance());
      t->set_last_held_at_us(std::max(t->last_held_at_us(), e.held_at_us()));
      break;
    }
    case E::kTitleGranted: {
      const v1::TitleGranted& e = event.title_granted();
      v1::TitleView* t = view->add_titles();
      t->set_title_id(e.title_id());
      t->set_title(e.title());
      t->set_level(e.level());
      t->set_granted_by_unit_id(e.unit_id());
      t->set_granted_at_us(e.granted_at_us());
      t->set_expires_at_us(e.expires_at_us());
      break;
    }
    case E::kTitleRecertified:
      if (v1::TitleView* t = FindTitle(view, event.title_recertified().title_id())) {
        t->set_expires_at_us(event.title_recertified().expires_at_us());
        t->set_recertifications(t->recertifications() + 1);
      }
      break;
    case E::kTitleRevoked:
      if (v1::TitleView* t = FindTitle(view, event.title_revoked().title_id())) {
        t->set_revoked(true);
        t->set_revoked_at_us(event.title_revoked().revoked_at_us());
      }
      break;
    case E::kClosed:
      view->set_closed(true);
      view->set_closed_at_us(event.closed().closed_at_us());
      break;
    case E::EVENT_NOT_SET:
      break;
  }
}

}  // namespace

absl::StatusOr<FoldedMicroHome> FoldMicroHome(const std::vector<storage::RecordedEvent>& history) {
  FoldedMicroHome folded;
  for (const storage::RecordedEvent& recorded : history) {
    auto event = microhomes::MicroHomeEventTypes().Decode(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    Note(*event, &folded.view);
    microhomes::Evolve(folded.state, *event);
    folded.view.set_version(static_cast<uint64_t>(folded.state.version));
    folded.view.set_position(recorded.position);
    folded.view.set_updated_at_us(recorded.recorded_time_us);
  }
  return folded;
}

}  // namespace haven::services
