// Who a call comes from, as authorisation sees her.
#ifndef HAVEN_SERVICES_ACCESS_AUTHORISER_PRINCIPAL_H_
#define HAVEN_SERVICES_ACCESS_AUTHORISER_PRINCIPAL_H_

#include <string>

#include "haven/access/v1/access.pb.h"

namespace haven::access {

struct Principal {
  // The authenticated user id (in development mode, the haven-actor
  // metadata): the actor recorded on every event she causes.
  std::string user_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // Operators and supervisors (optional for admins and auditors): the unit
  // whose subtree is her jurisdiction.
  std::string org_unit_id;
  // Legal-aid partner users: their organisation.
  std::string partner_id;
  // Development mode (havend --insecure-plaintext, in-process tests):
  // allowed everything.
  bool development = false;
};

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_AUTHORISER_PRINCIPAL_H_
