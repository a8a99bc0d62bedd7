// child_stats: counter rows by the child's unit (a mentor's registration by
// hers) and the CST day each fact was recorded (PROJECTIONS.md).  Children
// by status are balances (deltas summed from the first day); children
// awaiting a new pairing are also kept by the day they began to await, in
// family 'w', so that "awaiting for more than N days" is a sum over days.
#include <algorithm>

#include "services/children/domain/school_terms.h"
#include "services/children/projections/children_projection_base.h"
#include "services/children/projections/children_projections.h"
#include "services/common/stats/counter_rows.h"

namespace haven::children {
namespace {

constexpr char kPrefix[] = "s/";
// Counters by the day awaiting began (counter id = that CST day number).
constexpr char kAwaitingFamily = 'w';

// Counter ids of the 'n' rows; each a count or sum of facts recorded on
// the bucket's day unless it says delta.
enum Counter : uint32_t {
  kRegistered = 1,
  kMentorsRegistered = 2,
  kPaired = 3,
  kRePaired = 4,
  kPairingsEnded = 5,
  kCareEnded = 6,
  kVisits = 7,
  kMoneyDeliveries = 8,
  kMoneyFen = 9,
  kGoodsDeliveries = 10,
  kGoodsFen = 11,
  kStipends = 12,
  kStipendFen = 13,
  kChecks = 14,
  kChecksInHardship = 15,
  kChecksOutOfSchool = 16,
  kReferrals = 17,
  kRegisteredByCategory = 20,  // + ChildCategory
  kMentorsByKind = 30,         // + MentorKind
  kEndedByReason = 40,         // + PairingEndReason
  kStatusDelta = 50,           // + ChildStatus: +1 entering it, -1 leaving it
  kCounterIds = 60,
};

uint32_t Offset(int value) { return value >= 0 && value < 10 ? static_cast<uint32_t>(value) : 0; }

class ChildStatsProjection final : public ChildrenProjection {
 public:
  std::string name() const override { return kChildStatsNamespace; }

 protected:
  absl::Status OnChildEvent(const storage::RecordedEvent& recorded, const v1::ChildEvent& event,
                            const v1::ChildListEntry& before, const v1::ChildListEntry& after,
                            storage::NamespaceBatch& rows) const override {
    stats::CounterDeltas deltas(kPrefix);
    const std::string& unit = after.unit_id();
    const stats::DayNumber day = stats::CstDayOf(recorded.recorded_time_us);
    auto count = [&](uint32_t id, int64_t delta = 1) { deltas.Add(unit, day, id, delta); };
    using E = v1::ChildEvent;
    switch (event.event_case()) {
      case E::kRegistered:
        count(kRegistered);
        count(kRegisteredByCategory + Offset(after.category()));
        break;
      case E::kPaired:
        count(kPaired);
        if (event.paired().pairing_no() > 1) count(kRePaired);
        break;
      case E::kVisitRecorded:
        count(kVisits);
        break;
      case E::kSupportDelivered: {
        const bool goods = event.support_delivered().kind() == v1::SUPPORT_KIND_GOODS;
        count(goods ? kGoodsDeliveries : kMoneyDeliveries);
        count(goods ? kGoodsFen : kMoneyFen, event.support_delivered().amount_fen());
        break;
      }
      case E::kStipendPaid:
        count(kStipends);
        count(kStipendFen, event.stipend_paid().amount_fen());
        break;
      case E::kStatusChecked: {
        const v1::StatusChecked& e = event.status_checked();
        count(kChecks);
        if (e.living() == v1::LIVING_STATUS_HARDSHIP) count(kChecksInHardship);
        if (e.schooling() == v1::SCHOOLING_STATUS_DROPPED_OUT ||
            e.schooling() == v1::SCHOOLING_STATUS_AT_RISK) {
          count(kChecksOutOfSchool);
        }
        break;
      }
      case E::kCounsellingReferred:
        count(kReferrals);
        break;
      case E::kPairingEnded:
        count(kPairingsEnded);
        count(kEndedByReason + Offset(event.pairing_ended().reason()));
        if (!event.pairing_ended().awaits_new_pairing()) count(kCareEnded);
        break;
      case E::EVENT_NOT_SET:
        break;
    }
    if (before.status() != after.status()) {
      if (before.status() != v1::CHILD_STATUS_UNSPECIFIED) {
        count(kStatusDelta + Offset(before.status()), -1);
      }
      count(kStatusDelta + Offset(after.status()), 1);
    }
    const auto awaiting_day = [](const v1::ChildListEntry& e) {
      return static_cast<uint32_t>(stats::CstDayOf(e.awaiting_since_us()));
    };
    const bool was_awaiting = before.status() == v1::CHILD_STATUS_AWAITING_NEW_PAIRING;
    const bool awaits = after.status() == v1::CHILD_STATUS_AWAITING_NEW_PAIRING;
    if (was_awaiting != awaits || before.awaiting_since_us() != after.awaiting_since_us()) {
      if (was_awaiting) deltas.Add(unit, day, awaiting_day(before), -1, kAwaitingFamily);
      if (awaits) deltas.Add(unit, day, awaiting_day(after), 1, kAwaitingFamily);
    }
    return deltas.Write(rows);
  }

