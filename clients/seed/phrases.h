// The Chinese text of generated cases: accounts assembled from phrase lists
// by channel and category, and the short texts of notes, contacts,
// mediations, referrals and closures.  The wording borrows from the
// federation's own plans and reports (../shared/seeds/).
#ifndef HAVEN_CLIENTS_SEED_PHRASES_H_
#define HAVEN_CLIENTS_SEED_PHRASES_H_

#include <string>

#include "haven/cases/v1/case_events.pb.h"
#include "seed/random.h"

namespace haven::seed {

namespace cv1 = haven::cases::v1;

// What an account speaks of.
struct AccountFacts {
  cv1::Channel channel = cv1::CHANNEL_UNSPECIFIED;
  cv1::Category category = cv1::CATEGORY_UNSPECIFIED;
  cv1::Subcategory subcategory = cv1::SUBCATEGORY_UNSPECIFIED;
  int age = 35;
  std::string respondent;  // The other party's name (or company, or village).
  std::string place;       // The village or community.
  std::string township;
  std::string company;  // Her employer, for labour cases.
  int children = 1;
  int years_married = 10;
};

// A short paragraph in her words, as the operator noted it: an opening by
// channel, who she is, what happened (two or three sentences), what she asks.
std::string Account(Rng& rng, const AccountFacts& facts);

std::string Workplace(Rng& rng, const std::string& city_prefix);
std::string CompanyName(Rng& rng, const std::string& city_prefix);

std::string ContactSummary(Rng& rng, cv1::ContactMethod method, bool inbound);
std::string NoteText(Rng& rng, cv1::Category category);
std::string RiskBasis(Rng& rng, cv1::RiskLevel level);
std::string EarlyWarningBasis(Rng& rng);
std::string MediationSummary(Rng& rng, cv1::MediationOutcome outcome, cv1::Subcategory sub);
std::string AgreementNote(Rng& rng, cv1::AgreementCompliance compliance);
std::string ConsentNote(Rng& rng);
std::string ReferralReason(Rng& rng, cv1::PartnerType type, cv1::Category category);
std::string DeclineReason(Rng& rng);
std::string ProgressNote(Rng& rng, cv1::ReferralProgressKind kind, const std::string& court);
std::string ReferralOutcomeSummary(Rng& rng, cv1::ReferralOutcome outcome);
std::string AlarmAccount(Rng& rng);
std::string InjuryNote(Rng& rng);
std::string DischargeNote(Rng& rng);
std::string DenialReason(Rng& rng);
std::string AssistanceNote(Rng& rng, cv1::AssistanceKind kind);
std::string FollowUpPurpose(Rng& rng, cv1::Category category);
std::string FollowUpNote(Rng& rng);
std::string ClosureNote(Rng& rng, cv1::Resolution resolution);
std::string PendingReferralReason(Rng& rng);
std::string ReopenReason(Rng& rng, cv1::Category category);
std::string WithdrawConsentReason(Rng& rng);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_PHRASES_H_
