// havenctl loan: women's entrepreneurship loans (LoanService).  One
// subcommand per step of the chain, plus show, list and stats.
#include <iostream>

#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "flag_reader.h"
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::loans::v1;
using v1::LoanService;

const FlagSpec kLoanFlag = {"loan", "LOAN", "the loan (or give it as the first argument)"};
const FlagSpec kExpectedFlag = {"expected-version", "V",
                                "the loan's version the decision is based on ('loan show')"};
const FlagSpec kRequestIdFlag = {"request-id", "ID", "resend a request (default: a new UUID)"};
const FlagSpec kUnitFlag = {"unit", "ID", "the unit that acts (village, township or county)"};
const FlagSpec kAtFlag = {"at", "TIME", "when it happened (default now)"};

template <typename E>
FlagSpec EnumFlag(const std::string& name, const std::string& help) {
  return {name, "NAME", help + ": " + EnumFlagChoices(EnumType<E>())};
}

using Builder = void (*)(FlagReader&, v1::LoanCommand*);

void BuildApply(FlagReader& f, v1::LoanCommand* command) {
  v1::ApplyForLoan* c = command->mutable_apply_for_loan();
  c->set_applicant_kind(f.Enum<v1::ApplicantKind>("kind", false));
  if (c->applicant_kind() == v1::APPLICANT_KIND_UNSPECIFIED) {
    c->set_applicant_kind(v1::APPLICANT_KIND_WOMAN);
  }
  c->mutable_applicant()->set_name(f.Text("name", true));
  c->mutable_applicant()->set_id_number(f.Text("id-number", false));
  c->mutable_applicant()->set_phone(f.Text("phone", false));
  c->mutable_applicant()->set_address(f.Text("address", false));
  c->set_household_members(static_cast<int32_t>(f.Number("household-members", 1, 20)));
  c->set_village_unit_id(f.Text("village", true));
  c->set_amount_fen(f.Yuan("amount", true));
  c->set_term_months(static_cast<int32_t>(f.Number("term", 1, 36, true)));
  c->set_purpose(f.Enum<v1::LoanPurpose>("purpose", true));
  c->set_project(f.Text("project", true));
  c->set_jobs_expected(static_cast<int32_t>(f.Number("jobs-expected", 0, 1000)));
  c->set_applied_at_us(f.Time("at", false));
}

void BuildCertify(FlagReader& f, v1::LoanCommand* command) {
  v1::CertifyLoan* c = command->mutable_certify_loan();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_note(f.Text("note", false));
  c->set_certified_at_us(f.Time("at", false));
}

void BuildSubmit(FlagReader& f, v1::LoanCommand* command) {
  command->mutable_submit_loan()->set_acting_unit_id(f.Text("unit", true));
  command->mutable_submit_loan()->set_submitted_at_us(f.Time("at", false));
}

void BuildOpinion(FlagReader& f, v1::LoanCommand* command) {
  v1::GiveCountyOpinion* c = command->mutable_give_county_opinion();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_opinion(f.Enum<v1::CountyOpinion>("opinion", true));
  c->set_reason(f.Text("reason", false));
  c->set_given_at_us(f.Time("at", false));
}

void BuildDecide(FlagReader& f, v1::LoanCommand* command) {
  v1::RecordLenderDecision* c = command->mutable_record_lender_decision();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_lender(f.Text("lender", true));
  c->set_decision(f.Enum<v1::LenderDecision>("decision", true));
  c->set_approved_amount_fen(f.Yuan("amount", false));
  c->set_reason(f.Text("reason", false));
  c->set_decided_at_us(f.Time("at", false));
}

void BuildDisburse(FlagReader& f, v1::LoanCommand* command) {
  v1::DisburseLoan* c = command->mutable_disburse_loan();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_amount_fen(f.Yuan("amount", true));
  c->set_term_months(static_cast<int32_t>(f.Number("term", 1, 36, true)));
  c->set_annual_rate_bp(static_cast<int32_t>(f.Number("rate-bp", 1, 2000, true)));
  c->set_disbursed_at_us(f.Time("at", false));
}

void BuildSubsidy(FlagReader& f, v1::LoanCommand* command) {
  v1::PaySubsidy* c = command->mutable_pay_subsidy();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_period(static_cast<int32_t>(f.Number("period", 1, 36, true)));
  c->set_amount_fen(f.Yuan("amount", true));
  c->set_paid_at_us(f.Time("at", false));
}

