// The haven.access.v1.AccessAdminService gRPC service: a thin adapter that
// authorises each rpc (admins only, but GetCaller), turns requests into
// access commands run by RunAccessCommand, and answers queries from the
// AccessView.  Status codes in proto/haven/access/v1/access.proto.
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the service.
#ifndef HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_ADMIN_SERVICE_H_
#define HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_ADMIN_SERVICE_H_

#include <memory>

#include "haven/access/v1/access.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/access/domain/commands.h"
#include "services/access/service/access_view.h"
#include "services/directory/service/directory_view.h"
#include "storage/event_log.h"

namespace haven::services {

class AccessAdminService final : public access::v1::AccessAdminService::Service {
 public:
  // `view` and `directory` are views of `log`; `authoriser` decides who may
  // call (Authoriser::Development() lets everyone).
  AccessAdminService(storage::EventLog& log, std::shared_ptr<AccessView> view,
                     std::shared_ptr<DirectoryView> directory,
                     std::shared_ptr<access::Authoriser> authoriser);

  grpc::Status RegisterUser(grpc::ServerContext* context,
                            const access::v1::RegisterUserRequest* request,
                            access::v1::CommandResponse* response) override;
  grpc::Status UpdateUser(grpc::ServerContext* context,
                          const access::v1::UpdateUserRequest* request,
                          access::v1::CommandResponse* response) override;
  grpc::Status DisableUser(grpc::ServerContext* context,
                           const access::v1::DisableUserRequest* request,
                           access::v1::CommandResponse* response) override;
  grpc::Status EnableUser(grpc::ServerContext* context,
                          const access::v1::EnableUserRequest* request,
                          access::v1::CommandResponse* response) override;
  grpc::Status RegisterPartner(grpc::ServerContext* context,
                               const access::v1::RegisterPartnerRequest* request,
                               access::v1::CommandResponse* response) override;
  grpc::Status GetUser(grpc::ServerContext* context, const access::v1::GetUserRequest* request,
                       access::v1::GetUserResponse* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context,
                         const access::v1::ListUsersRequest* request,
                         access::v1::ListUsersResponse* response) override;
  grpc::Status GetPartner(grpc::ServerContext* context,
                          const access::v1::GetPartnerRequest* request,
                          access::v1::GetPartnerResponse* response) override;
  grpc::Status ListPartners(grpc::ServerContext* context,
                            const access::v1::ListPartnersRequest* request,
                            access::v1::ListPartnersResponse* response) override;
  grpc::Status GetCaller(grpc::ServerContext* context,
                         const access::v1::GetCallerRequest* request,
                         access::v1::GetCallerResponse* response) override;

 private:
  template <typename Request>
  grpc::Status Run(grpc::ServerContext& context, const char* rpc, const Request& request,
                   const access::Command& command, access::v1::CommandResponse* response);

  storage::EventLog& log_;
  const std::shared_ptr<AccessView> view_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_ACCESS_SERVICE_ACCESS_ADMIN_SERVICE_H_
