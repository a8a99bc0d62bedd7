// The haven.directory.v1.DirectoryService gRPC service: a thin adapter that
// turns requests into directory commands (run by RunDirectoryCommand) and
// answers queries from a DirectoryView.  Synchronous API: directory
// commands are rare (a city has about 600 units) and their retry loop reads
// best as straight-line code.  Every rpc asks the authoriser first: the
// queries need access::Permission::kReadDirectory, the commands
// kWriteDirectory (services/access/RULES.md).
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the service.
#ifndef HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_SERVICE_H_
#define HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_SERVICE_H_

#include <memory>

#include "haven/directory/v1/directory.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/directory/domain/commands.h"
#include "services/directory/service/directory_view.h"
#include "storage/event_log.h"

namespace haven::services {

class DirectoryService final : public directory::v1::DirectoryService::Service {
 public:
  // A service with a view of its own.
  explicit DirectoryService(storage::EventLog& log);
  // A service sharing `view` (of the same log) with other services;
  // `authoriser` decides who may call (Development(): everyone).
  DirectoryService(
      storage::EventLog& log, std::shared_ptr<DirectoryView> view,
      std::shared_ptr<access::Authoriser> authoriser = access::Authoriser::Development());

  // The view the service answers from, to hand to other services.
  const std::shared_ptr<DirectoryView>& view() const { return view_; }

  grpc::Status CreateUnit(grpc::ServerContext* context,
                          const directory::v1::CreateUnitRequest* request,
                          directory::v1::CommandResponse* response) override;
  grpc::Status RenameUnit(grpc::ServerContext* context,
                          const directory::v1::RenameUnitRequest* request,
                          directory::v1::CommandResponse* response) override;
  grpc::Status MoveUnit(grpc::ServerContext* context, const directory::v1::MoveUnitRequest* request,
                        directory::v1::CommandResponse* response) override;
  grpc::Status CloseUnit(grpc::ServerContext* context,
                         const directory::v1::CloseUnitRequest* request,
                         directory::v1::CommandResponse* response) override;

  grpc::Status GetUnit(grpc::ServerContext* context, const directory::v1::GetUnitRequest* request,
                       directory::v1::GetUnitResponse* response) override;
  grpc::Status ListChildren(grpc::ServerContext* context,
                            const directory::v1::ListChildrenRequest* request,
                            directory::v1::ListChildrenResponse* response) override;
  grpc::Status ListSubtree(grpc::ServerContext* context,
                           const directory::v1::ListSubtreeRequest* request,
                           directory::v1::ListSubtreeResponse* response) override;
  grpc::Status FindByCode(grpc::ServerContext* context,
                          const directory::v1::FindByCodeRequest* request,
                          directory::v1::GetUnitResponse* response) override;

 private:
  // Runs `command` for the request and fills `response`.
  template <typename Request>
  grpc::Status Run(grpc::ServerContext& context, const Request& request,
                   const directory::Command& command, directory::v1::CommandResponse* response);

  storage::EventLog& log_;
  std::shared_ptr<DirectoryView> view_;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_DIRECTORY_SERVICE_DIRECTORY_SERVICE_H_
