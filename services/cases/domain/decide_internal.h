// Shared by the decide_*.cc files; not part of the domain's interface.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_DECIDE_INTERNAL_H_
#define HAVEN_SERVICES_CASES_DOMAIN_DECIDE_INTERNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"
#include "services/cases/domain/decide.h"
#include "services/cases/domain/field_rules.h"

// Returns from the calling function if `expr` (an absl::Status) is not OK.
#define HAVEN_CASES_RETURN_IF_ERROR(expr)               \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

namespace haven::cases::internal {

using Events = std::vector<v1::CaseEvent>;
using Decision = absl::StatusOr<Events>;

// An event stamped with the context's time and actor, no member set yet.
v1::CaseEvent NewEvent(const DecideContext& ctx);

// FAILED_PRECONDITION "<rule>: <detail>".
absl::Status Refuse(absl::string_view rule, absl::string_view detail);

// Resolves a time field where 0 means now into *resolved, then checks it is
// not in the future and not before the case was received.
absl::Status CheckEventTime(absl::string_view path, int64_t given_us, const CaseState& state,
                            const DecideContext& ctx, int64_t* resolved_us);

// As CheckEventTime, for facts outside the federation that may precede the
// case (a police alarm, a court application, a shelter stay): not in the
// future and at most kMaxPriorFactAgeUs before the case was received.
inline constexpr int64_t kMaxPriorFactAgeUs = 366 * kMicrosPerDay;
absl::Status CheckPriorFactTime(absl::string_view path, int64_t given_us, const CaseState& state,
                                const DecideContext& ctx, int64_t* resolved_us);

// INTERNAL unless ctx.new_id is set and not yet a key of `existing`.
template <typename Map>
absl::Status CheckNewId(const DecideContext& ctx, const Map& existing, absl::string_view what) {
  if (ctx.new_id.empty()) {
    return absl::InternalError(std::string("context.new_id: required to create a ") +
                               std::string(what));
  }
  if (existing.count(ctx.new_id) > 0) {
    return absl::InternalError(std::string("context.new_id: names an existing ") +
                               std::string(what));
  }
  return absl::OkStatus();
}

// decide_case.cc
Decision DecideOpenCase(const CaseState& s, const v1::OpenCase& c, const DecideContext& ctx);
Decision DecideAssignCase(const CaseState& s, const v1::AssignCase& c, const DecideContext& ctx);
Decision DecideRecordContact(const CaseState& s, const v1::RecordContact& c,
                             const DecideContext& ctx);
Decision DecideAddNote(const CaseState& s, const v1::AddNote& c, const DecideContext& ctx);
Decision DecideAssessRisk(const CaseState& s, const v1::AssessRisk& c, const DecideContext& ctx);
Decision DecideCloseCase(const CaseState& s, const v1::CloseCase& c, const DecideContext& ctx);
Decision DecideReopenCase(const CaseState& s, const v1::ReopenCase& c, const DecideContext& ctx);

// decide_mediation.cc
Decision DecideScheduleMediation(const CaseState& s, const v1::ScheduleMediation& c,
                                 const DecideContext& ctx);
Decision DecideRecordMediationOutcome(const CaseState& s, const v1::RecordMediationOutcome& c,
                                      const DecideContext& ctx);
Decision DecideRecordAgreementFollowUp(const CaseState& s, const v1::RecordAgreementFollowUp& c,
                                       const DecideContext& ctx);

// decide_consent.cc
Decision DecideRecordConsent(const CaseState& s, const v1::RecordConsent& c,
                             const DecideContext& ctx);
Decision DecideWithdrawConsent(const CaseState& s, const v1::WithdrawConsent& c,
                               const DecideContext& ctx);

// decide_referral.cc
Decision DecideMakeReferral(const CaseState& s, const v1::MakeReferral& c,
                            const DecideContext& ctx);
Decision DecideAcceptReferral(const CaseState& s, const v1::AcceptReferral& c,
                              const DecideContext& ctx);
Decision DecideDeclineReferral(const CaseState& s, const v1::DeclineReferral& c,
                               const DecideContext& ctx);
Decision DecideReportReferralProgress(const CaseState& s, const v1::ReportReferralProgress& c,
                                      const DecideContext& ctx);
Decision DecideReportReferralOutcome(const CaseState& s, const v1::ReportReferralOutcome& c,
                                     const DecideContext& ctx);

// decide_protection.cc
Decision DecideRecordDvAlarm(const CaseState& s, const v1::RecordDvAlarm& c,
                             const DecideContext& ctx);
Decision DecideRequestInjuryAssessment(const CaseState& s, const v1::RequestInjuryAssessment& c,
                                       const DecideContext& ctx);
Decision DecideAdmitToShelter(const CaseState& s, const v1::AdmitToShelter& c,
                              const DecideContext& ctx);
Decision DecideDischargeFromShelter(const CaseState& s, const v1::DischargeFromShelter& c,
                                    const DecideContext& ctx);
Decision DecideIssueWarningLetter(const CaseState& s, const v1::IssueWarningLetter& c,
                                  const DecideContext& ctx);

// decide_protection_order.cc
Decision DecideApplyProtectionOrder(const CaseState& s, const v1::ApplyProtectionOrder& c,
                                    const DecideContext& ctx);
Decision DecideRecordProtectionOrderDecision(const CaseState& s,
                                             const v1::RecordProtectionOrderDecision& c,
                                             const DecideContext& ctx);

// decide_support.cc
Decision DecideGrantAssistance(const CaseState& s, const v1::GrantAssistance& c,
                               const DecideContext& ctx);
Decision DecideScheduleFollowUp(const CaseState& s, const v1::ScheduleFollowUp& c,
                                const DecideContext& ctx);
Decision DecideCompleteFollowUp(const CaseState& s, const v1::CompleteFollowUp& c,
                                const DecideContext& ctx);

}  // namespace haven::cases::internal

#endif  // HAVEN_SERVICES_CASES_DOMAIN_DECIDE_INTERNAL_H_
