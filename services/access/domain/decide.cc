#include "services/access/domain/decide.h"

#include <string>
#include <type_traits>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"
#include "services/directory/domain/validation.h"

namespace haven::access {
namespace {

absl::Status Rule(absl::string_view rule, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("rule ", rule, ": ", why));
}

absl::StatusOr<const User*> LookupUser(const AccessState& state, const std::string& id) {
  const User* user = state.FindUser(id);
  if (user == nullptr) return absl::NotFoundError(absl::StrCat("user_id: no user \"", id, "\""));
  return user;
}

absl::Status CheckPartnerExists(const AccessState& state, const Assignment& a) {
  if (a.role != v1::ROLE_LEGAL_AID_PARTNER || state.FindPartner(a.partner_id) != nullptr) {
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("partner_id: no partner \"", a.partner_id, "\""));
}

bool IsLastAdmin(const AccessState& state, const User& user) {
  return user.role == v1::ROLE_ADMIN && !user.disabled && state.EnabledAdmins() == 1;
}

bool SameAssignment(const User& user, const Assignment& a) {
  return user.role == a.role && user.org_unit_id == a.org_unit_id &&
         user.partner_id == a.partner_id;
}

absl::StatusOr<std::vector<v1::AccessEvent>> One(v1::AccessEvent event) {
  std::vector<v1::AccessEvent> events;
  events.push_back(std::move(event));
  return events;
}

absl::StatusOr<std::vector<v1::AccessEvent>> DecideRegisterUser(const AccessState& state,
                                                                const RegisterUser& c) {
  auto name = directory::NormalizeName(c.display_name, "display_name");
  if (!name.ok()) return name.status();
  if (state.FindUser(c.user_id) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("user_id: user \"", c.user_id,
                                                 "\" already exists"));
  }
  if (auto s = CheckPartnerExists(state, c.assignment); !s.ok()) return s;
  v1::AccessEvent event;
  v1::UserRegistered* e = event.mutable_user_registered();
  e->set_user_id(c.user_id);
  e->set_display_name(*std::move(name));
  e->set_role(c.assignment.role);
  e->set_org_unit_id(c.assignment.org_unit_id);
  e->set_partner_id(c.assignment.partner_id);
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::AccessEvent>> DecideUpdateUser(const AccessState& state,
                                                              const UpdateUser& c) {
  std::optional<std::string> name;
  if (c.display_name) {
    auto normalized = directory::NormalizeName(*c.display_name, "display_name");
    if (!normalized.ok()) return normalized.status();
    name = *std::move(normalized);
  }
  auto found = LookupUser(state, c.user_id);
  if (!found.ok()) return found.status();
  const User& user = **found;
  std::vector<v1::AccessEvent> events;
  if (name && *name != user.display_name) {
    v1::UserRenamed* e = events.emplace_back().mutable_user_renamed();
    e->set_user_id(user.id);
    e->set_display_name(*name);
  }
  if (c.assignment && !SameAssignment(user, *c.assignment)) {
    const Assignment& a = *c.assignment;
    if (auto s = CheckPartnerExists(state, a); !s.ok()) return s;
    if (a.role != v1::ROLE_ADMIN && IsLastAdmin(state, user)) {
      return Rule("last_admin", absl::StrCat("user \"", user.id,
                                             "\" is the last enabled admin and stays one"));
    }
    v1::UserRoleChanged* e = events.emplace_back().mutable_user_role_changed();
    e->set_user_id(user.id);
    e->set_role(a.role);
    e->set_org_unit_id(a.org_unit_id);
    e->set_partner_id(a.partner_id);
    e->set_previous_role(user.role);
    e->set_previous_org_unit_id(user.org_unit_id);
    e->set_previous_partner_id(user.partner_id);
  }
  if (events.empty()) {
    return Rule("user_changes",
                absl::StrCat("user \"", user.id, "\" already has that name and assignment"));
  }
  return events;
}

absl::StatusOr<std::vector<v1::AccessEvent>> DecideDisableUser(const AccessState& state,
                                                               const DisableUser& c) {
  auto reason = directory::NormalizeReason(c.reason, "reason");
  if (!reason.ok()) return reason.status();
  auto found = LookupUser(state, c.user_id);
  if (!found.ok()) return found.status();
  const User& user = **found;
  if (user.disabled) {
    return Rule("user_enabled", absl::StrCat("user \"", user.id, "\" is already disabled"));
  }
  if (IsLastAdmin(state, user)) {
    return Rule("last_admin",
                absl::StrCat("user \"", user.id, "\" is the last enabled admin"));
  }
  v1::AccessEvent event;
  event.mutable_user_disabled()->set_user_id(user.id);
  event.mutable_user_disabled()->set_reason(*std::move(reason));
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::AccessEvent>> DecideEnableUser(const AccessState& state,
                                                              const EnableUser& c) {
  auto found = LookupUser(state, c.user_id);
  if (!found.ok()) return found.status();
  if (!(*found)->disabled) {
    return Rule("user_disabled", absl::StrCat("user \"", c.user_id, "\" is enabled"));
  }
  v1::AccessEvent event;
  event.mutable_user_enabled()->set_user_id(c.user_id);
  return One(std::move(event));
}

absl::StatusOr<std::vector<v1::AccessEvent>> DecideRegisterPartner(const AccessState& state,
                                                                   const RegisterPartner& c) {
  auto name = directory::NormalizeName(c.name, "name");
  if (!name.ok()) return name.status();
  if (state.FindPartner(c.partner_id) != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("partner_id: partner \"", c.partner_id,
                                                 "\" already exists"));
  }
  v1::AccessEvent event;
  v1::PartnerRegistered* e = event.mutable_partner_registered();
  e->set_partner_id(c.partner_id);
  e->set_name(*std::move(name));
  e->set_org_unit_id(c.org_unit_id);
  return One(std::move(event));
}

}  // namespace

