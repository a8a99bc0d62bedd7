// havenctl target: a unit's targets (TargetService) — set, withdraw, list,
// the indicators a target may name, and the report of a year, half-year or
// quarter with each statistic beside its target.
#include <iostream>
#include <map>

#include "aggregate_verbs.h"
#include "commands_case_common.h"
#include "commands_case_format.h"
#include "flag_reader.h"
#include "haven/targets/v1/target_service.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::targets::v1;
using v1::TargetService;

const AggregateNoun kNoun = {"targets of unit", "unit", "unit_id", "target list"};
const FlagSpec kUnitFlag = {"unit", "ID", "the unit (or give it as the first argument)"};
const FlagSpec kYearFlag = {"year", "YYYY", "the plan's year"};
const FlagSpec kPeriodFlag = {"period", "NAME",
                              "year, first-half, second-half, q1, q2, q3 or q4 (default year)"};
const FlagSpec kIndicatorFlag = {"indicator", "NAME",
                                 "e.g. cases.closure_rate ('target indicators' lists them)"};

// Calls `method` of TargetService on a new connection, with the options'
// credentials and deadline.
template <typename Request, typename Response>
grpc::Status Call(const GlobalOptions& options,
                  grpc::Status (TargetService::Stub::*method)(grpc::ClientContext*,
                                                              const Request&, Response*),
                  const Request& request, Response* response, grpc::ClientContext* context) {
  auto stub = TargetService::NewStub(Connect(options));
  PrepareContext(options, /*with_deadline=*/true, context);
  return ((*stub).*method)(context, request, response);
}

// Every indicator by name, asked of the server (the catalogue is the
// server's statistics).
std::map<std::string, v1::Indicator> Indicators(const GlobalOptions& options,
                                                grpc::Status* status) {
  grpc::ClientContext context;
  v1::ListIndicatorsResponse response;
  *status = Call(options, &TargetService::Stub::ListIndicators, v1::ListIndicatorsRequest(),
                 &response, &context);
  std::map<std::string, v1::Indicator> by_name;
  for (const v1::Indicator& indicator : response.indicators()) by_name[indicator.name()] = indicator;
  return by_name;
}

// A value as the user writes it, in the indicator's unit: "98%" or "98.5"
// for a rate, yuan for money, "20.5" for a number, a whole count.
std::optional<int64_t> ParseValue(v1::IndicatorKind kind, std::string text) {
  if (kind == v1::INDICATOR_KIND_RATE && !text.empty() && text.back() == '%') text.pop_back();
  if (kind == v1::INDICATOR_KIND_COUNT) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoll(text);
  }
  return ParseYuanToFen(text);  // hundredths: fen, hundredths of a percent or of a number
}

std::string FormatValue(v1::IndicatorKind kind, int64_t value) {
  auto hundredths = [](int64_t v) {
    std::string fraction = std::to_string(v % 100);
    return std::to_string(v / 100) + "." + (fraction.size() < 2 ? "0" : "") + fraction;
  };
  switch (kind) {
    case v1::INDICATOR_KIND_FEN: return FormatFen(value);
    case v1::INDICATOR_KIND_RATE: return hundredths(value) + "%";
    case v1::INDICATOR_KIND_NUMBER: return hundredths(value);
    default: return std::to_string(value);
  }
}

v1::TargetPeriod PeriodFlag(FlagReader& f) {
  const auto period = f.Enum<v1::TargetPeriod>("period", false);
  return period == v1::TARGET_PERIOD_UNSPECIFIED ? v1::TARGET_PERIOD_YEAR : period;
}

