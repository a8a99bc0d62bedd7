#include "services/common/directory_units.h"

#include "absl/strings/str_cat.h"
#include "services/common/projection_wait.h"

namespace haven::services {
namespace {

using directory::v1::UnitKind;

units::UnitLevel LevelOf(UnitKind kind) {
  switch (kind) {
    case directory::v1::UNIT_KIND_CITY:
      return units::UnitLevel::kCity;
    case directory::v1::UNIT_KIND_COUNTY:
    case directory::v1::UNIT_KIND_DISTRICT:
      return units::UnitLevel::kCounty;
    case directory::v1::UNIT_KIND_TOWNSHIP:
    case directory::v1::UNIT_KIND_STREET:
      return units::UnitLevel::kTownship;
    case directory::v1::UNIT_KIND_VILLAGE:
    case directory::v1::UNIT_KIND_COMMUNITY:
      return units::UnitLevel::kVillage;
    default:
      return units::UnitLevel::kOther;
  }
}

}  // namespace

units::UnitFacts LookUpUnit(DirectoryView& directory, const std::string& unit_id) {
  units::UnitFacts facts;
  facts.id = unit_id;
  if (unit_id.empty()) return facts;
  directory.Read([&](const directory::Directory& d) {
    const directory::Unit* unit = d.Find(unit_id);
    if (unit == nullptr) return;
    facts.exists = true;
    facts.open = !unit->closed;
    facts.level = LevelOf(unit->kind);
    auto ancestors = d.Ancestors(unit_id);
    if (!ancestors.ok()) return;
    facts.ancestors = std::move(*ancestors);
    for (const std::string& id : facts.ancestors) {
      const directory::Unit* ancestor = d.Find(id);
      facts.ancestor_levels.push_back(ancestor == nullptr ? units::UnitLevel::kOther
                                                          : LevelOf(ancestor->kind));
    }
  }).IgnoreError();
  return facts;
}

absl::StatusOr<std::vector<std::string>> SubtreeForQuery(
    DirectoryView& directory, const storage::ReadModelStore* read_models,
    storage::ProjectionRunner* projections, const grpc::ServerContextBase& context,
    const std::string& unit_id, uint64_t min_position) {
  if (unit_id.empty()) return absl::InvalidArgumentError("unit_subtree: is required");
  auto units = directory.Subtree(unit_id);
  if (units.status().code() == absl::StatusCode::kNotFound) {
    return absl::InvalidArgumentError(absl::StrCat("unit_subtree: no unit ", unit_id));
  }
  if (!units.ok()) return units.status();
  if (read_models == nullptr || projections == nullptr) {
    return absl::UnavailableError("read_models: this server runs no projections for this query");
  }
  if (auto s = WaitForProjections(*projections, context, min_position); !s.ok()) return s;
  return units;
}

}  // namespace haven::services
