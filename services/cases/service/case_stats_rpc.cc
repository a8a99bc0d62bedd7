// CaseService::GetStatistics: the caller authorised and the query scoped to
// her unit subtree, the request checked field by field, then the
// statistics read by CaseStatsReader (now or as of a day) or folded from
// the log by StatisticsAtPosition (as of a position), as proto fields.
// Counts only: nothing here carries personal data.
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/cases/projections/case_stats_query.h"
#include "services/cases/service/case_service.h"
#include "services/common/small_cells.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

grpc::Status FinishStats(const absl::Status& status, grpc::ServerContext& context) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss ||
      status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("cases GetStatistics failed status=\"{}\"", status.ToString());
  }
  return ToGrpcStatus(status, context);
}

// A CST calendar day written "YYYY-MM-DD", or INVALID_ARGUMENT naming `field`.
absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text, const char* field) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a day \"YYYY-MM-DD\""));
  }
  return day;
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

void SetRate(int64_t numerator, int64_t denominator, v1::Rate& rate) {
  rate.set_numerator(numerator);
  rate.set_denominator(denominator);
  if (denominator <= 0) return;
  rate.set_per_mille(static_cast<int32_t>((numerator * 1000 + denominator / 2) / denominator));
  rate.set_value(static_cast<double>(numerator) / static_cast<double>(denominator));
}

