#include "services/access/authoriser/authoriser.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"
#include "services/auth/caller.h"
#include "services/common/request_metadata.h"

namespace haven::access {
namespace {

absl::Status Denied(absl::string_view rule, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("rule ", rule, ": ", why));
}

// "an operator", "a supervisor".
std::string ARole(v1::Role role) {
  const std::string name = RoleName(role);
  const bool vowel = role == v1::ROLE_OPERATOR || role == v1::ROLE_AUDITOR ||
                     role == v1::ROLE_ADMIN || role == v1::ROLE_UNSPECIFIED;
  return absl::StrCat(vowel ? "an " : "a ", name);
}

}  // namespace

Authoriser::Authoriser(std::shared_ptr<services::AccessView> access,
                       std::shared_ptr<UnitTree> units, CallerResolver resolver, bool development)
    : access_(std::move(access)),
      units_(std::move(units)),
      resolver_(std::move(resolver)),
      development_(development) {}

std::shared_ptr<Authoriser> Authoriser::Enforced(std::shared_ptr<services::AccessView> access,
                                                 std::shared_ptr<UnitTree> units) {
  return WithResolver(std::move(access), std::move(units), [](const grpc::ServerContextBase& c) {
    return auth::AuthenticatedUserId(c);
  });
}

std::shared_ptr<Authoriser> Authoriser::Development() {
  return std::shared_ptr<Authoriser>(new Authoriser(nullptr, nullptr, nullptr, true));
}

std::shared_ptr<Authoriser> Authoriser::WithResolver(std::shared_ptr<services::AccessView> access,
                                                     std::shared_ptr<UnitTree> units,
                                                     CallerResolver resolver) {
  return std::shared_ptr<Authoriser>(
      new Authoriser(std::move(access), std::move(units), std::move(resolver), false));
}

absl::StatusOr<Principal> Authoriser::Resolve(const grpc::ServerContextBase& context) const {
  Principal principal;
  if (development_) {
    auto actor = services::ActorOf(context);
    if (!actor.ok()) return actor.status();
    principal.user_id = *std::move(actor);
    principal.development = true;
    return principal;
  }
  std::optional<std::string> user_id = resolver_(context);
  if (!user_id) {
    return absl::UnauthenticatedError(
        "credentials: the call carries none (a client certificate or a bearer token)");
  }
  auto user = access_->FindUser(*user_id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) {
    return absl::UnauthenticatedError(
        absl::StrCat("credentials: user \"", *user_id, "\" is not registered in Haven"));
  }
  const User& u = **user;
  if (u.disabled) return Denied("user_enabled", absl::StrCat("user \"", u.id, "\" is disabled"));
  principal.user_id = u.id;
  principal.role = u.role;
  principal.org_unit_id = u.org_unit_id;
  principal.partner_id = u.partner_id;
  return principal;
}

absl::StatusOr<Principal> Authoriser::Authorize(const grpc::ServerContextBase& context,
                                                Permission permission) const {
  auto principal = Resolve(context);
  if (!principal.ok() || principal->development || RoleHas(principal->role, permission)) {
    return principal;
  }
  return Denied(RuleOf(permission), absl::StrCat("only ", HoldersOf(permission), ", not ",
                                                 ARole(principal->role), ", may do this"));
}

absl::Status Authoriser::OutOfReach(const Principal& principal, const std::string& what) const {
  return Denied(absl::StrCat(RoleName(principal.role), "_unit_subtree"),
                absl::StrCat(what, " is outside the subtree of your unit ",
                             principal.org_unit_id.empty() ? "(none)" : principal.org_unit_id));
}

absl::Status Authoriser::CheckCase(const Principal& principal, const std::string& case_id,
                                   const std::optional<std::string>& case_unit) const {
  return CheckRecord(principal, absl::StrCat("case ", case_id), case_unit);
}

absl::Status Authoriser::CheckRecord(const Principal& principal, const std::string& what,
                                     const std::optional<std::string>& unit) const {
  if (principal.development) return absl::OkStatus();
  if (principal.org_unit_id.empty()) return OutOfReach(principal, what);
  if (!unit) {
    // Only a caller who would see it if it existed learns it does not.
    if (units_->IsRoot(principal.org_unit_id)) return absl::OkStatus();
    return OutOfReach(principal, what);
  }
  if (units_->IsInSubtree(*unit, principal.org_unit_id)) return absl::OkStatus();
  return OutOfReach(principal, what);
}

absl::Status Authoriser::CheckUnit(const Principal& principal, const std::string& unit_id) const {
  if (principal.development || !units_->Exists(unit_id)) return absl::OkStatus();
  if (!principal.org_unit_id.empty() && units_->IsInSubtree(unit_id, principal.org_unit_id)) {
    return absl::OkStatus();
  }
  return OutOfReach(principal, absl::StrCat("unit ", unit_id));
}

absl::StatusOr<std::string> Authoriser::ScopeUnit(const Principal& principal,
                                                  const std::string& requested) const {
  if (principal.development) return requested;
  const std::string& unit = requested.empty() ? principal.org_unit_id : requested;
  if (unit.empty()) return OutOfReach(principal, "every unit");
  if (auto s = CheckUnit(principal, unit); !s.ok()) return s;
  return unit;
}

absl::StatusOr<Authoriser::StatisticsScope> Authoriser::ScopeStatistics(
    const Principal& principal, const std::string& requested) const {
  if (principal.development) return StatisticsScope{requested, true};
  const std::string& unit = requested.empty() ? principal.org_unit_id : requested;
  if (unit.empty()) return OutOfReach(principal, "every unit");
  return StatisticsScope{unit, CheckUnit(principal, unit).ok()};
}

absl::Status Authoriser::AuthorizePartnerCase(const Principal& principal,
                                              const std::string& case_id,
                                              const cases::CaseState& state) const {
  if (principal.development) return absl::OkStatus();
  if (principal.role == v1::ROLE_LEGAL_AID_PARTNER && !principal.partner_id.empty() &&
      state.exists) {
    for (const auto& [id, referral] : state.referrals) {
      if (referral.partner_id == principal.partner_id && referral.open()) return absl::OkStatus();
    }
  }
  return Denied("partner_referral",
                absl::StrCat("case ", case_id,
                             " has no open referral to your organisation (referrals are seen "
                             "while made or accepted)"));
}

}  // namespace haven::access
