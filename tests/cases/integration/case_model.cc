#include "tests/cases/integration/case_model.h"

#include <algorithm>
#include <tuple>

#include "absl/time/time.h"

namespace haven::cases::integration {
namespace {

constexpr int64_t kCstOffsetUs = 8 * kHourUs;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

template <typename Enum>
void Bump(std::map<Enum, int64_t>& m, Enum key) {
  ++m[key];
}

void SetRate(int64_t numerator, int64_t denominator, v1::Rate& rate) {
  rate.set_numerator(numerator);
  rate.set_denominator(denominator);
  if (denominator > 0) {
    rate.set_per_mille(static_cast<int32_t>((numerator * 1000 + denominator / 2) / denominator));
  }
}

double Median(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2;
}

}  // namespace

absl::CivilDay CstDay(int64_t us) {
  return absl::CivilDay(1970, 1, 1) + FloorDiv(us + kCstOffsetUs, kDayUs);
}

int64_t CstDayStartUs(absl::CivilDay day) {
  return (day - absl::CivilDay(1970, 1, 1)) * kDayUs - kCstOffsetUs;
}

bool ModelCase::ClosedBefore(int64_t before_us) const {
  bool closed = false;
  for (const Fact& f : facts) {
    if (f.at_us >= before_us) break;
    if (f.kind == FactKind::kClosed) closed = true;
    if (f.kind == FactKind::kReopened) closed = false;
  }
  return closed;
}

int ModelCase::ReopenCount() const {
  return static_cast<int>(std::count_if(facts.begin(), facts.end(),
                                        [](const Fact& f) { return f.kind == FactKind::kReopened; }));
}

int64_t ModelCase::LastClosedAt() const {
  int64_t at = 0;
  for (const Fact& f : facts) {
    if (f.kind == FactKind::kClosed) at = f.at_us;
  }
  return at;
}

std::optional<int64_t> ModelCase::NextFollowUpDue() const {
  std::map<std::string, int64_t> pending;
  for (const Fact& f : facts) {
    if (f.kind == FactKind::kFollowUpScheduled) pending[f.id] = f.due_us;
    if (f.kind == FactKind::kFollowUpDone) pending.erase(f.id);
  }
  std::optional<int64_t> next;
  for (const auto& [id, due] : pending) {
    if (!next || due < *next) next = due;
  }
  return next;
}

int ModelCase::OverdueAt(int64_t before_us) const {
  if (!ExistsBefore(before_us) || ClosedBefore(before_us)) return 0;
  std::map<std::string, int64_t> pending;
  for (const Fact& f : facts) {
    if (f.at_us >= before_us) break;
    if (f.kind == FactKind::kFollowUpScheduled) pending[f.id] = f.due_us;
    if (f.kind == FactKind::kFollowUpDone) pending.erase(f.id);
  }
  int overdue = 0;
  for (const auto& [id, due] : pending) overdue += due < before_us;
  return overdue;
}

bool CaseModel::InSubtree(const std::string& unit, const std::string& root) const {
  std::string at = unit;
  for (int depth = 0; depth < 16 && !at.empty(); ++depth) {
    if (at == root) return true;
    auto it = parent_.find(at);
    if (it == parent_.end()) return false;
    at = it->second;
  }
  return false;
}

ModelCase& CaseModel::Add(ModelCase c) {
  index_[c.id] = cases_.size();
  cases_.push_back(std::move(c));
  return cases_.back();
}

std::vector<std::string> CaseModel::List(const v1::CaseListFilter& filter, v1::CaseListSort sort,
                                         int64_t now_us) const {
  const int64_t end = INT64_MAX;
  std::vector<std::tuple<int64_t, std::string>> keyed;
  for (const ModelCase& c : cases_) {
    const bool closed = c.ClosedBefore(end);
    if (filter.status() == v1::CASE_STATUS_OPEN && closed) continue;
    if (filter.status() == v1::CASE_STATUS_CLOSED && !closed) continue;
    if (filter.category() != v1::CATEGORY_UNSPECIFIED && filter.category() != c.category) continue;
    if (filter.channel() != v1::CHANNEL_UNSPECIFIED && filter.channel() != c.channel) continue;
    if (!filter.unit_subtree().empty() && !InSubtree(c.unit, filter.unit_subtree())) continue;
    if (!filter.assignee_operator_id().empty() && filter.assignee_operator_id() != c.assignee) {
      continue;
    }
    if (filter.has_opened_from_us() && c.opened_at_us < filter.opened_from_us()) continue;
    if (filter.has_opened_before_us() && c.opened_at_us >= filter.opened_before_us()) continue;
    const std::optional<int64_t> due = c.NextFollowUpDue();
    if (filter.overdue_follow_up() && (closed || !due || *due >= now_us)) continue;
    if (sort == v1::CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST) {
      if (closed || !due) continue;
      keyed.emplace_back(*due, c.id);
    } else {
      keyed.emplace_back(-c.opened_at_us, c.id);
    }
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> ids;
  for (auto& [key, id] : keyed) ids.push_back(id);
  return ids;
}

v1::CaseStatistics CaseModel::Statistics(const std::string& subtree, absl::CivilDay from,
                                         absl::CivilDay to,
                                         std::optional<absl::CivilDay> as_of) const {
  const absl::CivilDay as_of_day = as_of.value_or(to);
  const absl::CivilDay last = std::min(to, as_of_day);
  const int64_t start_us = CstDayStartUs(from);
  const int64_t end_us = CstDayStartUs(last + 1);
  auto in_period = [&](int64_t at) { return at >= start_us && at < end_us; };

  std::map<v1::Channel, int64_t> opened_by_channel, closed_by_channel, open_end_by_channel;
  std::map<v1::Category, int64_t> opened_by_category, closed_by_category, open_end_by_category;
  std::map<v1::Resolution, int64_t> by_resolution;
  std::map<v1::Satisfaction, int64_t> by_satisfaction;
  std::map<v1::MediationOutcome, int64_t> mediation_outcomes;
  std::map<v1::PartnerType, int64_t> made_by_type;
  struct Partner {
    v1::PartnerType type = v1::PARTNER_TYPE_UNSPECIFIED;
    int64_t made = 0, accepted = 0, declined = 0, seconds = 0;
    std::map<v1::ReferralOutcome, int64_t> outcomes;
    std::map<int64_t, int64_t> hours;
  };
  std::map<std::string, Partner> partners;
  std::vector<int64_t> days_to_close;
  std::map<int64_t, int64_t> days_histogram;
  v1::CaseStatistics s;
  int64_t opened_closed = 0;

  for (const ModelCase& c : cases_) {
    if (!InSubtree(c.unit, subtree)) continue;
    if (c.ExistsBefore(start_us) && !c.ClosedBefore(start_us)) s.set_open_at_start(s.open_at_start() + 1);
    if (c.ExistsBefore(end_us)) {
      s.set_cases_at_end(s.cases_at_end() + 1);
      if (c.ClosedBefore(end_us)) {
        s.set_closed_at_end(s.closed_at_end() + 1);
      } else {
        s.set_open_at_end(s.open_at_end() + 1);
        Bump(open_end_by_channel, c.channel);
        Bump(open_end_by_category, c.category);
      }
      s.set_overdue_follow_ups_at_end(s.overdue_follow_ups_at_end() + c.OverdueAt(end_us));
    }
    for (const Fact& f : c.facts) {
      if (!in_period(f.at_us)) continue;
      switch (f.kind) {
        case FactKind::kOpened:
          s.set_opened(s.opened() + 1);
          Bump(opened_by_channel, c.channel);
          Bump(opened_by_category, c.category);
          if (c.ClosedBefore(end_us)) ++opened_closed;
          break;
        case FactKind::kClosed: {
          s.set_closed(s.closed() + 1);
          Bump(closed_by_channel, c.channel);
          Bump(closed_by_category, c.category);
          Bump(by_resolution, static_cast<v1::Resolution>(f.a));
          Bump(by_satisfaction, static_cast<v1::Satisfaction>(f.b));
          const int64_t days = (f.at_us - c.opened_at_us) / kDayUs;
          days_to_close.push_back(days);
          ++days_histogram[days];
          break;
        }
        case FactKind::kReopened: s.set_reopened(s.reopened() + 1); break;
        case FactKind::kFollowUpScheduled:
          s.set_follow_ups_scheduled(s.follow_ups_scheduled() + 1);
          break;
        case FactKind::kFollowUpDone: s.set_follow_ups_done(s.follow_ups_done() + 1); break;
        case FactKind::kMediationScheduled:
          s.set_mediations_scheduled(s.mediations_scheduled() + 1);
          break;
        case FactKind::kMediationOutcome:
          Bump(mediation_outcomes, static_cast<v1::MediationOutcome>(f.a));
          break;
        case FactKind::kAgreementFollowUp:
          if (f.a == v1::AGREEMENT_COMPLIANCE_KEPT) s.set_agreements_kept(s.agreements_kept() + 1);
          if (f.a == v1::AGREEMENT_COMPLIANCE_BROKEN) {
            s.set_agreements_broken(s.agreements_broken() + 1);
          }
          break;
        case FactKind::kReferralMade: {
          s.set_referrals_made(s.referrals_made() + 1);
          Bump(made_by_type, static_cast<v1::PartnerType>(f.a));
          Partner& p = partners[f.partner];
          p.type = static_cast<v1::PartnerType>(f.a);
          ++p.made;
          break;
        }
        case FactKind::kReferralAccepted: {
          s.set_referrals_accepted(s.referrals_accepted() + 1);
          Partner& p = partners[f.partner];
          p.type = static_cast<v1::PartnerType>(f.a);
          ++p.accepted;
          const int64_t seconds = (f.at_us - f.due_us) / 1'000'000;
          p.seconds += seconds;
          ++p.hours[seconds / 3600];
          break;
        }
        case FactKind::kReferralDeclined: {
          s.set_referrals_declined(s.referrals_declined() + 1);
          Partner& p = partners[f.partner];
          p.type = static_cast<v1::PartnerType>(f.a);
          ++p.declined;
          break;
        }
        case FactKind::kReferralOutcome: {
          s.set_referral_outcomes(s.referral_outcomes() + 1);
          Partner& p = partners[f.partner];
          p.type = static_cast<v1::PartnerType>(f.a);
          ++p.outcomes[static_cast<v1::ReferralOutcome>(f.b)];
          break;
        }
        case FactKind::kOrderApplied:
          s.set_protection_orders_applied(s.protection_orders_applied() + 1);
          if (f.a) {
            s.set_protection_orders_applied_emergency(s.protection_orders_applied_emergency() + 1);
          }
          break;
        case FactKind::kOrderDecided:
          if (f.a) {
            s.set_protection_orders_granted(s.protection_orders_granted() + 1);
          } else {
            s.set_protection_orders_denied(s.protection_orders_denied() + 1);
          }
          break;
        case FactKind::kShelterAdmitted: s.set_shelter_admissions(s.shelter_admissions() + 1); break;
        case FactKind::kShelterDischarged:
          s.set_shelter_discharges(s.shelter_discharges() + 1);
          break;
      }
    }
  }

  s.set_from_day(absl::FormatCivilTime(from));
  s.set_to_day(absl::FormatCivilTime(last));
  s.set_as_of_day(absl::FormatCivilTime(as_of_day));
  for (auto [k, n] : opened_by_channel) {
    auto* c = s.add_opened_by_channel();
    c->set_channel(k);
    c->set_count(n);
  }
  for (auto [k, n] : opened_by_category) {
    auto* c = s.add_opened_by_category();
    c->set_category(k);
    c->set_count(n);
  }
  for (auto [k, n] : closed_by_channel) {
    auto* c = s.add_closed_by_channel();
    c->set_channel(k);
    c->set_count(n);
  }
  for (auto [k, n] : closed_by_category) {
    auto* c = s.add_closed_by_category();
    c->set_category(k);
    c->set_count(n);
  }
  for (auto [k, n] : by_resolution) {
    auto* c = s.add_closed_by_resolution();
    c->set_resolution(k);
    c->set_count(n);
  }
  for (auto [k, n] : by_satisfaction) {
    auto* c = s.add_closed_by_satisfaction();
    c->set_satisfaction(k);
    c->set_count(n);
  }
  for (auto [k, n] : open_end_by_channel) {
    auto* c = s.add_open_at_end_by_channel();
    c->set_channel(k);
    c->set_count(n);
  }
  for (auto [k, n] : open_end_by_category) {
    auto* c = s.add_open_at_end_by_category();
    c->set_category(k);
    c->set_count(n);
  }
  SetRate(opened_closed, s.opened(), *s.mutable_closure_rate());
  if (!days_to_close.empty()) s.set_median_days_to_close(Median(days_to_close));
  for (auto [k, n] : days_histogram) {
    auto* b = s.add_days_to_close();
    b->set_bucket(k);
    b->set_count(n);
  }
  int64_t rated = 0;
  for (auto [k, n] : by_satisfaction) rated += k != v1::SATISFACTION_UNSPECIFIED ? n : 0;
  SetRate(by_satisfaction[v1::SATISFACTION_SATISFIED] +
              by_satisfaction[v1::SATISFACTION_BASICALLY_SATISFIED],
          rated, *s.mutable_satisfaction_rate());
  for (auto [k, n] : mediation_outcomes) {
    auto* c = s.add_mediation_outcomes();
    c->set_outcome(k);
    c->set_count(n);
  }
  const int64_t success = mediation_outcomes[v1::MEDIATION_OUTCOME_AGREEMENT] +
                          mediation_outcomes[v1::MEDIATION_OUTCOME_PARTIAL];
  SetRate(success, success + mediation_outcomes[v1::MEDIATION_OUTCOME_FAILED],
          *s.mutable_mediation_success_rate());
  for (auto [k, n] : made_by_type) {
    auto* c = s.add_referrals_made_by_partner_type();
    c->set_partner_type(k);
    c->set_count(n);
  }
  for (const auto& [id, p] : partners) {
    auto* out = s.add_partners();
    out->set_partner_id(id);
    out->set_partner_type(p.type);
    out->set_made(p.made);
    out->set_accepted(p.accepted);
    out->set_declined(p.declined);
    for (auto [k, n] : p.outcomes) {
      auto* c = out->add_outcomes();
      c->set_outcome(k);
      c->set_count(n);
    }
    out->set_seconds_to_acceptance_sum(p.seconds);
    for (auto [k, n] : p.hours) {
      auto* b = out->add_hours_to_acceptance();
      b->set_bucket(k);
      b->set_count(n);
    }
  }
  return s;
}

v1::CaseStatistics ModelledFields(const v1::CaseStatistics& actual) {
  v1::CaseStatistics s = actual;
  s.clear_mean_days_to_close();
  for (v1::Rate* rate : {s.mutable_closure_rate(), s.mutable_satisfaction_rate(),
                         s.mutable_mediation_success_rate()}) {
    rate->clear_value();
  }
  for (auto& p : *s.mutable_partners()) {
    p.clear_mean_hours_to_acceptance();
    p.clear_median_hours_to_acceptance();
  }
  return s;
}

}  // namespace haven::cases::integration
