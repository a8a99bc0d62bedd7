#include "services/cases/projections/case_stats_projection.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "services/cases/projections/case_stats_keys.h"
#include "services/cases/projections/cst_days.h"
#include "services/cases/projections/row_codec.h"

namespace haven::cases {
namespace {

namespace c = stats_counters;
using stats_keys::Family;
using stats_keys::Granularity;

// The deltas of one event, before they are added to the batch's rows.
class BucketDeltas {
 public:
  BucketDeltas(const std::string& unit, DayNumber recorded_day)
      : unit_(unit), recorded_day_(recorded_day) {}

  const std::string& unit() const { return unit_; }
  DayNumber recorded_day() const { return recorded_day_; }

  // A counter of the unit's 'n' rows, on the recorded day or on `day`.
  void Count(uint32_t counter, int64_t delta = 1) { CountOn(recorded_day_, counter, delta); }
  void CountOn(DayNumber day, uint32_t counter, int64_t delta = 1) {
    Add(Family::kCounters, day, "", counter, delta);
  }
  void Partner(const std::string& partner_id, uint32_t counter, int64_t delta = 1) {
    Add(Family::kPartner, recorded_day_, partner_id, counter, delta);
  }
  // A closure (+1) or reopening (-1) of a case opened on `opened_day`.
  void Cohort(DayNumber opened_day, int64_t delta) {
    Add(Family::kCohort, opened_day, "", static_cast<uint32_t>(std::max(recorded_day_, 0)), delta);
  }

  // Deltas that go to the same rows (the day, month and year buckets of one
  // family, day and tail).
  struct Group {
    Family family;
    DayNumber day;
    std::string_view tail;
    std::vector<std::pair<uint32_t, int64_t>> counters;
  };
  const std::vector<Group>& groups() const { return groups_; }

 private:
  void Add(Family family, DayNumber day, std::string_view tail, uint32_t counter, int64_t delta) {
    if (delta == 0) return;
    auto group = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) {
      return g.family == family && g.day == day && g.tail == tail;
    });
    if (group == groups_.end()) group = groups_.insert(groups_.end(), Group{family, day, tail, {}});
    group->counters.emplace_back(counter, delta);
  }

  const std::string& unit_;
  const DayNumber recorded_day_;
  std::vector<Group> groups_;  // Few: an event touches one to a handful.
};

// The day a pending follow-up counts as overdue from, if its case is open
// from `from_day` on.
DayNumber OverdueFrom(DayNumber from_day, int64_t due_at_us) {
  return std::max(from_day, CstDayOf(due_at_us));
}

void OpenDeltas(BucketDeltas& d, const rowpb::CaseRecord& r, int64_t delta) {
  d.Count(c::kOpenDelta, delta);
  d.Count(c::kOpenDeltaByChannel + c::EnumOffset(r.channel()), delta);
  d.Count(c::kOpenDeltaByCategory + c::EnumOffset(r.category()), delta);
}

// Every pending follow-up of `r` stops (-1) or starts again (+1) counting
// as overdue, from the recorded day or its due day.
void OverdueDeltas(BucketDeltas& d, const rowpb::CaseRecord& r, int64_t delta) {
  for (const rowpb::PendingFollowUp& f : r.pending_follow_ups()) {
    d.CountOn(OverdueFrom(d.recorded_day(), f.due_at_us()), c::kOverdueDelta, delta);
  }
}

const rowpb::OpenReferral* FindReferral(const rowpb::CaseRecord& r, const std::string& id) {
  for (const rowpb::OpenReferral& referral : r.open_referrals()) {
    if (referral.referral_id() == id) return &referral;
  }
  return nullptr;
}

const rowpb::PendingFollowUp* FindFollowUp(const rowpb::CaseRecord& r, const std::string& id) {
  for (const rowpb::PendingFollowUp& f : r.pending_follow_ups()) {
    if (f.follow_up_id() == id) return &f;
  }
  return nullptr;
}

