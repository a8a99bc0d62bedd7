#include "tests/cases/projections/oracle.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/time/time.h"
#include "services/cases/domain/evolve.h"

namespace haven::cases::testing {
namespace {

bool Counted(const SyntheticEvent& e, uint64_t max_position) {
  return e.position != 0 && e.position <= max_position;
}

template <typename Enum>
void Bump(std::map<Enum, int64_t>& m, int value, int64_t by = 1) {
  m[static_cast<Enum>(value)] += by;
  if (m[static_cast<Enum>(value)] == 0) m.erase(static_cast<Enum>(value));
}

std::optional<double> MedianOf(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return (static_cast<double>(values[(n - 1) / 2]) + static_cast<double>(values[n / 2])) / 2;
}

std::optional<double> Ratio(int64_t a, int64_t b) {
  if (b == 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

struct PartnerTally {
  PartnerReferralStats stats;
  std::map<v1::PartnerType, int64_t> types;
  std::vector<int64_t> hours;
};

}  // namespace

absl::CivilDay CstDay(int64_t us) {
  return absl::ToCivilDay(absl::FromUnixMicros(us), absl::FixedTimeZone(8 * 3600));
}

CaseState StateAt(const SyntheticCase& c, absl::CivilDay last_day, uint64_t max_position) {
  CaseState state;
  for (const SyntheticEvent& e : c.events) {
    if (Counted(e, max_position) && CstDay(e.at_us) <= last_day) Evolve(state, e.event);
  }
  return state;
}

CaseSummary ExpectedSummary(const SyntheticCase& c) {
  const CaseState s = StateAt(c);
  CaseSummary x;
  x.case_id = s.case_id;
  x.stream = c.stream;
  x.status = s.status;
  x.assignee = s.assignee;
  x.channel = s.channel;
  x.category = s.category;
  x.subcategory = s.subcategory;
  x.urgency = s.urgency;
  x.priority = s.priority;
  x.org_unit_id = s.org_unit_id;
  x.risk = s.risk;
  x.received_at_us = s.received_at_us;
  x.opened_at_us = s.opened_at_us;
  x.closed_at_us = s.closed_at_us;
  x.resolution = s.resolution;
  x.satisfaction = s.satisfaction;
  x.reopen_count = s.reopen_count;
  x.next_follow_up_due_us = s.NextFollowUpDueUs();
  for (const auto& [id, f] : s.follow_ups) x.pending_follow_ups += f.done ? 0 : 1;
  x.pending_referrals = static_cast<int>(s.OpenReferralIds().size());
  for (const auto& [id, r] : s.referrals) {
    x.referrals_awaiting_acceptance += r.status == ReferralStatus::kMade ? 1 : 0;
  }
  for (const auto& [id, m] : s.mediations) x.pending_mediations += m.decided() ? 0 : 1;
  x.in_shelter = s.shelter.admitted;
  x.last_position = c.events.back().position;
  x.version = static_cast<uint64_t>(s.version);
  x.last_event_at_us = c.events.back().at_us;
  return x;
}

std::vector<std::string> ExpectedList(const std::vector<SyntheticCase>& cases,
                                      const CaseListFilter& f, const std::set<std::string>& units,
                                      CaseListSort sort) {
  std::vector<std::tuple<int64_t, std::string>> keyed;
  for (const SyntheticCase& c : cases) {
    const CaseState s = StateAt(c);
    if (!units.empty() && units.count(s.org_unit_id) == 0) continue;
    if (f.status && s.status != *f.status) continue;
    if (f.category && s.category != *f.category) continue;
    if (f.channel && s.channel != *f.channel) continue;
    if (!f.assignee.empty() && s.assignee != f.assignee) continue;
    if (f.opened_from_us && s.opened_at_us < *f.opened_from_us) continue;
    if (f.opened_before_us && s.opened_at_us >= *f.opened_before_us) continue;
    const std::optional<int64_t> due = s.NextFollowUpDueUs();
    const bool open = s.status == CaseStatus::kOpen;
    if (f.overdue_follow_up && !(open && due && *due < f.now_us)) continue;
    if (sort == CaseListSort::kOpenedNewestFirst) {
      keyed.emplace_back(-s.opened_at_us, s.case_id);
    } else if (open && due) {
      keyed.emplace_back(*due, s.case_id);
    }
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> ids;
  for (const auto& [key, id] : keyed) ids.push_back(id);
  return ids;
}

CaseStatistics ExpectedStatistics(const std::vector<SyntheticCase>& cases,
                                  const std::set<std::string>& units, absl::CivilDay from,
                                  absl::CivilDay to, absl::CivilDay as_of, uint64_t max_position) {
  CaseStatistics x;
  const absl::CivilDay end = std::min(to, as_of);
  const absl::CivilDay start = std::min(from - 1, as_of);
  x.from_day = from;
  x.to_day = end;
  x.as_of_day = as_of;
  std::vector<int64_t> days_to_close;
  std::map<std::string, PartnerTally> partners;
  int64_t days_sum = 0;
  int64_t satisfied = 0;
  int64_t with_satisfaction = 0;
  for (const SyntheticCase& c : cases) {
    if (units.count(c.unit_id) == 0) continue;
    const CaseState at_start = StateAt(c, start, max_position);
    const CaseState at_end = StateAt(c, end, max_position);
    const CaseState at_as_of = StateAt(c, as_of, max_position);
    const bool open_at_end = at_end.exists && at_end.status == CaseStatus::kOpen;
    if (at_start.exists && at_start.status == CaseStatus::kOpen) ++x.open_at_start;
    if (at_end.exists) ++x.cases_at_end;
    if (open_at_end) {
      ++x.open_at_end;
      Bump(x.open_at_end_by_channel, at_end.channel);
      Bump(x.open_at_end_by_category, at_end.category);
      for (const auto& [id, f] : at_end.follow_ups) {
        if (!f.done && CstDay(f.due_at_us) <= end) ++x.overdue_follow_ups_at_end;
      }
    }
    // Replays the case's counted events, counting those of the period.
    CaseState state;
    for (const SyntheticEvent& e : c.events) {
      if (!Counted(e, max_position)) continue;
      const CaseState before = state;
      Evolve(state, e.event);
      const absl::CivilDay day = CstDay(e.at_us);
      if (day < from || day > end) continue;
      const v1::CaseEvent& ev = e.event;
      switch (ev.event_case()) {
        case v1::CaseEvent::kOpened:
          ++x.opened;
          Bump(x.opened_by_channel, state.channel);
          Bump(x.opened_by_category, state.category);
          if (at_as_of.status == CaseStatus::kClosed) ++x.opened_closed;
          break;
        case v1::CaseEvent::kClosed: {
          ++x.closed;
          Bump(x.closed_by_channel, state.channel);
          Bump(x.closed_by_category, state.category);
          Bump(x.closed_by_resolution, ev.closed().resolution());
          Bump(x.closed_by_satisfaction, ev.closed().satisfaction());
          const int64_t days = (e.at_us - state.opened_at_us) / kDayUs;
          days_to_close.push_back(days);
          days_sum += days;
          x.days_to_close_histogram[days] += 1;
          if (ev.closed().satisfaction() != v1::SATISFACTION_UNSPECIFIED) ++with_satisfaction;
          if (ev.closed().satisfaction() == v1::SATISFACTION_SATISFIED ||
              ev.closed().satisfaction() == v1::SATISFACTION_BASICALLY_SATISFIED) {
            ++satisfied;
          }
          break;
        }
        case v1::CaseEvent::kReopened:
          ++x.reopened;
          break;
        case v1::CaseEvent::kFollowUpScheduled:
          ++x.follow_ups_scheduled;
          break;
        case v1::CaseEvent::kFollowUpDone:
          ++x.follow_ups_done;
          break;
        case v1::CaseEvent::kMediationScheduled:
          ++x.mediations_scheduled;
          break;
        case v1::CaseEvent::kMediationHeld:
          Bump(x.mediation_outcomes, ev.mediation_held().outcome());
          break;
        case v1::CaseEvent::kMediationAgreementFollowedUp:
          if (ev.mediation_agreement_followed_up().compliance() == v1::AGREEMENT_COMPLIANCE_KEPT) {
            ++x.agreements_kept;
          } else {
            ++x.agreements_broken;
          }
          break;
        case v1::CaseEvent::kReferralMade: {
          ++x.referrals_made;
          Bump(x.referrals_made_by_partner_type, ev.referral_made().partner_type());
          PartnerTally& p = partners[ev.referral_made().partner_id()];
          ++p.stats.made;
          ++p.types[ev.referral_made().partner_type()];
          break;
        }
        case v1::CaseEvent::kReferralAccepted: {
          const ReferralState& r = before.referrals.at(ev.referral_accepted().referral_id());
          ++x.referrals_accepted;
          PartnerTally& p = partners[r.partner_id];
          ++p.types[r.partner_type];
          ++p.stats.accepted;
          const int64_t seconds =
              (ev.referral_accepted().accepted_at_us() - r.referred_at_us) / 1'000'000;
          p.stats.seconds_to_acceptance_sum += seconds;
          p.stats.hours_to_acceptance_histogram[seconds / 3600] += 1;
          p.hours.push_back(seconds / 3600);
          break;
        }
        case v1::CaseEvent::kReferralDeclined: {
          ++x.referrals_declined;
          const ReferralState& r = before.referrals.at(ev.referral_declined().referral_id());
          ++partners[r.partner_id].stats.declined;
          ++partners[r.partner_id].types[r.partner_type];
          break;
        }
        case v1::CaseEvent::kReferralOutcomeReported: {
          const auto& o = ev.referral_outcome_reported();
          ++x.referral_outcomes;
          const ReferralState& r = before.referrals.at(o.referral_id());
          Bump(partners[r.partner_id].stats.outcomes, o.outcome());
          ++partners[r.partner_id].types[r.partner_type];
          break;
        }
        case v1::CaseEvent::kProtectionOrderApplied:
          ++x.protection_orders_applied;
          if (ev.protection_order_applied().emergency()) ++x.protection_orders_applied_emergency;
          break;
        case v1::CaseEvent::kProtectionOrderGranted:
          ++x.protection_orders_granted;
          break;
        case v1::CaseEvent::kProtectionOrderDenied:
          ++x.protection_orders_denied;
          break;
        case v1::CaseEvent::kShelterAdmitted:
          ++x.shelter_admissions;
          break;
        case v1::CaseEvent::kShelterDischarged:
          ++x.shelter_discharges;
          break;
        case v1::CaseEvent::kDvAlarmRecorded:
          ++x.dv_alarms;
          break;
        case v1::CaseEvent::kWarningLetterIssued:
          ++x.warning_letters;
          break;
        case v1::CaseEvent::kInjuryAssessmentRequested:
          ++x.injury_assessments;
          break;
        case v1::CaseEvent::kAssistanceGranted:
          ++x.assistance_grants;
          x.assistance_fen += ev.assistance_granted().amount_fen();
          break;
        default:
          break;
      }
    }
  }
  x.closed_at_end = x.cases_at_end - x.open_at_end;
  x.closure_rate = Ratio(x.opened_closed, x.opened);
  x.median_days_to_close = MedianOf(days_to_close);
  if (x.closed > 0)
    x.mean_days_to_close = static_cast<double>(days_sum) / static_cast<double>(x.closed);
  x.satisfaction_rate = Ratio(satisfied, with_satisfaction);
  const auto outcome = [&x](v1::MediationOutcome o) {
    auto it = x.mediation_outcomes.find(o);
    return it == x.mediation_outcomes.end() ? int64_t{0} : it->second;
  };
  const int64_t agreed =
      outcome(v1::MEDIATION_OUTCOME_AGREEMENT) + outcome(v1::MEDIATION_OUTCOME_PARTIAL);
  x.mediation_success_rate = Ratio(agreed, agreed + outcome(v1::MEDIATION_OUTCOME_FAILED));
  for (auto& [id, p] : partners) {
    p.stats.partner_id = id;
    int64_t most = 0;
    for (const auto& [type, n] : p.types) {
      if (n > most) {
        most = n;
        p.stats.partner_type = type;
      }
    }
    if (p.stats.accepted > 0) {
      p.stats.mean_hours_to_acceptance = static_cast<double>(p.stats.seconds_to_acceptance_sum) /
                                         3600.0 / static_cast<double>(p.stats.accepted);
    }
    p.stats.median_hours_to_acceptance = MedianOf(p.hours);
    x.partners.push_back(p.stats);
  }
  return x;
}

}  // namespace haven::cases::testing
