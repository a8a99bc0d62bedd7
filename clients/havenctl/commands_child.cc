// havenctl child: children and mentors (ChildrenService).  One subcommand
// per command of the context, plus show, mentor, list and stats
// (commands_child_read.cc).
#include "commands_case_format.h"
#include "commands_child.h"
#include "flag_reader.h"
#include "haven/children/v1/children_service.grpc.pb.h"

namespace haven::cli {
namespace {

namespace v1 = haven::children::v1;
using v1::ChildrenService;

const FlagSpec kChildFlag = {"child", "CHILD", "the child (or give her as the first argument)"};
const FlagSpec kExpectedFlag = {"expected-version", "V",
                                "the child's version the decision is based on ('child show')"};
const FlagSpec kRequestIdFlag = {"request-id", "ID", "resend a request (default: a new UUID)"};
const FlagSpec kAtFlag = {"at", "TIME", "when it happened (default now)"};
const FlagSpec kPairingFlag = {"pairing", "N", "the active pairing's number ('child show')"};
const FlagSpec kNoteFlag = {"note", "TEXT", "optional"};

template <typename E>
FlagSpec EnumFlag(const std::string& name, const std::string& help) {
  return {name, "NAME", help + ": " + EnumFlagChoices(EnumType<E>())};
}

using Builder = void (*)(FlagReader&, v1::ChildCommand*);

int32_t Pairing(FlagReader& f) { return static_cast<int32_t>(f.Number("pairing", 1, 1000, true)); }

void BuildRegister(FlagReader& f, v1::ChildCommand* command) {
  v1::RegisterChild* c = command->mutable_register_child();
  c->set_category(f.Enum<v1::ChildCategory>("category", true));
  v1::ChildInput* child = c->mutable_child();
  child->set_name(f.Text("name", true));
  child->set_id_number(f.Text("id-number", false));
  child->set_birth_date(f.Text("birth-date", true));
  child->set_girl(f.Bool("girl"));
  child->mutable_guardian()->set_name(f.Text("guardian", true));
  child->mutable_guardian()->set_relationship(f.Text("relationship", true));
  child->mutable_guardian()->set_phone(f.Text("guardian-phone", false));
  child->set_school(f.Text("school", false));
  child->set_address(f.Text("address", false));
  c->set_unit_id(f.Text("unit", true));
  c->set_registered_at_us(f.Time("at", false));
}

void BuildPair(FlagReader& f, v1::ChildCommand* command) {
  command->mutable_pair_child()->set_mentor_id(f.Text("mentor", true));
  command->mutable_pair_child()->set_paired_at_us(f.Time("at", false));
}

void BuildVisit(FlagReader& f, v1::ChildCommand* command) {
  v1::RecordVisit* c = command->mutable_record_visit();
  c->set_pairing_no(Pairing(f));
  c->set_kind(f.Enum<v1::VisitKind>("kind", true));
  c->set_note(f.Text("note", false));
  c->set_visited_at_us(f.Time("at", false));
}

void BuildSupport(FlagReader& f, v1::ChildCommand* command) {
  v1::DeliverSupport* c = command->mutable_deliver_support();
  c->set_kind(f.Enum<v1::SupportKind>("kind", true));
  c->set_amount_fen(f.Yuan("amount", true));
  c->set_goods(f.Text("goods", false));
  c->set_delivered_at_us(f.Time("at", false));
}

void BuildStipend(FlagReader& f, v1::ChildCommand* command) {
  v1::PayStipend* c = command->mutable_pay_stipend();
  c->set_pairing_no(Pairing(f));
  c->set_term(f.Text("term", true));
  c->set_amount_fen(f.Yuan("amount", true));
  c->set_paid_at_us(f.Time("at", false));
}

void BuildCheck(FlagReader& f, v1::ChildCommand* command) {
  v1::CheckStatus* c = command->mutable_check_status();
  c->set_schooling(f.Enum<v1::SchoolingStatus>("schooling", true));
  c->set_living(f.Enum<v1::LivingStatus>("living", true));
  c->set_note(f.Text("note", false));
  c->set_checked_at_us(f.Time("at", false));
}

void BuildCounselling(FlagReader& f, v1::ChildCommand* command) {
  v1::ReferCounselling* c = command->mutable_refer_counselling();
  c->set_centre(f.Text("centre", true));
  c->set_concern(f.Text("concern", true));
  c->set_referred_at_us(f.Time("at", false));
}

void BuildEnd(FlagReader& f, v1::ChildCommand* command) {
  v1::EndPairing* c = command->mutable_end_pairing();
  c->set_pairing_no(Pairing(f));
  c->set_reason(f.Enum<v1::PairingEndReason>("reason", true));
  c->set_note(f.Text("note", false));
  c->set_ended_at_us(f.Time("at", false));
}

template <typename Request>
using Rpc = grpc::Status (ChildrenService::Stub::*)(grpc::ClientContext*, const Request&,
                                                    v1::CommandResponse*);

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
int RunCommand(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader reader(args, NowMicros());
  v1::ChildCommand command;
  kBuild(reader, &command);
  if (!reader.error().empty()) return SubcommandUsageError(self, reader.error());
  return SendAggregateCommand<ChildrenService>(options, args, self, kChildNoun, command,
                                               command.has_register_child(),
                                               /*id_optional=*/true, kMethod);
}

int RunRegisterMentor(const GlobalOptions& options, const ParsedArgs& args,
                      const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::MentorCommand command;
  v1::RegisterMentor* c = command.mutable_register_mentor();
  c->set_kind(f.Enum<v1::MentorKind>("kind", true));
  c->mutable_mentor()->set_name(f.Text("name", true));
  c->mutable_mentor()->set_phone(f.Text("phone", false));
  c->mutable_mentor()->set_organisation(f.Text("organisation", false));
  c->set_unit_id(f.Text("unit", true));
  c->set_capacity(static_cast<int32_t>(f.Number("capacity", 1, 5)));
  c->set_registered_at_us(f.Time("at", false));
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  return SendAggregateCommand<ChildrenService>(options, args, self, kMentorNoun, command,
                                               /*creates=*/true, /*id_optional=*/true,
                                               &ChildrenService::Stub::RegisterMentor);
}

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
Subcommand Op(const std::string& name, const std::string& synopsis, const std::string& summary,
              std::vector<FlagSpec> flags, bool registers = false) {
  if (registers) {
    flags.push_back({"child", "CHILD", "choose the new child's id: child-[a-z0-9-]+"});
  } else {
    flags.push_back(kChildFlag);
    flags.push_back(kExpectedFlag);
  }
  flags.push_back(kRequestIdFlag);
  const std::string prefix = registers ? "" : "CHILD --expected-version=V ";
  return {name, prefix + synopsis, summary, "", std::move(flags),
          RunCommand<Request, kMethod, kBuild>};
}

#define HAVEN_OP(Rpc, Build) v1::Rpc##Request, &ChildrenService::Stub::Rpc, Build

const std::vector<Subcommand>& ChildSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      Op<HAVEN_OP(RegisterChild, BuildRegister)>(
          "register",
          "--category=C --name=NAME --birth-date=YYYY-MM-DD --guardian=NAME --relationship=TEXT "
          "--unit=ID",
          "registers a child in a village, community, township or street",
          {EnumFlag<v1::ChildCategory>("category", "why she is in care"),
           {"name", "NAME", "the child"},
           {"id-number", "ID", "resident ID number (optional)"},
           {"birth-date", "DAY", "YYYY-MM-DD; under 18"},
           {"girl", "", "she is a girl"},
           {"guardian", "NAME", "her guardian"},
           {"relationship", "TEXT", "the guardian to her, e.g. 祖母"},
           {"guardian-phone", "PHONE", "the guardian's phone"},
           {"school", "TEXT", "her school"},
           {"address", "TEXT", "where she lives"},
           {"unit", "ID", "her village, community, township or street"},
           kAtFlag},
          /*registers=*/true),
      {"register-mentor", "--kind=K --name=NAME --unit=ID [--capacity=N]",
       "registers a mentor (cadre, caring mother, proxy parent, volunteer)", "",
       {EnumFlag<v1::MentorKind>("kind", "who she is"),
        {"name", "NAME", "the mentor"},
        {"phone", "PHONE", "her phone"},
        {"organisation", "TEXT", "her workplace or charity"},
        {"unit", "ID", "her unit: she is paired within its county"},
        {"capacity", "N", "children at once, 1..5 (default 1: one-to-one)"},
        kAtFlag,
        {"mentor", "MENTOR", "choose the new mentor's id: mentor-[a-z0-9-]+"},
        kRequestIdFlag},
       RunRegisterMentor},
      Op<HAVEN_OP(PairChild, BuildPair)>("pair", "--mentor=MENTOR",
                                         "pairs the child with a mentor (结对)",
                                         {{"mentor", "MENTOR", "a mentor with a free place"},
                                          kAtFlag}),
      Op<HAVEN_OP(RecordVisit, BuildVisit)>(
          "visit", "--pairing=N --kind=K", "a visit by her mentor (走访)",
          {kPairingFlag, EnumFlag<v1::VisitKind>("kind", "how"), kNoteFlag, kAtFlag}),
      Op<HAVEN_OP(DeliverSupport, BuildSupport)>(
          "support", "--kind=money|goods --amount=YUAN [--goods=TEXT]",
          "money or goods delivered to her (帮扶)",
          {EnumFlag<v1::SupportKind>("kind", "money or goods"),
           {"amount", "YUAN", "the money, or the goods' value"},
           {"goods", "TEXT", "what the goods are, e.g. 冬衣两套"},
           kAtFlag}),
      Op<HAVEN_OP(PayStipend, BuildStipend)>(
          "stipend", "--pairing=N --term=YYYY-YYYY-1|2 --amount=YUAN",
          "a stipend for a school term, once per term (助学金)",
          {kPairingFlag,
           {"term", "TERM", "e.g. 2024-2025-1 (September to February) or -2"},
           {"amount", "YUAN", "up to 10,000"},
           kAtFlag}),
      Op<HAVEN_OP(CheckStatus, BuildCheck)>(
          "check", "--schooling=S --living=L", "her schooling and living conditions checked",
          {EnumFlag<v1::SchoolingStatus>("schooling", "schooling"),
           EnumFlag<v1::LivingStatus>("living", "living conditions"), kNoteFlag, kAtFlag}),
      Op<HAVEN_OP(ReferCounselling, BuildCounselling)>(
          "counselling", "--centre=TEXT --concern=TEXT",
          "referred to a counselling centre (心理辅导)",
          {{"centre", "TEXT", "the centre"}, {"concern", "TEXT", "why"}, kAtFlag}),
      Op<HAVEN_OP(EndPairing, BuildEnd)>(
          "end-pairing", "--pairing=N --reason=R",
          "ends the pairing; mentor_left and moved_within_area leave her awaiting a new one",
          {kPairingFlag, EnumFlag<v1::PairingEndReason>("reason", "why"), kNoteFlag, kAtFlag}),
      {"show", "CHILD [--as-of-position=P]", "the child as she is (or was at a log position)", "",
       {kChildFlag, {"as-of-position", "P", "as she was after position P"}}, RunChildShow},
      {"mentor", "MENTOR", "a mentor and the children she has now", "",
       {{"mentor", "MENTOR", "the mentor (or give her as the first argument)"}}, RunMentorShow},
      {"list", "[--unit=ID] [--status=S] [--category=C] [--limit=N]",
       "children of a unit's subtree, newest registration first", "",
       {{"unit", "ID", "the unit whose subtree to list (default: your unit)"},
        EnumFlag<v1::ChildStatus>("status", "only children in this state"),
        EnumFlag<v1::ChildCategory>("category", "only this category"),
        {"limit", "N", "at most N children (default 50)"}},
       RunChildList},
      {"stats", "[--unit=ID] --from=YYYY-MM-DD --to=YYYY-MM-DD [--as-of=DAY] [--awaiting-days=N]",
       "registered, paired, awaiting, visits per pairing, support: over a subtree and period", "",
       {{"unit", "ID", "the unit whose subtree to count (default: your unit)"},
        {"from", "DAY", "first day (CST)"},
        {"to", "DAY", "last day (CST)"},
        {"as-of", "DAY", "as the figures stood at the end of DAY"},
        {"awaiting-days", "N", "count those awaiting a new pairing over N days (default 30)"}},
       RunChildStats},
  };
  return kSubcommands;
}

#undef HAVEN_OP

int RunChild(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("child", ChildSubcommands(), options, args);
}

}  // namespace

Command ChildCommand() {
  return MakeCommandGroup(
      "child", "children and mentors: register, pair, visit, support, stipend, show, list, stats",
      "Works the care of left-behind and other children in need (留守儿童关爱):\n"
      "children and mentors registered, paired one-to-one, visits, support,\n"
      "stipends, status checks, counselling referrals, pairings ended.  Every\n"
      "command on a child names her version (--expected-version, as 'child\n"
      "show' prints it).  Money is in yuan; times are China Standard Time.",
      ChildSubcommands(), RunChild);
}

}  // namespace haven::cli
