// havenctl project: funded projects (ProjectService).  One subcommand per
// command, plus show, list and stats.
#include <iostream>

#include "aggregate_verbs.h"
#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "flag_reader.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::projects::v1;
using v1::ProjectService;

const AggregateNoun kNoun = {"project", "project", "project_id",
                             "project show"};
const FlagSpec kProjectFlag = {
    "project", "ID", "the project (or give it as the first argument)"};
const FlagSpec kExpectedFlag = {
    "expected-version", "V", "the project's version the decision is based on"};
const FlagSpec kRequestIdFlag = {"request-id", "ID",
                                 "resend a request (default: a new UUID)"};
const FlagSpec kAtFlag = {"at", "TIME", "when it happened (default now)"};

template <typename E>
FlagSpec EnumFlag(const std::string &name, const std::string &help) {
  return {name, "NAME", help + ": " + EnumFlagChoices(EnumType<E>())};
}

using Builder = void (*)(FlagReader &, v1::ProjectCommand *);

// "省财政:6000,县财政:4000" (basis points).
void ReadShares(FlagReader &f, v1::RegisterProject *c) {
  for (const std::string &item : SplitList(f.Text("shares", true))) {
    const size_t colon = item.rfind(':');
    if (colon == std::string::npos) {
      f.Fail("--shares: PARTY:BASIS_POINTS,... (6000 = 60%)");
      return;
    }
    v1::CostShareInput *share = c->add_cost_shares();
    share->set_party(item.substr(0, colon));
    share->set_share_bp(std::atoi(item.substr(colon + 1).c_str()));
  }
}

void BuildRegister(FlagReader &f, v1::ProjectCommand *command) {
  v1::RegisterProject *c = command->mutable_register_project();
  c->set_title(f.Text("title", true));
  c->set_unit_id(f.Text("unit", true));
  c->set_funding_source(f.Enum<v1::FundingSource>("source", true));
  c->set_funder(f.Text("funder", false));
  c->set_budget_fen(f.Yuan("budget", true));
  ReadShares(f, c);
  c->set_per_person_fen(f.Yuan("per-person", false));
  c->mutable_leader()->set_name(f.Text("leader", true));
  c->mutable_leader()->set_phone(f.Text("leader-phone", false));
  c->set_overall_goal(f.Text("goal", true));
  c->set_planned_start_at_us(f.Time("start", true));
  c->set_planned_end_at_us(f.Time("end", true));
  c->set_registered_at_us(f.Time("at", false));
}

void BuildStart(FlagReader &f, v1::ProjectCommand *command) {
  command->mutable_start_project()->set_started_at_us(f.Time("at", false));
}

void BuildSpend(FlagReader &f, v1::ProjectCommand *command) {
  command->mutable_record_spending()->set_amount_fen(f.Yuan("amount", true));
  command->mutable_record_spending()->set_item(f.Text("item", true));
  command->mutable_record_spending()->set_spent_at_us(f.Time("at", false));
}

