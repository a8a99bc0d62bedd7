#include "services/directory/domain/decide.h"

#include <string>
#include <type_traits>
#include <variant>

#include "absl/strings/str_cat.h"
#include "services/directory/domain/kinds.h"
#include "services/directory/domain/validation.h"

namespace haven::directory {
namespace {

absl::Status Rule(absl::string_view rule, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("rule ", rule, ": ", why));
}

std::string Describe(const Unit& unit) { return absl::StrCat(unit.name, " (", unit.id, ")"); }

absl::StatusOr<const Unit*> Lookup(const Directory& state, const std::string& id,
                                   absl::string_view field) {
  const Unit* unit = state.Find(id);
  if (unit == nullptr) return absl::NotFoundError(absl::StrCat(field, ": no unit \"", id, "\""));
  return unit;
}

// The rules of a unit of `kind` named `name` with `code` (maybe empty)
// hanging under `parent`; `self` is the unit being moved, if any.
absl::Status CheckPlacement(const Directory& state, v1::UnitKind kind, const std::string& name,
                            const std::string& code, const Unit& parent, const Unit* self) {
  if (parent.closed) {
    return Rule("parent_open", absl::StrCat(Describe(parent), " is closed"));
  }
  if (!MayHangUnder(kind, parent.kind)) {
    return Rule("kind_order",
                absl::StrCat(AKind(kind), " hangs under ", AllowedParents(kind), ", not under ",
                             AKind(parent.kind), " (", Describe(parent), ")"));
  }
  const Unit* namesake = state.FindOpenChildNamed(parent, name);
  if (namesake != nullptr && namesake != self) {
    return Rule("sibling_name_unique", absl::StrCat(Describe(parent),
                                                    " already has an open unit "
                                                    "named ",
                                                    name, " (", namesake->id, ")"));
  }
  if (!code.empty()) {
    const Unit* holder = state.FindOpenByCode(code);
    if (holder != nullptr && holder != self) {
      return Rule("code_unique", absl::StrCat(code, " is held by ", Describe(*holder)));
    }
    if (!parent.statistical_code.empty() &&
        !CodeFitsParent(code, parent.statistical_code, parent.kind)) {
      return Rule("code_prefix", absl::StrCat(code, " does not fit the code ",
                                              parent.statistical_code, " of ", Describe(parent)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::DirectoryEvent> DecideCreate(const Directory& state, const CreateUnit& c) {
  auto name = NormalizeName(c.name, "name");
  if (!name.ok()) return name.status();
  if (state.Find(c.unit_id) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat(
        "unit_id: unit \"", c.unit_id, "\" already exists (", state.Find(c.unit_id)->name, ")"));
  }
  v1::DirectoryEvent event;
  v1::UnitCreated* e = event.mutable_unit_created();
  if (c.parent_id.empty()) {
    if (state.root() != nullptr) {
      return Rule("single_root",
                  absl::StrCat("the directory already has its root, ", Describe(*state.root())));
    }
  } else {
    auto parent = Lookup(state, c.parent_id, "parent_id");
    if (!parent.ok()) return parent.status();
    if (auto s = CheckPlacement(state, c.kind, *name, c.statistical_code, **parent, nullptr);
        !s.ok()) {
      return s;
    }
  }
  e->set_unit_id(c.unit_id);
  e->set_name(*std::move(name));
  e->set_kind(c.kind);
  e->set_parent_id(c.parent_id);
  e->set_statistical_code(c.statistical_code);
  return event;
}

absl::StatusOr<v1::DirectoryEvent> DecideRename(const Directory& state, const RenameUnit& c) {
  auto name = NormalizeName(c.name, "name");
  if (!name.ok()) return name.status();
  auto unit = Lookup(state, c.unit_id, "unit_id");
  if (!unit.ok()) return unit.status();
  const Unit& u = **unit;
  if (u.closed) return Rule("unit_open", absl::StrCat(Describe(u), " is closed"));
  if (u.name == *name)
    return Rule("name_changes", absl::StrCat(Describe(u), " is already so named"));
  if (const Unit* parent = state.Find(u.parent_id); parent != nullptr) {
    if (const Unit* namesake = state.FindOpenChildNamed(*parent, *name); namesake != nullptr) {
      return Rule("sibling_name_unique", absl::StrCat(Describe(*parent),
                                                      " already has an open "
                                                      "unit named ",
                                                      *name, " (", namesake->id, ")"));
    }
  }
  v1::DirectoryEvent event;
  event.mutable_unit_renamed()->set_unit_id(u.id);
  event.mutable_unit_renamed()->set_name(*std::move(name));
  event.mutable_unit_renamed()->set_previous_name(u.name);
  return event;
}

absl::StatusOr<v1::DirectoryEvent> DecideMove(const Directory& state, const MoveUnit& c) {
  auto unit = Lookup(state, c.unit_id, "unit_id");
  if (!unit.ok()) return unit.status();
  auto parent = Lookup(state, c.new_parent_id, "new_parent_id");
  if (!parent.ok()) return parent.status();
  const Unit& u = **unit;
  const Unit& p = **parent;
  if (!c.statistical_code.empty()) {
    if (auto s = ValidateCodeForKind(c.statistical_code, u.kind, "statistical_code"); !s.ok()) {
      return s;
    }
  }
  if (u.parent_id.empty()) return Rule("root_stays", "the root city does not move");
  if (u.closed) return Rule("unit_open", absl::StrCat(Describe(u), " is closed"));
  if (p.id == u.parent_id) {
    return Rule("parent_changes", absl::StrCat(Describe(u), " is already under ", Describe(p)));
  }
  if (state.IsInSubtree(p.id, u.id)) {
    return Rule("no_cycle", absl::StrCat(Describe(p), " is within the subtree of ", Describe(u)));
  }
  const std::string& code = c.statistical_code.empty() ? u.statistical_code : c.statistical_code;
  if (auto s = CheckPlacement(state, u.kind, u.name, code, p, &u); !s.ok()) return s;
  if (!c.statistical_code.empty()) {
    for (const std::string& id : u.children) {
      const Unit& child = *state.Find(id);
      if (!child.closed && !child.statistical_code.empty() &&
          !CodeFitsParent(child.statistical_code, code, u.kind)) {
        return Rule("code_prefix", absl::StrCat("the code ", child.statistical_code, " of ",
                                                Describe(child), " would not fit ", code));
      }
    }
  }
  v1::DirectoryEvent event;
  v1::UnitMoved* e = event.mutable_unit_moved();
  e->set_unit_id(u.id);
  e->set_parent_id(p.id);
  e->set_previous_parent_id(u.parent_id);
  if (c.statistical_code != u.statistical_code) e->set_statistical_code(c.statistical_code);
  return event;
}

absl::StatusOr<v1::DirectoryEvent> DecideClose(const Directory& state, const CloseUnit& c) {
  auto reason = NormalizeReason(c.reason, "reason");
  if (!reason.ok()) return reason.status();
  auto unit = Lookup(state, c.unit_id, "unit_id");
  if (!unit.ok()) return unit.status();
  const Unit& u = **unit;
  if (u.parent_id.empty()) return Rule("root_stays", "the root city is not closed");
  if (u.closed) return Rule("unit_open", absl::StrCat(Describe(u), " is already closed"));
  int open_children = 0;
  for (const std::string& id : u.children) open_children += state.Find(id)->closed ? 0 : 1;
  if (open_children > 0) {
    return Rule("no_open_children",
                absl::StrCat(Describe(u), " still has ", open_children,
                             " open unit(s) under it; move or close them first"));
  }
  v1::DirectoryEvent event;
  event.mutable_unit_closed()->set_unit_id(u.id);
  event.mutable_unit_closed()->set_reason(*std::move(reason));
  return event;
}

}  // namespace

absl::Status ValidateCommand(const Command& command) {
  if (const auto* c = std::get_if<CreateUnit>(&command)) {
    if (auto s = ValidateUnitId(c->unit_id, "unit_id"); !s.ok()) return s;
    if (auto s = NormalizeName(c->name, "name").status(); !s.ok()) return s;
    if (!IsKnownKind(c->kind)) return absl::InvalidArgumentError("kind: must be a known unit kind");
    if (c->parent_id.empty() && c->kind != v1::UNIT_KIND_CITY) {
      return absl::InvalidArgumentError(absl::StrCat("parent_id: is required for ", AKind(c->kind),
                                                     " (only the city is the root)"));
    }
    if (!c->parent_id.empty() && c->kind == v1::UNIT_KIND_CITY) {
      return absl::InvalidArgumentError("parent_id: must be empty for a city (it is the root)");
    }
    if (!c->parent_id.empty()) {
      if (auto s = ValidateUnitId(c->parent_id, "parent_id"); !s.ok()) return s;
    }
    if (c->statistical_code.empty()) return absl::OkStatus();
    return ValidateCodeForKind(c->statistical_code, c->kind, "statistical_code");
  }
  if (const auto* c = std::get_if<RenameUnit>(&command)) {
    if (auto s = ValidateUnitId(c->unit_id, "unit_id"); !s.ok()) return s;
    return NormalizeName(c->name, "name").status();
  }
  if (const auto* c = std::get_if<MoveUnit>(&command)) {
    if (auto s = ValidateUnitId(c->unit_id, "unit_id"); !s.ok()) return s;
    if (auto s = ValidateUnitId(c->new_parent_id, "new_parent_id"); !s.ok()) return s;
    if (c->statistical_code.empty()) return absl::OkStatus();
    return ValidateCodeDigits(c->statistical_code, "statistical_code");
  }
  const auto& c = std::get<CloseUnit>(command);
  if (auto s = ValidateUnitId(c.unit_id, "unit_id"); !s.ok()) return s;
  return NormalizeReason(c.reason, "reason").status();
}

absl::StatusOr<v1::DirectoryEvent> Decide(const Directory& state, const Command& command) {
  if (auto s = ValidateCommand(command); !s.ok()) return s;
  return std::visit(
      [&state](const auto& c) -> absl::StatusOr<v1::DirectoryEvent> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, CreateUnit>) return DecideCreate(state, c);
        if constexpr (std::is_same_v<T, RenameUnit>) return DecideRename(state, c);
        if constexpr (std::is_same_v<T, MoveUnit>) return DecideMove(state, c);
        if constexpr (std::is_same_v<T, CloseUnit>) return DecideClose(state, c);
      },
      command);
}

}  // namespace haven::directory