  absl::Status OnMentorEvent(const storage::RecordedEvent& recorded, const v1::MentorEvent& event,
                             storage::NamespaceBatch& rows) const override {
    if (!event.has_registered()) return absl::OkStatus();
    stats::CounterDeltas deltas(kPrefix);
    const stats::DayNumber day = stats::CstDayOf(recorded.recorded_time_us);
    const std::string& unit = event.registered().unit_id();
    deltas.Add(unit, day, kMentorsRegistered, 1);
    deltas.Add(unit, day, kMentorsByKind + Offset(event.registered().kind()), 1);
    return deltas.Write(rows);
  }
};

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

// Dense sums of `a` and `b` added up.
std::vector<int64_t> Plus(std::vector<int64_t> a, const std::vector<int64_t>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
  return a;
}

}  // namespace

std::unique_ptr<storage::Projection> MakeChildStatsProjection() {
  return std::make_unique<ChildStatsProjection>();
}

absl::StatusOr<v1::ChildrenStatistics> ChildrenStatistics(const storage::ReadModelStore& store,
                                                          const std::vector<std::string>& unit_ids,
                                                          const stats::StatsPeriod& period,
                                                          uint32_t awaiting_days) {
  const stats::DayNumber end = std::min(period.to, period.as_of);
  // One pass over the rows: the days before the period, then the period cut
  // at each school term's end (or whole, when it ends before it begins);
  // the counters and the awaiting days ('w', by the day the wait began).
  const auto to_day = [](absl::CivilDay day) { return stats::ToDayNumber(day); };
  stats::SpansQuery query;
  query.unit_ids = unit_ids;
  query.as_of = period.as_of;
  query.bounds = {stats::FirstBucketDay(), period.from};
  std::vector<SchoolTerm> terms;
  if (end >= period.from) {
    for (int t = TermOf(stats::ToCivilDay(period.from)).index();
         t <= TermOf(stats::ToCivilDay(end)).index(); ++t) {
      terms.push_back(SchoolTerm::FromIndex(t));
      query.bounds.push_back(std::min(end, to_day(terms.back().last_day())) + 1);
    }
  } else {
    query.bounds.push_back(period.to + 1);
  }
  const size_t awaiting_ids = static_cast<size_t>(std::max(end, 0)) + 1;
  query.families = {{'n', kCounterIds}, {kAwaitingFamily, awaiting_ids}};
  auto spans = stats::SumSpans(store, kChildStatsNamespace, kPrefix, query);
  if (!spans.ok()) return spans.status();
  const std::vector<std::vector<int64_t>>& counters = (*spans)[0];
  const std::vector<std::vector<int64_t>>& awaiting_by_day = (*spans)[1];
  stats::PeriodSums s;
  s.before = counters[0];
  s.during.assign(kCounterIds, 0);
  for (size_t i = 1; i < counters.size(); ++i) s.during = Plus(std::move(s.during), counters[i]);
  v1::ChildrenStatistics out;
  out.set_from_day(stats::DayText(period.from));
  out.set_to_day(stats::DayText(end));
  out.set_as_of_day(stats::DayText(period.as_of));
  out.set_awaiting_days(awaiting_days);
  out.set_registered(s.During(kRegistered));
  for (int c = 1; v1::ChildCategory_IsValid(c); ++c) {
    const int64_t n = s.During(kRegisteredByCategory + c);
    if (n == 0) continue;
    v1::CategoryCount* count = out.add_registered_by_category();
    count->set_category(static_cast<v1::ChildCategory>(c));
    count->set_count(n);
  }
  out.set_mentors_registered(s.During(kMentorsRegistered));
  for (int k = 1; v1::MentorKind_IsValid(k); ++k) {
    const int64_t n = s.During(kMentorsByKind + k);
    if (n == 0) continue;
    v1::MentorKindCount* count = out.add_mentors_by_kind();
    count->set_kind(static_cast<v1::MentorKind>(k));
    count->set_count(n);
  }
  out.set_paired(s.During(kPaired));
  out.set_re_paired(s.During(kRePaired));
  out.set_pairings_ended(s.During(kPairingsEnded));
  for (int r = 1; v1::PairingEndReason_IsValid(r); ++r) {
    const int64_t n = s.During(kEndedByReason + r);
    if (n == 0) continue;
    v1::EndReasonCount* count = out.add_ended_by_reason();
    count->set_reason(static_cast<v1::PairingEndReason>(r));
    count->set_count(n);
  }
  out.set_care_ended(s.During(kCareEnded));
  const int64_t unpaired = s.AtEnd(kStatusDelta + v1::CHILD_STATUS_UNPAIRED);
  const int64_t paired = s.AtEnd(kStatusDelta + v1::CHILD_STATUS_PAIRED);
  const int64_t awaiting = s.AtEnd(kStatusDelta + v1::CHILD_STATUS_AWAITING_NEW_PAIRING);
  out.set_unpaired_at_end(unpaired);
  out.set_paired_at_end(paired);
  out.set_awaiting_at_end(awaiting);
  out.set_in_care_at_end(unpaired + paired + awaiting);
  out.set_visits(s.During(kVisits));
  out.set_pairings_active(s.Before(kStatusDelta + v1::CHILD_STATUS_PAIRED) + s.During(kPaired));
  out.set_visits_per_pairing(Ratio(out.visits(), out.pairings_active()));
  out.set_money_deliveries(s.During(kMoneyDeliveries));
  out.set_money_fen(s.During(kMoneyFen));
  out.set_goods_deliveries(s.During(kGoodsDeliveries));
  out.set_goods_fen(s.During(kGoodsFen));
  out.set_stipends(s.During(kStipends));
  out.set_stipend_fen(s.During(kStipendFen));
  out.set_status_checks(s.During(kChecks));
  out.set_checks_in_hardship(s.During(kChecksInHardship));
  out.set_checks_out_of_school(s.During(kChecksOutOfSchool));
  out.set_counselling_referrals(s.During(kReferrals));
  // Awaiting for more than N days at the end: began on a day before end - N.
  if (awaiting > 0) {
    std::vector<int64_t> at_end(awaiting_ids, 0);
    for (const std::vector<int64_t>& span : awaiting_by_day) at_end = Plus(std::move(at_end), span);
    int64_t over = 0;
    for (int64_t d = 0; d < static_cast<int64_t>(end) - awaiting_days; ++d) {
      over += at_end[static_cast<size_t>(d)];
    }
    out.set_awaiting_over_days_at_end(over);
  }


  // Each school term's part of the period: span t + 1, after the days
  // before the period and the earlier terms' parts.
  std::vector<int64_t> before_term = counters[0];
  for (size_t t = 0; t < terms.size(); ++t) {
    const std::vector<int64_t>& during_term = counters[t + 1];
    v1::TermVisits* visits = out.add_visits_by_term();
    visits->set_term(terms[t].Text());
    visits->set_from_day(stats::DayText(std::max(period.from, to_day(terms[t].first_day()))));
    visits->set_to_day(stats::DayText(query.bounds[t + 2] - 1));
    visits->set_visits(during_term[kVisits]);
    visits->set_pairings_active(before_term[kStatusDelta + v1::CHILD_STATUS_PAIRED] +
                                during_term[kPaired]);
    visits->set_visits_per_pairing(Ratio(visits->visits(), visits->pairings_active()));
    before_term = Plus(std::move(before_term), during_term);
  }
  return out;
}

}  // namespace haven::children
