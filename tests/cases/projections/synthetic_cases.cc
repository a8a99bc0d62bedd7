#include "tests/cases/projections/synthetic_cases.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace haven::cases::testing {
namespace {

// SplitMix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Below(static_cast<int64_t>(v.size())))];
  }

 private:
  uint64_t state_;
};

// Writes one case's story in time order.
class Story {
 public:
  Story(Rng& rng, SyntheticCase& c, int64_t opened_at) : rng_(rng), c_(c), t_(opened_at) {}

  int64_t now() const { return t_; }
  // Moves time on by 10 minutes to `max_hours` hours.
  void Wait(int64_t max_hours) { t_ += rng_.Between(10 * kMinuteUs, max_hours * kHourUs); }

  v1::CaseEvent& Emit() {
    SyntheticEvent e;
    e.stream = c_.stream;
    e.at_us = t_;
    e.event.set_occurred_at_us(t_);
    e.event.set_actor(absl::StrCat("op-", rng_.Below(5)));
    c_.events.push_back(std::move(e));
    return c_.events.back().event;
  }

 private:
  Rng& rng_;
  SyntheticCase& c_;
  int64_t t_;
};

const std::vector<v1::Channel> kChannels = {
    v1::CHANNEL_HOTLINE,    v1::CHANNEL_HOTLINE,         v1::CHANNEL_LETTER,
    v1::CHANNEL_VISIT,      v1::CHANNEL_VISIT,           v1::CHANNEL_ONLINE,
    v1::CHANNEL_HOME_VISIT, v1::CHANNEL_POLICE_REFERRAL, v1::CHANNEL_MICRO_HOME_REFERRAL};
const std::vector<v1::Category> kCategories = {
    v1::CATEGORY_DOMESTIC_VIOLENCE, v1::CATEGORY_DOMESTIC_VIOLENCE, v1::CATEGORY_MARRIAGE_FAMILY,
    v1::CATEGORY_MARRIAGE_FAMILY,   v1::CATEGORY_LABOUR_RIGHTS,     v1::CATEGORY_LAND_PROPERTY,
    v1::CATEGORY_CONSULTATION,      v1::CATEGORY_SEXUAL_HARASSMENT};
const std::vector<std::string> kOperators = {"op-lihua", "op-wangfang", "op-zhaomin",
                                             "op-chenjing"};

void Open(Story& s, Rng& rng, const SyntheticCase& c) {
  v1::CaseOpened* e = s.Emit().mutable_opened();
  e->set_case_id(c.case_id);
  e->set_channel(rng.Pick(kChannels));
  e->set_category(rng.Pick(kCategories));
  if (e->category() == v1::CATEGORY_DOMESTIC_VIOLENCE && rng.Chance(50)) {
    e->set_subcategory(v1::SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE);
  }
  e->set_urgency(rng.Chance(10) ? v1::URGENCY_EMERGENCY : v1::URGENCY_ROUTINE);
  e->set_priority(rng.Chance(15));
  e->set_org_unit_id(c.unit_id);
  e->set_received_at_us(s.now() - rng.Between(0, 48) * kHourUs);
  e->mutable_seeker()->set_name("王秀兰");
  e->set_account("丈夫酒后打人，已持续两年。");
}

void Assign(Story& s, Rng& rng, std::string* assignee) {
  std::string next = rng.Pick(kOperators);
  if (next == *assignee) return;
  v1::CaseAssigned* e = s.Emit().mutable_assigned();
  e->set_operator_id(next);
  e->set_previous_operator_id(*assignee);
  *assignee = next;
}

void ScheduleFollowUp(Story& s, Rng& rng, const std::string& id,
                      std::vector<std::string>* pending) {
  v1::FollowUpScheduled* e = s.Emit().mutable_follow_up_scheduled();
  e->set_follow_up_id(id);
  e->set_due_at_us(s.now() + rng.Between(6, 20 * 24) * kHourUs);
  pending->push_back(id);
}

void MaybeDoFollowUps(Story& s, Rng& rng, std::vector<std::string>* pending, int percent) {
  for (auto it = pending->begin(); it != pending->end();) {
    if (!rng.Chance(percent)) {
      ++it;
      continue;
    }
    s.Wait(24 * 6);
    v1::FollowUpDone* e = s.Emit().mutable_follow_up_done();
    e->set_follow_up_id(*it);
    e->set_method(v1::CONTACT_METHOD_PHONE);
    e->set_done_at_us(s.now());
    it = pending->erase(it);
  }
}