void BuildBeneficiaries(FlagReader &f, v1::ProjectCommand *command) {
  v1::ReportBeneficiaries *c = command->mutable_report_beneficiaries();
  c->set_township_unit_id(f.Text("township", true));
  c->set_beneficiaries(
      static_cast<int32_t>(f.Number("count", 1, 100'000, true)));
  c->set_reported_at_us(f.Time("at", false));
}

void BuildEvaluate(FlagReader &f, v1::ProjectCommand *command) {
  v1::RecordEvaluation *c = command->mutable_record_evaluation();
  c->set_stage(f.Enum<v1::EvaluationStage>("stage", true));
  c->set_evaluator(f.Enum<v1::Evaluator>("evaluator", true));
  c->set_conclusion(f.Enum<v1::EvaluationConclusion>("conclusion", true));
  c->set_report_ref(f.Text("report", true));
  c->set_evaluated_at_us(f.Time("at", false));
}

void BuildAccept(FlagReader &f, v1::ProjectCommand *command) {
  command->mutable_accept_project()->set_report_ref(f.Text("report", true));
  command->mutable_accept_project()->set_accepted_at_us(f.Time("at", false));
}

template <typename Request>
using Rpc = grpc::Status (ProjectService::Stub::*)(grpc::ClientContext *,
                                                   const Request &,
                                                   v1::CommandResponse *);

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
int RunCommand(const GlobalOptions &options, const ParsedArgs &args,
               const Subcommand &self) {
  FlagReader reader(args, NowMicros());
  v1::ProjectCommand command;
  kBuild(reader, &command);
  if (!reader.error().empty())
    return SubcommandUsageError(self, reader.error());
  return SendAggregateCommand<ProjectService>(
      options, args, self, kNoun, command, command.has_register_project(),
      /*id_optional=*/true, kMethod);
}

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
Subcommand Op(const std::string &name, const std::string &synopsis,
              const std::string &summary, std::vector<FlagSpec> flags,
              bool creates = false) {
  if (creates) {
    flags.push_back(
        {"project", "ID", "choose the new project's id: project-[a-z0-9-]+"});
  } else {
    flags.push_back(kProjectFlag);
    flags.push_back(kExpectedFlag);
  }
  flags.push_back(kRequestIdFlag);
  const std::string prefix = creates ? "" : "PROJECT --expected-version=V ";
  return {name, prefix + synopsis, summary,
          "",   std::move(flags),  RunCommand<Request, kMethod, kBuild>};
}

int RunShow(const GlobalOptions &options, const ParsedArgs &args,
            const Subcommand &self) {
  std::string error;
  v1::GetProjectRequest request;
  request.set_project_id(AggregateIdArgument(args, kNoun, &error));
  if (!error.empty() || request.project_id().empty()) {
    return SubcommandUsageError(self, error.empty() ? "the project is required"
                                                    : error);
  }
  auto stub = ProjectService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetProjectResponse response;
  const grpc::Status status = stub->GetProject(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.project())) << std::endl;
    return kExitOk;
  }
  const v1::ProjectView &p = response.project();
  const v1::ProjectRegistered &r = p.registration();
  std::string shares;
  for (const auto &s : r.cost_shares()) {
    shares += (shares.empty() ? "" : "，") + s.party() + " " +
              std::to_string(s.share_bp() / 100) + "%";
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {"项目 project",
       p.project_id() + "  (version " + std::to_string(p.version()) + ")"},
      {"名称 title", r.title()},
      {"状态 status",
       EnumLabelWithName(EnumType<v1::ProjectStatus>(), p.status())},
      {"单位 unit", r.unit_id()},
      {"来源 source",
       EnumLabelWithName(EnumType<v1::FundingSource>(), r.funding_source()) +
           "，" + r.funder()},
      {"预算 budget", FormatFen(r.budget_fen()) + "（" + shares + "）"},
      {"已支出 spent",
       FormatFen(p.spent_fen()) + "，余 " + FormatFen(p.remaining_fen())},
      {"负责人 leader", r.leader().name() + " " + r.leader().phone()},
      {"计划 planned", FormatCst(r.planned_start_at_us()) + " .. " +
                           FormatCst(r.planned_end_at_us())},
      {"受益 beneficiaries", std::to_string(p.beneficiaries()) + " 人，" +
                                 std::to_string(p.townships_size()) +
                                 " 个乡镇"},
  };
  for (const auto &e : p.evaluations()) {
    fields.push_back(
        {"评估 " + EnumLabel(EnumType<v1::EvaluationStage>(), e.stage()),
         EnumLabel(EnumType<v1::Evaluator>(), e.evaluator()) + "，" +
             EnumLabel(EnumType<v1::EvaluationConclusion>(), e.conclusion()) +
             "，" + e.report_ref() + "，" + FormatCst(e.evaluated_at_us())});
  }
  if (p.status() == v1::PROJECT_STATUS_ACCEPTED) {
    fields.push_back({"验收 accepted", FormatCst(p.accepted_at_us()) + "，" +
                                           p.acceptance_report_ref()});
  }
  std::cout << FormatFields(fields);
  return kExitOk;
}

int RunList(const GlobalOptions &options, const ParsedArgs &args,
            const Subcommand &self) {
  FlagReader f(args, NowMicros());
  v1::ListProjectsRequest request;
  request.set_unit_subtree(f.Text("under", true));
  const auto status_flag = f.Enum<v1::ProjectStatus>("status", false);
  if (status_flag != v1::PROJECT_STATUS_UNSPECIFIED)
    request.add_statuses(status_flag);
  request.set_funding_source(f.Enum<v1::FundingSource>("source", false));
  request.set_page_size(static_cast<uint32_t>(f.Number("limit", 1, 500)));
  if (!f.error().empty())
    return SubcommandUsageError(self, f.error());
  auto stub = ProjectService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::ListProjectsResponse response;
  const grpc::Status status = stub->ListProjects(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  if (options.json) {
    for (const auto &e : response.projects())
      std::cout << DumpJsonLine(ProtoToJson(e)) << "\n";
    std::cout << std::flush;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &e : response.projects()) {
    rows.push_back(
        {e.project_id(), e.unit_id(), e.title(),
         EnumLabel(EnumType<v1::FundingSource>(), e.funding_source()),
         EnumLabel(EnumType<v1::ProjectStatus>(), e.status()),
         FormatFen(e.budget_fen()), FormatFen(e.spent_fen()),
         std::to_string(e.beneficiaries())});
  }
  std::cout << FormatTable({"PROJECT", "UNIT", "TITLE", "SOURCE", "STATUS",
                            "BUDGET", "SPENT", "BENEFICIARIES"},
                           rows, {5, 6, 7});
  if (!response.next_page_token().empty())
    std::cout << "(more: raise --limit)\n";
  return kExitOk;
}

int RunStats(const GlobalOptions &options, const ParsedArgs &args,
             const Subcommand &self) {
  FlagReader f(args, NowMicros());
  v1::GetProjectStatisticsRequest request;
  request.set_unit_subtree(f.Text("under", true));
  request.set_from_day(f.Text("from", true));
  request.set_to_day(f.Text("to", true));
  if (auto as_of = args.Get("as-of"))
    request.set_as_of_day(*as_of);
  if (!f.error().empty())
    return SubcommandUsageError(self, f.error());
  auto stub = ProjectService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetProjectStatisticsResponse response;
  const grpc::Status status =
      stub->GetProjectStatistics(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  const v1::ProjectStatistics &s = response.statistics();
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response)) << std::endl;
    return kExitOk;
  }
  auto n = [](int64_t v) { return std::to_string(v); };
  std::vector<std::vector<std::string>> rows = {
      {"立项 registered", n(s.registered()), FormatFen(s.budget_fen())},
      {"启动 started", n(s.started()), ""},
      {"验收 accepted", n(s.accepted()), ""},
      {"期末在建 active at end", n(s.active_at_end()),
       FormatFen(s.active_budget_fen_at_end())},
      {"支出 spending", n(s.spendings()), FormatFen(s.spent_fen())},
      {"累计支出 spent to the end", "", FormatFen(s.spent_fen_at_end())},
      {"受益人数 beneficiaries", n(s.beneficiaries()), ""},
      {"累计受益 beneficiaries to the end", n(s.beneficiaries_at_end()), ""},
      {"覆盖乡镇 townships covered", n(s.townships_covered_at_end()), ""},
      {"评估 evaluations recorded", n(s.evaluations_recorded()), ""},
      {"应评估 evaluations due", n(s.evaluations_due()), ""},
      {"  按期 on time", n(s.evaluations_on_time()), ""},
      {"  逾期 late", n(s.evaluations_late()), ""},
      {"  仍缺 still missing", n(s.evaluations_missing()), ""},
  };
  for (const auto &c : s.by_source()) {
    rows.push_back(
        {"  " + EnumLabel(EnumType<v1::FundingSource>(), c.funding_source()),
         n(c.registered()), FormatFen(c.budget_fen())});
  }
  std::cout << "项目 " << request.unit_subtree() << "  " << s.from_day()
            << " .. " << s.to_day() << "  (as of " << s.as_of_day() << ")\n"
            << FormatTable({"", "COUNT", "YUAN"}, rows, {1, 2});
  for (const auto &l : s.late()) {
    std::cout << "逾期评估 late: " << l.project_id() << " "
              << EnumLabel(EnumType<v1::EvaluationStage>(), l.stage())
              << " due " << l.due_day()
              << (l.done_day().empty() ? " (missing)" : " done " + l.done_day())
              << "\n";
  }
  for (const auto &path : response.suppressed_cells()) {
    std::cout << "(withheld: " << path << ")\n";
  }
  return kExitOk;
}

