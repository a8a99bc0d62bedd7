#include "services/directory/service/unit_convert.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace haven::services {
namespace {

constexpr char kTokenPrefix[] = "after:";

}  // namespace

void ToProto(const directory::Directory& state, const directory::Unit& unit,
             directory::v1::Unit* out) {
  out->set_unit_id(unit.id);
  out->set_name(unit.name);
  out->set_kind(unit.kind);
  out->set_parent_id(unit.parent_id);
  out->set_statistical_code(unit.statistical_code);
  out->set_closed(unit.closed);
  // The unit exists, so neither query fails.
  out->set_path(state.Path(unit.id).value_or(unit.name));
  out->set_depth(state.Ancestors(unit.id).value_or(std::vector<std::string>{}).size());
}

void FillGetUnitResponse(const directory::Directory& state, const directory::Unit& unit,
                         directory::v1::GetUnitResponse* out) {
  ToProto(state, unit, out->mutable_unit());
  for (const std::string& id : state.Ancestors(unit.id).value_or(std::vector<std::string>{})) {
    ToProto(state, *state.Find(id), out->add_ancestors());
  }
  out->set_directory_version(state.next_version() - 1);
}

std::string EncodePageToken(const std::string& unit_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, unit_id));
}

std::optional<std::string> DecodePageToken(const std::string& token) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) || !absl::StartsWith(decoded, kTokenPrefix)) {
    return std::nullopt;
  }
  return decoded.substr(sizeof(kTokenPrefix) - 1);
}

}  // namespace haven::services
