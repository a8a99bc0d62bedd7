// The rows of the case_stats projection (PROJECTIONS.md, "case_stats"):
// counter deltas bucketed by unit × CST period, with the ids of the
// counters, and the decomposition of a span of days into the fewest
// bucket ranges.
//
// A bucket row key is  "s/" unit 0x00 granularity period family [tail]
//   granularity  'd' day, 'm' month, 'y' year
//   period       4 bytes big-endian: day number (days since 1970-01-01
//                CST), month index (year * 12 + month - 1) or year
//   family       'n' counters, 'k' closure cohort, 'p' referral partner
//   tail         the partner id, for family 'p' only
// Every delta goes to the day, month and year rows that hold its day, so a
// sum over any span of days reads at most 5 ranges per unit; the families
// of one period sit together, so one range serves all three.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_KEYS_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/cases/projections/cst_days.h"

namespace haven::cases::stats_keys {

enum class Family : char { kCounters = 'n', kCohort = 'k', kPartner = 'p' };
enum class Granularity : char { kDay = 'd', kMonth = 'm', kYear = 'y' };

// "s/" unit 0x00: every bucket row of one unit.
std::string UnitPrefix(std::string_view unit_id);
// The key of the bucket of `granularity` that holds `day`.
std::string BucketKey(Family family, std::string_view unit_id, Granularity granularity,
                      DayNumber day, std::string_view tail = {});

// A bucket key with its UnitPrefix removed, taken apart.  False if it is
// too short to be one.
struct BucketKeyParts {
  Granularity granularity;
  uint32_t period;
  Family family;
  std::string_view tail;
};
bool ParseBucketKey(std::string_view key_after_prefix, BucketKeyParts* parts);

// Buckets [first, last] (inclusive periods) of one granularity.
struct BucketRange {
  Granularity granularity;
  uint32_t first;
  uint32_t last;
};
// The bucket ranges whose union is exactly the days [from, to] (empty if
// from > to): whole years, whole months, then single days, at most 5.
std::vector<BucketRange> Decompose(DayNumber from, DayNumber to);
// True if a range of `ranges` holds the bucket.
bool Contains(const std::vector<BucketRange>& ranges, Granularity granularity, uint32_t period);
// Ranges to scan to read every bucket of `ranges`: those of a granularity
// that touch, or (months, years) are at most 2 buckets apart, are merged.
std::vector<BucketRange> MergeForScan(std::vector<BucketRange> ranges);
// Lower (inclusive) and upper (exclusive) row keys of `range` under
// UnitPrefix.
std::string RangeStart(std::string_view unit_prefix, const BucketRange& range);
std::string RangeEnd(std::string_view unit_prefix, const BucketRange& range);

// The earliest day a delta is ever bucketed on (days before it are
// clamped to it): 2000-01-01.
DayNumber FirstBucketDay();

}  // namespace haven::cases::stats_keys

// Counter ids of the 'n' rows.  Enum-valued dimensions add the enum's
// number (0..99; others count as 0) to a base.
namespace haven::cases::stats_counters {

// Each a count of facts recorded on the bucket's day, unless it says delta.
inline constexpr uint32_t kOpened = 1;
inline constexpr uint32_t kClosed = 2;
inline constexpr uint32_t kReopened = 3;
inline constexpr uint32_t kOpenDelta = 4;  // +1 opened/reopened, -1 closed
// Open cases' follow-ups not done and due: +1 on the later of the day it
// was scheduled (or the case reopened) and its due day; -1 on the later
// of the day it was done (or the case closed) and its due day.
inline constexpr uint32_t kOverdueDelta = 5;
inline constexpr uint32_t kFollowUpsScheduled = 6;
inline constexpr uint32_t kFollowUpsDone = 7;
inline constexpr uint32_t kDaysToCloseSum = 8;  // whole days, over closures
inline constexpr uint32_t kDvAlarms = 9;
inline constexpr uint32_t kInjuryAssessments = 10;
inline constexpr uint32_t kWarningLetters = 11;
inline constexpr uint32_t kShelterAdmissions = 12;
inline constexpr uint32_t kShelterDischarges = 13;
inline constexpr uint32_t kOrdersApplied = 14;
inline constexpr uint32_t kOrdersGranted = 15;
inline constexpr uint32_t kOrdersDenied = 16;
inline constexpr uint32_t kAssistanceGrants = 17;
inline constexpr uint32_t kAssistanceFen = 18;
inline constexpr uint32_t kAgreementsKept = 19;
inline constexpr uint32_t kAgreementsBroken = 20;
inline constexpr uint32_t kReferralsMade = 21;
inline constexpr uint32_t kReferralsAccepted = 22;
inline constexpr uint32_t kReferralsDeclined = 23;
inline constexpr uint32_t kReferralOutcomes = 24;
inline constexpr uint32_t kMediationsScheduled = 25;

inline constexpr uint32_t kOpenedByChannel = 100;
inline constexpr uint32_t kOpenedByCategory = 200;
inline constexpr uint32_t kClosedByChannel = 300;
inline constexpr uint32_t kClosedByCategory = 400;
inline constexpr uint32_t kClosedByResolution = 500;
inline constexpr uint32_t kClosedBySatisfaction = 600;
inline constexpr uint32_t kOpenDeltaByChannel = 700;
inline constexpr uint32_t kOpenDeltaByCategory = 800;
inline constexpr uint32_t kMediationsByOutcome = 900;
inline constexpr uint32_t kReferralsMadeByPartnerType = 1000;
inline constexpr uint32_t kOrdersAppliedEmergency = 1100;
// Closures by whole days from opening, capped at kMaxHistogramDays.
inline constexpr uint32_t kDaysToCloseHistogram = 10000;
inline constexpr uint32_t kMaxHistogramDays = 3660;

// Counter ids of the 'p' rows (per referral partner).
inline constexpr uint32_t kPartnerMade = 1;
inline constexpr uint32_t kPartnerAccepted = 2;
inline constexpr uint32_t kPartnerDeclined = 3;
// Seconds from referral to acceptance, summed over acceptances.
inline constexpr uint32_t kPartnerAcceptSecondsSum = 4;
inline constexpr uint32_t kPartnerOutcomeBase = 200;  // + ReferralOutcome
// + PartnerType: the type each fact (made, accepted, declined, outcome) named.
inline constexpr uint32_t kPartnerTypeBase = 100;
// Acceptances by whole hours from referral, capped at kMaxAcceptHours.
inline constexpr uint32_t kPartnerAcceptHoursHistogram = 1000;
inline constexpr uint32_t kMaxAcceptHours = 24 * 90;

// An enum number as an offset: 0..99, anything else 0.
inline uint32_t EnumOffset(int value) {
  return value >= 0 && value < 100 ? static_cast<uint32_t>(value) : 0;
}

}  // namespace haven::cases::stats_counters

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_STATS_KEYS_H_