void Closed(BucketDeltas& d, const v1::CaseEvent& event, const rowpb::CaseRecord& before,
            const rowpb::CaseRecord& after) {
  if (before.closed()) return;
  d.Count(c::kClosed);
  d.Count(c::kClosedByChannel + c::EnumOffset(after.channel()));
  d.Count(c::kClosedByCategory + c::EnumOffset(after.category()));
  d.Count(c::kClosedByResolution + c::EnumOffset(event.closed().resolution()));
  d.Count(c::kClosedBySatisfaction + c::EnumOffset(event.closed().satisfaction()));
  OpenDeltas(d, after, -1);
  const int64_t days =
      std::max<int64_t>(0, (event.occurred_at_us() - after.opened_at_us()) / kUsPerDay);
  d.Count(c::kDaysToCloseSum, days);
  d.Count(c::kDaysToCloseHistogram +
          static_cast<uint32_t>(std::min<int64_t>(days, c::kMaxHistogramDays)));
  d.Cohort(after.opened_day(), +1);
  OverdueDeltas(d, before, -1);
}

void Reopened(BucketDeltas& d, const rowpb::CaseRecord& before, const rowpb::CaseRecord& after) {
  if (!before.closed()) return;
  d.Count(c::kReopened);
  OpenDeltas(d, after, +1);
  d.Cohort(after.opened_day(), -1);
  OverdueDeltas(d, after, +1);
}

void FollowUps(BucketDeltas& d, const v1::CaseEvent& event, const rowpb::CaseRecord& before) {
  if (event.has_follow_up_scheduled()) {
    const v1::FollowUpScheduled& e = event.follow_up_scheduled();
    d.Count(c::kFollowUpsScheduled);
    if (before.closed()) return;
    if (const rowpb::PendingFollowUp* old = FindFollowUp(before, e.follow_up_id())) {
      d.CountOn(OverdueFrom(d.recorded_day(), old->due_at_us()), c::kOverdueDelta, -1);
    }
    d.CountOn(OverdueFrom(d.recorded_day(), e.due_at_us()), c::kOverdueDelta, +1);
  } else if (event.has_follow_up_done()) {
    d.Count(c::kFollowUpsDone);
    const rowpb::PendingFollowUp* f = FindFollowUp(before, event.follow_up_done().follow_up_id());
    if (f != nullptr && !before.closed()) {
      d.CountOn(OverdueFrom(d.recorded_day(), f->due_at_us()), c::kOverdueDelta, -1);
    }
  }
}

void Referrals(BucketDeltas& d, const v1::CaseEvent& event, const rowpb::CaseRecord& before) {
  switch (event.event_case()) {
    case v1::CaseEvent::kReferralMade: {
      const v1::ReferralMade& e = event.referral_made();
      d.Count(c::kReferralsMade);
      d.Count(c::kReferralsMadeByPartnerType + c::EnumOffset(e.partner_type()));
      d.Partner(e.partner_id(), c::kPartnerMade);
      d.Partner(e.partner_id(), c::kPartnerTypeBase + c::EnumOffset(e.partner_type()));
      break;
    }
    case v1::CaseEvent::kReferralAccepted: {
      const v1::ReferralAccepted& e = event.referral_accepted();
      const rowpb::OpenReferral* r = FindReferral(before, e.referral_id());
      if (r == nullptr || r->accepted()) break;
      const int64_t seconds =
          std::max<int64_t>(0, (e.accepted_at_us() - r->referred_at_us()) / 1'000'000);
      d.Count(c::kReferralsAccepted);
      d.Partner(r->partner_id(), c::kPartnerAccepted);
      d.Partner(r->partner_id(), c::kPartnerTypeBase + c::EnumOffset(r->partner_type()));
      d.Partner(r->partner_id(), c::kPartnerAcceptSecondsSum, seconds);
      d.Partner(r->partner_id(),
                c::kPartnerAcceptHoursHistogram +
                    static_cast<uint32_t>(std::min<int64_t>(seconds / 3600, c::kMaxAcceptHours)));
      break;
    }
    case v1::CaseEvent::kReferralDeclined: {
      const rowpb::OpenReferral* r = FindReferral(before, event.referral_declined().referral_id());
      if (r == nullptr) break;
      d.Count(c::kReferralsDeclined);
      d.Partner(r->partner_id(), c::kPartnerDeclined);
      d.Partner(r->partner_id(), c::kPartnerTypeBase + c::EnumOffset(r->partner_type()));
      break;
    }
    case v1::CaseEvent::kReferralOutcomeReported: {
      const v1::ReferralOutcomeReported& e = event.referral_outcome_reported();
      const rowpb::OpenReferral* r = FindReferral(before, e.referral_id());
      if (r == nullptr) break;
      d.Count(c::kReferralOutcomes);
      d.Partner(r->partner_id(), c::kPartnerOutcomeBase + c::EnumOffset(e.outcome()));
      d.Partner(r->partner_id(), c::kPartnerTypeBase + c::EnumOffset(r->partner_type()));
      break;
    }
    default:
      break;
  }
}

