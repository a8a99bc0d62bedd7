// What the integration test expects, computed from what it did: every fact
// it recorded about each case (with the time the server's clock showed),
// and the directory as it should be.  Nothing here reads the server or the
// projections' code: the answers are computed again from the definitions in
// case_service.proto and case_stats_query.h.
#ifndef HAVEN_TESTS_CASES_INTEGRATION_CASE_MODEL_H_
#define HAVEN_TESTS_CASES_INTEGRATION_CASE_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "haven/cases/v1/case_service.pb.h"

namespace haven::cases::integration {

namespace v1 = ::haven::cases::v1;

inline constexpr int64_t kMinuteUs = 60'000'000;
inline constexpr int64_t kHourUs = 60 * kMinuteUs;
inline constexpr int64_t kDayUs = 24 * kHourUs;

// The CST calendar day of an instant (µs UTC), and the instant a CST day
// starts.
absl::CivilDay CstDay(int64_t us);
int64_t CstDayStartUs(absl::CivilDay day);

enum class FactKind {
  kOpened,          // a = channel, b = category
  kClosed,          // a = resolution, b = satisfaction
  kReopened,
  kFollowUpScheduled,  // id, due_us
  kFollowUpDone,       // id
  kMediationScheduled,
  kMediationOutcome,   // a = outcome
  kAgreementFollowUp,  // a = compliance
  kReferralMade,       // id, partner, a = partner type
  kReferralAccepted,   // id, partner, a = partner type, due_us = referred at
  kReferralDeclined,   // id, partner, a = partner type
  kReferralOutcome,    // id, partner, a = partner type, b = outcome
  kOrderApplied,       // a = emergency
  kOrderDecided,       // a = granted
  kShelterAdmitted,
  kShelterDischarged,
};

struct Fact {
  int64_t at_us = 0;
  FactKind kind;
  int a = 0;
  int b = 0;
  std::string id;
  std::string partner;
  int64_t due_us = 0;
};

struct ModelCase {
  std::string id;
  std::string unit;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  std::string assignee;
  int64_t opened_at_us = 0;
  uint64_t version = 0;
  uint64_t position = 0;
  std::vector<Fact> facts;  // in time order

  // Status at the end of the facts recorded before `before_us`.
  bool ExistsBefore(int64_t before_us) const { return opened_at_us < before_us; }
  bool ClosedBefore(int64_t before_us) const;
  int ReopenCount() const;
  int64_t LastClosedAt() const;
  // Earliest due of the follow-ups scheduled and not done (now).
  std::optional<int64_t> NextFollowUpDue() const;
  // Follow-ups not done before `before_us` and due before it, if the case
  // is open then.
  int OverdueAt(int64_t before_us) const;
};

// The statistics the server should answer, with the same definitions.
struct ExpectedStats {
  v1::CaseStatistics stats;  // only the fields the model computes are set
};

class CaseModel {
 public:
  // Directory: unit -> parent ("" for the root).
  void AddUnit(const std::string& id, const std::string& parent) { parent_[id] = parent; }
  void MoveUnit(const std::string& id, const std::string& parent) { parent_[id] = parent; }
  bool InSubtree(const std::string& unit, const std::string& root) const;

  ModelCase& Add(ModelCase c);
  ModelCase& Get(const std::string& id) { return cases_.at(index_.at(id)); }
  const std::vector<ModelCase>& cases() const { return cases_; }

  // The case ids a ListCases filter should return, in the documented order.
  std::vector<std::string> List(const v1::CaseListFilter& filter, v1::CaseListSort sort,
                                int64_t now_us) const;

  // GetStatistics for a subtree, period and optional as-of day (at most
  // to_day), restricted to the fields the model computes.
  v1::CaseStatistics Statistics(const std::string& subtree, absl::CivilDay from,
                                absl::CivilDay to,
                                std::optional<absl::CivilDay> as_of = std::nullopt) const;

 private:
  std::map<std::string, std::string> parent_;
  std::vector<ModelCase> cases_;
  std::map<std::string, size_t> index_;
};

// Keeps of `actual` only the fields CaseModel::Statistics computes, so that
// the two compare with MessageDifferencer.
v1::CaseStatistics ModelledFields(const v1::CaseStatistics& actual);

}  // namespace haven::cases::integration

#endif  // HAVEN_TESTS_CASES_INTEGRATION_CASE_MODEL_H_
