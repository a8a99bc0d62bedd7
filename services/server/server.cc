#include "services/server/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/access/service/bootstrap.h"
#include "services/access/service/directory_unit_tree.h"
#include "services/audit/access_by_user.h"
#include "services/cases/projections/case_projections.h"
#include "services/legalaid/partner_referrals.h"
#include "services/children/projections/children_projections.h"
#include "services/loans/projections/loan_projections.h"
#include "services/microhomes/projections/microhome_projections.h"
#include "services/projects/projections/project_projections.h"
#include "services/server/access_bindings.h"
#include "spdlog/spdlog.h"

namespace haven::server {
namespace {

// Room for the largest append (8 MiB of payload) with its envelope.
constexpr int kMaxMessageBytes = 16 << 20;
// Bounds the threads of synchronous calls (reads, subscriptions).
constexpr int kMaxSyncThreads = 512;
// Threads answering EventStore.Append from its completion queue: they only
// validate and queue appends for the group commit, so one per core is room.
constexpr int kAppendThreads = 2;

}  // namespace

std::vector<std::unique_ptr<storage::Projection>> MakeReadModelProjections() {
  std::vector<std::unique_ptr<storage::Projection>> read_models = cases::MakeCaseProjections();
  for (auto& projection : loans::MakeLoanProjections()) {
    read_models.push_back(std::move(projection));
  }
  for (auto& projection : microhomes::MakeMicroHomeProjections()) {
    read_models.push_back(std::move(projection));
  }
  for (auto& projection : projects::MakeProjectProjections()) {
    read_models.push_back(std::move(projection));
  }
  for (auto& projection : children::MakeChildrenProjections()) {
    read_models.push_back(std::move(projection));
  }
  read_models.push_back(std::make_unique<legalaid::PartnerReferralsProjection>());
  read_models.push_back(std::make_unique<audit::AccessByUserProjection>());
  return read_models;
}

absl::StatusOr<ServerStores> ServerStores::Open(const std::string& data_dir,
                                                std::shared_ptr<storage::Clock> clock) {
  storage::Options options;
  options.data_dir = data_dir;
  options.clock = std::move(clock);
  auto log = storage::EventLog::Open(options);
  if (!log.ok()) return log.status();
  auto read_models = storage::ReadModelStore::Open(data_dir + "/read-models");
  if (!read_models.ok()) return read_models.status();
  return ServerStores{std::move(*log), std::move(*read_models), options.clock};
}

ServerStores ServerStores::InMemory(std::shared_ptr<storage::Clock> clock) {
  storage::Options options;
  options.clock = clock;
  return ServerStores{storage::EventLog::OpenInMemory(options),
                      storage::ReadModelStore::OpenInMemory(), std::move(clock)};
}

absl::StatusOr<std::unique_ptr<HavenServer>> HavenServer::Start(const std::string& listen,
                                                                ServerStores stores,
                                                                ServerSecurity security) {
  std::unique_ptr<HavenServer> haven(new HavenServer(std::move(stores)));
  storage::EventLog& log = *haven->stores_.log;
  auto projections = storage::ProjectionRunner::Create(log, *haven->stores_.read_models,
                                                       MakeReadModelProjections());
  if (!projections.ok()) return projections.status();
  haven->projections_ = std::move(*projections);
  if (auto s = haven->projections_->Start(); !s.ok()) return s;
  auto directory = std::make_shared<services::DirectoryView>(log);
  auto access = std::make_shared<services::AccessView>(log);
  if (!security.bootstrap_admin.empty()) {
    auto registered = services::BootstrapAdmin(log, security.bootstrap_admin);
    if (!registered.ok()) return registered.status();
    if (*registered) {
      spdlog::info("access bootstrap_admin registered user_id={}", security.bootstrap_admin);
    }
  }
  if (security.enforce_access) {
    auto units = std::make_shared<services::DirectoryUnitTree>(directory);
    haven->authoriser_ =
        security.test_caller_resolver
            ? access::Authoriser::WithResolver(access, units, security.test_caller_resolver)
            : access::Authoriser::Enforced(access, units);
    auto next = access->NextVersion();
    if (!next.ok()) return next.status();
    if (*next == 0) {
      spdlog::warn("access no_users: every call will be refused until an admin is registered; "
                   "name the first one with the bootstrap admin setting");
    }
  } else {
    haven->authoriser_ = access::Authoriser::Development();
    spdlog::info("access enforcement=off: every caller is allowed everything and named by "
                 "the haven-actor metadata");
  }
  haven->event_store_ = std::make_unique<services::EventStoreService>(log, haven->authoriser_);
  haven->directory_ =
      std::make_unique<services::DirectoryService>(log, directory, haven->authoriser_);
  haven->cases_ = std::make_unique<services::CaseService>(
      log, directory, haven->stores_.clock, haven->stores_.read_models.get(),
      haven->projections_.get(), haven->authoriser_);
  haven->access_admin_ = std::make_unique<services::AccessAdminService>(log, access, directory,
                                                                        haven->authoriser_);

  haven->loans_ = std::make_unique<services::LoanService>(
      log, haven->directory_->view(), haven->stores_.clock, haven->stores_.read_models.get(),
      haven->projections_.get(), haven->authoriser_);
  haven->micro_homes_ = std::make_unique<services::MicroHomeService>(
      log, haven->directory_->view(), haven->stores_.clock, haven->stores_.read_models.get(),
      haven->projections_.get(), haven->authoriser_);
  haven->projects_ = std::make_unique<services::ProjectService>(
      log, haven->directory_->view(), haven->stores_.clock, haven->stores_.read_models.get(),
      haven->projections_.get(), haven->authoriser_);
  haven->children_ = std::make_unique<services::ChildrenService>(
      log, haven->directory_->view(), haven->stores_.clock, haven->stores_.read_models.get(),
      haven->projections_.get(), haven->authoriser_);
  haven->targets_ = std::make_unique<services::TargetService>(
      log, haven->directory_->view(), haven->stores_.clock, haven->authoriser_,
      targets::StatisticsSources{
          {"cases", targets::SourceOf(haven->cases_.get(), &services::CaseService::GetStatistics)},
          {"loans",
           targets::SourceOf(haven->loans_.get(), &services::LoanService::GetLoanStatistics)},
          {"children", targets::SourceOf(haven->children_.get(),
                                         &services::ChildrenService::GetChildrenStatistics)},
          {"microhomes", targets::SourceOf(haven->micro_homes_.get(),
                                           &services::MicroHomeService::GetMicroHomeStatistics)},
          {"projects", targets::SourceOf(haven->projects_.get(),
                                         &services::ProjectService::GetProjectStatistics)},
      });

  haven->legal_aid_ = std::make_unique<legalaid::LegalAidService>(
      log, directory, haven->stores_.clock, *haven->stores_.read_models, *haven->projections_,
      MakePartnerCallers(haven->authoriser_));
  haven->audit_ = std::make_unique<audit::AuditService>(
      log, *haven->stores_.read_models, *haven->projections_,
      MakeAuditReadPolicy(haven->authoriser_, access, log));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen,
                           security.credentials != nullptr ? security.credentials
                                                           : grpc::InsecureServerCredentials(),
                           &haven->port_);
  builder.RegisterService(haven->event_store_.get());
  builder.RegisterService(haven->directory_.get());
  builder.RegisterService(haven->cases_.get());
  builder.RegisterService(haven->loans_.get());
  builder.RegisterService(haven->micro_homes_.get());
  builder.RegisterService(haven->projects_.get());
  builder.RegisterService(haven->children_.get());
  builder.RegisterService(haven->targets_.get());
  builder.RegisterService(haven->access_admin_.get());
  builder.RegisterService(haven->legal_aid_.get());
  builder.RegisterService(haven->audit_.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  grpc::ResourceQuota quota("havend");
  quota.SetMaxThreads(kMaxSyncThreads);
  builder.SetResourceQuota(quota);
  // Idle request threads notice a shutdown only when their wait times out;
  // the default (several seconds) would delay every SIGTERM by that much.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  std::unique_ptr<grpc::ServerCompletionQueue> appends = builder.AddCompletionQueue();
  haven->server_ = builder.BuildAndStart();
  if (!haven->server_ || haven->port_ == 0) {
    haven->server_.reset();
    appends->Shutdown();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen,
                                               " (address in use or not valid?)"));
  }
  haven->event_store_->StartAppends(std::move(appends), kAppendThreads);
  haven->server_->GetHealthCheckService()->SetServingStatus(true);
  return haven;
}

HavenServer::~HavenServer() { Shutdown(std::chrono::seconds(5)); }

void HavenServer::Shutdown(std::chrono::milliseconds grace) {
  std::lock_guard<std::mutex> lock(shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  spdlog::info("server shutdown_started grace_ms={}", grace.count());
  if (server_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    event_store_->BeginShutdown();
    legal_aid_->BeginShutdown();
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_->Wait();
    event_store_->StopAppends();
  }
  if (projections_) projections_->Stop();
  stores_.read_models.reset();
  stores_.log.reset();  // Completes queued appends, then closes RocksDB.
  spdlog::info("server shutdown_complete");
}

}  // namespace haven::server
