// The haven.cases.v1.CaseService gRPC service: a thin adapter that turns
// each command rpc into a CaseCommand run by RunCaseCommand (request-id
// idempotency, expected version, the case aggregate's rules, the org unit
// checked against the directory) and answers GetCase and GetCaseHistory
// from the case's own stream, after waiting for min_position.  ListCases,
// GetStatistics, GetProjectionStatus and RebuildProjections are answered
// by the case projections (case_list_rpc.cc, case_stats_rpc.cc,
// case_admin_rpc.cc) when the service is given their store and runner.
//
// Synchronous API: a command is a few reads and one append, and reads best
// as straight-line code.  Each command logs one line (rpc, case id,
// version, position, status code and the field or rule refused), never
// personal data.
//
// Every rpc asks the authoriser first (services/access/RULES.md): commands
// need access::Permission::kWorkCases and a case (or, for OpenCase, a unit)
// within the caller's unit subtree, checked on the case as it is before
// anything is written; GetCase and GetCaseHistory need kReadCases and the
// case within reach; ListCases and GetStatistics are scoped to a unit
// within reach (the caller's own when the request names none).  Events
// record the authenticated caller as their actor.
//
// Thread safety: all methods may be called concurrently.  The log must
// outlive the service.
#ifndef HAVEN_SERVICES_CASES_SERVICE_CASE_SERVICE_H_
#define HAVEN_SERVICES_CASES_SERVICE_CASE_SERVICE_H_

#include <memory>

#include "haven/cases/v1/case_service.grpc.pb.h"
#include "services/access/authoriser/authoriser.h"
#include "services/cases/service/case_commands.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"

namespace haven::services {

class CaseService final : public cases::v1::CaseService::Service {
 public:
  // `directory` is a view of the same log (DirectoryService::view());
  // `clock` stamps the time commands are decided at (storage::SystemClock()
  // in the server, a ManualClock in tests).
  // `authoriser` decides who may call (Development(): everyone).
  CaseService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
              std::shared_ptr<storage::Clock> clock,
              std::shared_ptr<access::Authoriser> authoriser = access::Authoriser::Development());
  // With the case projections (cases::MakeCaseProjections()) kept in
  // `read_models` by `projections`, which serve ListCases, GetStatistics,
  // GetProjectionStatus and RebuildProjections (UNAVAILABLE without them).
  // Both must outlive the service.
  CaseService(storage::EventLog& log, std::shared_ptr<DirectoryView> directory,
              std::shared_ptr<storage::Clock> clock, const storage::ReadModelStore* read_models,
              storage::ProjectionRunner* projections,
              std::shared_ptr<access::Authoriser> authoriser = access::Authoriser::Development());

  // Commands: one per member of CaseCommand.  Status codes in
  // proto/haven/cases/v1/case_service.proto.
  grpc::Status OpenCase(grpc::ServerContext* context, const cases::v1::OpenCaseRequest* request,
                        cases::v1::CommandResponse* response) override;
  grpc::Status AssignCase(grpc::ServerContext* context, const cases::v1::AssignCaseRequest* request,
                          cases::v1::CommandResponse* response) override;
  grpc::Status RecordContact(grpc::ServerContext* context,
                             const cases::v1::RecordContactRequest* request,
                             cases::v1::CommandResponse* response) override;
  grpc::Status AddNote(grpc::ServerContext* context, const cases::v1::AddNoteRequest* request,
                       cases::v1::CommandResponse* response) override;
  grpc::Status AssessRisk(grpc::ServerContext* context, const cases::v1::AssessRiskRequest* request,
                          cases::v1::CommandResponse* response) override;
  grpc::Status ScheduleMediation(grpc::ServerContext* context,
                                 const cases::v1::ScheduleMediationRequest* request,
                                 cases::v1::CommandResponse* response) override;
  grpc::Status RecordMediationOutcome(grpc::ServerContext* context,
                                      const cases::v1::RecordMediationOutcomeRequest* request,
                                      cases::v1::CommandResponse* response) override;
  grpc::Status RecordAgreementFollowUp(grpc::ServerContext* context,
                                       const cases::v1::RecordAgreementFollowUpRequest* request,
                                       cases::v1::CommandResponse* response) override;
  grpc::Status RecordConsent(grpc::ServerContext* context,
                             const cases::v1::RecordConsentRequest* request,
                             cases::v1::CommandResponse* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const cases::v1::WithdrawConsentRequest* request,
                               cases::v1::CommandResponse* response) override;
  grpc::Status MakeReferral(grpc::ServerContext* context,
                            const cases::v1::MakeReferralRequest* request,
                            cases::v1::CommandResponse* response) override;
  grpc::Status AcceptReferral(grpc::ServerContext* context,
                              const cases::v1::AcceptReferralRequest* request,
                              cases::v1::CommandResponse* response) override;
  grpc::Status DeclineReferral(grpc::ServerContext* context,
                               const cases::v1::DeclineReferralRequest* request,
                               cases::v1::CommandResponse* response) override;
  grpc::Status ReportReferralProgress(grpc::ServerContext* context,
                                      const cases::v1::ReportReferralProgressRequest* request,
                                      cases::v1::CommandResponse* response) override;
  grpc::Status ReportReferralOutcome(grpc::ServerContext* context,
                                     const cases::v1::ReportReferralOutcomeRequest* request,
                                     cases::v1::CommandResponse* response) override;
  grpc::Status RecordDvAlarm(grpc::ServerContext* context,
                             const cases::v1::RecordDvAlarmRequest* request,
                             cases::v1::CommandResponse* response) override;
  grpc::Status RequestInjuryAssessment(grpc::ServerContext* context,
                                       const cases::v1::RequestInjuryAssessmentRequest* request,
                                       cases::v1::CommandResponse* response) override;
  grpc::Status AdmitToShelter(grpc::ServerContext* context,
                              const cases::v1::AdmitToShelterRequest* request,
                              cases::v1::CommandResponse* response) override;
  grpc::Status DischargeFromShelter(grpc::ServerContext* context,
                                    const cases::v1::DischargeFromShelterRequest* request,
                                    cases::v1::CommandResponse* response) override;
  grpc::Status ApplyProtectionOrder(grpc::ServerContext* context,
                                    const cases::v1::ApplyProtectionOrderRequest* request,
                                    cases::v1::CommandResponse* response) override;
  grpc::Status RecordProtectionOrderDecision(
      grpc::ServerContext* context, const cases::v1::RecordProtectionOrderDecisionRequest* request,
      cases::v1::CommandResponse* response) override;
  grpc::Status IssueWarningLetter(grpc::ServerContext* context,
                                  const cases::v1::IssueWarningLetterRequest* request,
                                  cases::v1::CommandResponse* response) override;
  grpc::Status GrantAssistance(grpc::ServerContext* context,
                               const cases::v1::GrantAssistanceRequest* request,
                               cases::v1::CommandResponse* response) override;
  grpc::Status ScheduleFollowUp(grpc::ServerContext* context,
                                const cases::v1::ScheduleFollowUpRequest* request,
                                cases::v1::CommandResponse* response) override;
  grpc::Status CompleteFollowUp(grpc::ServerContext* context,
                                const cases::v1::CompleteFollowUpRequest* request,
                                cases::v1::CommandResponse* response) override;
  grpc::Status CloseCase(grpc::ServerContext* context, const cases::v1::CloseCaseRequest* request,
                         cases::v1::CommandResponse* response) override;
  grpc::Status ReopenCase(grpc::ServerContext* context, const cases::v1::ReopenCaseRequest* request,
                          cases::v1::CommandResponse* response) override;

