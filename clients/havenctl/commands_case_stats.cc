// havenctl stats: what supervisors ask of the rights-protection cases of a
// unit's subtree over a period (CaseService.GetStatistics).
#include <array>
#include <ctime>
#include <iostream>
#include <map>

#include "commands_case_common.h"
#include "commands_case_format.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::cases::v1;
namespace dv1 = haven::directory::v1;

// "12,345".
std::string Count(int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "95.3%（952/1,000）", or "—" without a denominator.
std::string RateText(const v1::Rate& rate) {
  if (rate.denominator() == 0) return "—";
  char percent[32];
  std::snprintf(percent, sizeof percent, "%.1f%%", rate.per_mille() / 10.0);
  return std::string(percent) + "（" + Count(rate.numerator()) + "/" + Count(rate.denominator()) +
         "）";
}

std::string Days(double days) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", days);
  return buf;
}

// "YYYY-MM-DD" of the CST day `days_ago` before now.
std::string CstDay(int64_t now_us, int days_ago) {
  const std::time_t t =
      static_cast<std::time_t>(now_us / 1000000 + kCstOffsetSeconds - days_ago * 86400LL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

// The root city's id, and a unit's path for the heading.
std::string RootUnit(dv1::DirectoryService::Stub& stub, const GlobalOptions& options) {
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  dv1::ListChildrenRequest request;
  request.set_include_closed(true);
  dv1::ListChildrenResponse response;
  if (!stub.ListChildren(&context, request, &response).ok() || response.units().empty()) {
    return "";
  }
  // ListChildren of "" gives the top of the tree: the root city itself.
  const dv1::Unit& top = response.units(0);
  return top.parent_id().empty() ? top.unit_id() : top.parent_id();
}

std::string UnitPath(dv1::DirectoryService::Stub& stub, const GlobalOptions& options,
                     const std::string& unit_id) {
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  dv1::GetUnitRequest request;
  request.set_unit_id(unit_id);
  dv1::GetUnitResponse response;
  if (!stub.GetUnit(&context, request, &response).ok()) return unit_id;
  return response.unit().path() + " (" + unit_id + ")";
}

// A breakdown of (enum value, count) pairs as "label count" rows.
template <typename E, typename Entry, typename Get>
std::vector<std::vector<std::string>> Breakdown(const google::protobuf::RepeatedPtrField<Entry>& in,
                                                Get get) {
  std::vector<std::vector<std::string>> rows;
  for (const Entry& entry : in) {
    const auto [value, count] = get(entry);
    rows.push_back({EnumLabelWithName(EnumType<E>(), value), Count(count)});
  }
  return rows;
}

// Opened, closed and open at the end, by channel or category.
template <typename E, typename Entry, typename Key>
std::vector<std::vector<std::string>> Triple(
    const google::protobuf::RepeatedPtrField<Entry>& opened,
    const google::protobuf::RepeatedPtrField<Entry>& closed,
    const google::protobuf::RepeatedPtrField<Entry>& open, Key key) {
  std::map<int, std::array<int64_t, 3>> counts;
  for (const Entry& e : opened) counts[key(e)][0] += e.count();
  for (const Entry& e : closed) counts[key(e)][1] += e.count();
  for (const Entry& e : open) counts[key(e)][2] += e.count();
  std::vector<std::vector<std::string>> rows;
  for (const auto& [value, c] : counts) {
    rows.push_back(
        {EnumLabelWithName(EnumType<E>(), value), Count(c[0]), Count(c[1]), Count(c[2])});
  }
  return rows;
}

std::string ShowStatistics(const std::string& unit, const v1::CaseStatistics& s) {
  std::string period = s.from_day() + " — " + s.to_day();
  if (!s.as_of_day().empty() && s.as_of_day() != s.to_day()) {
    period += "（截至 as of " + s.as_of_day() + "）";
  }
  std::string days = "—";
  if (s.has_median_days_to_close()) {
    days = "中位 median " + Days(s.median_days_to_close()) + " 天";
    if (s.has_mean_days_to_close()) days += "，平均 mean " + Days(s.mean_days_to_close()) + " 天";
  }
  std::string out = FormatFields({
      {"单位 unit", unit},
      {"期间 period", period},
      {"受理 opened", Count(s.opened())},
      {"办结 closed", Count(s.closed()) + "（重新办理 reopened " + Count(s.reopened()) + "）"},
      {"在办 open",
       "期初 at start " + Count(s.open_at_start()) + "，期末 at end " + Count(s.open_at_end())},
      {"累计 all cases",
       Count(s.cases_at_end()) + "（已结案 closed " + Count(s.closed_at_end()) + "）"},
      {"办结率 closure rate", RateText(s.closure_rate())},
      {"满意率 satisfaction", RateText(s.satisfaction_rate())},
      {"办结用时 days to close", days},
      {"回访 follow-ups", "安排 scheduled " + Count(s.follow_ups_scheduled()) + "，完成 done " +
                              Count(s.follow_ups_done()) + "，期末逾期 overdue " +
                              Count(s.overdue_follow_ups_at_end())},
      {"调解 mediations", "安排 scheduled " + Count(s.mediations_scheduled()) +
                              "，成功率 success " + RateText(s.mediation_success_rate()) +
                              "，协议履行 kept " + Count(s.agreements_kept()) + "，未履行 broken " +
                              Count(s.agreements_broken())},
      {"转介 referrals", "转介 made " + Count(s.referrals_made()) + "，接收 accepted " +
                             Count(s.referrals_accepted()) + "，拒绝 declined " +
                             Count(s.referrals_declined()) + "，办结 outcomes " +
                             Count(s.referral_outcomes())},
      {"保护令 protection orders", "申请 applied " + Count(s.protection_orders_applied()) +
                                       "（紧急 emergency " +
                                       Count(s.protection_orders_applied_emergency()) +
                                       "），签发 granted " + Count(s.protection_orders_granted()) +
                                       "，驳回 denied " + Count(s.protection_orders_denied())},
      {"庇护 shelter", "入住 admitted " + Count(s.shelter_admissions()) + "，离开 discharged " +
                           Count(s.shelter_discharges())},
      {"家暴处置 police", "报警 alarms " + Count(s.dv_alarms()) + "，告诫书 warning letters " +
                              Count(s.warning_letters()) + "，伤情鉴定 injury assessments " +
                              Count(s.injury_assessments())},
      {"帮扶 assistance", Count(s.assistance_grants()) + " 次，" + FormatFen(s.assistance_fen())},
  });
  const auto section = [&](const std::string& title, const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return;
    std::vector<size_t> numbers;
    for (size_t i = 1; i < header.size(); ++i) numbers.push_back(i);
    out += "\n" + title + "\n" + FormatTable(header, rows, numbers);
  };
  section(
      "按渠道 by channel", {"CHANNEL", "OPENED", "CLOSED", "OPEN AT END"},
      Triple<v1::Channel>(s.opened_by_channel(), s.closed_by_channel(), s.open_at_end_by_channel(),
                          [](const v1::ChannelCount& c) { return c.channel(); }));
  section("按类别 by category", {"CATEGORY", "OPENED", "CLOSED", "OPEN AT END"},
          Triple<v1::Category>(s.opened_by_category(), s.closed_by_category(),
                               s.open_at_end_by_category(),
                               [](const v1::CategoryCount& c) { return c.category(); }));
  section("办结方式 resolutions", {"RESOLUTION", "CLOSED"},
          Breakdown<v1::Resolution>(s.closed_by_resolution(), [](const v1::ResolutionCount& c) {
            return std::pair<int, int64_t>(c.resolution(), c.count());
          }));
  section(
      "满意度 satisfaction", {"SATISFACTION", "CLOSED"},
      Breakdown<v1::Satisfaction>(s.closed_by_satisfaction(), [](const v1::SatisfactionCount& c) {
        return std::pair<int, int64_t>(c.satisfaction(), c.count());
      }));
  section("调解结果 mediation outcomes", {"OUTCOME", "SESSIONS"},
          Breakdown<v1::MediationOutcome>(s.mediation_outcomes(),
                                          [](const v1::MediationOutcomeCount& c) {
                                            return std::pair<int, int64_t>(c.outcome(), c.count());
                                          }));
  section("转介对象 referrals by partner type", {"PARTNER TYPE", "MADE"},
          Breakdown<v1::PartnerType>(s.referrals_made_by_partner_type(),
                                     [](const v1::PartnerTypeCount& c) {
                                       return std::pair<int, int64_t>(c.partner_type(), c.count());
                                     }));
  std::vector<std::vector<std::string>> partners;
  for (const v1::PartnerReferralStatistics& p : s.partners()) {
    std::string outcomes;
    for (const v1::ReferralOutcomeCount& o : p.outcomes()) {
      if (!outcomes.empty()) outcomes += " ";
      outcomes += EnumLabel(EnumType<v1::ReferralOutcome>(), o.outcome()) + " " + Count(o.count());
    }
    partners.push_back(
        {p.partner_id(), EnumLabel(EnumType<v1::PartnerType>(), p.partner_type()), Count(p.made()),
         Count(p.accepted()), Count(p.declined()),
         p.has_median_hours_to_acceptance() ? Days(p.median_hours_to_acceptance()) : "—",
         outcomes.empty() ? "—" : outcomes});
  }
  if (!partners.empty()) {
    out += "\n合作机构 partners\n" + FormatTable({"PARTNER", "TYPE", "MADE", "ACCEPTED", "DECLINED",
                                                  "MEDIAN H TO ACCEPT", "OUTCOMES"},
                                                 partners, {2, 3, 4, 5});
  }
  return out;
}

int RunStats(const GlobalOptions& options, const ParsedArgs& args) {
  const Command command = StatsCommand();
  if (!args.positional.empty()) return UsageError(command, "stats takes no arguments");
  auto directory = dv1::DirectoryService::NewStub(Connect(options));
  v1::GetStatisticsRequest request;
  request.set_unit_subtree(args.Get("unit").value_or(""));
  if (request.unit_subtree().empty()) {
    request.set_unit_subtree(RootUnit(*directory, options));
    if (request.unit_subtree().empty()) {
      return UsageError(command, "--unit is required (the directory has no root to default to)");
    }
  }
  const int64_t now = NowMicros();
  request.set_to_day(args.Get("to").value_or(CstDay(now, 0)));
  request.set_from_day(args.Get("from").value_or(CstDay(now, 365)));
  if (auto day = args.Get("as-of-day")) request.set_as_of_day(*day);
  for (const char* name : {"as-of-position", "min-position"}) {
    if (auto text = args.Get(name)) {
      auto value = ParseUint64(*text);
      if (!value) return UsageError(command, std::string("--") + name + " must be a log position");
      if (std::string(name) == "as-of-position") {
        request.set_as_of_position(*value);
      } else {
        request.set_min_position(*value);
      }
    }
  }
  auto stub = v1::CaseService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetStatisticsResponse response;
  const grpc::Status status = stub->GetStatistics(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = {{"unit_subtree", request.unit_subtree()}};
    out["statistics"] = ProtoToJson(response.statistics());
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << ShowStatistics(UnitPath(*directory, options, request.unit_subtree()),
                              response.statistics());
  return kExitOk;
}

}  // namespace

Command StatsCommand() {
  return {
      "stats",
      "[--unit=ID] [--from=DAY] [--to=DAY] [--as-of-day=DAY | --as-of-position=P]",
      "case statistics of a unit's subtree over a period",
      "What supervisors ask, over the cases of a unit and every unit below it\n"
      "(default: the whole city) and a period of China Standard Time days\n"
      "(YYYY-MM-DD, both inclusive; default the last 365 days): cases by\n"
      "channel, category and status, closure rate (办结率), satisfaction, days\n"
      "to close, overdue follow-ups, mediation success, referrals per partner\n"
      "and time to acceptance, protection orders, shelter.  With --as-of-day,\n"
      "as Haven knew it at the end of that day; with --as-of-position, as the\n"
      "log stood at that position.  Counts only, no personal data.",
      {
          {"unit", "ID", "the unit whose subtree is counted (default: the city)"},
          {"from", "DAY", "first day, YYYY-MM-DD (default: 365 days ago)"},
          {"to", "DAY", "last day, YYYY-MM-DD (default: today)"},
          {"as-of-day", "DAY", "as known at the end of this day"},
          {"as-of-position", "P", "as the log stood at position P"},
          {"min-position", "P", "first wait until the projections have reached P"},
      },
      RunStats,
  };
}

}  // namespace haven::cli
