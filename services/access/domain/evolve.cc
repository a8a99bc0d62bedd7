#include "services/access/domain/evolve.h"

#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"

namespace haven::access {
namespace {

absl::Status Corrupt(const v1::AccessEvent& event, absl::string_view id, absl::string_view why) {
  return absl::InternalError(absl::StrCat("access stream: ", EventTypeOf(event), " of \"", id,
                                          "\" does not fit: ", why));
}

}  // namespace

absl::Status Evolve(AccessState& state, const v1::AccessEvent& event) {
  auto& users = state.users_;
  switch (event.event_case()) {
    case v1::AccessEvent::kUserRegistered: {
      const v1::UserRegistered& e = event.user_registered();
      if (users.count(e.user_id()) > 0) return Corrupt(event, e.user_id(), "the user exists");
      User& user = users[e.user_id()];
      user.id = e.user_id();
      user.display_name = e.display_name();
      user.role = e.role();
      user.org_unit_id = e.org_unit_id();
      user.partner_id = e.partner_id();
      return absl::OkStatus();
    }
    case v1::AccessEvent::kUserRenamed: {
      auto it = users.find(event.user_renamed().user_id());
      if (it == users.end()) return Corrupt(event, event.user_renamed().user_id(), "unknown user");
      it->second.display_name = event.user_renamed().display_name();
      return absl::OkStatus();
    }
    case v1::AccessEvent::kUserRoleChanged: {
      const v1::UserRoleChanged& e = event.user_role_changed();
      auto it = users.find(e.user_id());
      if (it == users.end()) return Corrupt(event, e.user_id(), "unknown user");
      it->second.role = e.role();
      it->second.org_unit_id = e.org_unit_id();
      it->second.partner_id = e.partner_id();
      return absl::OkStatus();
    }
    case v1::AccessEvent::kUserDisabled: {
      auto it = users.find(event.user_disabled().user_id());
      if (it == users.end()) return Corrupt(event, event.user_disabled().user_id(), "unknown user");
      it->second.disabled = true;
      it->second.disabled_reason = event.user_disabled().reason();
      return absl::OkStatus();
    }
    case v1::AccessEvent::kUserEnabled: {
      auto it = users.find(event.user_enabled().user_id());
      if (it == users.end()) return Corrupt(event, event.user_enabled().user_id(), "unknown user");
      it->second.disabled = false;
      it->second.disabled_reason.clear();
      return absl::OkStatus();
    }
    case v1::AccessEvent::kPartnerRegistered: {
      const v1::PartnerRegistered& e = event.partner_registered();
      if (state.partners_.count(e.partner_id()) > 0) {
        return Corrupt(event, e.partner_id(), "the partner exists");
      }
      state.partners_[e.partner_id()] = Partner{e.partner_id(), e.name(), e.org_unit_id()};
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace haven::access