void BuildRepay(FlagReader& f, v1::LoanCommand* command) {
  v1::RecordRepayment* c = command->mutable_record_repayment();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_principal_fen(f.Yuan("principal", false));
  c->set_interest_fen(f.Yuan("interest", false));
  c->set_repaid_at_us(f.Time("at", false));
}

void BuildOverdue(FlagReader& f, v1::LoanCommand* command) {
  v1::MarkOverdue* c = command->mutable_mark_overdue();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_overdue_fen(f.Yuan("amount", true));
  c->set_overdue_at_us(f.Time("at", false));
}

void BuildSettle(FlagReader& f, v1::LoanCommand* command) {
  command->mutable_settle_loan()->set_acting_unit_id(f.Text("unit", true));
  command->mutable_settle_loan()->set_settled_at_us(f.Time("at", false));
}

void BuildJobs(FlagReader& f, v1::LoanCommand* command) {
  v1::ReportJobsCreated* c = command->mutable_report_jobs_created();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_jobs_created(static_cast<int32_t>(f.Number("jobs", 0, 1000, true)));
  c->set_reported_at_us(f.Time("at", false));
}

void BuildWithdraw(FlagReader& f, v1::LoanCommand* command) {
  v1::WithdrawLoan* c = command->mutable_withdraw_loan();
  c->set_acting_unit_id(f.Text("unit", true));
  c->set_reason(f.Text("reason", true));
  c->set_withdrawn_at_us(f.Time("at", false));
}

// The loan id: --loan, or the one positional argument.
std::string LoanIdArgument(const ParsedArgs& args, std::string* error) {
  const auto flag = args.Get("loan");
  if ((flag && !args.positional.empty()) || args.positional.size() > 1) {
    *error = "give the loan once: as LOAN or --loan=LOAN";
    return "";
  }
  if (flag) return *flag;
  return args.positional.empty() ? "" : args.positional[0];
}

template <typename Request>
using Rpc = grpc::Status (LoanService::Stub::*)(grpc::ClientContext*, const Request&,
                                                v1::CommandResponse*);

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
int RunLoanCommand(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader reader(args, NowMicros());
  v1::LoanCommand command;
  kBuild(reader, &command);
  if (!reader.error().empty()) return SubcommandUsageError(self, reader.error());
  std::string error;
  const std::string loan_id = LoanIdArgument(args, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  const bool applies = command.has_apply_for_loan();
  if (!applies && loan_id.empty()) return SubcommandUsageError(self, "--loan is required");
  const auto expected = ExpectedVersionFlag(args, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (!applies && !expected) {
    return SubcommandUsageError(self, "--expected-version is required ('loan show' prints it)");
  }
  Request request;
  const std::string request_id = RequestIdFlag(args);
  FillCommandRequest(request_id, "loan_id", loan_id, expected, command, &request);
  auto stub = LoanService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::CommandResponse response;
  const grpc::Status status = ((*stub).*kMethod)(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = ProtoToJson(response);
    out["request_id"] = request_id;
    std::cout << DumpJsonLine(out) << std::endl;
  } else {
    std::cout << "loan " << SanitizeForTerminal(response.loan_id()) << ": version "
              << response.version() << ", position " << response.position()
              << (response.replayed() ? " (a retry: nothing written)" : "") << std::endl;
  }
  return kExitOk;
}

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
Subcommand Op(const std::string& name, const std::string& synopsis, const std::string& summary,
              std::vector<FlagSpec> flags, bool applies = false) {
  if (applies) {
    flags.push_back({"loan", "LOAN", "choose the new loan's id: loan-[a-z0-9-]+"});
  } else {
    flags.push_back(kLoanFlag);
    flags.push_back(kExpectedFlag);
  }
  flags.push_back(kRequestIdFlag);
  const std::string prefix = applies ? "" : "LOAN --expected-version=V ";
  return {name, prefix + synopsis, summary, "", std::move(flags),
          RunLoanCommand<Request, kMethod, kBuild>};
}

template <typename E>
std::string Label(int number) {
  return EnumLabelWithName(EnumType<E>(), number);
}

int RunShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  v1::GetLoanRequest request;
  request.set_loan_id(LoanIdArgument(args, &error));
  if (!error.empty() || request.loan_id().empty()) {
    return SubcommandUsageError(self, error.empty() ? "the loan is required" : error);
  }
  if (auto p = args.Get("as-of-position")) {
    auto parsed = ParseUint64(*p);
    if (!parsed) return SubcommandUsageError(self, "--as-of-position must be a number");
    request.set_as_of_position(*parsed);
  }
  auto stub = LoanService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetLoanResponse response;
  const grpc::Status status = stub->GetLoan(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.loan())) << std::endl;
    return kExitOk;
  }
  const v1::LoanView& l = response.loan();
  std::vector<std::pair<std::string, std::string>> fields = {
      {"贷款 loan", l.loan_id() + "  (version " + std::to_string(l.version()) + ")"},
      {"状态 status", Label<v1::LoanStatus>(l.status()) + (l.overdue() ? "，逾期 overdue" : "")},
      {"申请人 applicant", l.applicant().name() + "，" +
                               EnumLabel(EnumType<v1::ApplicantKind>(), l.applicant_kind())},
      {"村居 village", l.village_unit_id()},
      {"用途 purpose", Label<v1::LoanPurpose>(l.purpose()) + "：" + l.project()},
      {"申请 applied", FormatFen(l.applied_fen()) + "，" + std::to_string(l.term_months()) +
                           "个月，" + FormatCst(l.applied_at_us())},
      {"出证明 certified", FormatCst(l.certified_at_us())},
      {"报材料 submitted", FormatCst(l.submitted_at_us())},
      {"县妇联意见 opinion", Label<v1::CountyOpinion>(l.county_opinion())},
      {"放贷机构 lender", l.lender().empty() ? "—" : l.lender()},
      {"审批 approved", FormatFen(l.approved_fen())},
      {"放款 disbursed", FormatFen(l.disbursed_fen()) + "，到期 " + FormatCst(l.matures_at_us())},
      {"贴息 subsidy", FormatFen(l.subsidy_paid_fen())},
      {"已还本金 repaid", FormatFen(l.principal_repaid_fen())},
      {"未还本金 outstanding", FormatFen(l.outstanding_fen())},
      {"逾期本金 overdue", FormatFen(l.overdue_fen())},
      {"带动就业 jobs", std::to_string(l.jobs_created())},
  };
  std::cout << FormatFields(fields);
  return kExitOk;
}

