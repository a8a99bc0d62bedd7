// The Haven gRPC server: the event log and the services over it, wired
// together.  havend_main.cc runs one; in-process tests start their own.
//
// Thread safety: Shutdown() may be called from any thread, once or more.
#ifndef HAVEN_SERVICES_SERVER_SERVER_H_
#define HAVEN_SERVICES_SERVER_SERVER_H_

#include <chrono>
#include <memory>
#include <vector>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "services/access/authoriser/authoriser.h"
#include "services/access/service/access_admin_service.h"
#include "services/access/service/access_view.h"
#include "services/audit/audit_service.h"
#include "services/cases/service/case_service.h"
#include "services/children/service/children_service.h"
#include "services/directory/service/directory_service.h"
#include "services/eventstore/event_store_service.h"
#include "services/legalaid/legal_aid_service.h"
#include "services/loans/service/loan_service.h"
#include "services/microhomes/service/microhome_service.h"
#include "services/projects/service/project_service.h"
#include "services/targets/service/target_service.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::server {

// What a server serves: the log, the read models built from it, the clock.
struct ServerStores {
  std::unique_ptr<storage::EventLog> log;
  std::unique_ptr<storage::ReadModelStore> read_models;
  std::shared_ptr<storage::Clock> clock = storage::SystemClock();

  // The RocksDB log in `data_dir` and its read models in
  // `data_dir`/read-models.
  static absl::StatusOr<ServerStores> Open(
      const std::string& data_dir, std::shared_ptr<storage::Clock> clock = storage::SystemClock());
  // Both kept in memory (for tests).
  static ServerStores InMemory(std::shared_ptr<storage::Clock> clock = storage::SystemClock());
};

// Every projection a server runs, in the order it runs them.
std::vector<std::unique_ptr<storage::Projection>> MakeReadModelProjections();

// How a server knows and checks its callers.
struct ServerSecurity {
  // The transport: TLS with client certificates and bearer tokens in
  // production (services/auth).  Plaintext when null.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // True: every rpc but health checks needs an authenticated caller
  // (services/auth/caller.h) and is authorised by her role and unit.
  // False only for havend --insecure-plaintext and in-process tests: the
  // caller is whoever the haven-actor metadata names, allowed everything.
  bool enforce_access = true;
  // The first admin's user id: registered on start while no user is (a new
  // data directory), ignored once anyone is.  Empty: none.  Without any
  // user an enforcing server refuses every call.
  std::string bootstrap_admin;
  // Tests only, never set by havend: with enforce_access, names each call's
  // caller instead of the transport, so that one in-process plaintext
  // server can play every role (tests/access).
  access::Authoriser::CallerResolver test_caller_resolver;

  // Plaintext, callers named by metadata, nothing enforced: for tests.
  static ServerSecurity Development() { return ServerSecurity{nullptr, false, "", nullptr}; }
};

class HavenServer {
 public:
  // Serves `stores` on `listen` (host:port; port 0 picks one), with the
  // projections following the log, every rpc authorised as `security`
  // says (services/access/RULES.md).  UNAVAILABLE if the address cannot be
  // bound; INVALID_ARGUMENT for a malformed bootstrap_admin.
  static absl::StatusOr<std::unique_ptr<HavenServer>> Start(
      const std::string& listen, ServerStores stores,
      ServerSecurity security = ServerSecurity::Development());

  // Shuts down and closes the log, if not done already.
  ~HavenServer();

  // The port actually bound.
  int port() const { return port_; }
  storage::EventLog& log() { return *stores_.log; }
  storage::ProjectionRunner& projections() { return *projections_; }

  // Stops taking calls, gives in-flight ones `grace` to finish, cancels the
  // rest, then closes the event log cleanly.  Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  explicit HavenServer(ServerStores stores) : stores_(std::move(stores)) {}

  ServerStores stores_;
  std::unique_ptr<storage::ProjectionRunner> projections_;
  std::shared_ptr<access::Authoriser> authoriser_;
  std::unique_ptr<services::EventStoreService> event_store_;
  std::unique_ptr<services::DirectoryService> directory_;
  std::unique_ptr<services::CaseService> cases_;
  std::unique_ptr<services::LoanService> loans_;
  std::unique_ptr<services::MicroHomeService> micro_homes_;
  std::unique_ptr<services::ProjectService> projects_;
  std::unique_ptr<services::ChildrenService> children_;
  std::unique_ptr<services::TargetService> targets_;
  std::unique_ptr<services::AccessAdminService> access_admin_;
  std::unique_ptr<legalaid::LegalAidService> legal_aid_;
  std::unique_ptr<audit::AuditService> audit_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // GUARDED_BY(shutdown_mu_)
};

}  // namespace haven::server

#endif  // HAVEN_SERVICES_SERVER_SERVER_H_
