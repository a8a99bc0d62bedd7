// havenctl user and havenctl partner: who may use Haven, and as what
// (AccessAdminService; admins only, but "user whoami").
#include <iostream>

#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "haven/access/v1/access.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace av1 = haven::access::v1;
using av1::AccessAdminService;

const google::protobuf::EnumDescriptor* RoleType() { return EnumType<av1::Role>(); }

const FlagSpec kRequestIdFlag = {"request-id", "ID",
                                 "idempotency key (default: a fresh UUID); resend\n"
                                 "with the same id to retry safely"};
const FlagSpec kExpectedVersionFlag = {
    "expected-version", "V",
    "refuse (ABORTED) unless the user stream is at version V\n(default: decide on the current "
    "one)"};

std::string OrDash(const std::string& text) { return text.empty() ? "—" : text; }

nlohmann::ordered_json UserJson(const av1::User& user) {
  nlohmann::ordered_json out = ProtoToJson(user);
  out["role"] = EnumFlagName(RoleType(), user.role());
  return out;
}

const std::vector<std::string> kUserHeader = {"USER", "NAME", "ROLE", "UNIT", "PARTNER", "STATE"};

std::vector<std::string> UserRow(const av1::User& user) {
  return {user.user_id(),
          user.display_name(),
          EnumFlagName(RoleType(), user.role()),
          OrDash(user.org_unit_id()),
          OrDash(user.partner_id()),
          user.disabled() ? "disabled" : "enabled"};
}

std::vector<std::pair<std::string, std::string>> UserFields(const av1::User& user) {
  return {{"用户 user", user.user_id()},
          {"姓名 name", OrDash(user.display_name())},
          {"角色 role", EnumFlagName(RoleType(), user.role())},
          {"单位 unit", OrDash(user.org_unit_id())},
          {"合作机构 partner", OrDash(user.partner_id())},
          {"状态 state", user.disabled() ? "停用 disabled" : "启用 enabled"},
          {"停用原因 reason", OrDash(user.disabled_reason())}};
}