void Other(BucketDeltas& d, const v1::CaseEvent& event) {
  switch (event.event_case()) {
    case v1::CaseEvent::kMediationScheduled:
      d.Count(c::kMediationsScheduled);
      break;
    case v1::CaseEvent::kMediationHeld:
      d.Count(c::kMediationsByOutcome + c::EnumOffset(event.mediation_held().outcome()));
      break;
    case v1::CaseEvent::kMediationAgreementFollowedUp: {
      const auto compliance = event.mediation_agreement_followed_up().compliance();
      if (compliance == v1::AGREEMENT_COMPLIANCE_KEPT) d.Count(c::kAgreementsKept);
      if (compliance == v1::AGREEMENT_COMPLIANCE_BROKEN) d.Count(c::kAgreementsBroken);
      break;
    }
    case v1::CaseEvent::kDvAlarmRecorded:
      d.Count(c::kDvAlarms);
      break;
    case v1::CaseEvent::kInjuryAssessmentRequested:
      d.Count(c::kInjuryAssessments);
      break;
    case v1::CaseEvent::kWarningLetterIssued:
      d.Count(c::kWarningLetters);
      break;
    case v1::CaseEvent::kShelterAdmitted:
      d.Count(c::kShelterAdmissions);
      break;
    case v1::CaseEvent::kShelterDischarged:
      d.Count(c::kShelterDischarges);
      break;
    case v1::CaseEvent::kProtectionOrderApplied:
      d.Count(c::kOrdersApplied);
      if (event.protection_order_applied().emergency()) d.Count(c::kOrdersAppliedEmergency);
      break;
    case v1::CaseEvent::kProtectionOrderGranted:
      d.Count(c::kOrdersGranted);
      break;
    case v1::CaseEvent::kProtectionOrderDenied:
      d.Count(c::kOrdersDenied);
      break;
    case v1::CaseEvent::kAssistanceGranted:
      d.Count(c::kAssistanceGrants);
      d.Count(c::kAssistanceFen, event.assistance_granted().amount_fen());
      break;
    default:
      break;
  }
}

}  // namespace

CaseStatsProjection::CaseStatsProjection()
    : CaseProjection({v1::CaseEvent::kAssigned, v1::CaseEvent::kContactRecorded,
                      v1::CaseEvent::kNoteAdded, v1::CaseEvent::kRiskAssessed,
                      v1::CaseEvent::kConsentRecorded, v1::CaseEvent::kConsentWithdrawn,
                      v1::CaseEvent::kReferralProgressReported}) {}

void CaseStatsProjection::Trim(rowpb::CaseRecord* r) const {
  r->clear_assignee();
  r->clear_subcategory();
  r->clear_urgency();
  r->clear_priority();
  r->clear_risk();
  r->clear_received_at_us();
  r->clear_closed_at_us();
  r->clear_resolution();
  r->clear_satisfaction();
  r->clear_reopen_count();
  r->clear_last_position();
  r->clear_version();
  r->clear_last_event_at_us();
  r->clear_pending_mediation_ids();
  r->clear_in_shelter();
}