void Mediate(Story& s, Rng& rng) {
  v1::MediationScheduled* scheduled = s.Emit().mutable_mediation_scheduled();
  scheduled->set_mediation_id("m1");
  scheduled->set_committee_level(v1::COMMITTEE_LEVEL_TOWNSHIP);
  scheduled->set_scheduled_at_us(s.now() + rng.Between(1, 5) * kDayUs);
  const std::vector<v1::MediationOutcome> outcomes = {
      v1::MEDIATION_OUTCOME_AGREEMENT, v1::MEDIATION_OUTCOME_AGREEMENT,
      v1::MEDIATION_OUTCOME_PARTIAL, v1::MEDIATION_OUTCOME_FAILED, v1::MEDIATION_OUTCOME_ADJOURNED};
  v1::MediationOutcome outcome = v1::MEDIATION_OUTCOME_ADJOURNED;
  while (outcome == v1::MEDIATION_OUTCOME_ADJOURNED) {
    s.Wait(24 * 5);
    outcome = rng.Pick(outcomes);
    v1::MediationHeld* held = s.Emit().mutable_mediation_held();
    held->set_mediation_id("m1");
    held->set_outcome(outcome);
    held->set_held_at_us(s.now());
  }
  if ((outcome == v1::MEDIATION_OUTCOME_AGREEMENT || outcome == v1::MEDIATION_OUTCOME_PARTIAL) &&
      rng.Chance(50)) {
    s.Wait(24 * 10);
    v1::MediationAgreementFollowedUp* e = s.Emit().mutable_mediation_agreement_followed_up();
    e->set_mediation_id("m1");
    e->set_compliance(rng.Chance(75) ? v1::AGREEMENT_COMPLIANCE_KEPT
                                     : v1::AGREEMENT_COMPLIANCE_BROKEN);
    e->set_checked_at_us(s.now());
  }
}

// Returns the ids of the referrals left open.
std::vector<std::string> Refer(Story& s, Rng& rng) {
  const Partner& partner = rng.Pick(Partners());
  v1::ConsentRecorded* consent = s.Emit().mutable_consent_recorded();
  consent->add_scope(partner.type);
  consent->set_form(v1::CONSENT_FORM_ORAL);
  consent->set_given_at_us(s.now());
  s.Wait(4);
  v1::ReferralMade* made = s.Emit().mutable_referral_made();
  made->set_referral_id("r1");
  made->set_partner_id(partner.id);
  made->set_partner_type(partner.type);
  made->set_partner_name("县法律援助中心");
  // The referral may be dated a little before it is recorded.
  made->set_referred_at_us(s.now() - rng.Between(0, 120) * kMinuteUs);
  const int64_t referred_at = made->referred_at_us();
  const int64_t answer = rng.Below(100);
  if (answer < 15) return {"r1"};
  s.Wait(72);
  if (answer < 30) {
    v1::ReferralDeclined* e = s.Emit().mutable_referral_declined();
    e->set_referral_id("r1");
    e->set_reason("不在受理范围");
    e->set_declined_at_us(s.now());
    return {};
  }
  v1::ReferralAccepted* accepted = s.Emit().mutable_referral_accepted();
  accepted->set_referral_id("r1");
  accepted->set_accepted_at_us(std::max(referred_at, s.now() - rng.Between(0, 300) * kMinuteUs));
  if (rng.Chance(50)) {
    s.Wait(24 * 7);
    v1::ReferralProgressReported* e = s.Emit().mutable_referral_progress_reported();
    e->set_referral_id("r1");
    e->set_kind(v1::REFERRAL_PROGRESS_KIND_ADVICE_GIVEN);
    e->set_occurred_at_us(s.now());
  }
  if (!rng.Chance(65)) return {"r1"};
  s.Wait(24 * 10);
  v1::ReferralOutcomeReported* e = s.Emit().mutable_referral_outcome_reported();
  e->set_referral_id("r1");
  const std::vector<v1::ReferralOutcome> outcomes = {
      v1::REFERRAL_OUTCOME_RESOLVED, v1::REFERRAL_OUTCOME_RESOLVED,
      v1::REFERRAL_OUTCOME_PARTLY_RESOLVED, v1::REFERRAL_OUTCOME_NOT_RESOLVED,
      v1::REFERRAL_OUTCOME_WITHDRAWN};
  e->set_outcome(rng.Pick(outcomes));
  e->set_reported_at_us(s.now());
  return {};
}

