// The state of one rights-protection case, as the aggregate needs it to
// decide commands: built by folding the case's events (evolve.h), never
// edited otherwise.  Projections keep their own views; this is not one.
//
// Thread safety: a plain value; not synchronized.
#ifndef HAVEN_SERVICES_CASES_DOMAIN_CASE_STATE_H_
#define HAVEN_SERVICES_CASES_DOMAIN_CASE_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "haven/cases/v1/case_events.pb.h"

namespace haven::cases {

enum class CaseStatus { kOpen, kClosed };

struct MediationState {
  int64_t scheduled_at_us = 0;
  // The last outcome recorded; UNSPECIFIED until held.  ADJOURNED keeps the
  // mediation open for another outcome.
  v1::MediationOutcome outcome = v1::MEDIATION_OUTCOME_UNSPECIFIED;
  int64_t held_at_us = 0;
  // Last agreement follow-up; UNSPECIFIED until checked.
  v1::AgreementCompliance compliance = v1::AGREEMENT_COMPLIANCE_UNSPECIFIED;

  // True once an outcome other than ADJOURNED is recorded.
  bool decided() const {
    return outcome != v1::MEDIATION_OUTCOME_UNSPECIFIED &&
           outcome != v1::MEDIATION_OUTCOME_ADJOURNED;
  }
  // True if the outcome is an agreement (full or partial).
  bool agreed() const {
    return outcome == v1::MEDIATION_OUTCOME_AGREEMENT || outcome == v1::MEDIATION_OUTCOME_PARTIAL;
  }
};

// made → accepted → closed (outcome reported), or made → declined.
enum class ReferralStatus { kMade, kAccepted, kDeclined, kClosed };

struct ReferralState {
  std::string partner_id;
  v1::PartnerType partner_type = v1::PARTNER_TYPE_UNSPECIFIED;
  ReferralStatus status = ReferralStatus::kMade;
  int64_t referred_at_us = 0;
  int64_t accepted_at_us = 0;
  v1::ReferralProgressKind last_progress = v1::REFERRAL_PROGRESS_KIND_UNSPECIFIED;
  v1::ReferralOutcome outcome = v1::REFERRAL_OUTCOME_UNSPECIFIED;

  // Made or accepted: the partner still owes an answer or an outcome.
  bool open() const {
    return status == ReferralStatus::kMade || status == ReferralStatus::kAccepted;
  }
};

struct ShelterState {
  bool admitted = false;  // she is in a shelter now
  std::string shelter_id;
  int64_t admitted_at_us = 0;    // of the current or last stay
  int64_t discharged_at_us = 0;  // of the last stay; 0 if none ended
  int admissions = 0;
};

enum class ProtectionOrderStatus { kApplied, kGranted, kDenied };

struct ProtectionOrderState {
  ProtectionOrderStatus status = ProtectionOrderStatus::kApplied;
  int64_t applied_at_us = 0;
  int64_t decided_at_us = 0;
  int64_t expires_at_us = 0;  // granted only
};

struct FollowUpState {
  int64_t due_at_us = 0;
  bool done = false;
  int64_t done_at_us = 0;
};

struct CaseState {
  // False until CaseOpened.
  bool exists = false;
  // Version of the last event folded in (the stream's numbering, from 0);
  // -1 before any.
  int64_t version = -1;

  std::string case_id;
  CaseStatus status = CaseStatus::kOpen;
  std::string assignee;  // operator id; empty if unassigned
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::Subcategory subcategory = v1::SUBCATEGORY_UNSPECIFIED;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  bool priority = false;
  std::string org_unit_id;
  v1::RiskLevel risk = v1::RISK_LEVEL_UNSPECIFIED;

  int64_t received_at_us = 0;                              // when the call, letter or visit came in
  int64_t opened_at_us = 0;                                // when the case was recorded
  int64_t closed_at_us = 0;                                // last closure; 0 while never closed
  v1::Resolution resolution = v1::RESOLUTION_UNSPECIFIED;  // last closure
  v1::Satisfaction satisfaction = v1::SATISFACTION_UNSPECIFIED;
  int reopen_count = 0;

  // By id.
  std::map<std::string, MediationState> mediations;
  std::map<std::string, ReferralState> referrals;
  std::map<std::string, ProtectionOrderState> protection_orders;
  std::map<std::string, FollowUpState> follow_ups;

  // Partner types the survivor has consented to be referred to.
  std::set<v1::PartnerType> consent;
  ShelterState shelter;
  int dv_alarms = 0;
  int warning_letters = 0;
  int injury_assessments = 0;
  // Fund years of two-cancers relief granted to this case.
  std::set<int> two_cancers_relief_years;
  int64_t assistance_total_fen = 0;

  // Ids of referrals made or accepted but without an outcome, in id order.
  std::vector<std::string> OpenReferralIds() const;
  // The first (in id order) mediation scheduled without a final outcome.
  std::optional<std::string> PendingMediationId() const;
  // Earliest due time of the follow-ups not done; nullopt if none.
  std::optional<int64_t> NextFollowUpDueUs() const;
};

}  // namespace haven::cases

#endif  // HAVEN_SERVICES_CASES_DOMAIN_CASE_STATE_H_
