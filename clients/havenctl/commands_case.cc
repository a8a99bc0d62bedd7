// havenctl case: rights-protection cases (CaseService).  One subcommand per
// command of the case, plus show (the case as it is or was) and history
// (its timeline).
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::cases::v1;
using google::protobuf::EnumDescriptor;
using v1::CaseService;

// Reads the flags of one subcommand into a command, keeping the first
// error.  Absent optional values stay at their proto defaults (a time of 0
// means "now" to the server).
class FlagReader {
 public:
  FlagReader(const ParsedArgs& args, int64_t now_us) : args_(args), now_us_(now_us) {}

  const std::string& error() const { return error_; }
  void Fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }

  std::string Text(const std::string& name, bool required) {
    auto value = args_.Get(name);
    if (required && (!value || value->empty())) Fail("--" + name + " is required");
    return value.value_or("");
  }

  bool Bool(const std::string& name) { return args_.Has(name); }

  int64_t Time(const std::string& name, bool required) {
    auto value = args_.Get(name);
    if (!value) {
      if (required) Fail("--" + name + " is required");
      return 0;
    }
    auto parsed = ParseTimeFlag(*value, now_us_);
    if (!parsed) {
      Fail("--" + name +
           " must be a time: 2024-05-01, '2024-05-01 14:30' (China Standard\n"
           "Time), 2024-05-01T06:30:00Z, now, or relative: -2d, +3h, -30m");
      return 0;
    }
    return *parsed;
  }

  int64_t Number(const std::string& name, int64_t min, int64_t max) {
    auto value = args_.Get(name);
    if (!value) return 0;
    auto parsed = ParseUint64(*value);
    if (!parsed || static_cast<int64_t>(*parsed) < min || static_cast<int64_t>(*parsed) > max) {
      Fail("--" + name + " must be a number from " + std::to_string(min) + " to " +
           std::to_string(max));
      return 0;
    }
    return static_cast<int64_t>(*parsed);
  }

  template <typename E>
  E Enum(const std::string& name, bool required) {
    const EnumDescriptor* type = EnumType<E>();
    auto value = args_.Get(name);
    if (!value) {
      if (required) Fail("--" + name + " is required: one of " + EnumFlagChoices(type));
      return static_cast<E>(0);
    }
    auto number = ParseEnumFlag(type, *value);
    if (!number) {
      Fail("--" + name + " must be one of " + EnumFlagChoices(type));
      return static_cast<E>(0);
    }
    return static_cast<E>(*number);
  }

  template <typename E>
  std::vector<E> EnumList(const std::string& name, bool required) {
    const EnumDescriptor* type = EnumType<E>();
    auto value = args_.Get(name);
    std::vector<E> out;
    if (!value || value->empty()) {
      if (required)
        Fail("--" + name + " is required: a comma-separated list of " + EnumFlagChoices(type));
      return out;
    }
    auto numbers = ParseEnumListFlag(type, *value);
    if (!numbers) {
      Fail("--" + name + " must be a comma-separated list of " + EnumFlagChoices(type));
      return out;
    }
    for (int n : *numbers) out.push_back(static_cast<E>(n));
    return out;
  }

  // "role:name,role:name" into parties.
  void Parties(const std::string& name, bool required,
               google::protobuf::RepeatedPtrField<v1::Party>* parties) {
    auto value = args_.Get(name);
    if (!value || value->empty()) {
      if (required) Fail("--" + name + " is required, e.g. applicant:王秀英,respondent:李强");
      return;
    }
    for (const std::string& item : SplitList(*value)) {
      const size_t colon = item.find(':');
      auto role = colon == std::string::npos
                      ? std::nullopt
                      : ParseEnumFlag(EnumType<v1::PartyRole>(), item.substr(0, colon));
      if (!role || colon + 1 >= item.size()) {
        Fail("--" + name + " takes ROLE:NAME items separated by commas; roles: " +
             EnumFlagChoices(EnumType<v1::PartyRole>()));
        return;
      }
      v1::Party* party = parties->Add();
      party->set_role(static_cast<v1::PartyRole>(*role));
      party->mutable_person()->set_name(item.substr(colon + 1));
    }
  }

 private:
  const ParsedArgs& args_;
  const int64_t now_us_;
  std::string error_;
};

// ---- Building each command from its flags.