void Protect(Story& s, Rng& rng) {
  if (rng.Chance(60)) {
    v1::DvAlarmRecorded* e = s.Emit().mutable_dv_alarm_recorded();
    e->set_alarm_point_id("alarm-1");
    e->set_alarmed_at_us(s.now() - rng.Between(0, 48) * kHourUs);
    s.Wait(6);
  }
  if (rng.Chance(30)) {
    s.Emit().mutable_injury_assessment_requested()->set_requested_at_us(s.now());
    s.Wait(6);
  }
  if (rng.Chance(40)) {
    v1::ProtectionOrderApplied* applied = s.Emit().mutable_protection_order_applied();
    applied->set_order_id("po1");
    applied->set_emergency(rng.Chance(30));
    applied->set_applied_at_us(s.now());
    if (rng.Chance(85)) {
      s.Wait(72);
      if (rng.Chance(80)) {
        v1::ProtectionOrderGranted* e = s.Emit().mutable_protection_order_granted();
        e->set_order_id("po1");
        e->set_granted_at_us(s.now());
        e->set_expires_at_us(s.now() + 180 * kDayUs);
      } else {
        v1::ProtectionOrderDenied* e = s.Emit().mutable_protection_order_denied();
        e->set_order_id("po1");
        e->set_decided_at_us(s.now());
        e->set_reason("证据不足");
      }
    }
  }
  if (rng.Chance(25)) {
    s.Wait(12);
    v1::ShelterAdmitted* e = s.Emit().mutable_shelter_admitted();
    e->set_shelter_id("shelter-1");
    e->set_admitted_at_us(s.now());
    if (rng.Chance(70)) {
      s.Wait(24 * 10);
      v1::ShelterDischarged* d = s.Emit().mutable_shelter_discharged();
      d->set_shelter_id("shelter-1");
      d->set_discharged_at_us(s.now());
    }
  }
  if (rng.Chance(30)) {
    s.Wait(24);
    v1::WarningLetterIssued* e = s.Emit().mutable_warning_letter_issued();
    e->set_police_station("西湖派出所");
    e->set_issued_at_us(s.now());
  }
}

void Close(Story& s, Rng& rng, const std::vector<std::string>& open_referrals) {
  const std::vector<v1::Resolution> resolutions = {
      v1::RESOLUTION_ADVICE_GIVEN,        v1::RESOLUTION_MEDIATED,
      v1::RESOLUTION_LEGAL_ACTION,        v1::RESOLUTION_VIOLENCE_STOPPED,
      v1::RESOLUTION_ASSISTANCE_PROVIDED, v1::RESOLUTION_UNREACHABLE};
  const std::vector<v1::Satisfaction> satisfactions = {
      v1::SATISFACTION_SATISFIED, v1::SATISFACTION_SATISFIED, v1::SATISFACTION_BASICALLY_SATISFIED,
      v1::SATISFACTION_UNSATISFIED};
  v1::CaseClosed* e = s.Emit().mutable_closed();
  e->set_resolution(rng.Pick(resolutions));
  if (e->resolution() != v1::RESOLUTION_UNREACHABLE) e->set_satisfaction(rng.Pick(satisfactions));
  for (const std::string& id : open_referrals) e->add_pending_referral_ids(id);
  if (!open_referrals.empty()) e->set_pending_referral_reason("当事人已和解");
}

