// The haven.audit.v1.AuditService: who read a case (its access stream) and
// what a user read (the access_by_user read model).
//
// Thread safety: all methods may be called concurrently.  The log, store and
// runner must outlive the service.
#ifndef HAVEN_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define HAVEN_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "haven/audit/v1/audit.grpc.pb.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::audit {

// Who may read which access records (services/access implements it with the
// caller's role and unit).
class AuditReadPolicy {
 public:
  virtual ~AuditReadPolicy() = default;
  // OK, or PERMISSION_DENIED / UNAUTHENTICATED naming the rule.
  virtual absl::Status MayReadCaseAccess(const grpc::ServerContextBase& context,
                                         const std::string& case_id) const = 0;
  virtual absl::Status MayReadUserAccess(const grpc::ServerContextBase& context,
                                         const std::string& user_id) const = 0;
};

class AuditService final : public v1::AuditService::Service {
 public:
  AuditService(const storage::EventLog& log, const storage::ReadModelStore& read_models,
               storage::ProjectionRunner& projections, std::shared_ptr<const AuditReadPolicy> policy);

  grpc::Status ListCaseAccess(grpc::ServerContext* context,
                              const v1::ListCaseAccessRequest* request,
                              v1::ListAccessResponse* response) override;
  grpc::Status ListUserAccess(grpc::ServerContext* context,
                              const v1::ListUserAccessRequest* request,
                              v1::ListAccessResponse* response) override;

 private:
  const storage::EventLog& log_;
  const storage::ReadModelStore& read_models_;
  storage::ProjectionRunner& projections_;
  const std::shared_ptr<const AuditReadPolicy> policy_;
};

}  // namespace haven::audit

#endif  // HAVEN_SERVICES_AUDIT_AUDIT_SERVICE_H_
