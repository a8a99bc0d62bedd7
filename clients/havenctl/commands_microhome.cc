// havenctl microhome: women's micro-homes (MicroHomeService).  One
// subcommand per command, plus show, list, compliance and stats.
#include <iostream>

#include "aggregate_verbs.h"
#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "flag_reader.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::microhomes::v1;
using v1::MicroHomeService;

const AggregateNoun kNoun = {"micro-home", "unit", "unit_id", "microhome show"};
const FlagSpec kUnitFlag = {
    "unit", "ID", "the micro-home's unit (or give it as the first argument)"};
const FlagSpec kExpectedFlag = {
    "expected-version", "V",
    "the micro-home's version the decision is based on"};
const FlagSpec kRequestIdFlag = {"request-id", "ID",
                                 "resend a request (default: a new UUID)"};
const FlagSpec kByFlag = {"by", "ID", "the federation unit that acts"};
const FlagSpec kAtFlag = {"at", "TIME", "when it happened (default now)"};

template <typename E>
FlagSpec EnumFlag(const std::string &name, const std::string &help) {
  return {name, "NAME", help + ": " + EnumFlagChoices(EnumType<E>())};
}

using Builder = void (*)(FlagReader &, v1::MicroHomeCommand *);

void BuildRegister(FlagReader &f, v1::MicroHomeCommand *command) {
  v1::RegisterMicroHome *c = command->mutable_register_micro_home();
  c->set_kind(f.Enum<v1::MicroHomeKind>("kind", true));
  c->set_venue(f.Enum<v1::Venue>("venue", true));
  c->mutable_host()->set_name(f.Text("host", true));
  c->mutable_host()->set_phone(f.Text("host-phone", false));
  v1::ExecutiveInput *x = c->add_executives();
  x->set_executive_id(f.Text("executive-id", true));
  x->set_name(f.Text("executive", true));
  x->set_phone(f.Text("executive-phone", false));
  c->set_place(f.Text("place", false));
  c->set_registered_at_us(f.Time("at", false));
}

void BuildHost(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_change_host()->mutable_host()->set_name(
      f.Text("host", true));
  command->mutable_change_host()->mutable_host()->set_phone(
      f.Text("host-phone", false));
  command->mutable_change_host()->set_changed_at_us(f.Time("at", false));
}

void BuildPair(FlagReader &f, v1::MicroHomeCommand *command) {
  v1::ExecutiveInput *x =
      command->mutable_pair_executive()->mutable_executive();
  x->set_executive_id(f.Text("executive-id", true));
  x->set_name(f.Text("executive", true));
  x->set_phone(f.Text("executive-phone", false));
  command->mutable_pair_executive()->set_paired_at_us(f.Time("at", false));
}

void BuildUnpair(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_unpair_executive()->set_executive_id(
      f.Text("executive-id", true));
  command->mutable_unpair_executive()->set_reason(f.Text("reason", false));
  command->mutable_unpair_executive()->set_unpaired_at_us(f.Time("at", false));
}

void BuildDesignate(FlagReader &f, v1::MicroHomeCommand *command) {
  v1::DesignateDemonstration *c = command->mutable_designate_demonstration();
  c->set_acting_unit_id(f.Text("by", true));
  // --five-haves names those it has; all five are needed.
  const std::string haves = f.Text("five-haves", true);
  v1::FiveHaves *h = c->mutable_five_haves();
  h->set_place(haves.find("place") != std::string::npos);
  h->set_host(haves.find("host") != std::string::npos);
  h->set_rules(haves.find("rules") != std::string::npos);
  h->set_activities(haves.find("activities") != std::string::npos);
  h->set_display(haves.find("display") != std::string::npos);
  if (haves == "all") {
    h->set_place(true);
    h->set_host(true);
    h->set_rules(true);
    h->set_activities(true);
    h->set_display(true);
  }
  c->set_designated_at_us(f.Time("at", false));
}

void BuildWithdraw(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_withdraw_demonstration()->set_acting_unit_id(
      f.Text("by", true));
  command->mutable_withdraw_demonstration()->set_reason(f.Text("reason", true));
  command->mutable_withdraw_demonstration()->set_withdrawn_at_us(
      f.Time("at", false));
}

void BuildActivity(FlagReader &f, v1::MicroHomeCommand *command) {
  v1::RecordActivity *c = command->mutable_record_activity();
  c->set_activity_kind(f.Enum<v1::ActivityKind>("kind", true));
  c->set_attendance(
      static_cast<int32_t>(f.Number("attendance", 1, 2000, true)));
  c->set_topic(f.Text("topic", false));
  c->set_held_at_us(f.Time("at", false));
}