absl::Status ValidatePrincipalId(absl::string_view id, absl::string_view field) {
  if (id.empty() || id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1..", kMaxIdBytes, " characters"));
  }
  if (!absl::ascii_isalnum(static_cast<unsigned char>(id[0]))) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must start with a letter or digit"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != '.' && c != '@') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": only ASCII letters, digits, '-', '_', '.' and '@'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAssignment(const Assignment& a) {
  const std::string role = RoleName(a.role);
  switch (a.role) {
    case v1::ROLE_OPERATOR:
    case v1::ROLE_SUPERVISOR:
      if (a.org_unit_id.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("org_unit_id: is required for the role ", role, " (her jurisdiction)"));
      }
      break;
    case v1::ROLE_ADMIN:
    case v1::ROLE_AUDITOR:
      break;
    case v1::ROLE_LEGAL_AID_PARTNER:
      if (a.partner_id.empty()) {
        return absl::InvalidArgumentError(
            "partner_id: is required for the role legal_aid_partner");
      }
      if (!a.org_unit_id.empty()) {
        return absl::InvalidArgumentError(
            "org_unit_id: must be empty for the role legal_aid_partner (her partner's unit "
            "applies)");
      }
      break;
    case v1::ROLE_SYSTEM:
      if (!a.org_unit_id.empty()) {
        return absl::InvalidArgumentError("org_unit_id: must be empty for the role system");
      }
      break;
    default:
      return absl::InvalidArgumentError(
          "role: must be one of operator, supervisor, legal_aid_partner, auditor, admin, system");
  }
  if (a.role != v1::ROLE_LEGAL_AID_PARTNER && !a.partner_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partner_id: must be empty for the role ", role, " (only partner users have one)"));
  }
  if (!a.org_unit_id.empty()) {
    if (auto s = directory::ValidateUnitId(a.org_unit_id, "org_unit_id"); !s.ok()) return s;
  }
  if (!a.partner_id.empty()) return ValidatePrincipalId(a.partner_id, "partner_id");
  return absl::OkStatus();
}

absl::Status ValidateCommand(const Command& command) {
  if (const auto* c = std::get_if<RegisterUser>(&command)) {
    if (auto s = ValidatePrincipalId(c->user_id, "user_id"); !s.ok()) return s;
    if (auto s = directory::NormalizeName(c->display_name, "display_name").status(); !s.ok()) {
      return s;
    }
    return ValidateAssignment(c->assignment);
  }
  if (const auto* c = std::get_if<UpdateUser>(&command)) {
    if (auto s = ValidatePrincipalId(c->user_id, "user_id"); !s.ok()) return s;
    if (c->display_name) {
      if (auto s = directory::NormalizeName(*c->display_name, "display_name").status(); !s.ok()) {
        return s;
      }
    }
    if (c->assignment) return ValidateAssignment(*c->assignment);
    return absl::OkStatus();
  }
  if (const auto* c = std::get_if<DisableUser>(&command)) {
    if (auto s = ValidatePrincipalId(c->user_id, "user_id"); !s.ok()) return s;
    return directory::NormalizeReason(c->reason, "reason").status();
  }
  if (const auto* c = std::get_if<EnableUser>(&command)) {
    return ValidatePrincipalId(c->user_id, "user_id");
  }
  const auto& c = std::get<RegisterPartner>(command);
  if (auto s = ValidatePrincipalId(c.partner_id, "partner_id"); !s.ok()) return s;
  if (auto s = directory::NormalizeName(c.name, "name").status(); !s.ok()) return s;
  if (c.org_unit_id.empty()) {
    return absl::InvalidArgumentError("org_unit_id: is required (the unit the partner serves)");
  }
  return directory::ValidateUnitId(c.org_unit_id, "org_unit_id");
}

absl::StatusOr<std::vector<v1::AccessEvent>> Decide(const AccessState& state,
                                                    const Command& command) {
  if (auto s = ValidateCommand(command); !s.ok()) return s;
  return std::visit(
      [&state](const auto& c) -> absl::StatusOr<std::vector<v1::AccessEvent>> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, RegisterUser>) return DecideRegisterUser(state, c);
        if constexpr (std::is_same_v<T, UpdateUser>) return DecideUpdateUser(state, c);
        if constexpr (std::is_same_v<T, DisableUser>) return DecideDisableUser(state, c);
        if constexpr (std::is_same_v<T, EnableUser>) return DecideEnableUser(state, c);
        if constexpr (std::is_same_v<T, RegisterPartner>) return DecideRegisterPartner(state, c);
      },
      command);
}

}  // namespace haven::access