int RunSet(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::SetTargetRequest command;
  command.set_year(static_cast<int32_t>(f.Number("year", 2000, 2100, true)));
  command.set_period(PeriodFlag(f));
  command.set_indicator(f.Text("indicator", true));
  command.set_comparison(f.Bool("at-most") ? v1::COMPARISON_AT_MOST : v1::COMPARISON_AT_LEAST);
  command.set_note(f.Text("note", false));
  const std::string value_text = f.Text("value", true);
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  grpc::Status status;
  const auto indicators = Indicators(options, &status);
  if (!status.ok()) return ReportRpcError(status, grpc::ClientContext());
  auto indicator = indicators.find(command.indicator());
  if (indicator == indicators.end()) {
    return SubcommandUsageError(self, "--indicator: not an indicator ('target indicators' lists "
                                      "them)");
  }
  const auto value = ParseValue(indicator->second.kind(), value_text);
  if (!value) {
    return SubcommandUsageError(
        self, "--value: a whole count, yuan, a percent (98%) or a number with at most two "
              "decimals, as the indicator counts");
  }
  command.set_value(*value);
  return SendAggregateCommand<TargetService>(options, args, self, kNoun, command,
                                             /*creates=*/!args.Get("expected-version"),
                                             /*id_optional=*/false,
                                             &TargetService::Stub::SetTarget);
}

int RunWithdraw(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::WithdrawTargetRequest command;
  command.set_year(static_cast<int32_t>(f.Number("year", 2000, 2100, true)));
  command.set_period(PeriodFlag(f));
  command.set_indicator(f.Text("indicator", true));
  command.set_reason(f.Text("reason", true));
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  return SendAggregateCommand<TargetService>(options, args, self, kNoun, command,
                                             /*creates=*/false, /*id_optional=*/false,
                                             &TargetService::Stub::WithdrawTarget);
}

int RunList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  FlagReader f(args, NowMicros());
  v1::ListTargetsRequest request;
  request.set_unit_id(AggregateIdArgument(args, kNoun, &error));
  if (args.Get("year")) request.set_year(static_cast<int32_t>(f.Number("year", 2000, 2100)));
  if (!error.empty() || !f.error().empty()) {
    return SubcommandUsageError(self, error.empty() ? f.error() : error);
  }
  grpc::ClientContext context;
  v1::ListTargetsResponse response;
  const grpc::Status status =
      Call(options, &TargetService::Stub::ListTargets, request, &response, &context);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response)) << std::endl;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const v1::Target& t : response.targets()) {
    rows.push_back({std::to_string(t.year()), EnumLabel(EnumType<v1::TargetPeriod>(), t.period()),
                    t.indicator(), EnumLabel(EnumType<v1::Comparison>(), t.comparison()),
                    FormatValue(t.kind(), t.value()), t.set_by(), FormatCst(t.set_at_us()),
                    std::to_string(t.revisions()), t.note()});
  }
  std::cout << "目标 targets of " << response.unit_id() << "  (version "
            << (response.has_version() ? std::to_string(response.version()) : "none") << ")\n"
            << FormatTable({"YEAR", "PERIOD", "INDICATOR", "", "TARGET", "SET BY", "SET AT",
                            "REVISED", "NOTE"},
                           rows, {4, 7});
  return kExitOk;
}

int RunIndicators(const GlobalOptions& options, const ParsedArgs&, const Subcommand&) {
  grpc::Status status;
  const auto indicators = Indicators(options, &status);
  if (!status.ok()) return ReportRpcError(status, grpc::ClientContext());
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, indicator] : indicators) {
    if (options.json) {
      std::cout << DumpJsonLine(ProtoToJson(indicator)) << "\n";
      continue;
    }
    rows.push_back({name, EnumLabelWithName(EnumType<v1::IndicatorKind>(), indicator.kind())});
  }
  if (!options.json) std::cout << FormatTable({"INDICATOR", "KIND"}, rows);
  std::cout << std::flush;
  return kExitOk;
}

