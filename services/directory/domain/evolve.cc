#include "services/directory/domain/evolve.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/directory/domain/events.h"

namespace haven::directory {
namespace {

absl::Status Corrupt(const v1::DirectoryEvent& event, absl::string_view why) {
  return absl::InternalError(absl::StrCat("directory stream: ", EventTypeOf(event), " of unit \"",
                                          UnitIdOf(event), "\" does not fit: ", why));
}

}  // namespace

absl::Status Evolve(Directory& state, const v1::DirectoryEvent& event) {
  auto& units = state.units_;
  switch (event.event_case()) {
    case v1::DirectoryEvent::kUnitCreated: {
      const v1::UnitCreated& e = event.unit_created();
      if (units.contains(e.unit_id())) return Corrupt(event, "the unit exists");
      Unit* parent = nullptr;
      if (e.parent_id().empty()) {
        if (!state.root_id_.empty()) return Corrupt(event, "a second root");
        state.root_id_ = e.unit_id();
      } else {
        auto it = units.find(e.parent_id());
        if (it == units.end()) return Corrupt(event, "unknown parent");
        parent = &it->second;
      }
      if (parent != nullptr) parent->children.push_back(e.unit_id());
      Unit& unit = units[e.unit_id()];
      unit.id = e.unit_id();
      unit.name = e.name();
      unit.kind = e.kind();
      unit.parent_id = e.parent_id();
      unit.statistical_code = e.statistical_code();
      if (!unit.statistical_code.empty()) state.open_codes_[unit.statistical_code] = unit.id;
      return absl::OkStatus();
    }
    case v1::DirectoryEvent::kUnitRenamed: {
      auto it = units.find(event.unit_renamed().unit_id());
      if (it == units.end()) return Corrupt(event, "unknown unit");
      it->second.name = event.unit_renamed().name();
      return absl::OkStatus();
    }
    case v1::DirectoryEvent::kUnitMoved: {
      const v1::UnitMoved& e = event.unit_moved();
      auto it = units.find(e.unit_id());
      auto to = units.find(e.parent_id());
      if (it == units.end() || to == units.end()) return Corrupt(event, "unknown unit or parent");
      Unit& unit = it->second;
      auto from = units.find(unit.parent_id);
      if (from == units.end()) return Corrupt(event, "the root does not move");
      auto& siblings = from->second.children;
      siblings.erase(std::remove(siblings.begin(), siblings.end(), unit.id), siblings.end());
      to->second.children.push_back(unit.id);
      unit.parent_id = e.parent_id();
      if (!e.statistical_code().empty()) {
        if (!unit.closed && !unit.statistical_code.empty()) {
          state.open_codes_.erase(unit.statistical_code);
        }
        unit.statistical_code = e.statistical_code();
        if (!unit.closed) state.open_codes_[unit.statistical_code] = unit.id;
      }
      return absl::OkStatus();
    }
    case v1::DirectoryEvent::kUnitClosed: {
      auto it = units.find(event.unit_closed().unit_id());
      if (it == units.end()) return Corrupt(event, "unknown unit");
      Unit& unit = it->second;
      if (!unit.closed && !unit.statistical_code.empty()) {
        state.open_codes_.erase(unit.statistical_code);
      }
      unit.closed = true;
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace haven::directory
