// How the access aggregate's events are named and stored in the log.
#ifndef HAVEN_SERVICES_ACCESS_DOMAIN_EVENTS_H_
#define HAVEN_SERVICES_ACCESS_DOMAIN_EVENTS_H_

#include <string>

#include "haven/access/v1/access.pb.h"

namespace haven::access {

// The one stream holding every user and partner ("access-<case>" streams
// are the read audit's, services/audit).
inline constexpr char kStream[] = "principals";
// Every event's payload is a serialized v1::AccessEvent.
inline constexpr char kContentType[] =
    "application/x-protobuf; type=haven.access.v1.AccessEvent";

inline constexpr char kUserRegisteredType[] = "access.user_registered";
inline constexpr char kUserRenamedType[] = "access.user_renamed";
inline constexpr char kUserRoleChangedType[] = "access.user_role_changed";
inline constexpr char kUserDisabledType[] = "access.user_disabled";
inline constexpr char kUserEnabledType[] = "access.user_enabled";
inline constexpr char kPartnerRegisteredType[] = "access.partner_registered";

// The log's event type for `event`: one of the constants above, or
// "access.unknown" if no event is set.
std::string EventTypeOf(const v1::AccessEvent& event);

// "operator", "legal_aid_partner"...: the role as rules and messages name it.
std::string RoleName(v1::Role role);

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_DOMAIN_EVENTS_H_
