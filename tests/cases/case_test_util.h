// Helpers for the case aggregate's tests: realistic Chinese data, a valid
// resident ID number computed independently of the code under test, and a
// fixture that decides commands and folds the resulting events.
#ifndef HAVEN_TESTS_CASES_CASE_TEST_UTIL_H_
#define HAVEN_TESTS_CASES_CASE_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "haven/cases/v1/case_commands.pb.h"
#include "haven/cases/v1/case_events.pb.h"
#include "services/cases/domain/case_state.h"
#include "services/cases/domain/decide.h"

namespace haven::cases::testing {

namespace v1 = ::haven::cases::v1;
using Events = std::vector<v1::CaseEvent>;

// An instant given in China Standard Time, as µs since the epoch UTC.
int64_t Cst(int year, int month, int day, int hour = 0, int minute = 0);

inline constexpr int64_t kMinuteUs = 60'000'000;
inline constexpr int64_t kHourUs = 60 * kMinuteUs;
inline constexpr int64_t kDayUs = 24 * kHourUs;

// The clock of most tests: 2024-05-20 10:00 CST, a Monday reception day.
int64_t Now();

// `first17` followed by its ISO 7064 MOD 11-2 check character, computed
// from the standard's definition (sum of a_i * 2^(i-1) mod 11 == 1).
std::string WithCheckCharacter(absl::string_view first17);

// 王秀兰, born 1985-03-12 in 杭州市西湖区, a valid ID number and mobile.
v1::Person Seeker();

// A hotline call about domestic violence, received an hour before Now().
v1::CaseCommand OpenCaseCommand();

// A context at `now` acting as operator "op-lihua", creating `new_id`.
DecideContext Ctx(int64_t now = Now(), std::string new_id = "");

// OK if `result` failed with `code` and a message starting with `prefix`
// (a field path or a rule name followed by ": ").
::testing::AssertionResult Fails(const absl::StatusOr<Events>& result, absl::StatusCode code,
                                 absl::string_view prefix);

// Decides commands against a case and folds what they produce.
class CaseTest : public ::testing::Test {
 protected:
  // Decides `command` at ctx; on success evolves the state and keeps the
  // events in history_.  Returns the decision unchanged.
  absl::StatusOr<Events> Run(const v1::CaseCommand& command, const DecideContext& ctx = Ctx());
  // Runs `command` and fails the test if it is refused.
  void MustRun(const v1::CaseCommand& command, const DecideContext& ctx = Ctx());

  // Opens the standard case (OpenCaseCommand) at Now().
  void Open();
  // Records consent to referral to `type`.
  void Consent(v1::PartnerType type);
  // Refers to 县法律援助中心 (partner "legal-aid-1") with consent already given.
  void Refer(const std::string& referral_id,
             v1::PartnerType type = v1::PARTNER_TYPE_LEGAL_AID_CENTRE,
             const std::string& partner_id = "legal-aid-1");
  void AcceptReferral(const std::string& referral_id);
  // Schedules a township mediation for tomorrow.
  void ScheduleMediation(const std::string& mediation_id);
  void HoldMediation(const std::string& mediation_id, v1::MediationOutcome outcome);

  CaseState state_;
  Events history_;
};

}  // namespace haven::cases::testing

#endif  // HAVEN_TESTS_CASES_CASE_TEST_UTIL_H_