int RunReport(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  FlagReader f(args, NowMicros());
  v1::GetTargetReportRequest request;
  request.set_unit_id(AggregateIdArgument(args, kNoun, &error));
  request.set_year(static_cast<int32_t>(f.Number("year", 2000, 2100, true)));
  request.set_period(PeriodFlag(f));
  if (auto as_of = args.Get("as-of")) request.set_as_of_day(*as_of);
  if (!error.empty() || !f.error().empty()) {
    return SubcommandUsageError(self, error.empty() ? f.error() : error);
  }
  grpc::ClientContext context;
  v1::GetTargetReportResponse response;
  const grpc::Status status =
      Call(options, &TargetService::Stub::GetTargetReport, request, &response, &context);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response)) << std::endl;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const v1::TargetLine& line : response.lines()) {
    rows.push_back({line.indicator(), EnumLabel(EnumType<v1::TargetPeriod>(), line.target_period()),
                    EnumLabel(EnumType<v1::Comparison>(), line.comparison()),
                    FormatValue(line.kind(), line.target()),
                    line.has_actual() ? FormatValue(line.kind(), line.actual()) : "—",
                    line.has_progress() ? FormatValue(v1::INDICATOR_KIND_RATE, line.progress())
                                        : "—",
                    EnumLabel(EnumType<v1::TargetStatus>(), line.status()),
                    EnumLabel(EnumType<v1::Span>(), line.span()) + " " + line.from_day() + ".." +
                        line.to_day()});
  }
  std::cout << "目标完成情况 " << response.unit_id() << "  " << response.year() << " "
            << EnumLabel(EnumType<v1::TargetPeriod>(), response.period()) << "  "
            << response.from_day() << " .. " << response.to_day() << "  (as of "
            << response.as_of_day() << (response.period_complete() ? "" : ", period under way")
            << ")\n"
            << FormatTable({"INDICATOR", "TARGET FOR", "", "TARGET", "ACTUAL", "PROGRESS",
                            "STATUS", "COUNTED OVER"},
                           rows, {3, 4, 5});
  return kExitOk;
}

const std::vector<Subcommand>& TargetSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"set",
       "UNIT --year=YYYY [--period=P] --indicator=NAME --value=V [--at-most] "
       "[--expected-version=V]",
       "sets (or revises) a target of the unit's subtree",
       "The value is in the indicator's unit: a whole count, yuan (2300000),\n"
       "a percent (98%) or a number (20.5).  Without --expected-version the\n"
       "unit must have no targets yet ('target list' prints the version).",
       {kUnitFlag, kYearFlag, kPeriodFlag, kIndicatorFlag,
        {"value", "V", "the target"},
        {"at-most", "", "met while the statistic stays at or below it"},
        {"note", "TEXT", "the plan it comes from"},
        {"expected-version", "V", "the version of the unit's targets"},
        {"request-id", "ID", "resend a request (default: a new UUID)"}},
       RunSet},
      {"withdraw",
       "UNIT --year=YYYY [--period=P] --indicator=NAME --reason=TEXT --expected-version=V",
       "withdraws a target",
       "",
       {kUnitFlag, kYearFlag, kPeriodFlag, kIndicatorFlag,
        {"reason", "TEXT", "why"},
        {"expected-version", "V", "the version of the unit's targets"},
        {"request-id", "ID", "resend a request (default: a new UUID)"}},
       RunWithdraw},
      {"list", "UNIT [--year=YYYY]", "the unit's targets in force", "",
       {kUnitFlag, kYearFlag}, RunList},
      {"indicators", "", "every statistic a target may name", "", {}, RunIndicators},
      {"report", "UNIT --year=YYYY [--period=P] [--as-of=DAY]",
       "each target beside its statistic over the unit's subtree", "",
       {kUnitFlag, kYearFlag, kPeriodFlag,
        {"as-of", "DAY", "as things stood at the end of DAY (CST)"}},
       RunReport},
  };
  return kSubcommands;
}

int RunTarget(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("target", TargetSubcommands(), options, args);
}

}  // namespace

Command TargetCommand() {
  return MakeCommandGroup(
      "target", "targets (目标任务): set, withdraw, list, indicators, report",
      "A unit's targets for a year, half-year or quarter, and every statistic\n"
      "of every context held against them over the unit's subtree.  Set and\n"
      "withdraw by supervisors; lists and reports by whoever reads statistics.",
      TargetSubcommands(), RunTarget);
}

}  // namespace haven::cli
