#include "services/server/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "spdlog/spdlog.h"

namespace haven::server {
namespace {

// Room for the largest append (8 MiB of payload) with its envelope.
constexpr int kMaxMessageBytes = 16 << 20;
// Bounds the threads of synchronous calls (reads, subscriptions).
constexpr int kMaxSyncThreads = 512;

}  // namespace

absl::StatusOr<std::unique_ptr<HavenServer>> HavenServer::Start(
    const std::string& listen, std::unique_ptr<storage::EventLog> log) {
  auto event_store = std::make_unique<services::EventStoreService>(*log);
  auto directory = std::make_unique<services::DirectoryService>(*log);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(event_store.get());
  builder.RegisterService(directory.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  grpc::ResourceQuota quota("havend");
  quota.SetMaxThreads(kMaxSyncThreads);
  builder.SetResourceQuota(quota);
  // Idle request threads notice a shutdown only when their wait times out;
  // the default (several seconds) would delay every SIGTERM by that much.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen,
                                               " (address in use or not valid?)"));
  }
  std::unique_ptr<HavenServer> haven(new HavenServer(std::move(log), port));
  haven->event_store_ = std::move(event_store);
  haven->directory_ = std::move(directory);
  haven->server_ = std::move(server);
  haven->server_->GetHealthCheckService()->SetServingStatus(true);
  return haven;
}

HavenServer::HavenServer(std::unique_ptr<storage::EventLog> log, int port)
    : log_(std::move(log)), port_(port) {}

HavenServer::~HavenServer() { Shutdown(std::chrono::seconds(5)); }

void HavenServer::Shutdown(std::chrono::milliseconds grace) {
  std::lock_guard<std::mutex> lock(shutdown_mu_);
  if (shut_down_) return;
  spdlog::info("server shutdown_started grace_ms={}", grace.count());
  server_->GetHealthCheckService()->SetServingStatus(false);
  event_store_->BeginShutdown();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  log_.reset();  // Completes queued appends, then closes RocksDB.
  shut_down_ = true;
  spdlog::info("server shutdown_complete");
}

}  // namespace haven::server