#define HAVEN_OP(Rpc, Build) v1::Rpc##Request, &ProjectService::Stub::Rpc, Build

const std::vector<Subcommand> &ProjectSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      Op<HAVEN_OP(RegisterProject, BuildRegister)>(
          "register",
          "--title=T --unit=ID --source=S --budget=YUAN --shares=P:BP,... "
          "--leader=NAME "
          "--goal=TEXT --start=TIME --end=TIME",
          "registers a project (立项)",
          {{"title", "TEXT", "e.g. 农村妇女两癌免费检查"},
           {"unit", "ID",
            "the city, county or township federation that runs it"},
           EnumFlag<v1::FundingSource>("source", "where the money comes from"),
           {"funder", "NAME", "who funds it (not needed for own projects)"},
           {"budget", "YUAN", "the ring-fenced budget"},
           {"shares", "LIST",
            "cost shares, e.g. 省财政:6000,县财政:4000 (basis points)"},
           {"per-person", "YUAN", "cost per beneficiary, e.g. 79"},
           {"leader", "NAME", "the cadre in charge"},
           {"leader-phone", "PHONE", "optional"},
           {"goal", "TEXT", "the overall goal"},
           {"start", "TIME", "planned start"},
           {"end", "TIME", "planned end"},
           kAtFlag},
          /*creates=*/true),
      Op<HAVEN_OP(StartProject, BuildStart)>(
          "start", "",
          "starts it (after the before-start "
          "evaluation)",
          {kAtFlag}),
      Op<HAVEN_OP(RecordSpending, BuildSpend)>(
          "spend", "--amount=YUAN --item=TEXT",
          "money spent from the budget (专款专用)",
          {{"amount", "YUAN", "how much"},
           {"item", "TEXT", "what for"},
           kAtFlag}),
      Op<HAVEN_OP(ReportBeneficiaries, BuildBeneficiaries)>(
          "beneficiaries", "--township=ID --count=N",
          "people reached in a township",
          {{"township", "ID", "a township or street under the project's unit"},
           {"count", "N", "how many"},
           kAtFlag}),
      Op<HAVEN_OP(RecordEvaluation, BuildEvaluate)>(
          "evaluate", "--stage=S --evaluator=E --conclusion=C --report=REF",
          "an evaluation with its archived report",
          {EnumFlag<v1::EvaluationStage>(
               "stage", "before_start, half_year, year_end or close"),
           EnumFlag<v1::Evaluator>("evaluator", "federation or funder"),
           EnumFlag<v1::EvaluationConclusion>("conclusion", "the conclusion"),
           {"report", "REF", "where the report is archived"},
           kAtFlag}),
      Op<HAVEN_OP(AcceptProject, BuildAccept)>(
          "accept", "--report=REF", "accepted at the end (验收)",
          {{"report", "REF", "the acceptance report"}, kAtFlag}),
      {"show", "PROJECT", "the project as it is", "", {kProjectFlag}, RunShow},
      {"list",
       "--under=ID [--status=S] [--source=S] [--limit=N]",
       "projects of a unit's subtree, newest first",
       "",
       {{"under", "ID", "the unit whose subtree to list"},
        EnumFlag<v1::ProjectStatus>("status", "only projects in this state"),
        EnumFlag<v1::FundingSource>("source", "only this funding source"),
        {"limit", "N", "at most N (default 50)"}},
       RunList},
      {"stats",
       "--under=ID --from=DAY --to=DAY [--as-of=DAY]",
       "projects by source, budget and spending, beneficiaries, evaluations "
       "due or late",
       "",
       {{"under", "ID", "the unit whose subtree to count"},
        {"from", "DAY", "first day (CST)"},
        {"to", "DAY", "last day (CST)"},
        {"as-of", "DAY", "as the figures stood at the end of DAY"}},
       RunStats},
  };
  return kSubcommands;
}

#undef HAVEN_OP

int RunProject(const GlobalOptions &options, const ParsedArgs &args) {
  return DispatchSubcommand("project", ProjectSubcommands(), options, args);
}

} // namespace

Command ProjectCommand() {
  return MakeCommandGroup(
      "project",
      "funded projects: register, evaluate, spend, beneficiaries, accept, "
      "stats",
      "Works funded projects (项目化管理): registered with a funding source,\n"
      "budget and cost shares; evaluated before the start, at half-year, year\n"
      "end and close; spending against the ring-fenced budget; beneficiaries "
      "by\n"
      "township; accepted at the end.  Every command but register names the\n"
      "project's version (--expected-version, as 'project show' prints it).\n"
      "Money is in yuan; times are China Standard Time.",
      ProjectSubcommands(), RunProject);
}

} // namespace haven::cli