int64_t CountOf(const std::map<v1::MediationOutcome, int64_t>& m, v1::MediationOutcome key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

int64_t CountOf(const std::map<v1::Satisfaction, int64_t>& m, v1::Satisfaction key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

template <typename Map, typename Add>
void Counts(const Map& counts, Add add) {
  for (const auto& [key, count] : counts) {
    if (count != 0) add(key, count);
  }
}

void ToProto(const cases::CaseStatistics& in, v1::CaseStatistics& out) {
  out.set_from_day(DayText(in.from_day));
  out.set_to_day(DayText(in.to_day));
  out.set_as_of_day(DayText(in.as_of_day));

  auto channels = [](const std::map<v1::Channel, int64_t>& m,
                     google::protobuf::RepeatedPtrField<v1::ChannelCount>* to) {
    Counts(m, [&](v1::Channel k, int64_t n) {
      auto* c = to->Add();
      c->set_channel(k);
      c->set_count(n);
    });
  };
  auto categories = [](const std::map<v1::Category, int64_t>& m,
                       google::protobuf::RepeatedPtrField<v1::CategoryCount>* to) {
    Counts(m, [&](v1::Category k, int64_t n) {
      auto* c = to->Add();
      c->set_category(k);
      c->set_count(n);
    });
  };

  out.set_opened(in.opened);
  channels(in.opened_by_channel, out.mutable_opened_by_channel());
  categories(in.opened_by_category, out.mutable_opened_by_category());
  out.set_closed(in.closed);
  channels(in.closed_by_channel, out.mutable_closed_by_channel());
  categories(in.closed_by_category, out.mutable_closed_by_category());
  Counts(in.closed_by_resolution, [&](v1::Resolution k, int64_t n) {
    auto* c = out.add_closed_by_resolution();
    c->set_resolution(k);
    c->set_count(n);
  });
  Counts(in.closed_by_satisfaction, [&](v1::Satisfaction k, int64_t n) {
    auto* c = out.add_closed_by_satisfaction();
    c->set_satisfaction(k);
    c->set_count(n);
  });
  out.set_reopened(in.reopened);
  out.set_open_at_start(in.open_at_start);
  out.set_open_at_end(in.open_at_end);
  channels(in.open_at_end_by_channel, out.mutable_open_at_end_by_channel());
  categories(in.open_at_end_by_category, out.mutable_open_at_end_by_category());
  out.set_cases_at_end(in.cases_at_end);
  out.set_closed_at_end(in.closed_at_end);
  SetRate(in.opened_closed, in.opened, *out.mutable_closure_rate());
  if (in.median_days_to_close) out.set_median_days_to_close(*in.median_days_to_close);
  if (in.mean_days_to_close) out.set_mean_days_to_close(*in.mean_days_to_close);
  Counts(in.days_to_close_histogram, [&](int64_t days, int64_t n) {
    auto* b = out.add_days_to_close();
    b->set_bucket(days);
    b->set_count(n);
  });
  {
    int64_t with_satisfaction = 0;
    for (const auto& [k, n] : in.closed_by_satisfaction) {
      if (k != v1::SATISFACTION_UNSPECIFIED) with_satisfaction += n;
    }
    SetRate(CountOf(in.closed_by_satisfaction, v1::SATISFACTION_SATISFIED) +
                CountOf(in.closed_by_satisfaction, v1::SATISFACTION_BASICALLY_SATISFIED),
            with_satisfaction, *out.mutable_satisfaction_rate());
  }
  out.set_overdue_follow_ups_at_end(in.overdue_follow_ups_at_end);
  out.set_follow_ups_scheduled(in.follow_ups_scheduled);
  out.set_follow_ups_done(in.follow_ups_done);
  out.set_mediations_scheduled(in.mediations_scheduled);
  Counts(in.mediation_outcomes, [&](v1::MediationOutcome k, int64_t n) {
    auto* c = out.add_mediation_outcomes();
    c->set_outcome(k);
    c->set_count(n);
  });
  {
    const int64_t success = CountOf(in.mediation_outcomes, v1::MEDIATION_OUTCOME_AGREEMENT) +
                            CountOf(in.mediation_outcomes, v1::MEDIATION_OUTCOME_PARTIAL);
    SetRate(success, success + CountOf(in.mediation_outcomes, v1::MEDIATION_OUTCOME_FAILED),
            *out.mutable_mediation_success_rate());
  }
  out.set_agreements_kept(in.agreements_kept);
  out.set_agreements_broken(in.agreements_broken);
  out.set_referrals_made(in.referrals_made);
  out.set_referrals_accepted(in.referrals_accepted);
  out.set_referrals_declined(in.referrals_declined);
  out.set_referral_outcomes(in.referral_outcomes);
  Counts(in.referrals_made_by_partner_type, [&](v1::PartnerType k, int64_t n) {
    auto* c = out.add_referrals_made_by_partner_type();
    c->set_partner_type(k);
    c->set_count(n);
  });
  for (const cases::PartnerReferralStats& p : in.partners) {
    v1::PartnerReferralStatistics* to = out.add_partners();
    to->set_partner_id(p.partner_id);
    to->set_partner_type(p.partner_type);
    to->set_made(p.made);
    to->set_accepted(p.accepted);
    to->set_declined(p.declined);
    Counts(p.outcomes, [&](v1::ReferralOutcome k, int64_t n) {
      auto* c = to->add_outcomes();
      c->set_outcome(k);
      c->set_count(n);
    });
    to->set_seconds_to_acceptance_sum(p.seconds_to_acceptance_sum);
    if (p.mean_hours_to_acceptance) to->set_mean_hours_to_acceptance(*p.mean_hours_to_acceptance);
    if (p.median_hours_to_acceptance) {
      to->set_median_hours_to_acceptance(*p.median_hours_to_acceptance);
    }
    Counts(p.hours_to_acceptance_histogram, [&](int64_t hours, int64_t n) {
      auto* b = to->add_hours_to_acceptance();
      b->set_bucket(hours);
      b->set_count(n);
    });
  }
  out.set_protection_orders_applied(in.protection_orders_applied);
  out.set_protection_orders_applied_emergency(in.protection_orders_applied_emergency);
  out.set_protection_orders_granted(in.protection_orders_granted);
  out.set_protection_orders_denied(in.protection_orders_denied);
  out.set_shelter_admissions(in.shelter_admissions);
  out.set_shelter_discharges(in.shelter_discharges);
  out.set_dv_alarms(in.dv_alarms);
  out.set_warning_letters(in.warning_letters);
  out.set_injury_assessments(in.injury_assessments);
  out.set_assistance_grants(in.assistance_grants);
  out.set_assistance_fen(in.assistance_fen);
}

// What is derived from a count, for small-cell suppression.
const SmallCellRules& CaseCellRules() {
  static const SmallCellRules* const kRules = [] {
    auto* rules = new SmallCellRules;
    rules->not_counts = {"bucket"};
    rules->derived_from = {{"median_days_to_close", "closed"},
                           {"mean_days_to_close", "closed"},
                           {"assistance_fen", "assistance_grants"},
                           {"seconds_to_acceptance_sum", "accepted"},
                           {"mean_hours_to_acceptance", "accepted"},
                           {"median_hours_to_acceptance", "accepted"}};
    return rules;
  }();
  return *kRules;
}

}  // namespace

grpc::Status CaseService::GetStatistics(grpc::ServerContext* context,
                                        const v1::GetStatisticsRequest* request,
                                        v1::GetStatisticsResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadStatistics);
  if (!caller.ok()) return FinishStats(caller.status(), *context);
  auto scope = authoriser_->ScopeStatistics(*caller, request->unit_subtree());
  if (!scope.ok()) return FinishStats(scope.status(), *context);
  v1::GetStatisticsRequest scoped;
  if (scope->unit != request->unit_subtree()) {
    scoped = *request;
    scoped.set_unit_subtree(scope->unit);
    request = &scoped;
  }
  cases::StatisticsQuery query;
  absl::Status invalid = [&]() -> absl::Status {
    if (request->unit_subtree().empty()) {
      return absl::InvalidArgumentError("unit_subtree: required");
    }
    auto subtree = directory_->Subtree(request->unit_subtree());
    if (!subtree.ok()) {
      if (subtree.status().code() == absl::StatusCode::kNotFound ||
          subtree.status().code() == absl::StatusCode::kInvalidArgument) {
        return absl::InvalidArgumentError(
            absl::StrCat("unit_subtree: no unit ", request->unit_subtree()));
      }
      return subtree.status();
    }
    query.unit_subtree = request->unit_subtree();
    auto from = ParseDay(request->from_day(), "from_day");
    if (!from.ok()) return from.status();
    auto to = ParseDay(request->to_day(), "to_day");
    if (!to.ok()) return to.status();
    if (*to < *from) return absl::InvalidArgumentError("to_day: before from_day");
    query.from_day = *from;
    query.to_day = *to;
    if (request->has_as_of_day()) {
      auto as_of = ParseDay(request->as_of_day(), "as_of_day");
      if (!as_of.ok()) return as_of.status();
      query.as_of_day = *as_of;
    }
    if (request->has_as_of_position()) {
      if (request->as_of_position() == 0) {
        return absl::InvalidArgumentError("as_of_position: must be a log position (1 or more)");
      }
      if (request->as_of_position() > log_.HeadPosition() &&
          request->as_of_position() > request->min_position()) {
        return absl::InvalidArgumentError(
            absl::StrCat("as_of_position: past the log's head ", log_.HeadPosition()));
      }
    }
    return absl::OkStatus();
  }();
  if (!invalid.ok()) return FinishStats(invalid, *context);
  if (auto s = AwaitProjections(*context, request->min_position()); !s.ok()) {
    return FinishStats(s, *context);
  }
  absl::StatusOr<cases::CaseStatistics> stats =
      request->has_as_of_position()
          ? cases::StatisticsAtPosition(log_, request->as_of_position(), query, directory_.get())
          : cases::CaseStatsReader(*read_models_, directory_.get(), projections_).Statistics(query);
  if (!stats.ok()) return FinishStats(stats.status(), *context);
  ToProto(*stats, *response->mutable_statistics());
  if (!scope->exact) {
    for (std::string& path : SuppressSmallCells(*response->mutable_statistics(), CaseCellRules())) {
      response->mutable_statistics()->add_suppressed_cells(std::move(path));
    }
  }
  return grpc::Status::OK;
}

}  // namespace haven::services