namespace {

// Keeps the counter rows the batch touches, summed, and writes each once.
class StatsBatch final : public CaseProjection::CaseBatch {
 public:
  using CaseBatch::CaseBatch;

 protected:
  bool UsesEvents() const override { return true; }

  absl::Status OnEvent(const storage::RecordedEvent& recorded, const v1::CaseEvent& event,
                       const rowpb::CaseRecord& before,
                       const rowpb::CaseRecord& after) override {
    BucketDeltas d(after.org_unit_id(), CstDayOf(recorded.recorded_time_us));
    switch (event.event_case()) {
      case v1::CaseEvent::kOpened:
        d.Count(c::kOpened);
        d.Count(c::kOpenedByChannel + c::EnumOffset(after.channel()));
        d.Count(c::kOpenedByCategory + c::EnumOffset(after.category()));
        OpenDeltas(d, after, +1);
        break;
      case v1::CaseEvent::kClosed:
        Closed(d, event, before, after);
        break;
      case v1::CaseEvent::kReopened:
        Reopened(d, before, after);
        break;
      case v1::CaseEvent::kFollowUpScheduled:
      case v1::CaseEvent::kFollowUpDone:
        FollowUps(d, event, before);
        break;
      case v1::CaseEvent::kReferralMade:
      case v1::CaseEvent::kReferralAccepted:
      case v1::CaseEvent::kReferralDeclined:
      case v1::CaseEvent::kReferralOutcomeReported:
        Referrals(d, event, before);
        break;
      default:
        Other(d, event);
        break;
    }
    return Add(d);
  }

  absl::Status FinishRows() override {
    for (const auto& [key, row] : counter_rows_) {
      const std::string encoded = EncodeCounterList(row.sums);
      if (!encoded.empty()) {
        rows().Put(key, encoded);
      } else if (row.stored) {
        rows().Delete(key);  // Every counter cancelled out.
      }
    }
    return absl::OkStatus();
  }

 private:
  struct CounterRow {
    CounterList sums;  // Stored counters plus the batch's deltas.
    bool stored = false;
  };

  // Adds the deltas to their rows, loading the rows first: a row that does
  // not parse fails the event before anything is added.
  absl::Status Add(const BucketDeltas& d) {
    constexpr Granularity kGranularities[] = {Granularity::kDay, Granularity::kMonth,
                                              Granularity::kYear};
    touched_.clear();
    for (const BucketDeltas::Group& group : d.groups()) {
      for (Granularity g : kGranularities) {
        absl::StatusOr<CounterRow*> row =
            Load(stats_keys::BucketKey(group.family, d.unit(), g, group.day, group.tail));
        if (!row.ok()) return row.status();
        touched_.push_back(*row);
      }
    }
    auto row = touched_.begin();
    for (const BucketDeltas::Group& group : d.groups()) {
      for (size_t g = 0; g < std::size(kGranularities); ++g, ++row) {
        for (const auto& [counter, delta] : group.counters) AddCounter(&(*row)->sums, counter, delta);
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<CounterRow*> Load(std::string key) {
    auto it = counter_rows_.find(key);
    if (it != counter_rows_.end()) return &it->second;
    absl::StatusOr<std::optional<std::string>> stored = rows().Get(key);
    if (!stored.ok()) return stored.status();
    CounterRow row;
    if (stored->has_value()) {
      if (!AddEncodedCounterList(**stored, &row.sums)) {
        return absl::DataLossError("case_stats: a counter row does not parse");
      }
      row.stored = true;
    }
    return &counter_rows_.emplace(std::move(key), std::move(row)).first->second;
  }

  // By key; nodes, since Add holds pointers to rows while it loads more.
  absl::node_hash_map<std::string, CounterRow> counter_rows_;
  std::vector<CounterRow*> touched_;  // Add's scratch.
};

}  // namespace

std::unique_ptr<storage::Projection::Batch> CaseStatsProjection::StartBatch(
    storage::NamespaceBatch& rows) const {
  return std::make_unique<StatsBatch>(*this, rows);
}

}  // namespace haven::cases
