// Synthetic case histories for the projection tests: deterministic from a
// seed, plausible (every event fits the aggregate's rules), with ties in
// opening times, overdue follow-ups, reopenings, mediations, referrals to a
// handful of partners and protection steps.  Events are built as CaseEvent
// protos, not through Decide: the projections must not depend on it.
#ifndef HAVEN_TESTS_CASES_PROJECTIONS_SYNTHETIC_CASES_H_
#define HAVEN_TESTS_CASES_PROJECTIONS_SYNTHETIC_CASES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "haven/cases/v1/case_events.pb.h"

namespace haven::cases::testing {

namespace v1 = ::haven::cases::v1;

inline constexpr int64_t kMinuteUs = 60'000'000;
inline constexpr int64_t kHourUs = 60 * kMinuteUs;
inline constexpr int64_t kDayUs = 24 * kHourUs;

// An instant in China Standard Time, as µs since the epoch UTC.
int64_t Cst(int year, int month, int day, int hour = 0, int minute = 0);

struct SyntheticEvent {
  std::string stream;
  // The time the log records it at; also the event's occurred_at_us.
  int64_t at_us = 0;
  v1::CaseEvent event;
  // Filled in when the event is appended.
  uint64_t position = 0;
  uint64_t version = 0;
};

struct SyntheticCase {
  std::string case_id;
  std::string stream;  // "case-" + case_id
  std::string unit_id;
  std::vector<SyntheticEvent> events;  // in time order
};

struct Partner {
  std::string id;
  v1::PartnerType type;
};
const std::vector<Partner>& Partners();

struct WorldOptions {
  uint64_t seed = 1;
  int cases = 1000;
  // Cases are opened on the hour, uniformly over `days` days from `start_us`.
  int64_t start_us = Cst(2024, 1, 1);
  int days = 120;
  // The units cases belong to, with repeats to weight them.
  std::vector<std::string> units;
};

// Every case's events, in time order per case.
std::vector<SyntheticCase> GenerateCases(const WorldOptions& options);

// Pointers to every event of `cases`, in the order they are to be appended:
// by time, then case, then the case's own order.
std::vector<SyntheticEvent*> InAppendOrder(std::vector<SyntheticCase>& cases);

}  // namespace haven::cases::testing

#endif  // HAVEN_TESTS_CASES_PROJECTIONS_SYNTHETIC_CASES_H_
