// The haven.legalaid.v1.LegalAidService: the partner API
// (proto/haven/legalaid/v1/legal_aid.proto).  Lists come from the
// legal_aid_referrals read model; what a partner may see or do is decided
// from the case's own events (referral_view.h); commands run through the
// case aggregate exactly as the operators' CaseService runs them.
//
// Thread safety: all methods may be called concurrently.  Everything given
// to the constructor must outlive the service.
#ifndef HAVEN_SERVICES_LEGALAID_LEGAL_AID_SERVICE_H_
#define HAVEN_SERVICES_LEGALAID_LEGAL_AID_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "haven/legalaid/v1/legal_aid.grpc.pb.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::legalaid {

// The calling partner user.
struct PartnerCaller {
  std::string user_id;
  std::string partner_id;
  std::string role;
  std::string auth_method;  // "certificate", "token" or "development"
};

// Who is calling, as far as the partner API needs to know (services/access
// answers it from the authenticated user and her role).
class PartnerCallers {
 public:
  virtual ~PartnerCallers() = default;
  // UNAUTHENTICATED without credentials; PERMISSION_DENIED naming the rule
  // for a caller who is not a partner user.
  virtual absl::StatusOr<PartnerCaller> PartnerOf(const grpc::ServerContextBase& context) const = 0;
  // Whether a read of personal data must declare its purpose (true where
  // access is enforced).
  virtual bool purpose_required() const = 0;
};

class LegalAidService final : public v1::LegalAidService::Service {
 public:
  LegalAidService(storage::EventLog& log, std::shared_ptr<services::DirectoryView> directory,
                  std::shared_ptr<storage::Clock> clock, const storage::ReadModelStore& read_models,
                  storage::ProjectionRunner& projections,
                  std::shared_ptr<const PartnerCallers> callers);

  // Ends open subscriptions (UNAVAILABLE) so the server can stop.
  void BeginShutdown() { shutting_down_.store(true); }

  grpc::Status ListMyReferrals(grpc::ServerContext* context,
                               const v1::ListMyReferralsRequest* request,
                               v1::ListMyReferralsResponse* response) override;
  grpc::Status GetReferral(grpc::ServerContext* context, const v1::GetReferralRequest* request,
                           v1::GetReferralResponse* response) override;
  grpc::Status AcceptReferral(grpc::ServerContext* context,
                              const v1::AcceptReferralRequest* request,
                              cases::v1::CommandResponse* response) override;
  grpc::Status DeclineReferral(grpc::ServerContext* context,
                               const v1::DeclineReferralRequest* request,
                               cases::v1::CommandResponse* response) override;
  grpc::Status ReportProgress(grpc::ServerContext* context,
                              const v1::ReportProgressRequest* request,
                              cases::v1::CommandResponse* response) override;
  grpc::Status ReportOutcome(grpc::ServerContext* context, const v1::ReportOutcomeRequest* request,
                             cases::v1::CommandResponse* response) override;
  grpc::Status SubscribeMyReferrals(grpc::ServerContext* context,
                                    const v1::SubscribeMyReferralsRequest* request,
                                    grpc::ServerWriter<v1::ReferralUpdate>* writer) override;

 private:
  // Runs `command` on the case if `referral_id` is one of the caller's
  // organisation's referrals in it.
  grpc::Status RunPartnerCommand(grpc::ServerContext& context, const char* rpc,
                                 const std::string& request_id, const std::string& case_id,
                                 uint64_t expected_version, const std::string& referral_id,
                                 const cases::v1::CaseCommand& command,
                                 cases::v1::CommandResponse* response);

  storage::EventLog& log_;
  const std::shared_ptr<services::DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore& read_models_;
  storage::ProjectionRunner& projections_;
  const std::shared_ptr<const PartnerCallers> callers_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace haven::legalaid

#endif  // HAVEN_SERVICES_LEGALAID_LEGAL_AID_SERVICE_H_