void WriteStory(Rng& rng, SyntheticCase& c, int64_t opened_at) {
  Story s(rng, c, opened_at);
  Open(s, rng, c);
  std::string assignee;
  std::vector<std::string> pending_follow_ups;
  std::vector<std::string> open_referrals;
  int follow_ups = 0;
  const v1::Category category = c.events.front().event.opened().category();
  if (rng.Chance(85)) {
    s.Wait(3);
    Assign(s, rng, &assignee);
  }
  if (category == v1::CATEGORY_DOMESTIC_VIOLENCE && rng.Chance(70)) {
    s.Wait(24);
    v1::RiskAssessed* e = s.Emit().mutable_risk_assessed();
    e->set_level(static_cast<v1::RiskLevel>(rng.Between(1, 4)));
  }
  if (rng.Chance(60)) {
    s.Wait(24);
    v1::ContactRecorded* e = s.Emit().mutable_contact_recorded();
    e->set_method(v1::CONTACT_METHOD_PHONE);
    e->set_contacted_at_us(s.now());
    e->set_summary("电话回访");
  }
  if (rng.Chance(70)) {
    s.Wait(24);
    ScheduleFollowUp(s, rng, absl::StrCat("f", ++follow_ups), &pending_follow_ups);
  }
  if (category == v1::CATEGORY_MARRIAGE_FAMILY ? rng.Chance(60) : rng.Chance(10)) {
    s.Wait(48);
    Mediate(s, rng);
  }
  if (rng.Chance(35)) {
    s.Wait(48);
    open_referrals = Refer(s, rng);
  }
  if (category == v1::CATEGORY_DOMESTIC_VIOLENCE && rng.Chance(60)) {
    s.Wait(24);
    Protect(s, rng);
  }
  if (rng.Chance(20)) {
    s.Wait(48);
    v1::AssistanceGranted* e = s.Emit().mutable_assistance_granted();
    e->set_kind(v1::ASSISTANCE_KIND_HARDSHIP_RELIEF);
    e->set_amount_fen(rng.Between(1, 50) * 10000);
    e->set_granted_at_us(s.now());
  }
  MaybeDoFollowUps(s, rng, &pending_follow_ups, 60);
  if (rng.Chance(40)) {
    s.Wait(48);
    ScheduleFollowUp(s, rng, absl::StrCat("f", ++follow_ups), &pending_follow_ups);
    MaybeDoFollowUps(s, rng, &pending_follow_ups, 50);
  }
  if (rng.Chance(15)) {
    s.Wait(48);
    Assign(s, rng, &assignee);
  }
  if (!rng.Chance(75)) return;
  s.Wait(24 * 7);
  Close(s, rng, open_referrals);
  if (!rng.Chance(15)) return;
  s.Wait(24 * 20);
  s.Emit().mutable_reopened()->set_reason("家暴复发");
  if (rng.Chance(50)) {
    s.Wait(24);
    ScheduleFollowUp(s, rng, absl::StrCat("f", ++follow_ups), &pending_follow_ups);
    MaybeDoFollowUps(s, rng, &pending_follow_ups, 50);
  }
  if (!rng.Chance(50)) return;
  s.Wait(24 * 7);
  Close(s, rng, open_referrals);
}

}  // namespace

int64_t Cst(int year, int month, int day, int hour, int minute) {
  const absl::Time t = absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute),
                                       absl::FixedTimeZone(8 * 3600));
  return absl::ToUnixMicros(t);
}

const std::vector<Partner>& Partners() {
  static const auto* const kPartners = new std::vector<Partner>{
      {"legal-aid-xh", v1::PARTNER_TYPE_LEGAL_AID_CENTRE},
      {"legal-aid-ch", v1::PARTNER_TYPE_LEGAL_AID_CENTRE},
      {"lawyer-zhang", v1::PARTNER_TYPE_LAWYER},
      {"police-xh-3", v1::PARTNER_TYPE_POLICE_ALARM_POINT},
      {"shelter-hz", v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER},
      {"labour-hz", v1::PARTNER_TYPE_LABOUR_BUREAU},
  };
  return *kPartners;
}

std::vector<SyntheticCase> GenerateCases(const WorldOptions& options) {
  Rng rng(options.seed);
  std::vector<SyntheticCase> cases(static_cast<size_t>(options.cases));
  for (int i = 0; i < options.cases; ++i) {
    SyntheticCase& c = cases[static_cast<size_t>(i)];
    c.case_id = absl::StrFormat("c%06d", i);
    c.stream = "case-" + c.case_id;
    c.unit_id = rng.Pick(options.units);
    const int64_t opened_at = options.start_us + rng.Below(int64_t{options.days} * 24) * kHourUs;
    WriteStory(rng, c, opened_at);
  }
  return cases;
}

std::vector<SyntheticEvent*> InAppendOrder(std::vector<SyntheticCase>& cases) {
  std::vector<std::tuple<int64_t, size_t, size_t>> order;
  for (size_t i = 0; i < cases.size(); ++i) {
    for (size_t j = 0; j < cases[i].events.size(); ++j) {
      order.emplace_back(cases[i].events[j].at_us, i, j);
    }
  }
  std::sort(order.begin(), order.end());
  std::vector<SyntheticEvent*> events;
  events.reserve(order.size());
  for (const auto& [at, i, j] : order) events.push_back(&cases[i].events[j]);
  return events;
}

}  // namespace haven::cases::testing