void BuildGrant(FlagReader &f, v1::MicroHomeCommand *command) {
  v1::GrantTitle *c = command->mutable_grant_title();
  c->set_title_id(f.Text("title-id", true));
  c->set_title(f.Enum<v1::TitleName>("title", true));
  c->set_level(f.Enum<v1::TitleLevel>("level", true));
  c->set_acting_unit_id(f.Text("by", true));
  c->set_granted_at_us(f.Time("at", false));
}

void BuildRecertify(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_recertify_title()->set_title_id(f.Text("title-id", true));
  command->mutable_recertify_title()->set_acting_unit_id(f.Text("by", true));
  command->mutable_recertify_title()->set_recertified_at_us(
      f.Time("at", false));
}

void BuildRevoke(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_revoke_title()->set_title_id(f.Text("title-id", true));
  command->mutable_revoke_title()->set_acting_unit_id(f.Text("by", true));
  command->mutable_revoke_title()->set_reason(f.Text("reason", true));
  command->mutable_revoke_title()->set_revoked_at_us(f.Time("at", false));
}

void BuildClose(FlagReader &f, v1::MicroHomeCommand *command) {
  command->mutable_close_micro_home()->set_reason(f.Text("reason", true));
  command->mutable_close_micro_home()->set_closed_at_us(f.Time("at", false));
}

template <typename Request>
using Rpc = grpc::Status (MicroHomeService::Stub::*)(grpc::ClientContext *,
                                                     const Request &,
                                                     v1::CommandResponse *);

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
int RunCommand(const GlobalOptions &options, const ParsedArgs &args,
               const Subcommand &self) {
  FlagReader reader(args, NowMicros());
  v1::MicroHomeCommand command;
  kBuild(reader, &command);
  if (!reader.error().empty())
    return SubcommandUsageError(self, reader.error());
  return SendAggregateCommand<MicroHomeService>(
      options, args, self, kNoun, command, command.has_register_micro_home(),
      /*id_optional=*/false, kMethod);
}

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
Subcommand Op(const std::string &name, const std::string &synopsis,
              const std::string &summary, std::vector<FlagSpec> flags,
              bool creates = false) {
  flags.push_back(kUnitFlag);
  if (!creates)
    flags.push_back(kExpectedFlag);
  flags.push_back(kRequestIdFlag);
  const std::string prefix = creates ? "UNIT " : "UNIT --expected-version=V ";
  return {name, prefix + synopsis, summary,
          "",   std::move(flags),  RunCommand<Request, kMethod, kBuild>};
}

std::string Label(const google::protobuf::EnumDescriptor *type, int number) {
  return EnumLabelWithName(type, number);
}

int RunShow(const GlobalOptions &options, const ParsedArgs &args,
            const Subcommand &self) {
  std::string error;
  v1::GetMicroHomeRequest request;
  request.set_unit_id(AggregateIdArgument(args, kNoun, &error));
  if (!error.empty() || request.unit_id().empty()) {
    return SubcommandUsageError(
        self, error.empty() ? "the micro-home's unit is required" : error);
  }
  auto stub = MicroHomeService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetMicroHomeResponse response;
  const grpc::Status status = stub->GetMicroHome(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.micro_home())) << std::endl;
    return kExitOk;
  }
  const v1::MicroHomeView &m = response.micro_home();
  std::vector<std::pair<std::string, std::string>> fields = {
      {"微家 micro-home",
       m.unit_id() + "  (version " + std::to_string(m.version()) + ")"},
      {"类型 kind", Label(EnumType<v1::MicroHomeKind>(), m.kind())},
      {"场所 venue",
       Label(EnumType<v1::Venue>(), m.venue()) + "，" + m.place()},
      {"女主人 host", m.host().name() + " " + m.host().phone()},
      {"登记 registered", FormatCst(m.registered_at_us())},
      {"示范 demonstration", m.demonstration()
                                 ? "是 yes, " + FormatCst(m.designated_at_us())
                                 : "否 no"},
      {"关闭 closed", m.closed() ? FormatCst(m.closed_at_us()) : "—"},
  };
  for (const auto &x : m.executives()) {
    fields.push_back({"结对执委 executive", x.executive_id() + " " + x.name()});
  }
  for (const auto &a : m.activities()) {
    fields.push_back(
        {"  " + Label(EnumType<v1::ActivityKind>(), a.activity_kind()),
         std::to_string(a.count()) + " 次, " + std::to_string(a.attendance()) +
             " 人次, last " + FormatCst(a.last_held_at_us())});
  }
  for (const auto &t : m.titles()) {
    fields.push_back(
        {"称号 title " + t.title_id(),
         Label(EnumType<v1::TitleName>(), t.title()) + " " +
             Label(EnumType<v1::TitleLevel>(), t.level()) +
             (t.revoked() ? "  摘牌 revoked " + FormatCst(t.revoked_at_us())
                          : "  expires " + FormatCst(t.expires_at_us()))});
  }
  std::cout << FormatFields(fields);
  return kExitOk;
}

