#include "services/access/authoriser/access_record.h"

#include "services/access/domain/events.h"
#include "services/auth/caller.h"

namespace haven::access {

audit::v1::AccessRecorded AccessRecordOf(const Principal& principal,
                                         const grpc::ServerContextBase& context) {
  audit::v1::AccessRecorded record;
  record.set_user_id(principal.user_id);
  record.set_role(principal.development ? "development" : RoleName(principal.role));
  record.set_unit_id(principal.org_unit_id);
  record.set_partner_id(principal.partner_id);
  record.set_auth_method(
      principal.development ? "development" : auth::AuthenticationMethod(context).value_or(""));
  return record;
}

}  // namespace haven::access