void BuildOpen(FlagReader& f, v1::CaseCommand* command, const ParsedArgs& args) {
  v1::OpenCase* c = command->mutable_open_case();
  c->set_channel(f.Enum<v1::Channel>("channel", true));
  c->set_category(f.Enum<v1::Category>("category", true));
  c->set_subcategory(f.Enum<v1::Subcategory>("subcategory", false));
  c->set_urgency(f.Enum<v1::Urgency>("urgency", false));
  if (c->urgency() == v1::URGENCY_UNSPECIFIED) c->set_urgency(v1::URGENCY_ROUTINE);
  c->set_priority(f.Bool("priority"));
  for (auto tag : f.EnumList<v1::VulnerabilityTag>("tags", false)) c->add_vulnerability_tags(tag);
  c->set_org_unit_id(f.Text("unit", true));
  v1::Person* seeker = c->mutable_seeker();
  seeker->set_name(f.Text("seeker-name", true));
  seeker->set_phone(f.Text("seeker-phone", false));
  seeker->set_id_number(f.Text("seeker-id-number", false));
  seeker->set_address(f.Text("seeker-address", false));
  if (args.Has("seeker-gender")) {
    seeker->set_gender(f.Enum<v1::Gender>("seeker-gender", false));
  } else if (seeker->id_number().size() == 18 && seeker->id_number()[16] >= '0' &&
             seeker->id_number()[16] <= '9') {
    // The 17th digit of an ID number is odd for men, even for women.
    seeker->set_gender((seeker->id_number()[16] - '0') % 2 == 1 ? v1::GENDER_MALE
                                                                : v1::GENDER_FEMALE);
  } else {
    seeker->set_gender(v1::GENDER_FEMALE);
  }
  seeker->set_birth_year(static_cast<int32_t>(f.Number("seeker-birth-year", 1900, 2100)));
  const std::string respondent = f.Text("respondent-name", false);
  if (!respondent.empty()) {
    c->mutable_respondent()->set_name(respondent);
    c->mutable_respondent()->set_phone(f.Text("respondent-phone", false));
  }
  c->set_respondent_relationship(f.Enum<v1::Relationship>("relationship", false));
  const auto account = args.Get("account");
  const auto account_file = args.Get("account-file");
  if (account.has_value() == account_file.has_value()) {
    f.Fail("give one of --account=TEXT or --account-file=FILE (- for stdin)");
  } else if (account) {
    c->set_account(*account);
  } else {
    std::istream* in = &std::cin;
    std::ifstream file;
    if (*account_file != "-") {
      file.open(*account_file, std::ios::binary);
      if (!file) f.Fail("cannot open --account-file " + *account_file);
      in = &file;
    }
    if (*in) {
      std::string text{std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      c->set_account(text);
    }
  }
  c->set_received_at_us(f.Time("received-at", false));
  c->set_assignee_operator_id(f.Text("assignee", false));
}

void BuildAssign(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  command->mutable_assign_case()->set_operator_id(f.Text("operator", true));
}

void BuildContact(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordContact* c = command->mutable_record_contact();
  c->set_method(f.Enum<v1::ContactMethod>("method", true));
  c->set_inbound(f.Bool("inbound"));
  c->set_contacted_at_us(f.Time("at", false));
  c->set_summary(f.Text("summary", true));
}

void BuildNote(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  command->mutable_add_note()->set_text(f.Text("text", true));
  command->mutable_add_note()->set_internal(f.Bool("internal"));
}

void BuildRisk(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::AssessRisk* c = command->mutable_assess_risk();
  c->set_level(f.Enum<v1::RiskLevel>("level", true));
  c->set_community_early_warning(f.Bool("early-warning"));
  c->set_basis(f.Text("basis", false));
}

void BuildMediationSchedule(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::ScheduleMediation* c = command->mutable_schedule_mediation();
  c->set_committee_level(f.Enum<v1::CommitteeLevel>("committee-level", true));
  c->set_committee_name(f.Text("committee", true));
  c->set_mediator_name(f.Text("mediator", true));
  c->set_invited_mediator(f.Bool("invited"));
  f.Parties("parties", true, c->mutable_parties());
  c->set_scheduled_at_us(f.Time("at", true));
  c->set_location(f.Text("location", false));
}

void BuildMediationOutcome(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordMediationOutcome* c = command->mutable_record_mediation_outcome();
  c->set_mediation_id(f.Text("mediation", true));
  c->set_outcome(f.Enum<v1::MediationOutcome>("outcome", true));
  f.Parties("parties", false, c->mutable_parties_present());
  c->set_held_at_us(f.Time("at", false));
  c->set_summary(f.Text("summary", false));
}

void BuildAgreementFollowUp(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordAgreementFollowUp* c = command->mutable_record_agreement_follow_up();
  c->set_mediation_id(f.Text("mediation", true));
  c->set_compliance(f.Enum<v1::AgreementCompliance>("compliance", true));
  c->set_checked_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildConsent(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordConsent* c = command->mutable_record_consent();
  for (auto type : f.EnumList<v1::PartnerType>("scope", true)) c->add_scope(type);
  c->set_form(f.Enum<v1::ConsentForm>("form", true));
  c->set_given_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildConsentWithdraw(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::WithdrawConsent* c = command->mutable_withdraw_consent();
  for (auto type : f.EnumList<v1::PartnerType>("scope", true)) c->add_scope(type);
  c->set_withdrawn_at_us(f.Time("at", false));
  c->set_reason(f.Text("reason", false));
}

void BuildRefer(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::MakeReferral* c = command->mutable_make_referral();
  c->set_partner_id(f.Text("partner", true));
  c->set_partner_type(f.Enum<v1::PartnerType>("partner-type", true));
  c->set_partner_name(f.Text("partner-name", false));
  c->set_reason(f.Text("reason", true));
  c->set_external_reference(f.Text("external-reference", false));
}

void BuildReferralAccept(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::AcceptReferral* c = command->mutable_accept_referral();
  c->set_referral_id(f.Text("referral", true));
  c->set_handler_name(f.Text("handler", false));
  c->set_accepted_at_us(f.Time("at", false));
}

void BuildReferralDecline(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::DeclineReferral* c = command->mutable_decline_referral();
  c->set_referral_id(f.Text("referral", true));
  c->set_reason(f.Text("reason", true));
  c->set_declined_at_us(f.Time("at", false));
}

void BuildReferralProgress(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::ReportReferralProgress* c = command->mutable_report_referral_progress();
  c->set_referral_id(f.Text("referral", true));
  c->set_kind(f.Enum<v1::ReferralProgressKind>("kind", true));
  c->set_occurred_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildReferralOutcome(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::ReportReferralOutcome* c = command->mutable_report_referral_outcome();
  c->set_referral_id(f.Text("referral", true));
  c->set_outcome(f.Enum<v1::ReferralOutcome>("outcome", true));
  c->set_reported_at_us(f.Time("at", false));
  c->set_summary(f.Text("summary", false));
}

void BuildAlarm(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordDvAlarm* c = command->mutable_record_dv_alarm();
  c->set_alarm_point_id(f.Text("alarm-point", true));
  c->set_police_reference(f.Text("police-reference", false));
  c->set_alarmed_at_us(f.Time("at", false));
  c->set_account(f.Text("account", false));
}

void BuildInjuryAssessment(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RequestInjuryAssessment* c = command->mutable_request_injury_assessment();
  c->set_assessment_centre_id(f.Text("centre", true));
  c->set_requested_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildShelterAdmit(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::AdmitToShelter* c = command->mutable_admit_to_shelter();
  c->set_shelter_id(f.Text("shelter", true));
  c->set_admitted_at_us(f.Time("at", false));
  c->set_accompanying_children(static_cast<int32_t>(f.Number("children", 0, 20)));
}

void BuildShelterDischarge(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::DischargeFromShelter* c = command->mutable_discharge_from_shelter();
  c->set_discharged_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildOrderApply(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::ApplyProtectionOrder* c = command->mutable_apply_protection_order();
  c->set_court_name(f.Text("court", true));
  c->set_emergency(f.Bool("emergency"));
  c->set_applied_at_us(f.Time("at", false));
}

void BuildOrderDecision(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::RecordProtectionOrderDecision* c = command->mutable_record_protection_order_decision();
  c->set_order_id(f.Text("order", true));
  c->set_decision(f.Enum<v1::ProtectionOrderDecision>("decision", true));
  c->set_decided_at_us(f.Time("at", false));
  c->set_expires_at_us(f.Time("expires-at", false));
  c->set_court_reference(f.Text("court-reference", false));
  c->set_reason(f.Text("reason", false));
}

void BuildWarningLetter(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::IssueWarningLetter* c = command->mutable_issue_warning_letter();
  c->set_police_station(f.Text("police-station", true));
  c->set_reference(f.Text("reference", false));
  c->set_issued_at_us(f.Time("at", false));
}

void BuildAssistance(FlagReader& f, v1::CaseCommand* command, const ParsedArgs& args) {
  v1::GrantAssistance* c = command->mutable_grant_assistance();
  c->set_kind(f.Enum<v1::AssistanceKind>("kind", true));
  if (auto amount = args.Get("amount")) {
    auto fen = ParseYuanToFen(*amount);
    if (!fen) f.Fail("--amount must be yuan with at most two decimals, e.g. 1500 or 1500.50");
    c->set_amount_fen(fen.value_or(0));
  }
  c->set_fund_year(static_cast<int32_t>(f.Number("fund-year", 1900, 9999)));
  c->set_granted_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildFollowUp(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::ScheduleFollowUp* c = command->mutable_schedule_follow_up();
  c->set_due_at_us(f.Time("due", true));
  c->set_purpose(f.Text("purpose", false));
}

void BuildFollowUpDone(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::CompleteFollowUp* c = command->mutable_complete_follow_up();
  c->set_follow_up_id(f.Text("follow-up", true));
  c->set_method(f.Enum<v1::ContactMethod>("method", true));
  c->set_done_at_us(f.Time("at", false));
  c->set_note(f.Text("note", false));
}

void BuildClose(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  v1::CloseCase* c = command->mutable_close_case();
  c->set_resolution(f.Enum<v1::Resolution>("resolution", true));
  c->set_satisfaction(f.Enum<v1::Satisfaction>("satisfaction", false));
  c->set_closure_note(f.Text("note", false));
  c->set_pending_referral_reason(f.Text("pending-referral-reason", false));
}

void BuildReopen(FlagReader& f, v1::CaseCommand* command, const ParsedArgs&) {
  command->mutable_reopen_case()->set_reason(f.Text("reason", true));
}

// ---- Sending.

using Builder = void (*)(FlagReader&, v1::CaseCommand*, const ParsedArgs&);
template <typename Request>
using Rpc = grpc::Status (CaseService::Stub::*)(grpc::ClientContext*, const Request&,
                                                v1::CommandResponse*);

// What a created id is, by the command that created it.
std::string CreatedWhat(v1::CaseCommand::CommandCase which) {
  switch (which) {
    case v1::CaseCommand::kScheduleMediation:
      return "mediation";
    case v1::CaseCommand::kMakeReferral:
      return "referral";
    case v1::CaseCommand::kApplyProtectionOrder:
      return "protection order";
    case v1::CaseCommand::kScheduleFollowUp:
      return "follow-up";
    default:
      return "created";
  }
}

int PrintResponse(const GlobalOptions& options, const v1::CaseCommand& command,
                  const std::string& request_id, const v1::CommandResponse& response) {
  if (options.json) {
    nlohmann::ordered_json out = {{"case_id", response.case_id()},
                                  {"version", response.version()},
                                  {"position", response.position()},
                                  {"replayed", response.replayed()}};
    if (!response.created_id().empty()) out["created_id"] = response.created_id();
    out["request_id"] = request_id;
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::string line = "case " + SanitizeForTerminal(response.case_id()) + ": version " +
                     std::to_string(response.version()) + ", position " +
                     std::to_string(response.position());
  if (!response.created_id().empty()) {
    line += ", " + CreatedWhat(command.command_case()) + " " +
            SanitizeForTerminal(response.created_id());
  }
  if (response.replayed()) line += " (a retry: nothing written)";
  std::cout << line << std::endl;
  return kExitOk;
}

// The case id: --case, or the one positional argument.
std::string CaseIdArgument(const ParsedArgs& args, std::string* error) {
  const auto flag = args.Get("case");
  if (flag && !args.positional.empty()) {
    *error = "give the case once: as CASE or --case=CASE";
    return "";
  }
  if (args.positional.size() > 1) {
    *error = "too many arguments";
    return "";
  }
  if (flag) return *flag;
  return args.positional.empty() ? "" : args.positional[0];
}

template <typename Request, Rpc<Request> kMethod, Builder kBuild>
int RunCaseCommand(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader reader(args, NowMicros());
  v1::CaseCommand command;
  kBuild(reader, &command, args);
  if (!reader.error().empty()) return SubcommandUsageError(self, reader.error());
  std::string error;
  const std::string case_id = CaseIdArgument(args, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  const bool opens = command.has_open_case();
  if (!opens && case_id.empty()) return SubcommandUsageError(self, "--case is required");
  const auto expected = ExpectedVersionFlag(args, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (!opens && !expected) {
    return SubcommandUsageError(self,
                                "--expected-version is required (the version 'case show' "
                                "printed)");
  }

  Request request;
  const auto* descriptor = request.GetDescriptor();
  const auto* reflection = request.GetReflection();
  const std::string request_id = RequestIdFlag(args);
  reflection->SetString(&request, descriptor->FindFieldByName("request_id"), request_id);
  reflection->SetString(&request, descriptor->FindFieldByName("case_id"), case_id);
  if (!opens) {
    reflection->SetUInt64(&request, descriptor->FindFieldByName("expected_version"), *expected);
  }
  // Field 4 is named as the member of CaseCommand it carries.
  const auto* member = descriptor->FindFieldByNumber(4);
  const auto* source = v1::CaseCommand::descriptor()->FindFieldByName(member->name());
  reflection->MutableMessage(&request, member)
      ->CopyFrom(command.GetReflection()->GetMessage(command, source));

  auto stub = CaseService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::CommandResponse response;
  const grpc::Status status = ((*stub).*kMethod)(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  return PrintResponse(options, command, request_id, response);
}

// ---- show and history.

std::string Yuan(int64_t fen) { return FormatFen(fen); }

template <typename E>
std::string Label(int number) {
  return EnumLabelWithName(EnumType<E>(), number);
}

std::string PersonLine(const v1::Person& p) {
  std::string out = p.name().empty() ? "—" : p.name();
  if (p.gender() != v1::GENDER_UNSPECIFIED)
    out += "，" + EnumLabel(EnumType<v1::Gender>(), p.gender());
  if (p.birth_year() != 0) out += "，" + std::to_string(p.birth_year()) + "年生";
  return out;
}

// The unit's path, or its id when the directory cannot say.
std::string UnitPath(const GlobalOptions& options, const std::string& unit_id) {
  auto stub = haven::directory::v1::DirectoryService::NewStub(Connect(options));
  grpc::ClientContext context;
  GlobalOptions quick = options;
  quick.timeout_seconds = std::min(options.timeout_seconds, 2.0);
  PrepareContext(quick, /*with_deadline=*/true, &context);
  haven::directory::v1::GetUnitRequest request;
  request.set_unit_id(unit_id);
  haven::directory::v1::GetUnitResponse response;
  if (!stub->GetUnit(&context, request, &response).ok()) return unit_id;
  return response.unit().path() + " (" + unit_id + ")";
}

std::string ShowCase(const GlobalOptions& options, const v1::CaseView& c) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string status = Label<v1::CaseStatus>(c.status());
  if (c.status() == v1::CASE_STATUS_CLOSED) {
    status += "，" + EnumLabel(EnumType<v1::Resolution>(), c.resolution());
    if (c.satisfaction() != v1::SATISFACTION_UNSPECIFIED) {
      status += "，" + EnumLabel(EnumType<v1::Satisfaction>(), c.satisfaction());
    }
  }
  if (c.reopen_count() > 0) status += "（重新办理 " + std::to_string(c.reopen_count()) + " 次）";
  std::string category = Label<v1::Category>(c.category());
  if (c.subcategory() != v1::SUBCATEGORY_UNSPECIFIED) {
    category += " / " + Label<v1::Subcategory>(c.subcategory());
  }
  std::string tags;
  for (int tag : c.vulnerability_tags()) {
    if (!tags.empty()) tags += "、";
    tags += EnumLabel(EnumType<v1::VulnerabilityTag>(), tag);
  }
  fields = {
      {"案件 case", c.case_id()},
      {"状态 status", status},
      {"承办人 assignee",
       c.assignee_operator_id().empty() ? "（未分派）" : c.assignee_operator_id()},
      {"渠道 channel", Label<v1::Channel>(c.channel())},
      {"类别 category", category},
      {"紧急程度 urgency", Label<v1::Urgency>(c.urgency())},
      {"优先接待 priority", c.priority() ? "是（特殊困难）" : "否"},
      {"困难情形 tags", tags.empty() ? "—" : tags},
      {"所属单位 unit", UnitPath(options, c.org_unit_id())},
      {"风险等级 risk", Label<v1::RiskLevel>(c.risk())},
      {"求助人 seeker", PersonLine(c.seeker())},
  };
  if (!c.seeker().phone().empty()) fields.push_back({"电话 phone", c.seeker().phone()});
  if (!c.seeker().id_number().empty()) fields.push_back({"身份证 id", c.seeker().id_number()});
  if (!c.seeker().address().empty()) fields.push_back({"住址 address", c.seeker().address()});
  fields.push_back({"受理 received", FormatCst(c.received_at_us())});
  fields.push_back({"立案 opened", FormatCst(c.opened_at_us())});
  if (c.closed_at_us() != 0) fields.push_back({"结案 closed", FormatCst(c.closed_at_us())});
  if (c.has_next_follow_up_due_at_us()) {
    fields.push_back({"下次回访 next follow-up", FormatCst(c.next_follow_up_due_at_us())});
  }
  std::string consent;
  for (int type : c.consent_scope()) {
    if (!consent.empty()) consent += "、";
    consent += EnumLabel(EnumType<v1::PartnerType>(), type);
  }
  fields.push_back({"转介同意 consent", consent.empty() ? "—" : consent});
  std::string protection = "报警 " + std::to_string(c.dv_alarms()) + " 次，告诫书 " +
                           std::to_string(c.warning_letters()) + " 份，伤情鉴定 " +
                           std::to_string(c.injury_assessments()) + " 次";
  fields.push_back({"家暴处置 protection", protection});
  if (c.shelter().admissions() > 0) {
    std::string shelter = c.shelter().admitted() ? "在庇护中 " : "已离开 ";
    shelter +=
        c.shelter().shelter_id() + "，入住 " + FormatCstMinutes(c.shelter().admitted_at_us());
    if (c.shelter().discharged_at_us() != 0) {
      shelter += "，离开 " + FormatCstMinutes(c.shelter().discharged_at_us());
    }
    shelter += "（共 " + std::to_string(c.shelter().admissions()) + " 次）";
    fields.push_back({"庇护 shelter", shelter});
  }
  if (c.assistance_total_fen() != 0 || c.two_cancers_relief_years_size() > 0) {
    std::string assistance = Yuan(c.assistance_total_fen());
    for (int year : c.two_cancers_relief_years()) {
      assistance += "，" + std::to_string(year) + "年两癌救助";
    }
    fields.push_back({"帮扶 assistance", assistance});
  }
  fields.push_back({"版本 version", std::to_string(c.version()) + "（位置 position " +
                                        std::to_string(c.position()) + "，更新于 " +
                                        FormatCst(c.updated_at_us()) + "）"});
  std::string out = FormatFields(fields);

  if (!c.referrals().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::ReferralView& r : c.referrals()) {
      rows.push_back(
          {r.referral_id(), Label<v1::PartnerType>(r.partner_type()), r.partner_id(),
           EnumLabel(EnumType<v1::ReferralStatus>(), r.status()),
           FormatCstMinutes(r.referred_at_us()), FormatCstMinutes(r.accepted_at_us()),
           r.last_progress() == 0
               ? "—"
               : EnumLabel(EnumType<v1::ReferralProgressKind>(), r.last_progress()),
           r.outcome() == 0 ? "—" : EnumLabel(EnumType<v1::ReferralOutcome>(), r.outcome())});
    }
    out += "\n转介 referrals\n" + FormatTable({"ID", "TYPE", "PARTNER", "STATUS", "REFERRED",
                                               "ACCEPTED", "PROGRESS", "OUTCOME"},
                                              rows);
  }
  if (!c.mediations().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::MediationView& m : c.mediations()) {
      rows.push_back(
          {m.mediation_id(), FormatCstMinutes(m.scheduled_at_us()),
           FormatCstMinutes(m.held_at_us()),
           m.outcome() == 0 ? "—" : EnumLabel(EnumType<v1::MediationOutcome>(), m.outcome()),
           m.compliance() == 0 ? "—"
                               : EnumLabel(EnumType<v1::AgreementCompliance>(), m.compliance()),
           m.pending() ? "待调解" : "已结束"});
    }
    out += "\n调解 mediations\n" +
           FormatTable({"ID", "SCHEDULED", "HELD", "OUTCOME", "AGREEMENT", "STATE"}, rows);
  }
  if (!c.protection_orders().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::ProtectionOrderView& o : c.protection_orders()) {
      rows.push_back({o.order_id(), EnumLabel(EnumType<v1::ProtectionOrderStatus>(), o.status()),
                      FormatCstMinutes(o.applied_at_us()), FormatCstMinutes(o.decided_at_us()),
                      FormatCstMinutes(o.expires_at_us())});
    }
    out += "\n人身安全保护令 protection orders\n" +
           FormatTable({"ID", "STATUS", "APPLIED", "DECIDED", "EXPIRES"}, rows);
  }
  if (!c.follow_ups().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::FollowUpView& u : c.follow_ups()) {
      rows.push_back({u.follow_up_id(), FormatCstMinutes(u.due_at_us()),
                      u.done() ? "已回访" : "待回访", FormatCstMinutes(u.done_at_us())});
    }
    out += "\n回访 follow-ups\n" + FormatTable({"ID", "DUE", "STATE", "DONE"}, rows);
  }
  return out;
}

int RunShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  v1::GetCaseRequest request;
  request.set_case_id(CaseIdArgument(args, &error));
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (request.case_id().empty()) return SubcommandUsageError(self, "show takes one CASE");
  if (auto position = args.Get("as-of-position")) {
    auto parsed = ParseUint64(*position);
    if (!parsed) return SubcommandUsageError(self, "--as-of-position must be a log position");
    request.set_as_of_position(*parsed);
  }
  if (auto time = args.Get("as-of-time")) {
    auto parsed = ParseTimeFlag(*time, NowMicros());
    if (!parsed) return SubcommandUsageError(self, "--as-of-time must be a time, e.g. 2024-05-01");
    request.set_as_of_time_us(*parsed);
  }
  if (auto position = args.Get("min-position")) {
    auto parsed = ParseUint64(*position);
    if (!parsed) return SubcommandUsageError(self, "--min-position must be a log position");
    request.set_min_position(*parsed);
  }
  auto stub = CaseService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetCaseResponse response;
  const grpc::Status status = stub->GetCase(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.case_view())) << std::endl;
    return kExitOk;
  }
  std::cout << ShowCase(options, response.case_view());
  return kExitOk;
}

int RunHistory(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  v1::GetCaseHistoryRequest request;
  request.set_case_id(CaseIdArgument(args, &error));
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (request.case_id().empty()) return SubcommandUsageError(self, "history takes one CASE");
  if (auto position = args.Get("min-position")) {
    auto parsed = ParseUint64(*position);
    if (!parsed) return SubcommandUsageError(self, "--min-position must be a log position");
    request.set_min_position(*parsed);
  }
  const bool english = args.Has("english");
  request.set_page_size(1000);
  auto stub = CaseService::NewStub(Connect(options));
  std::vector<std::vector<std::string>> rows;
  while (true) {
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    v1::GetCaseHistoryResponse response;
    const grpc::Status status = stub->GetCaseHistory(&context, request, &response);
    if (!status.ok()) return ReportRpcError(status, context);
    for (const v1::CaseHistoryEntry& entry : response.entries()) {
      if (options.json) {
        std::cout << DumpJsonLine(ProtoToJson(entry)) << '\n';
        continue;
      }
      rows.push_back({std::to_string(entry.version()), FormatCst(entry.recorded_at_us()),
                      TruncateToWidth(SanitizeForTerminal(entry.actor()), 24), entry.event_type(),
                      english ? entry.summary_en() : entry.summary_zh()});
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (options.json) {
    std::cout.flush();
    return kExitOk;
  }
  std::cout << FormatTable({"VERSION", "TIME (CST)", "ACTOR", "TYPE", "SUMMARY"}, rows, {0});
  return kExitOk;
}

// Unit names by id, asked of the directory once each (a page of cases
// shares few units).
class UnitNames {
 public:
  explicit UnitNames(const GlobalOptions& options)
      : options_(options),
        stub_(haven::directory::v1::DirectoryService::NewStub(Connect(options))) {}

  std::string Name(const std::string& unit_id) {
    auto it = names_.find(unit_id);
    if (it != names_.end()) return it->second;
    grpc::ClientContext context;
    GlobalOptions quick = options_;
    quick.timeout_seconds = std::min(options_.timeout_seconds, 2.0);
    PrepareContext(quick, /*with_deadline=*/true, &context);
    haven::directory::v1::GetUnitRequest request;
    request.set_unit_id(unit_id);
    haven::directory::v1::GetUnitResponse response;
    std::string name = unit_id;
    if (stub_->GetUnit(&context, request, &response).ok()) name = response.unit().name();
    names_[unit_id] = name;
    return name;
  }

 private:
  const GlobalOptions& options_;
  std::unique_ptr<haven::directory::v1::DirectoryService::Stub> stub_;
  std::map<std::string, std::string> names_;
};

int RunList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (!args.positional.empty()) return SubcommandUsageError(self, "list takes no arguments");
  FlagReader f(args, NowMicros());
  v1::ListCasesRequest request;
  v1::CaseListFilter* filter = request.mutable_filter();
  filter->set_status(f.Enum<v1::CaseStatus>("status", false));
  filter->set_category(f.Enum<v1::Category>("category", false));
  filter->set_channel(f.Enum<v1::Channel>("channel", false));
  filter->set_unit_subtree(f.Text("unit", false));
  filter->set_assignee_operator_id(f.Text("assignee", false));
  if (args.Has("opened-from")) filter->set_opened_from_us(f.Time("opened-from", true));
  if (args.Has("opened-before")) filter->set_opened_before_us(f.Time("opened-before", true));
  filter->set_overdue_follow_up(f.Bool("overdue"));
  request.set_sort(f.Enum<v1::CaseListSort>("sort", false));
  request.set_cursor(f.Text("cursor", false));
  request.set_min_position(static_cast<uint64_t>(f.Number("min-position", 0, INT64_MAX)));
  const bool all = args.Has("all");
  int64_t limit = args.Has("limit") ? f.Number("limit", 1, 1000000) : 50;
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  if (all) limit = INT64_MAX;

  auto stub = CaseService::NewStub(Connect(options));
  UnitNames units(options);
  std::vector<std::vector<std::string>> rows;
  int64_t listed = 0;
  std::string next_cursor;
  while (listed < limit) {
    request.set_page_size(static_cast<uint32_t>(std::min<int64_t>(limit - listed, 1000)));
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    v1::ListCasesResponse response;
    const grpc::Status status = stub->ListCases(&context, request, &response);
    if (!status.ok()) return ReportRpcError(status, context);
    for (const v1::CaseListItem& item : response.cases()) {
      ++listed;
      if (options.json) {
        std::cout << DumpJsonLine(ProtoToJson(item)) << '\n';
        continue;
      }
      rows.push_back(
          {item.case_id(), FormatCstMinutes(item.opened_at_us()),
           EnumLabel(EnumType<v1::CaseStatus>(), item.status()),
           EnumLabel(EnumType<v1::Category>(), item.category()),
           EnumLabel(EnumType<v1::Channel>(), item.channel()),
           EnumLabel(EnumType<v1::Urgency>(), item.urgency()) + (item.priority() ? "，优先" : ""),
           item.risk() == 0 ? "—" : EnumLabel(EnumType<v1::RiskLevel>(), item.risk()),
           units.Name(item.org_unit_id()),
           item.assignee_operator_id().empty() ? "—" : item.assignee_operator_id(),
           item.has_next_follow_up_due_at_us() ? FormatCstMinutes(item.next_follow_up_due_at_us())
                                               : "—"});
    }
    next_cursor = response.next_cursor();
    if (next_cursor.empty() || response.cases().empty()) break;
    request.set_cursor(next_cursor);
  }
  if (!options.json) {
    if (rows.empty()) {
      std::cerr << "(no cases)\n";
    } else {
      std::cout << FormatTable({"CASE", "OPENED (CST)", "STATUS", "CATEGORY", "CHANNEL", "URGENCY",
                                "RISK", "UNIT", "ASSIGNEE", "FOLLOW-UP DUE"},
                               rows);
    }
  }
  std::cout.flush();
  if (!next_cursor.empty()) {
    std::cerr << "(" << listed << " listed; more: --cursor=" << next_cursor << ", or --all)\n";
  }
  return kExitOk;
}

int RunProjections(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (!args.positional.empty()) return SubcommandUsageError(self, "projections takes no arguments");
  auto stub = CaseService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetProjectionStatusResponse response;
  const grpc::Status status =
      stub->GetProjectionStatus(&context, v1::GetProjectionStatusRequest(), &response);
  if (!status.ok()) return ReportRpcError(status, context);
  std::vector<std::vector<std::string>> rows;
  for (const v1::ProjectionState& p : response.projections()) {
    if (options.json) {
      std::cout << DumpJsonLine(ProtoToJson(p)) << '\n';
      continue;
    }
    std::string state = p.rebuilding() ? "rebuilding to " + std::to_string(p.rebuild_target())
                                       : (p.lag() == 0 ? "caught up" : "following");
    if (!p.error().empty()) {
      state = "STOPPED at " + std::to_string(p.failed_position()) + ": " + p.error();
    }
    rows.push_back({p.name(), std::to_string(p.checkpoint()), std::to_string(p.head()),
                    std::to_string(p.lag()), state});
  }
  if (!options.json) {
    std::cout << FormatTable({"PROJECTION", "CHECKPOINT", "HEAD", "LAG", "STATE"}, rows, {1, 2, 3});
  }
  std::cout.flush();
  return kExitOk;
}

// ---- The table of subcommands.

const FlagSpec kCaseFlag = {"case", "CASE", "the case id (or give it as the first argument)"};
const FlagSpec kExpectedFlag = {"expected-version", "V",
                                "the case version your decision is based on\n"
                                "(required; a stale one is refused with ABORTED)"};
const FlagSpec kRequestIdFlag = {"request-id", "ID",
                                 "idempotency key (default: a fresh UUID); resend\n"
                                 "with the same id to retry safely"};
const FlagSpec kAtFlag = {"at", "TIME",
                          "when it happened (default now): 2024-05-01 14:30\n"
                          "(CST), 2024-05-01T06:30:00Z, -2d, +3h, ..."};

template <typename E>
FlagSpec EnumFlagSpec(const std::string& name, const std::string& help) {
  // The choices, wrapped at about 56 columns.
  const EnumDescriptor* type = EnumType<E>();
  std::string text = help + ":";
  size_t column = 56;  // Start the choices on a new line.
  bool first = true;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0) continue;
    const std::string choice = EnumFlagName(type, type->value(i)->number());
    if (!first) text += ",";
    if (column + choice.size() + 2 > 56) {
      text += "\n";
      column = 0;
    } else {
      text += " ";
      ++column;
    }
    text += choice;
    column += choice.size() + 1;
    first = false;
  }
  return {name, "NAME", text};
}

// A command subcommand: its own flags, then --case, --expected-version and
// --request-id.
template <typename Request, Rpc<Request> kMethod, Builder kBuild>
Subcommand Op(const std::string& name, const std::string& synopsis, const std::string& summary,
              std::vector<FlagSpec> flags, bool opens = false) {
  if (!opens) {
    flags.push_back(kCaseFlag);
    flags.push_back(kExpectedFlag);
  } else {
    flags.push_back(
        {"case", "CASE",
         "choose the new case's id: case-[a-z0-9-]+\n(default: made from the request id)"});
  }
  flags.push_back(kRequestIdFlag);
  const std::string prefix = opens ? "" : "CASE --expected-version=V ";
  return {name, prefix + synopsis, summary,
          "",   std::move(flags),  RunCaseCommand<Request, kMethod, kBuild>};
}

#define HAVEN_OP(Rpc, Build) v1::Rpc##Request, &CaseService::Stub::Rpc, Build

const std::vector<Subcommand>& CaseSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      Op<HAVEN_OP(OpenCase, BuildOpen)>(
          "open", "--channel=C --category=C --unit=ID --seeker-name=NAME --account=TEXT [flags]",
          "open a case (立案)",
          {EnumFlagSpec<v1::Channel>("channel", "how she reached us"),
           EnumFlagSpec<v1::Category>("category", "what it is about"),
           EnumFlagSpec<v1::Subcategory>("subcategory", "optional, within the category"),
           EnumFlagSpec<v1::Urgency>("urgency", "default routine"),
           {"priority", "", "special hardship: received first (优先接待)"},
           EnumFlagSpec<v1::VulnerabilityTag>("tags", "comma-separated vulnerability tags"),
           {"unit", "ID", "the org unit the case belongs to"},
           {"seeker-name", "NAME", "the woman seeking help"},
           {"seeker-phone", "PHONE", "mobile (11 digits) or fixed line"},
           {"seeker-id-number", "ID", "resident ID number (18 characters)"},
           {"seeker-address", "TEXT", "her address"},
           EnumFlagSpec<v1::Gender>("seeker-gender", "default female (or as the ID number says)"),
           {"seeker-birth-year", "YEAR", "her birth year"},
           {"respondent-name", "NAME", "the other party"},
           {"respondent-phone", "PHONE", "the other party's phone"},
           EnumFlagSpec<v1::Relationship>("relationship", "the other party to her"),
           {"account", "TEXT", "what she told, in her words"},
           {"account-file", "FILE", "read the account from FILE (- for stdin)"},
           {"received-at", "TIME", "when the call, letter or visit came in\n(default now)"},
           {"assignee", "OPERATOR", "assign at once to this operator"}},
          /*opens=*/true),
      Op<HAVEN_OP(AssignCase, BuildAssign)>("assign", "--operator=ID",
                                            "assign or reassign the case",
                                            {{"operator", "ID", "the operator"}}),
      Op<HAVEN_OP(AddNote, BuildNote)>(
          "note", "--text=TEXT [--internal]", "add a note",
          {{"text", "TEXT", "the note"}, {"internal", "", "never shown to partners"}}),
      Op<HAVEN_OP(RecordContact, BuildContact)>(
          "contact", "--method=M --summary=TEXT [--inbound] [--at=TIME]",
          "record a contact with her",
          {EnumFlagSpec<v1::ContactMethod>("method", "how"),
           {"inbound", "", "she contacted us (default: we contacted her)"},
           kAtFlag,
           {"summary", "TEXT", "what was said"}}),
      Op<HAVEN_OP(AssessRisk, BuildRisk)>(
          "risk", "--level=L [--early-warning] [--basis=TEXT]",
          "record a domestic-violence risk assessment",
          {EnumFlagSpec<v1::RiskLevel>("level", "the risk"),
           {"early-warning", "", "raised by the community early-warning mechanism"},
           {"basis", "TEXT", "why"}}),
      Op<HAVEN_OP(ScheduleMediation, BuildMediationSchedule)>(
          "mediation-schedule",
          "--committee-level=L --committee=NAME --mediator=NAME --parties=R:N,... --at=TIME",
          "schedule a marriage and family mediation",
          {EnumFlagSpec<v1::CommitteeLevel>("committee-level", "the committee's level"),
           {"committee", "NAME", "e.g. 城关镇人民调解委员会"},
           {"mediator", "NAME", "the mediator"},
           {"invited", "", "an invited mediator (特邀调解员)"},
           {"parties", "ROLE:NAME,...", "e.g. applicant:王秀英,respondent:李强"},
           {"at", "TIME", "when it takes place (at most 24 hours ago)"},
           {"location", "TEXT", "where"}}),
      Op<HAVEN_OP(RecordMediationOutcome, BuildMediationOutcome)>(
          "mediation-outcome", "--mediation=ID --outcome=O [--at=TIME] [--summary=TEXT]",
          "record how a mediation went",
          {{"mediation", "ID", "the mediation"},
           EnumFlagSpec<v1::MediationOutcome>("outcome", "the outcome"),
           {"parties", "ROLE:NAME,...", "the parties present"},
           kAtFlag,
           {"summary", "TEXT", "what was agreed"}}),
      Op<HAVEN_OP(RecordAgreementFollowUp, BuildAgreementFollowUp)>(
          "agreement-follow-up", "--mediation=ID --compliance=C [--at=TIME]",
          "record whether a mediation agreement is kept",
          {{"mediation", "ID", "the mediation"},
           EnumFlagSpec<v1::AgreementCompliance>("compliance", "kept or broken"),
           kAtFlag,
           {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(RecordConsent, BuildConsent)>(
          "consent", "--scope=T,... --form=F [--at=TIME]",
          "record her consent to referral to partners of these types",
          {EnumFlagSpec<v1::PartnerType>("scope", "comma-separated partner types"),
           EnumFlagSpec<v1::ConsentForm>("form", "oral or written"),
           kAtFlag,
           {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(WithdrawConsent, BuildConsentWithdraw)>(
          "consent-withdraw", "--scope=T,... [--reason=TEXT]", "record that she withdrew consent",
          {EnumFlagSpec<v1::PartnerType>("scope", "comma-separated partner types"),
           kAtFlag,
           {"reason", "TEXT", "why"}}),
      Op<HAVEN_OP(MakeReferral, BuildRefer)>(
          "refer", "--partner=ID --partner-type=T --reason=TEXT",
          "refer the case to a partner (needs her consent)",
          {{"partner", "ID", "the partner's id"},
           EnumFlagSpec<v1::PartnerType>("partner-type", "the partner's type"),
           {"partner-name", "NAME", "e.g. 县法律援助中心"},
           {"reason", "TEXT", "why"},
           {"external-reference", "REF",
            "the receiving system's reference (required for\ndispute_resolution_centre)"}}),
      Op<HAVEN_OP(AcceptReferral, BuildReferralAccept)>(
          "referral-accept", "--referral=ID [--handler=NAME] [--at=TIME]",
          "the partner accepts a referral",
          {{"referral", "ID", "the referral"}, {"handler", "NAME", "who takes it"}, kAtFlag}),
      Op<HAVEN_OP(DeclineReferral, BuildReferralDecline)>(
          "referral-decline", "--referral=ID --reason=TEXT [--at=TIME]",
          "the partner declines a referral",
          {{"referral", "ID", "the referral"}, {"reason", "TEXT", "why"}, kAtFlag}),
      Op<HAVEN_OP(ReportReferralProgress, BuildReferralProgress)>(
          "referral-progress", "--referral=ID --kind=K [--at=TIME] [--note=TEXT]",
          "the partner reports progress",
          {{"referral", "ID", "the referral"},
           EnumFlagSpec<v1::ReferralProgressKind>("kind", "what happened"),
           kAtFlag,
           {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(ReportReferralOutcome, BuildReferralOutcome)>(
          "referral-outcome", "--referral=ID --outcome=O [--at=TIME] [--summary=TEXT]",
          "the partner reports the outcome (closing the referral)",
          {{"referral", "ID", "the referral"},
           EnumFlagSpec<v1::ReferralOutcome>("outcome", "how it ended"),
           kAtFlag,
           {"summary", "TEXT", "a summary"}}),
      Op<HAVEN_OP(RecordDvAlarm, BuildAlarm)>(
          "alarm", "--alarm-point=ID [--police-reference=REF] [--at=TIME]",
          "record an alarm at a police domestic-violence alarm point",
          {{"alarm-point", "ID", "the alarm point"},
           {"police-reference", "REF", "the police reference"},
           kAtFlag,
           {"account", "TEXT", "what was reported"}}),
      Op<HAVEN_OP(RequestInjuryAssessment, BuildInjuryAssessment)>(
          "injury-assessment", "--centre=ID [--at=TIME]", "record an injury assessment request",
          {{"centre", "ID", "the assessment centre"}, kAtFlag, {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(AdmitToShelter, BuildShelterAdmit)>(
          "shelter-admit", "--shelter=ID [--children=N] [--at=TIME]",
          "record her admission to a shelter",
          {{"shelter", "ID", "the shelter"},
           {"children", "N", "accompanying children, 0..20"},
           kAtFlag}),
      Op<HAVEN_OP(DischargeFromShelter, BuildShelterDischarge)>(
          "shelter-discharge", "[--at=TIME] [--note=TEXT]", "record her discharge from the shelter",
          {kAtFlag, {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(ApplyProtectionOrder, BuildOrderApply)>(
          "protection-order-apply", "--court=NAME [--emergency] [--at=TIME]",
          "record an application for a protection order (人身安全保护令)",
          {{"court", "NAME", "the court"},
           {"emergency", "", "an emergency application (24 hours)"},
           kAtFlag}),
      Op<HAVEN_OP(RecordProtectionOrderDecision, BuildOrderDecision)>(
          "protection-order-decision",
          "--order=ID --decision=D [--expires-at=TIME] [--reason=TEXT] [--at=TIME]",
          "record the court's decision on a protection order",
          {{"order", "ID", "the order"},
           EnumFlagSpec<v1::ProtectionOrderDecision>("decision", "the decision"),
           kAtFlag,
           {"expires-at", "TIME", "granted only: the expiry (at most six months)"},
           {"court-reference", "REF", "granted only: the court's reference"},
           {"reason", "TEXT", "denied only: why"}}),
      Op<HAVEN_OP(IssueWarningLetter, BuildWarningLetter)>(
          "warning-letter", "--police-station=NAME [--reference=REF] [--at=TIME]",
          "record a police warning letter (告诫书)",
          {{"police-station", "NAME", "the police station"},
           {"reference", "REF", "its reference"},
           kAtFlag}),
      Op<HAVEN_OP(GrantAssistance, BuildAssistance)>(
          "assistance", "--kind=K [--amount=YUAN] [--fund-year=Y] [--at=TIME]",
          "record assistance granted",
          {EnumFlagSpec<v1::AssistanceKind>("kind", "what kind"),
           {"amount", "YUAN", "in yuan, e.g. 1500 or 1500.50"},
           {"fund-year", "YEAR", "the fund's year (two_cancers_relief)"},
           kAtFlag,
           {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(ScheduleFollowUp, BuildFollowUp)>(
          "follow-up", "--due=TIME [--purpose=TEXT]", "schedule a follow-up",
          {{"due", "TIME", "when it is due, e.g. +7d or 2024-06-01"},
           {"purpose", "TEXT", "what for"}}),
      Op<HAVEN_OP(CompleteFollowUp, BuildFollowUpDone)>(
          "follow-up-done", "--follow-up=ID --method=M [--at=TIME] [--note=TEXT]",
          "record a follow-up as done",
          {{"follow-up", "ID", "the follow-up"},
           EnumFlagSpec<v1::ContactMethod>("method", "how"),
           kAtFlag,
           {"note", "TEXT", "a note"}}),
      Op<HAVEN_OP(CloseCase, BuildClose)>(
          "close", "--resolution=R --satisfaction=S [--note=TEXT]",
          "close the case (结案) with a resolution",
          {EnumFlagSpec<v1::Resolution>("resolution", "how it ended"),
           EnumFlagSpec<v1::Satisfaction>("satisfaction", "her satisfaction (not for unreachable)"),
           {"note", "TEXT", "a closure note"},
           {"pending-referral-reason", "TEXT", "why it closes while a referral is open"}}),
      Op<HAVEN_OP(ReopenCase, BuildReopen)>("reopen", "--reason=TEXT", "reopen a closed case",
                                            {{"reason", "TEXT", "why"}}),
      {"show",
       "CASE [--as-of-position=P | --as-of-time=TIME] [--min-position=P]",
       "the case as it is, or as it was",
       "Times are China Standard Time (UTC+8).",
       {kCaseFlag,
        {"as-of-position", "P", "as it was after the log position P"},
        {"as-of-time", "TIME", "as it was at TIME"},
        {"min-position", "P", "first wait until the server has reached P"}},
       RunShow},
      {"list",
       "[--status=S] [--category=C] [--channel=C] [--unit=ID] [--assignee=OP] [--overdue] "
       "[--sort=S] [--limit=N | --all]",
       "list cases matching a filter (from the case list projection)",
       "Lists without personal data: id, opening time (CST), status, category,\n"
       "channel, urgency, risk, unit, assignee and the next follow-up due.  One\n"
       "page of --limit cases (default 50); the cursor for the next page is\n"
       "printed on stderr.",
       {EnumFlagSpec<v1::CaseStatus>("status", "only open or closed cases"),
        EnumFlagSpec<v1::Category>("category", "only this category"),
        EnumFlagSpec<v1::Channel>("channel", "only this channel"),
        {"unit", "ID", "only cases of this unit and the units below it"},
        {"assignee", "OPERATOR", "only cases assigned to this operator"},
        {"opened-from", "TIME", "opened at or after TIME"},
        {"opened-before", "TIME", "opened before TIME"},
        {"overdue", "", "only open cases with a follow-up overdue"},
        EnumFlagSpec<v1::CaseListSort>("sort", "the order (default opened_newest_first)"),
        {"limit", "N", "at most N cases (default 50)"},
        {"all", "", "every matching case, page after page"},
        {"cursor", "CURSOR", "continue after a previous page"},
        {"min-position", "P", "first wait until the projections have reached P"}},
       RunList},
      {"projections",
       "",
       "how far each case projection (list, statistics) is behind the log",
       "",
       {},
       RunProjections},
      {"history",
       "CASE [--english] [--min-position=P]",
       "the case's timeline: version, time, actor, type, summary",
       "Times are China Standard Time (UTC+8).  With --json, one entry per\n"
       "line with the whole event.",
       {kCaseFlag,
        {"english", "", "English summaries"},
        {"min-position", "P", "first wait until the server has reached P"}},
       RunHistory},
  };
  return kSubcommands;
}

#undef HAVEN_OP

int RunCase(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("case", CaseSubcommands(), options, args);
}

}  // namespace

Command CaseCommand() {
  return MakeCommandGroup(
      "case", "rights-protection cases: open, work, show, history",
      "Works rights-protection cases (维权个案).  Every command but open takes\n"
      "the case and the version it is at (--expected-version, as 'case show'\n"
      "prints it), sends a fresh request id unless --request-id is given, and\n"
      "prints the case's new version and log position.  Enum flags take the\n"
      "lower-case names of the schema's values (e.g. --channel=hotline,\n"
      "--category=domestic_violence).  Times are China Standard Time unless\n"
      "they say otherwise.",
      CaseSubcommands(), RunCase);
}

}  // namespace haven::cli