int RunList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::ListLoansRequest request;
  request.set_unit_subtree(f.Text("unit", true));
  const auto status_flag = f.Enum<v1::LoanStatus>("status", false);
  if (status_flag != v1::LOAN_STATUS_UNSPECIFIED) request.add_statuses(status_flag);
  request.set_overdue_only(f.Bool("overdue"));
  request.set_page_size(static_cast<uint32_t>(f.Number("limit", 1, 500)));
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  auto stub = LoanService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::ListLoansResponse response;
  const grpc::Status status = stub->ListLoans(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    for (const auto& entry : response.loans()) std::cout << DumpJsonLine(ProtoToJson(entry)) << "\n";
    std::cout << std::flush;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.loans()) {
    rows.push_back({e.loan_id(), FormatCstMinutes(e.applied_at_us()), e.village_unit_id(),
                    EnumLabel(EnumType<v1::LoanStatus>(), e.status()) + (e.overdue() ? "·逾期" : ""),
                    EnumLabel(EnumType<v1::LoanPurpose>(), e.purpose()), FormatFen(e.applied_fen()),
                    FormatFen(e.disbursed_fen()), FormatFen(e.outstanding_fen()),
                    std::to_string(e.jobs_created())});
  }
  std::cout << FormatTable({"LOAN", "APPLIED (CST)", "VILLAGE", "STATUS", "PURPOSE", "AMOUNT",
                            "DISBURSED", "OUTSTANDING", "JOBS"},
                           rows, {5, 6, 7, 8});
  if (!response.next_page_token().empty()) std::cout << "(more: raise --limit)\n";
  return kExitOk;
}

