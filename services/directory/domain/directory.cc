#include "services/directory/domain/directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace haven::directory {
namespace {

absl::Status UnknownUnit(absl::string_view unit_id) {
  return absl::NotFoundError(absl::StrCat("unit_id: no unit \"", unit_id, "\""));
}

}  // namespace

const Unit* Directory::Find(absl::string_view unit_id) const {
  auto it = units_.find(unit_id);
  return it == units_.end() ? nullptr : &it->second;
}

const Unit* Directory::FindOpenByCode(absl::string_view code) const {
  auto it = open_codes_.find(code);
  return it == open_codes_.end() ? nullptr : Find(it->second);
}

const Unit* Directory::FindOpenChildNamed(const Unit& parent, absl::string_view name) const {
  for (const std::string& id : parent.children) {
    const Unit* child = Find(id);
    if (child != nullptr && !child->closed && child->name == name) return child;
  }
  return nullptr;
}

absl::StatusOr<std::vector<std::string>> Directory::Subtree(absl::string_view unit_id) const {
  if (Find(unit_id) == nullptr) return UnknownUnit(unit_id);
  std::vector<std::string> out;
  std::vector<const std::string*> stack = {&Find(unit_id)->id};
  while (!stack.empty()) {
    const Unit* unit = Find(*stack.back());
    stack.pop_back();
    out.push_back(unit->id);
    for (auto it = unit->children.rbegin(); it != unit->children.rend(); ++it) {
      stack.push_back(&*it);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Directory::Ancestors(absl::string_view unit_id) const {
  const Unit* unit = Find(unit_id);
  if (unit == nullptr) return UnknownUnit(unit_id);
  std::vector<std::string> out;
  // Invariant: parent links never form a cycle (Decide refuses such moves),
  // so this walk ends at the root.
  for (const Unit* p = Find(unit->parent_id); p != nullptr; p = Find(p->parent_id)) {
    out.push_back(p->id);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::string> Directory::Path(absl::string_view unit_id) const {
  auto ancestors = Ancestors(unit_id);
  if (!ancestors.ok()) return ancestors.status();
  std::vector<absl::string_view> names;
  for (const std::string& id : *ancestors) names.push_back(Find(id)->name);
  names.push_back(Find(unit_id)->name);
  return absl::StrJoin(names, "/");
}

bool Directory::IsInSubtree(absl::string_view unit_id, absl::string_view root_id) const {
  if (Find(root_id) == nullptr) return false;
  for (const Unit* u = Find(unit_id); u != nullptr; u = Find(u->parent_id)) {
    if (u->id == root_id) return true;
  }
  return false;
}

}  // namespace haven::directory
