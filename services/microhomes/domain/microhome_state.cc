#include "services/microhomes/domain/microhome_state.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace haven::microhomes {

const TitleState* MicroHomeState::FindTitle(const std::string& title_id) const {
  for (const TitleState& t : titles) {
    if (t.title_id == title_id) return &t;
  }
  return nullptr;
}

bool MicroHomeState::Holds(v1::TitleName title, v1::TitleLevel level) const {
  for (const TitleState& t : titles) {
    if (!t.revoked && t.title == title && t.level == level) return true;
  }
  return false;
}

int64_t TwoYearsAfter(int64_t time_us) {
  const absl::TimeZone cst = absl::FixedTimeZone(8 * 3600);
  const absl::CivilSecond at = absl::ToCivilSecond(absl::FromUnixMicros(time_us), cst);
  const absl::CivilSecond later(at.year() + 2, at.month(), at.day(), at.hour(), at.minute(),
                                at.second());
  return absl::ToUnixMicros(absl::FromCivil(later, cst));
}

namespace {

TitleState* FindMutable(MicroHomeState& s, const std::string& title_id) {
  for (TitleState& t : s.titles) {
    if (t.title_id == title_id) return &t;
  }
  return nullptr;
}

}  // namespace

void Evolve(MicroHomeState& s, const v1::MicroHomeEvent& event) {
  ++s.version;
  using E = v1::MicroHomeEvent;
  switch (event.event_case()) {
    case E::kRegistered: {
      const v1::MicroHomeRegistered& e = event.registered();
      s.exists = true;
      s.unit_id = e.unit_id();
      s.kind = e.kind();
      s.registered_at_us = e.registered_at_us();
      for (const v1::Executive& x : e.executives()) s.executive_ids.insert(x.executive_id());
      break;
    }
    case E::kExecutivePaired:
      s.executive_ids.insert(event.executive_paired().executive().executive_id());
      break;
    case E::kExecutiveUnpaired:
      s.executive_ids.erase(event.executive_unpaired().executive_id());
      break;
    case E::kDemonstrationDesignated:
      s.demonstration = true;
      s.designated_at_us = event.demonstration_designated().designated_at_us();
      break;
    case E::kDemonstrationWithdrawn:
      s.demonstration = false;
      break;
    case E::kTitleGranted: {
      const v1::TitleGranted& e = event.title_granted();
      TitleState t;
      t.title_id = e.title_id();
      t.title = e.title();
      t.level = e.level();
      t.granted_at_us = e.granted_at_us();
      t.certified_at_us = e.granted_at_us();
      t.expires_at_us = e.expires_at_us();
      s.titles.push_back(std::move(t));
      break;
    }
    case E::kTitleRecertified:
      if (TitleState* t = FindMutable(s, event.title_recertified().title_id())) {
        t->certified_at_us = event.title_recertified().recertified_at_us();
        t->expires_at_us = event.title_recertified().expires_at_us();
      }
      break;
    case E::kTitleRevoked:
      if (TitleState* t = FindMutable(s, event.title_revoked().title_id())) t->revoked = true;
      break;
    case E::kClosed:
      s.closed = true;
      break;
    case E::kHostChanged:
    case E::kActivityRecorded:
    case E::EVENT_NOT_SET:
      break;
  }
}

MicroHomeState Fold(const std::vector<v1::MicroHomeEvent>& events) {
  MicroHomeState state;
  for (const v1::MicroHomeEvent& e : events) Evolve(state, e);
  return state;
}

}  // namespace haven::microhomes