int RunStats(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::GetLoanStatisticsRequest request;
  request.set_unit_subtree(f.Text("unit", true));
  request.set_from_day(f.Text("from", true));
  request.set_to_day(f.Text("to", true));
  if (auto as_of = args.Get("as-of")) request.set_as_of_day(*as_of);
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  auto stub = LoanService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetLoanStatisticsResponse response;
  const grpc::Status status = stub->GetLoanStatistics(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  const v1::LoanStatistics& s = response.statistics();
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(s)) << std::endl;
    return kExitOk;
  }
  auto n = [](int64_t v) { return std::to_string(v); };
  std::vector<std::vector<std::string>> rows = {
      {"申请 applied", n(s.applied()), FormatFen(s.applied_fen())},
      {"出证明 certified", n(s.certified()), ""},
      {"报材料 submitted", n(s.submitted()), ""},
      {"同意推荐 favourable", n(s.favourable_opinions()), ""},
      {"不予推荐 unfavourable", n(s.unfavourable_opinions()), ""},
      {"审批通过 approved", n(s.approved()), FormatFen(s.approved_fen())},
      {"拒贷 refused", n(s.refused()), ""},
      {"撤回 withdrawn", n(s.withdrawn()), ""},
      {"放款 disbursed", n(s.disbursed()), FormatFen(s.disbursed_fen())},
      {"  妇女 to women", n(s.disbursed_to_women()), ""},
      {"  农户 to households", n(s.disbursed_to_households()), ""},
      {"贴息 subsidy", n(s.subsidy_payments()), FormatFen(s.subsidy_fen())},
      {"还款 repaid", n(s.repayments()), FormatFen(s.repaid_principal_fen())},
      {"逾期 marked overdue", n(s.marked_overdue()), ""},
      {"期末逾期 overdue at end", n(s.overdue_at_end()), FormatFen(s.overdue_fen_at_end())},
      {"结清 settled", n(s.settled()), ""},
      {"期末在贷 outstanding at end", n(s.outstanding_at_end()),
       FormatFen(s.outstanding_fen_at_end())},
      {"带动就业 jobs created", n(s.jobs_created()), ""},
  };
  for (const auto& p : s.disbursed_by_purpose()) {
    rows.push_back({"  " + EnumLabel(EnumType<v1::LoanPurpose>(), p.purpose()), n(p.count()),
                    FormatFen(p.fen())});
  }
  std::cout << "妇女小额担保贴息贷款 " << request.unit_subtree() << "  " << s.from_day() << " .. "
            << s.to_day() << "  (as of " << s.as_of_day() << ")\n"
            << FormatTable({"", "COUNT", "YUAN"}, rows, {1, 2});
  return kExitOk;
}

#define HAVEN_OP(Rpc, Build) v1::Rpc##Request, &LoanService::Stub::Rpc, Build