// Prints a command's answer; returns kExitOk.
int PrintCommandResponse(const GlobalOptions& options, const std::string& verb,
                         const std::string& key, const std::string& id,
                         const std::string& request_id, const av1::CommandResponse& response) {
  if (options.json) {
    nlohmann::ordered_json out = {{key, id},
                                  {"access_version", response.version()},
                                  {"position", response.position()},
                                  {"replayed", response.replayed()},
                                  {"request_id", request_id}};
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << verb << " " << SanitizeForTerminal(id) << ": user stream version "
            << response.version() << ", position " << response.position()
            << (response.replayed() ? " (a retry: nothing written)" : "") << std::endl;
  return kExitOk;
}

template <typename Request, typename Method>
int Send(const GlobalOptions& options, const std::string& verb, const std::string& key,
         const std::string& id, Request& request, Method method) {
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::CommandResponse response;
  const grpc::Status status = ((*stub).*method)(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  return PrintCommandResponse(options, verb, key, id, request.request_id(), response);
}

// Fills request_id and expected_version; returns an error message or "".
template <typename Request>
std::string FillCommon(const ParsedArgs& args, Request* request) {
  request->set_request_id(RequestIdFlag(args));
  std::string error;
  if (auto version = ExpectedVersionFlag(args, &error)) request->set_expected_version(*version);
  return error;
}

std::string OneArgument(const ParsedArgs& args) {
  return args.positional.size() == 1 ? args.positional[0] : "";
}

// --role: the enum number, or nullopt (with a usage error printed by the
// caller) when unknown.
std::optional<av1::Role> RoleFlag(const ParsedArgs& args) {
  const auto parsed = ParseEnumFlag(RoleType(), args.Get("role").value_or(""));
  if (!parsed) return std::nullopt;
  return static_cast<av1::Role>(*parsed);
}

int RunUserAdd(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::RegisterUserRequest request;
  request.set_user_id(OneArgument(args));
  if (request.user_id().empty()) return SubcommandUsageError(self, "add takes one USER_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  const auto name = args.Get("name");
  if (!name || name->empty()) return SubcommandUsageError(self, "--name is required");
  request.set_display_name(*name);
  const auto role = RoleFlag(args);
  if (!role) {
    return SubcommandUsageError(self, "--role must be one of " + EnumFlagChoices(RoleType()));
  }
  request.set_role(*role);
  request.set_org_unit_id(args.Get("unit").value_or(""));
  request.set_partner_id(args.Get("partner").value_or(""));
  return Send(options, "registered", "user_id", request.user_id(), request,
              &AccessAdminService::Stub::RegisterUser);
}

int RunUserUpdate(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::UpdateUserRequest request;
  request.set_user_id(OneArgument(args));
  if (request.user_id().empty()) return SubcommandUsageError(self, "update takes one USER_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  if (const auto name = args.Get("name")) request.set_display_name(*name);
  if (args.Has("role")) {
    const auto role = RoleFlag(args);
    if (!role) {
      return SubcommandUsageError(self, "--role must be one of " + EnumFlagChoices(RoleType()));
    }
    request.set_role(*role);
    request.set_org_unit_id(args.Get("unit").value_or(""));
    request.set_partner_id(args.Get("partner").value_or(""));
  } else if (args.Has("unit") || args.Has("partner")) {
    return SubcommandUsageError(self, "--unit and --partner come with --role (the whole "
                                      "assignment)");
  }
  return Send(options, "updated", "user_id", request.user_id(), request,
              &AccessAdminService::Stub::UpdateUser);
}

int RunUserDisable(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::DisableUserRequest request;
  request.set_user_id(OneArgument(args));
  if (request.user_id().empty()) return SubcommandUsageError(self, "disable takes one USER_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  request.set_reason(args.Get("reason").value_or(""));
  return Send(options, "disabled", "user_id", request.user_id(), request,
              &AccessAdminService::Stub::DisableUser);
}

int RunUserEnable(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::EnableUserRequest request;
  request.set_user_id(OneArgument(args));
  if (request.user_id().empty()) return SubcommandUsageError(self, "enable takes one USER_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  return Send(options, "enabled", "user_id", request.user_id(), request,
              &AccessAdminService::Stub::EnableUser);
}

int RunUserList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (!args.positional.empty()) return SubcommandUsageError(self, "list takes no arguments");
  av1::ListUsersRequest request;
  if (args.Has("role")) {
    const auto role = RoleFlag(args);
    if (!role) {
      return SubcommandUsageError(self, "--role must be one of " + EnumFlagChoices(RoleType()));
    }
    request.set_role(*role);
  }
  request.set_include_disabled(args.Has("include-disabled"));
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::ListUsersResponse response;
  const grpc::Status status = stub->ListUsers(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    for (const av1::User& user : response.users()) std::cout << DumpJsonLine(UserJson(user)) << '\n';
    std::cout.flush();
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const av1::User& user : response.users()) rows.push_back(UserRow(user));
  if (rows.empty()) {
    std::cerr << "(no users)\n";
    return kExitOk;
  }
  std::cout << FormatTable(kUserHeader, rows);
  std::cerr << "(" << rows.size() << " users)\n";
  return kExitOk;
}

int RunUserShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::GetUserRequest request;
  request.set_user_id(OneArgument(args));
  if (request.user_id().empty()) return SubcommandUsageError(self, "show takes one USER_ID");
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::GetUserResponse response;
  const grpc::Status status = stub->GetUser(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = {{"user", UserJson(response.user())},
                                  {"access_version", response.access_version()}};
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << FormatFields(UserFields(response.user()));
  return kExitOk;
}

int RunUserWhoami(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (!args.positional.empty()) return SubcommandUsageError(self, "whoami takes no arguments");
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::GetCallerResponse response;
  const grpc::Status status = stub->GetCaller(&context, av1::GetCallerRequest(), &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = {{"user", UserJson(response.user())},
                                  {"development", response.development()}};
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  if (response.development()) {
    std::cout << SanitizeForTerminal(response.user().user_id())
              << " (development mode: the server enforces no access rules)" << std::endl;
    return kExitOk;
  }
  std::cout << FormatFields(UserFields(response.user()));
  return kExitOk;
}

nlohmann::ordered_json PartnerJson(const av1::Partner& partner) { return ProtoToJson(partner); }

int RunPartnerAdd(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::RegisterPartnerRequest request;
  request.set_partner_id(OneArgument(args));
  if (request.partner_id().empty()) return SubcommandUsageError(self, "add takes one PARTNER_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  const auto name = args.Get("name");
  if (!name || name->empty()) return SubcommandUsageError(self, "--name is required");
  request.set_name(*name);
  const auto unit = args.Get("unit");
  if (!unit || unit->empty()) return SubcommandUsageError(self, "--unit is required");
  request.set_org_unit_id(*unit);
  return Send(options, "registered", "partner_id", request.partner_id(), request,
              &AccessAdminService::Stub::RegisterPartner);
}

int RunPartnerList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (!args.positional.empty()) return SubcommandUsageError(self, "list takes no arguments");
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::ListPartnersResponse response;
  const grpc::Status status =
      stub->ListPartners(&context, av1::ListPartnersRequest(), &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    for (const av1::Partner& p : response.partners()) {
      std::cout << DumpJsonLine(PartnerJson(p)) << '\n';
    }
    std::cout.flush();
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const av1::Partner& p : response.partners()) {
    rows.push_back({p.partner_id(), p.name(), p.org_unit_id(), std::to_string(p.user_count())});
  }
  if (rows.empty()) {
    std::cerr << "(no partners)\n";
    return kExitOk;
  }
  std::cout << FormatTable({"PARTNER", "NAME", "UNIT", "USERS"}, rows, {3});
  return kExitOk;
}

int RunPartnerShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  av1::GetPartnerRequest request;
  request.set_partner_id(OneArgument(args));
  if (request.partner_id().empty()) return SubcommandUsageError(self, "show takes one PARTNER_ID");
  auto stub = AccessAdminService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  av1::GetPartnerResponse response;
  const grpc::Status status = stub->GetPartner(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  const av1::Partner& p = response.partner();
  if (options.json) {
    nlohmann::ordered_json out = {{"partner", PartnerJson(p)},
                                  {"access_version", response.access_version()}};
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << FormatFields({{"机构 partner", p.partner_id()},
                             {"名称 name", p.name()},
                             {"服务单位 unit", p.org_unit_id()},
                             {"用户数 users", std::to_string(p.user_count())}});
  return kExitOk;
}

const std::vector<Subcommand>& UserSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"add",
       "USER_ID --name=NAME --role=ROLE [--unit=ID] [--partner=ID]",
       "register a user",
       "The user id is what her certificate or token names.  Roles: " +
           EnumFlagChoices(RoleType()) +
           ".\n"
           "Operators and supervisors need --unit (their jurisdiction is its\n"
           "subtree); legal-aid partner users need --partner; admins and\n"
           "auditors may have a unit; the system role has neither.",
       {{"name", "NAME", "the name shown to others, e.g. 王芳"},
        {"role", "ROLE", "operator, supervisor, legal_aid_partner, auditor,\nadmin or system"},
        {"unit", "ID", "her org unit"},
        {"partner", "ID", "her partner organisation"},
        kRequestIdFlag,
        kExpectedVersionFlag},
       RunUserAdd},
      {"update",
       "USER_ID [--name=NAME] [--role=ROLE [--unit=ID] [--partner=ID]]",
       "rename a user, or give her another role, unit or partner",
       "--role with --unit and --partner give the whole new assignment.\n"
       "The last enabled admin keeps her role (rule last_admin).",
       {{"name", "NAME", "a new display name"},
        {"role", "ROLE", "the new role"},
        {"unit", "ID", "the new org unit"},
        {"partner", "ID", "the new partner organisation"},
        kRequestIdFlag,
        kExpectedVersionFlag},
       RunUserUpdate},
      {"disable",
       "USER_ID [--reason=TEXT]",
       "disable a user: every call of hers is refused from then on",
       "",
       {{"reason", "TEXT", "why, e.g. 离职 (no personal data)"}, kRequestIdFlag,
        kExpectedVersionFlag},
       RunUserDisable},
      {"enable",
       "USER_ID",
       "enable a disabled user again",
       "",
       {kRequestIdFlag, kExpectedVersionFlag},
       RunUserEnable},
      {"list",
       "[--role=ROLE] [--include-disabled]",
       "the users, in id order",
       "",
       {{"role", "ROLE", "only this role"}, {"include-disabled", "", "also disabled users"}},
       RunUserList},
      {"show", "USER_ID", "one user", "", {}, RunUserShow},
      {"whoami",
       "",
       "who the server takes you for (any user)",
       "Checks the credentials havenctl sends.",
       {},
       RunUserWhoami},
  };
  return kSubcommands;
}

const std::vector<Subcommand>& PartnerSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"add",
       "PARTNER_ID --name=NAME --unit=ID",
       "register a legal-aid partner organisation",
       "The partner id is the partner_id that case referrals name.",
       {{"name", "NAME", "e.g. 玄武区法律援助中心"},
        {"unit", "ID", "the org unit it serves"},
        kRequestIdFlag,
        kExpectedVersionFlag},
       RunPartnerAdd},
      {"list", "", "the partner organisations, in id order", "", {}, RunPartnerList},
      {"show", "PARTNER_ID", "one partner organisation", "", {}, RunPartnerShow},
  };
  return kSubcommands;
}

int RunUser(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("user", UserSubcommands(), options, args);
}

int RunPartner(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("partner", PartnerSubcommands(), options, args);
}

}  // namespace

Command UserCommand() {
  return MakeCommandGroup("user", "users, their roles and units (add, list, disable, ...)",
                          "Manages who may use Haven and as what (admins only, but whoami).\n"
                          "Commands print the user stream's new version and log position.",
                          UserSubcommands(), RunUser);
}

Command PartnerCommand() {
  return MakeCommandGroup("partner", "legal-aid partner organisations (add, list, show)",
                          "Manages the legal-aid partner organisations whose users see the\n"
                          "cases referred to them (admins only).",
                          PartnerSubcommands(), RunPartner);
}

}  // namespace haven::cli
