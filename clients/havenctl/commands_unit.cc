// havenctl unit: the directory of org units (DirectoryService).
#include <iostream>

#include "commands_case_common.h"
#include "commands_case_format.h"
#include "display_width.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace dv1 = haven::directory::v1;
using dv1::DirectoryService;

const google::protobuf::EnumDescriptor* KindType() { return EnumType<dv1::UnitKind>(); }

const FlagSpec kRequestIdFlag = {"request-id", "ID",
                                 "idempotency key (default: a fresh UUID); resend\n"
                                 "with the same id to retry safely"};
const FlagSpec kExpectedVersionFlag = {
    "expected-version", "V",
    "refuse (ABORTED) unless the directory is at version V\n(default: decide on the current one)"};

// Prints a command's answer; returns kExitOk.
int PrintCommandResponse(const GlobalOptions& options, const std::string& verb,
                         const std::string& unit_id, const std::string& request_id,
                         const dv1::CommandResponse& response) {
  if (options.json) {
    nlohmann::ordered_json out = {{"unit_id", unit_id},
                                  {"directory_version", response.version()},
                                  {"position", response.position()},
                                  {"replayed", response.replayed()},
                                  {"request_id", request_id}};
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << verb << " " << SanitizeForTerminal(unit_id) << ": directory version "
            << response.version() << ", position " << response.position()
            << (response.replayed() ? " (a retry: nothing written)" : "") << std::endl;
  return kExitOk;
}

// One unit per table row.
std::vector<std::string> UnitRow(const dv1::Unit& unit, const std::string& indent = "") {
  return {indent + unit.name(), unit.unit_id(), EnumLabelWithName(KindType(), unit.kind()),
          unit.statistical_code().empty() ? "—" : unit.statistical_code(),
          unit.closed() ? "closed" : "open"};
}

const std::vector<std::string> kUnitHeader = {"NAME", "ID", "KIND", "CODE", "STATE"};

nlohmann::ordered_json UnitJson(const dv1::Unit& unit) {
  nlohmann::ordered_json out = ProtoToJson(unit);
  out["kind"] = EnumFlagName(KindType(), unit.kind());
  return out;
}

template <typename Request, typename Method>
int Send(const GlobalOptions& options, const std::string& verb, Request& request, Method method) {
  auto stub = DirectoryService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  dv1::CommandResponse response;
  const grpc::Status status = ((*stub).*method)(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  return PrintCommandResponse(options, verb, request.unit_id(), request.request_id(), response);
}

// Fills request_id and expected_version; returns an error message or "".
template <typename Request>
std::string FillCommon(const ParsedArgs& args, Request* request) {
  request->set_request_id(RequestIdFlag(args));
  std::string error;
  if (auto version = ExpectedVersionFlag(args, &error)) request->set_expected_version(*version);
  return error;
}

std::string UnitIdArgument(const ParsedArgs& args) {
  return args.positional.size() == 1 ? args.positional[0] : "";
}

int RunCreate(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  dv1::CreateUnitRequest request;
  request.set_unit_id(UnitIdArgument(args));
  if (request.unit_id().empty()) return SubcommandUsageError(self, "create takes one UNIT_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  const auto name = args.Get("name");
  if (!name || name->empty()) return SubcommandUsageError(self, "--name is required");
  request.set_name(*name);
  const auto kind = ParseEnumFlag(KindType(), args.Get("kind").value_or(""));
  if (!kind) {
    return SubcommandUsageError(self, "--kind must be one of " + EnumFlagChoices(KindType()));
  }
  request.set_kind(static_cast<dv1::UnitKind>(*kind));
  request.set_parent_id(args.Get("parent").value_or(""));
  request.set_statistical_code(args.Get("code").value_or(""));
  return Send(options, "created", request, &DirectoryService::Stub::CreateUnit);
}

int RunRename(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  dv1::RenameUnitRequest request;
  request.set_unit_id(UnitIdArgument(args));
  if (request.unit_id().empty()) return SubcommandUsageError(self, "rename takes one UNIT_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  const auto name = args.Get("name");
  if (!name || name->empty()) return SubcommandUsageError(self, "--name is required");
  request.set_name(*name);
  return Send(options, "renamed", request, &DirectoryService::Stub::RenameUnit);
}

int RunMove(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  dv1::MoveUnitRequest request;
  request.set_unit_id(UnitIdArgument(args));
  if (request.unit_id().empty()) return SubcommandUsageError(self, "move takes one UNIT_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  const auto parent = args.Get("parent");
  if (!parent || parent->empty()) return SubcommandUsageError(self, "--parent is required");
  request.set_new_parent_id(*parent);
  request.set_statistical_code(args.Get("code").value_or(""));
  return Send(options, "moved", request, &DirectoryService::Stub::MoveUnit);
}

int RunClose(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  dv1::CloseUnitRequest request;
  request.set_unit_id(UnitIdArgument(args));
  if (request.unit_id().empty()) return SubcommandUsageError(self, "close takes one UNIT_ID");
  if (auto error = FillCommon(args, &request); !error.empty()) {
    return SubcommandUsageError(self, error);
  }
  request.set_reason(args.Get("reason").value_or(""));
  return Send(options, "closed", request, &DirectoryService::Stub::CloseUnit);
}

int RunShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  const auto code = args.Get("code");
  if (code.has_value() == (args.positional.size() == 1)) {
    return SubcommandUsageError(self, "show takes one UNIT_ID or --code=CODE");
  }
  auto stub = DirectoryService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  dv1::GetUnitResponse response;
  grpc::Status status;
  if (code) {
    dv1::FindByCodeRequest request;
    request.set_statistical_code(*code);
    status = stub->FindByCode(&context, request, &response);
  } else {
    dv1::GetUnitRequest request;
    request.set_unit_id(args.positional[0]);
    status = stub->GetUnit(&context, request, &response);
  }
  if (!status.ok()) return ReportRpcError(status, context);
  const dv1::Unit& unit = response.unit();
  if (options.json) {
    nlohmann::ordered_json out = {{"unit", UnitJson(unit)}};
    out["ancestors"] = nlohmann::ordered_json::array();
    for (const dv1::Unit& a : response.ancestors()) out["ancestors"].push_back(UnitJson(a));
    out["directory_version"] = response.directory_version();
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << FormatFields({
      {"名称 name", unit.name()},
      {"编号 id", unit.unit_id()},
      {"类型 kind", EnumLabelWithName(KindType(), unit.kind())},
      {"区划代码 code", unit.statistical_code().empty() ? "—" : unit.statistical_code()},
      {"状态 state", unit.closed() ? "已撤销 closed" : "正常 open"},
      {"路径 path", unit.path()},
      {"上级 parent", unit.parent_id().empty() ? "—" : unit.parent_id()},
      {"层级 depth", std::to_string(unit.depth())},
      {"目录版本 version", std::to_string(response.directory_version())},
  });
  return kExitOk;
}

int RunChildren(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (args.positional.size() > 1) return SubcommandUsageError(self, "children takes one UNIT_ID");
  dv1::ListChildrenRequest request;
  if (!args.positional.empty()) request.set_unit_id(args.positional[0]);
  request.set_include_closed(args.Has("include-closed"));
  auto stub = DirectoryService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  dv1::ListChildrenResponse response;
  const grpc::Status status = stub->ListChildren(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    for (const dv1::Unit& unit : response.units()) {
      std::cout << DumpJsonLine(UnitJson(unit)) << '\n';
    }
    std::cout.flush();
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const dv1::Unit& unit : response.units()) rows.push_back(UnitRow(unit));
  if (rows.empty()) {
    std::cerr << "(no children)\n";
    return kExitOk;
  }
  std::cout << FormatTable(kUnitHeader, rows);
  return kExitOk;
}

int RunTree(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  if (args.positional.size() > 1) return SubcommandUsageError(self, "tree takes one UNIT_ID");
  auto stub = DirectoryService::NewStub(Connect(options));
  std::string root = args.positional.empty() ? "" : args.positional[0];
  if (root.empty()) {
    // ListChildren of "" gives the top of the tree: the root city.
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    dv1::ListChildrenResponse top;
    dv1::ListChildrenRequest request;
    request.set_include_closed(true);
    const grpc::Status status = stub->ListChildren(&context, request, &top);
    if (!status.ok()) return ReportRpcError(status, context);
    if (top.units().empty()) {
      std::cerr << "(the directory is empty)\n";
      return kExitOk;
    }
    root = top.units(0).parent_id();
    if (root.empty()) root = top.units(0).unit_id();
  }
  uint64_t max_depth = UINT64_MAX;
  if (auto depth = args.Get("depth")) {
    auto parsed = ParseUint64(*depth);
    if (!parsed) return SubcommandUsageError(self, "--depth must be a number");
    max_depth = *parsed;
  }
  dv1::ListSubtreeRequest request;
  request.set_unit_id(root);
  request.set_include_closed(args.Has("include-closed"));
  request.set_page_size(1000);
  std::vector<std::vector<std::string>> rows;
  uint32_t base_depth = 0;
  bool first = true;
  size_t count = 0;
  while (true) {
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    dv1::ListSubtreeResponse response;
    const grpc::Status status = stub->ListSubtree(&context, request, &response);
    if (!status.ok()) return ReportRpcError(status, context);
    for (const dv1::Unit& unit : response.units()) {
      if (first) base_depth = unit.depth();
      first = false;
      const uint32_t depth = unit.depth() - base_depth;
      if (depth > max_depth) continue;
      ++count;
      if (options.json) {
        std::cout << DumpJsonLine(UnitJson(unit)) << '\n';
      } else {
        rows.push_back(UnitRow(unit, std::string(2 * depth, ' ')));
      }
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (options.json) {
    std::cout.flush();
    return kExitOk;
  }
  std::cout << FormatTable(kUnitHeader, rows);
  std::cerr << "(" << count << " units)\n";
  return kExitOk;
}

const std::vector<Subcommand>& UnitSubcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"create",
       "UNIT_ID --name=NAME --kind=KIND [--parent=ID] [--code=CODE]",
       "create a unit under an open parent (the root city has none)",
       "Unit ids are chosen here: ASCII letters, digits, '-', '_' and '.'.\n"
       "Kinds: " +
           EnumFlagChoices(KindType()) +
           ".\n"
           "A statistical division code has 12 digits (6 county, 3 township,\n"
           "3 village) and must start with the parent's significant digits.",
       {{"name", "NAME", "the unit's name, e.g. 梅园新村街道"},
        {"kind", "KIND",
         "city, county, district, township, street, village,\ncommunity, micro_home, ..."},
        {"parent", "ID", "the parent unit (not for the root city)"},
        {"code", "CODE", "12-digit statistical division code (optional)"},
        kExpectedVersionFlag,
        kRequestIdFlag},
       RunCreate},
      {"rename",
       "UNIT_ID --name=NAME",
       "give an open unit a new name",
       "",
       {{"name", "NAME", "the new name"}, kExpectedVersionFlag, kRequestIdFlag},
       RunRename},
      {"move",
       "UNIT_ID --parent=ID [--code=CODE]",
       "move a unit and its subtree under another parent",
       "Cases of the subtree follow it in every later query.",
       {{"parent", "ID", "the new parent"},
        {"code", "CODE", "the unit's new code, when the move changes it"},
        kExpectedVersionFlag,
        kRequestIdFlag},
       RunMove},
      {"close",
       "UNIT_ID [--reason=TEXT]",
       "close a unit that no longer exists (e.g. 撤村并居)",
       "A closed unit keeps its history and place in the tree and takes no\n"
       "new children or cases.  Its open children must be closed first.",
       {{"reason", "TEXT", "why, e.g. 撤村并居"}, kExpectedVersionFlag, kRequestIdFlag},
       RunClose},
      {"show",
       "UNIT_ID | --code=CODE",
       "one unit with its path",
       "",
       {{"code", "CODE", "find the open unit holding this statistical code"}},
       RunShow},
      {"children",
       "[UNIT_ID]",
       "the direct children of a unit (default: the root city itself)",
       "",
       {{"include-closed", "", "also list closed units"}},
       RunChildren},
      {"tree",
       "[UNIT_ID] [--depth=N]",
       "a unit and all its descendants, indented (default: the whole tree)",
       "",
       {{"include-closed", "", "also list closed units"},
        {"depth", "N", "only N levels below the unit"}},
       RunTree},
  };
  return kSubcommands;
}

int RunUnit(const GlobalOptions& options, const ParsedArgs& args) {
  return DispatchSubcommand("unit", UnitSubcommands(), options, args);
}

}  // namespace

Command UnitCommand() {
  return MakeCommandGroup("unit", "the directory of org units (create, move, tree, ...)",
                          "Works the directory of org units: city → county/district →\n"
                          "township/street → village/community, with micro-homes as leaves.\n"
                          "Commands print the directory's new version and log position.",
                          UnitSubcommands(), RunUnit);
}

}  // namespace haven::cli
