// The Haven gRPC server: the event log and the services over it, wired
// together.  havend_main.cc runs one; in-process tests start their own.
//
// Thread safety: Shutdown() may be called from any thread, once or more.
#ifndef HAVEN_SERVICES_SERVER_SERVER_H_
#define HAVEN_SERVICES_SERVER_SERVER_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "services/directory/service/directory_service.h"
#include "services/eventstore/event_store_service.h"
#include "storage/event_log.h"

namespace haven::server {

class HavenServer {
 public:
  // Serves `log` on `listen` (host:port; port 0 picks one).  UNAVAILABLE if
  // the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HavenServer>> Start(
      const std::string& listen, std::unique_ptr<storage::EventLog> log);

  // Shuts down and closes the log, if not done already.
  ~HavenServer();

  // The port actually bound.
  int port() const { return port_; }
  storage::EventLog& log() { return *log_; }

  // Stops taking calls, gives in-flight ones `grace` to finish, cancels the
  // rest, then closes the event log cleanly.  Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  HavenServer(std::unique_ptr<storage::EventLog> log, int port);

  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<services::EventStoreService> event_store_;
  std::unique_ptr<services::DirectoryService> directory_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // GUARDED_BY(shutdown_mu_)
};

}  // namespace haven::server

#endif  // HAVEN_SERVICES_SERVER_SERVER_H_