int RunList(const GlobalOptions &options, const ParsedArgs &args,
            const Subcommand &self) {
  FlagReader f(args, NowMicros());
  v1::ListMicroHomesRequest request;
  request.set_unit_subtree(f.Text("under", true));
  request.set_kind(f.Enum<v1::MicroHomeKind>("kind", false));
  request.set_demonstration_only(f.Bool("demonstration"));
  request.set_include_closed(f.Bool("closed"));
  request.set_page_size(static_cast<uint32_t>(f.Number("limit", 1, 500)));
  if (!f.error().empty())
    return SubcommandUsageError(self, f.error());
  auto stub = MicroHomeService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::ListMicroHomesResponse response;
  const grpc::Status status =
      stub->ListMicroHomes(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  if (options.json) {
    for (const auto &e : response.micro_homes())
      std::cout << DumpJsonLine(ProtoToJson(e)) << "\n";
    std::cout << std::flush;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &e : response.micro_homes()) {
    rows.push_back({e.unit_id(), FormatCstMinutes(e.registered_at_us()),
                    EnumLabel(EnumType<v1::MicroHomeKind>(), e.kind()),
                    e.demonstration() ? "示范" : "",
                    std::to_string(e.activities()),
                    std::to_string(e.titles_held()), e.closed() ? "关闭" : ""});
  }
  std::cout << FormatTable({"UNIT", "REGISTERED (CST)", "KIND", "DEMO",
                            "ACTIVITIES", "TITLES", "CLOSED"},
                           rows, {4, 5});
  if (!response.next_page_token().empty())
    std::cout << "(more: raise --limit)\n";
  return kExitOk;
}

int RunCompliance(const GlobalOptions &options, const ParsedArgs &args,
                  const Subcommand &self) {
  FlagReader f(args, NowMicros());
  v1::GetMicroHomeComplianceRequest request;
  request.set_unit_subtree(f.Text("under", true));
  request.set_from_day(f.Text("from", true));
  request.set_to_day(f.Text("to", true));
  if (auto as_of = args.Get("as-of"))
    request.set_as_of_day(*as_of);
  request.set_short_only(f.Bool("short"));
  if (!f.error().empty())
    return SubcommandUsageError(self, f.error());
  auto stub = MicroHomeService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetMicroHomeComplianceResponse response;
  const grpc::Status status =
      stub->GetMicroHomeCompliance(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  const v1::MicroHomeCompliance &c = response.compliance();
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(c)) << std::endl;
    return kExitOk;
  }
  auto check = [](const v1::StandardCheck &s) {
    return std::to_string(s.met()) + "/" + std::to_string(s.required());
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto &h : c.homes()) {
    rows.push_back({h.unit_id(),
                    EnumLabel(EnumType<v1::MicroHomeKind>(), h.kind()),
                    check(h.weekly_receptions()), check(h.monthly_gatherings()),
                    check(h.quarterly_activities()), check(h.yearly_banquets()),
                    h.meets_standard() ? "达标" : "未达标 short"});
  }
  std::cout << "示范微家达标 " << request.unit_subtree() << "  " << c.from_day()
            << " .. " << c.to_day() << "  (as of " << c.as_of_day()
            << "): " << c.demonstration_homes() << " demonstration sites, "
            << c.short_of_standard() << " short of the standard\n"
            << FormatTable({"UNIT", "KIND", "接待/周", "聚会/月", "活动/季",
                            "家宴/年", ""},
                           rows, {});
  if (c.titles_due_size() > 0) {
    std::vector<std::vector<std::string>> due;
    for (const auto &t : c.titles_due()) {
      due.push_back({t.unit_id(), t.title_id(),
                     EnumLabel(EnumType<v1::TitleLevel>(), t.level()),
                     t.expires_day(), t.lapsed() ? "已过期 lapsed" : ""});
    }
    std::cout << "待复评称号 titles due for re-certification\n"
              << FormatTable({"UNIT", "TITLE", "LEVEL", "EXPIRES", ""}, due,
                             {});
  }
  return kExitOk;
}

