// The Authoriser's answers in the terms of the services that do not link
// services/access themselves: who a partner caller is (LegalAidService) and
// who may read which access records (AuditService).
#ifndef HAVEN_SERVICES_SERVER_ACCESS_BINDINGS_H_
#define HAVEN_SERVICES_SERVER_ACCESS_BINDINGS_H_

#include <memory>

#include "services/access/authoriser/authoriser.h"
#include "services/access/service/access_view.h"
#include "services/audit/audit_service.h"
#include "services/legalaid/legal_aid_service.h"
#include "storage/event_log.h"

namespace haven::server {

// Partner users by their role (rule partner_api).  In development mode the
// caller's organisation is whatever the haven-partner metadata names.
std::shared_ptr<legalaid::PartnerCallers> MakePartnerCallers(
    std::shared_ptr<access::Authoriser> authoriser);

// Auditors read every access record; supervisors those of the cases and
// users of their unit's subtree (rule access_log_read).
std::shared_ptr<audit::AuditReadPolicy> MakeAuditReadPolicy(
    std::shared_ptr<access::Authoriser> authoriser, std::shared_ptr<services::AccessView> access,
    const storage::EventLog& log);

}  // namespace haven::server

#endif  // HAVEN_SERVICES_SERVER_ACCESS_BINDINGS_H_