const std::vector<Subcommand>& LoanSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      Op<HAVEN_OP(ApplyForLoan, BuildApply)>(
          "apply", "--name=NAME --village=ID --amount=YUAN --term=MONTHS --purpose=P --project=TEXT",
          "a woman or household applies (申请)",
          {EnumFlag<v1::ApplicantKind>("kind", "woman (default) or household"),
           {"name", "NAME", "the applicant"},
           {"id-number", "ID", "resident ID number"},
           {"phone", "PHONE", "mobile or fixed line"},
           {"address", "TEXT", "her address"},
           {"household-members", "N", "households only"},
           {"village", "ID", "her village or community"},
           {"amount", "YUAN", "amount applied for"},
           {"term", "MONTHS", "1..36"},
           EnumFlag<v1::LoanPurpose>("purpose", "what for"),
           {"project", "TEXT", "the project, e.g. 香菇种植大棚"},
           {"jobs-expected", "N", "jobs it should create"},
           kAtFlag},
          /*applies=*/true),
      Op<HAVEN_OP(CertifyLoan, BuildCertify)>("certify", "--unit=VILLAGE",
                                              "the village women's congress certifies (出证明)",
                                              {kUnitFlag, {"note", "TEXT", "optional"}, kAtFlag}),
      Op<HAVEN_OP(SubmitLoan, BuildSubmit)>("submit", "--unit=TOWNSHIP",
                                            "the township federation submits (报材料)",
                                            {kUnitFlag, kAtFlag}),
      Op<HAVEN_OP(GiveCountyOpinion, BuildOpinion)>(
          "opinion", "--unit=COUNTY --opinion=favourable|unfavourable",
          "the county federation's opinion (拿意见)",
          {kUnitFlag, EnumFlag<v1::CountyOpinion>("opinion", "the opinion"),
           {"reason", "TEXT", "required when unfavourable"}, kAtFlag}),
      Op<HAVEN_OP(RecordLenderDecision, BuildDecide)>(
          "decide", "--unit=COUNTY --lender=NAME --decision=approved|refused [--amount=YUAN]",
          "the lender approves or refuses",
          {kUnitFlag, {"lender", "NAME", "e.g. 某县农村信用合作联社"},
           EnumFlag<v1::LenderDecision>("decision", "the decision"),
           {"amount", "YUAN", "approved amount"}, {"reason", "TEXT", "required for a refusal"},
           kAtFlag}),
      Op<HAVEN_OP(DisburseLoan, BuildDisburse)>(
          "disburse", "--unit=COUNTY --amount=YUAN --term=MONTHS --rate-bp=BP",
          "the lender disburses (放款)",
          {kUnitFlag, {"amount", "YUAN", "at most the approved amount"},
           {"term", "MONTHS", "1..36"}, {"rate-bp", "BP", "yearly rate, 435 = 4.35%"}, kAtFlag}),
      Op<HAVEN_OP(PaySubsidy, BuildSubsidy)>(
          "subsidy", "--unit=COUNTY --period=N --amount=YUAN", "interest subsidy paid (贴息)",
          {kUnitFlag, {"period", "N", "period of the term, once each"},
           {"amount", "YUAN", "the subsidy"}, kAtFlag}),
      Op<HAVEN_OP(RecordRepayment, BuildRepay)>(
          "repay", "--unit=COUNTY --principal=YUAN [--interest=YUAN]", "a repayment (还款)",
          {kUnitFlag, {"principal", "YUAN", "principal repaid"},
           {"interest", "YUAN", "interest paid"}, kAtFlag}),
      Op<HAVEN_OP(MarkOverdue, BuildOverdue)>("overdue", "--unit=COUNTY --amount=YUAN",
                                              "principal past due (逾期)",
                                              {kUnitFlag, {"amount", "YUAN", "past due"}, kAtFlag}),
      Op<HAVEN_OP(SettleLoan, BuildSettle)>("settle", "--unit=COUNTY",
                                            "settled: nothing outstanding (结清)",
                                            {kUnitFlag, kAtFlag}),
      Op<HAVEN_OP(ReportJobsCreated, BuildJobs)>(
          "jobs", "--unit=ID --jobs=N", "jobs the loan has created so far (带动就业)",
          {kUnitFlag, {"jobs", "N", "the total so far"}, kAtFlag}),
      Op<HAVEN_OP(WithdrawLoan, BuildWithdraw)>("withdraw", "--unit=ID --reason=TEXT",
                                                "the applicant withdraws (before disbursement)",
                                                {kUnitFlag, {"reason", "TEXT", "why"}, kAtFlag}),
      {"show", "LOAN [--as-of-position=P]", "the loan as it is (or was at a log position)", "",
       {kLoanFlag, {"as-of-position", "P", "as it was after position P"}}, RunShow},
      {"list", "--unit=ID [--status=S] [--overdue] [--limit=N]",
       "loans of a unit's subtree, newest first", "",
       {{"unit", "ID", "the unit whose subtree to list"},
        EnumFlag<v1::LoanStatus>("status", "only loans in this state"),
        {"overdue", "", "only overdue loans"},
        {"limit", "N", "at most N loans (default 50)"}},
       RunList},
      {"stats", "--unit=ID --from=YYYY-MM-DD --to=YYYY-MM-DD [--as-of=YYYY-MM-DD]",
       "loans applied, approved, disbursed, repaid, overdue, jobs: over a subtree and period", "",
       {{"unit", "ID", "the unit whose subtree to count"},
        {"from", "DAY", "first day (CST)"},
        {"to", "DAY", "last day (CST)"},
        {"as-of", "DAY", "as the figures stood at the end of DAY"}},
       RunStats},
  };
  return kSubcommands;
}

#undef HAVEN_OP

int RunLoan(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("loan", LoanSubcommands(), options, args);
}

}  // namespace

Command LoanCommand() {
  return MakeCommandGroup(
      "loan", "women's entrepreneurship loans: apply, the chain, show, list, stats",
      "Works women's entrepreneurship loans (妇女小额担保贴息贷款): the village\n"
      "certifies, the township submits, the county gives its opinion, the\n"
      "lender decides and disburses; subsidies, repayments, overdue, settled,\n"
      "jobs created.  Every step but apply names the acting unit (--unit) and\n"
      "the loan's version (--expected-version, as 'loan show' prints it).\n"
      "Money is in yuan; times are China Standard Time.",
      LoanSubcommands(), RunLoan);
}

}  // namespace haven::cli