int RunStats(const GlobalOptions &options, const ParsedArgs &args,
             const Subcommand &self) {
  FlagReader f(args, NowMicros());
  v1::GetMicroHomeStatisticsRequest request;
  request.set_unit_subtree(f.Text("under", true));
  request.set_from_day(f.Text("from", true));
  request.set_to_day(f.Text("to", true));
  if (auto as_of = args.Get("as-of"))
    request.set_as_of_day(*as_of);
  if (!f.error().empty())
    return SubcommandUsageError(self, f.error());
  auto stub = MicroHomeService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetMicroHomeStatisticsResponse response;
  const grpc::Status status =
      stub->GetMicroHomeStatistics(&context, request, &response);
  if (!status.ok())
    return ReportRpcError(status, context);
  const v1::MicroHomeStatistics &s = response.statistics();
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response)) << std::endl;
    return kExitOk;
  }
  auto n = [](int64_t v) { return std::to_string(v); };
  std::vector<std::vector<std::string>> rows = {
      {"建家 registered", n(s.registered()), ""},
      {"关闭 closed", n(s.closed()), ""},
      {"期末在运行 open at end", n(s.open_at_end()), ""},
      {"示范点 designated", n(s.demonstration_designated()), ""},
      {"取消示范 withdrawn", n(s.demonstration_withdrawn()), ""},
      {"期末示范点 demonstration at end", n(s.demonstration_at_end()), ""},
      {"未达标 short of the standard", n(s.short_of_standard()), ""},
      {"授牌 titles granted", n(s.titles_granted()), ""},
      {"复评 re-certified", n(s.titles_recertified()), ""},
      {"摘牌 revoked", n(s.titles_revoked()), ""},
      {"期末持牌 titles held at end", n(s.titles_held_at_end()), ""},
      {"待复评 titles due", n(s.titles_due()), ""},
  };
  for (const auto &k : s.by_kind()) {
    rows.push_back({"  " + EnumLabel(EnumType<v1::MicroHomeKind>(), k.kind()),
                    n(k.registered()), n(k.open_at_end())});
  }
  for (const auto &a : s.activities()) {
    rows.push_back(
        {"  " + EnumLabel(EnumType<v1::ActivityKind>(), a.activity_kind()),
         n(a.count()), n(a.attendance()) + " 人次"});
  }
  std::cout << "妇女微家 " << request.unit_subtree() << "  " << s.from_day()
            << " .. " << s.to_day() << "  (as of " << s.as_of_day() << ")\n"
            << FormatTable({"", "COUNT", ""}, rows, {1, 2});
  for (const auto &path : response.suppressed_cells()) {
    std::cout << "(withheld: " << path << ")\n";
  }
  return kExitOk;
}

#define HAVEN_OP(Rpc, Build)                                                   \
  v1::Rpc##Request, &MicroHomeService::Stub::Rpc, Build

const std::vector<FlagSpec> kPeriodFlags = {
    {"under", "ID", "the unit whose subtree to check"},
    {"from", "DAY", "first day (CST)"},
    {"to", "DAY", "last day (CST)"},
    {"as-of", "DAY", "as it stood at the end of DAY"}};

