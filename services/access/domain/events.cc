#include "services/access/domain/events.h"

namespace haven::access {

std::string EventTypeOf(const v1::AccessEvent& event) {
  switch (event.event_case()) {
    case v1::AccessEvent::kUserRegistered:
      return kUserRegisteredType;
    case v1::AccessEvent::kUserRenamed:
      return kUserRenamedType;
    case v1::AccessEvent::kUserRoleChanged:
      return kUserRoleChangedType;
    case v1::AccessEvent::kUserDisabled:
      return kUserDisabledType;
    case v1::AccessEvent::kUserEnabled:
      return kUserEnabledType;
    case v1::AccessEvent::kPartnerRegistered:
      return kPartnerRegisteredType;
    default:
      return "access.unknown";
  }
}

std::string RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_OPERATOR:
      return "operator";
    case v1::ROLE_SUPERVISOR:
      return "supervisor";
    case v1::ROLE_LEGAL_AID_PARTNER:
      return "legal_aid_partner";
    case v1::ROLE_AUDITOR:
      return "auditor";
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_SYSTEM:
      return "system";
    default:
      return "unspecified";
  }
}

}  // namespace haven::access