  // Queries.
  grpc::Status GetCase(grpc::ServerContext* context, const cases::v1::GetCaseRequest* request,
                       cases::v1::GetCaseResponse* response) override;
  grpc::Status GetCaseHistory(grpc::ServerContext* context,
                              const cases::v1::GetCaseHistoryRequest* request,
                              cases::v1::GetCaseHistoryResponse* response) override;
  grpc::Status ListCases(grpc::ServerContext* context, const cases::v1::ListCasesRequest* request,
                         cases::v1::ListCasesResponse* response) override;
  grpc::Status GetStatistics(grpc::ServerContext* context,
                             const cases::v1::GetStatisticsRequest* request,
                             cases::v1::GetStatisticsResponse* response) override;
  grpc::Status GetProjectionStatus(grpc::ServerContext* context,
                                   const cases::v1::GetProjectionStatusRequest* request,
                                   cases::v1::GetProjectionStatusResponse* response) override;
  grpc::Status RebuildProjections(grpc::ServerContext* context,
                                  const cases::v1::RebuildProjectionsRequest* request,
                                  cases::v1::RebuildProjectionsResponse* response) override;

 private:
  // OK once every case projection has applied the log up to min_position
  // (at once for 0); DEADLINE_EXCEEDED "min_position: ..." when the call's
  // deadline (or 30 s) passes first; UNAVAILABLE without projections.
  absl::Status AwaitProjections(const grpc::ServerContext& context, uint64_t min_position) const;

  // The caller, if she may read case `case_id` (kReadCases, the case within
  // reach).  INVALID_ARGUMENT for a malformed case id.
  // The purpose the call declares for reading personal data (required
  // where access is enforced): INVALID_ARGUMENT "metadata haven-purpose: ...".
  absl::StatusOr<std::string> DeclaredPurpose(const grpc::ServerContext& context) const;
  // Appends the access record of `caller`'s read of `case_id` by `rpc`;
  // UNAVAILABLE if it cannot be written (the read must then fail).
  absl::Status RecordRead(const grpc::ServerContext& context, const access::Principal& caller,
                          const std::string& case_id, const char* rpc, std::string purpose);

  absl::StatusOr<access::Principal> AuthorizeCaseRead(const grpc::ServerContext& context,
                                                      const std::string& case_id) const;

  // Runs `command` with the request's envelope and fills `response`.
  grpc::Status Run(grpc::ServerContext& context, const char* rpc,
                   const CaseCommandEnvelope& envelope, const cases::v1::CaseCommand& command,
                   cases::v1::CommandResponse* response);

  storage::EventLog& log_;
  const std::shared_ptr<DirectoryView> directory_;
  const std::shared_ptr<storage::Clock> clock_;
  const storage::ReadModelStore* const read_models_ = nullptr;
  storage::ProjectionRunner* const projections_ = nullptr;
  const std::shared_ptr<access::Authoriser> authoriser_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_CASES_SERVICE_CASE_SERVICE_H_