std::vector<FlagSpec> With(std::vector<FlagSpec> flags,
                           std::vector<FlagSpec> more) {
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

const std::vector<Subcommand> &MicroHomeSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      Op<HAVEN_OP(RegisterMicroHome, BuildRegister)>(
          "register",
          "--kind=K --venue=V --host=NAME --executive-id=ID --executive=NAME",
          "registers the micro-home of a micro-home unit (建家)",
          {EnumFlag<v1::MicroHomeKind>("kind", "one of the five kinds"),
           EnumFlag<v1::Venue>("venue", "where it is"),
           {"host", "NAME", "the host (女主人)"},
           {"host-phone", "PHONE", "optional"},
           {"executive-id", "ID",
            "the paired federation executive's reference"},
           {"executive", "NAME", "her name"},
           {"executive-phone", "PHONE", "optional"},
           {"place", "TEXT", "where it meets"},
           kAtFlag},
          /*creates=*/true),
      Op<HAVEN_OP(ChangeHost, BuildHost)>("host", "--host=NAME", "a new host",
                                          {{"host", "NAME", "the host"},
                                           {"host-phone", "PHONE", "optional"},
                                           kAtFlag}),
      Op<HAVEN_OP(PairExecutive, BuildPair)>(
          "pair", "--executive-id=ID --executive=NAME",
          "pairs another federation executive",
          {{"executive-id", "ID", "her reference"},
           {"executive", "NAME", "her name"},
           {"executive-phone", "PHONE", "optional"},
           kAtFlag}),
      Op<HAVEN_OP(UnpairExecutive, BuildUnpair)>(
          "unpair", "--executive-id=ID", "unpairs an executive (one stays)",
          {{"executive-id", "ID", "her reference"},
           {"reason", "TEXT", "optional"},
           kAtFlag}),
      Op<HAVEN_OP(DesignateDemonstration, BuildDesignate)>(
          "designate", "--by=UNIT --five-haves=all",
          "makes it a demonstration site (示范点)",
          {kByFlag,
           {"five-haves", "LIST",
            "all, or those it has: place,host,rules,activities,display"},
           kAtFlag}),
      Op<HAVEN_OP(WithdrawDemonstration, BuildWithdraw)>(
          "undesignate", "--by=UNIT --reason=TEXT",
          "withdraws demonstration status (its titles are revoked with it)",
          {kByFlag, {"reason", "TEXT", "why"}, kAtFlag}),
      Op<HAVEN_OP(RecordActivity, BuildActivity)>(
          "activity", "--kind=K --attendance=N",
          "an activity held (接待, 聚会, 活动, 家宴)",
          {EnumFlag<v1::ActivityKind>(
               "kind", "reception, gathering, activity or banquet"),
           {"attendance", "N", "how many came"},
           {"topic", "TEXT", "optional"},
           kAtFlag}),
      Op<HAVEN_OP(GrantTitle, BuildGrant)>(
          "grant", "--title-id=ID --title=T --level=L --by=UNIT",
          "grants a title (授牌)",
          {{"title-id", "ID", "the micro-home's reference for it, [a-z0-9-]"},
           EnumFlag<v1::TitleName>("title", "which title"),
           EnumFlag<v1::TitleLevel>("level", "county, city or province"),
           kByFlag,
           kAtFlag}),
      Op<HAVEN_OP(RecertifyTitle, BuildRecertify)>(
          "recertify", "--title-id=ID --by=UNIT",
          "re-certifies a title (every two years)",
          {{"title-id", "ID", "the title"}, kByFlag, kAtFlag}),
      Op<HAVEN_OP(RevokeTitle, BuildRevoke)>(
          "revoke", "--title-id=ID --by=UNIT --reason=TEXT",
          "revokes a title (摘牌)",
          {{"title-id", "ID", "the title"},
           kByFlag,
           {"reason", "TEXT", "why"},
           kAtFlag}),
      Op<HAVEN_OP(CloseMicroHome, BuildClose)>(
          "close", "--reason=TEXT", "the micro-home stops",
          {{"reason", "TEXT", "why"}, kAtFlag}),
      {"show", "UNIT", "the micro-home as it is", "", {kUnitFlag}, RunShow},
      {"list",
       "--under=ID [--kind=K] [--demonstration] [--closed] [--limit=N]",
       "micro-homes of a unit's subtree, newest first",
       "",
       {{"under", "ID", "the unit whose subtree to list"},
        EnumFlag<v1::MicroHomeKind>("kind", "only this kind"),
        {"demonstration", "", "only demonstration sites"},
        {"closed", "", "closed ones too"},
        {"limit", "N", "at most N (default 50)"}},
       RunList},
      {"compliance", "--under=ID --from=DAY --to=DAY [--as-of=DAY] [--short]",
       "demonstration sites against the standard; titles due for "
       "re-certification",
       "",
       With(kPeriodFlags, {{"short", "", "only those short of the standard"}}),
       RunCompliance},
      {"stats", "--under=ID --from=DAY --to=DAY [--as-of=DAY]",
       "micro-homes by kind, demonstration sites, activities, titles: over a "
       "subtree and period",
       "", kPeriodFlags, RunStats},
  };
  return kSubcommands;
}

#undef HAVEN_OP

int RunMicroHome(const GlobalOptions &options, const ParsedArgs &args) {
  return DispatchSubcommand("microhome", MicroHomeSubcommands(), options, args);
}

} // namespace

Command MicroHomeCommand() {
  return MakeCommandGroup(
      "microhome",
      "women's micro-homes: register, activities, demonstration, titles, "
      "compliance",
      "Works women's micro-homes (妇女微家).  Create the unit first\n"
      "('unit create ID --kind=micro_home --parent=VILLAGE'), then register "
      "it\n"
      "here.  Every command but register names the micro-home's version\n"
      "(--expected-version, as 'microhome show' prints it).  Times are China\n"
      "Standard Time.",
      MicroHomeSubcommands(), RunMicroHome);
}

} // namespace haven::cli
