// How a micro-home's events fold into its list entry and its record.
#include <algorithm>

#include "services/common/stats/calendar.h"
#include "services/microhomes/projections/microhome_projections.h"

namespace haven::microhomes {
namespace {

using E = v1::MicroHomeEvent;

v1::ComplianceRecord::Title* FindTitle(v1::ComplianceRecord* record, const std::string& id) {
  for (v1::ComplianceRecord::Title& t : *record->mutable_titles()) {
    if (t.title_id() == id) return &t;
  }
  return nullptr;
}

}  // namespace

bool FoldListEntry(const storage::RecordedEvent& recorded, const v1::MicroHomeEvent& event,
                   v1::MicroHomeListEntry* entry) {
  const bool registered = !entry->unit_id().empty();
  if (registered == (event.event_case() == E::kRegistered)) return false;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::MicroHomeRegistered& e = event.registered();
      entry->set_unit_id(e.unit_id());
      entry->set_kind(e.kind());
      entry->set_venue(e.venue());
      entry->set_executives(e.executives_size());
      entry->set_registered_at_us(e.registered_at_us());
      break;
    }
    case E::kExecutivePaired:
      entry->set_executives(entry->executives() + 1);
      break;
    case E::kExecutiveUnpaired:
      entry->set_executives(entry->executives() - 1);
      break;
    case E::kDemonstrationDesignated:
      entry->set_demonstration(true);
      break;
    case E::kDemonstrationWithdrawn:
      entry->set_demonstration(false);
      break;
    case E::kActivityRecorded:
      entry->set_activities(entry->activities() + 1);
      entry->set_last_activity_at_us(
          std::max(entry->last_activity_at_us(), event.activity_recorded().held_at_us()));
      break;
    case E::kTitleGranted:
      entry->set_titles_held(entry->titles_held() + 1);
      break;
    case E::kTitleRevoked:
      entry->set_titles_held(entry->titles_held() - 1);
      break;
    case E::kClosed:
      entry->set_closed(true);
      break;
    case E::kHostChanged:
    case E::kTitleRecertified:
    case E::EVENT_NOT_SET:
      break;
  }
  entry->set_updated_at_us(recorded.recorded_time_us);
  entry->set_version(recorded.version);
  return true;
}

bool FoldRecord(const storage::RecordedEvent& recorded, const v1::MicroHomeEvent& event,
                v1::ComplianceRecord* record) {
  const bool registered = !record->unit_id().empty();
  if (registered == (event.event_case() == E::kRegistered)) return false;
  const stats::DayNumber today = stats::CstDayOf(recorded.recorded_time_us);
  switch (event.event_case()) {
    case E::kRegistered:
      record->set_unit_id(event.registered().unit_id());
      record->set_kind(event.registered().kind());
      break;
    case E::kDemonstrationDesignated: {
      v1::ComplianceRecord::Span* span = record->add_spans();
      span->set_from_day(stats::CstDayOf(event.demonstration_designated().designated_at_us()));
      span->set_from_recorded_day(today);
      break;
    }
    case E::kDemonstrationWithdrawn:
      if (record->spans_size() > 0 && !record->spans().rbegin()->has_end_day()) {
        v1::ComplianceRecord::Span* span = &*record->mutable_spans()->rbegin();
        span->set_end_day(stats::CstDayOf(event.demonstration_withdrawn().withdrawn_at_us()));
        span->set_end_recorded_day(today);
      }
      break;
    case E::kActivityRecorded: {
      v1::ComplianceRecord::Activity* a = record->add_activities();
      a->set_kind(event.activity_recorded().activity_kind());
      a->set_held_day(stats::CstDayOf(event.activity_recorded().held_at_us()));
      a->set_recorded_day(today);
      break;
    }
    case E::kTitleGranted: {
      const v1::TitleGranted& e = event.title_granted();
      v1::ComplianceRecord::Title* t = record->add_titles();
      t->set_title_id(e.title_id());
      t->set_title(e.title());
      t->set_level(e.level());
      v1::ComplianceRecord::Expiry* x = t->add_expiries();
      x->set_expires_day(stats::CstDayOf(e.expires_at_us()));
      x->set_recorded_day(today);
      break;
    }
    case E::kTitleRecertified:
      if (auto* t = FindTitle(record, event.title_recertified().title_id())) {
        v1::ComplianceRecord::Expiry* x = t->add_expiries();
        x->set_expires_day(stats::CstDayOf(event.title_recertified().expires_at_us()));
        x->set_recorded_day(today);
      }
      break;
    case E::kTitleRevoked:
      if (auto* t = FindTitle(record, event.title_revoked().title_id())) {
        t->set_revoked_recorded_day(today);
      }
      break;
    case E::kClosed:
      record->set_closed(true);
      break;
    case E::kHostChanged:
    case E::kExecutivePaired:
    case E::kExecutiveUnpaired:
    case E::EVENT_NOT_SET:
      break;
  }
  return true;
}

}  // namespace haven::microhomes
