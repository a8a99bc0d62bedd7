#include "commands_case_common.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "uuid.h"

namespace haven::cli {
namespace {

bool IsGlobalFlag(const std::string& name) {
  for (const FlagSpec& spec : GlobalFlagSpecs()) {
    if (spec.name == name) return true;
  }
  return false;
}

std::string SubcommandHelp(const Subcommand& sub) {
  std::string out = "usage: havenctl " + sub.group + " " + sub.name + " " + sub.synopsis + "\n\n" +
                    sub.summary + ".\n";
  if (!sub.description.empty()) out += "\n" + sub.description + "\n";
  if (!sub.flags.empty()) out += "\nFlags:\n" + FormatFlagHelp(sub.flags);
  out += "\nGlobal flags:\n" + FormatFlagHelp(GlobalFlagSpecs());
  return out;
}

}  // namespace

Command MakeCommandGroup(const std::string& group, const std::string& summary,
                         const std::string& intro, const std::vector<Subcommand>& subcommands,
                         int (*run)(const GlobalOptions&, const ParsedArgs&)) {
  std::vector<FlagSpec> flags;
  size_t width = 0;
  for (const Subcommand& sub : subcommands) {
    width = std::max(width, sub.name.size());
    for (const FlagSpec& spec : sub.flags) {
      const bool known = std::any_of(flags.begin(), flags.end(),
                                     [&](const FlagSpec& f) { return f.name == spec.name; });
      if (!known) flags.push_back(spec);
    }
  }
  std::string description = intro + "\n\nSubcommands:\n";
  for (const Subcommand& sub : subcommands) {
    description +=
        "  " + sub.name + std::string(width - sub.name.size() + 2, ' ') + sub.summary + "\n";
  }
  description += "\nRun 'havenctl " + group +
                 " help SUBCOMMAND' for a subcommand's arguments and flags;\n"
                 "the flags below are those of every subcommand together.";
  return {group, "SUBCOMMAND [args] [flags]", summary, description, flags, run};
}

int SubcommandUsageError(const Subcommand& sub, const std::string& message) {
  std::cerr << "havenctl: " << message << "\n"
            << "usage: havenctl " << sub.group << " " << sub.name << " " << sub.synopsis << "\n"
            << "Run 'havenctl " << sub.group << " help " << sub.name << "' for details.\n";
  return kExitUsage;
}

int DispatchSubcommand(const std::string& group, const std::vector<Subcommand>& subcommands,
                       const GlobalOptions& options, const ParsedArgs& args) {
  const auto group_usage = [&](const std::string& message) {
    std::cerr << "havenctl: " << message << "\nsubcommands:";
    for (const Subcommand& sub : subcommands) std::cerr << " " << sub.name;
    std::cerr << "\nRun 'havenctl " << group << " --help' for details.\n";
    return kExitUsage;
  };
  if (args.positional.empty()) return group_usage("missing " + group + " subcommand");
  const std::string& name = args.positional[0];
  if (name == "help") {
    for (Subcommand sub : subcommands) {
      if (args.positional.size() > 1 && args.positional[1] == sub.name) {
        sub.group = group;
        std::cout << SubcommandHelp(sub);
        return kExitOk;
      }
    }
    return group_usage(args.positional.size() > 1 ? "unknown subcommand " + args.positional[1]
                                                  : "help needs a subcommand");
  }
  for (Subcommand sub : subcommands) {
    if (sub.name != name) continue;
    sub.group = group;
    for (const auto& [flag, value] : args.values) {
      if (IsGlobalFlag(flag)) continue;
      const bool takes = std::any_of(sub.flags.begin(), sub.flags.end(),
                                     [&](const FlagSpec& f) { return f.name == flag; });
      if (!takes) {
        return SubcommandUsageError(sub, "--" + flag + " does not apply to " + group + " " + name);
      }
    }
    ParsedArgs rest = args;
    rest.positional.erase(rest.positional.begin());
    return sub.run(options, rest, sub);
  }
  return group_usage("unknown " + group + " subcommand " + name);
}

std::string RequestIdFlag(const ParsedArgs& args) {
  if (auto id = args.Get("request-id"); id && !id->empty()) return *id;
  return NewUuidV4();
}

std::optional<uint64_t> ExpectedVersionFlag(const ParsedArgs& args, std::string* error) {
  auto text = args.Get("expected-version");
  if (!text) return std::nullopt;
  auto version = ParseUint64(*text);
  if (!version) *error = "--expected-version must be a version number";
  return version;
}

nlohmann::ordered_json ProtoToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  // Every field, zeros too, so scripts find the same keys in every line.
  print.always_print_primitive_fields = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, print).ok()) {
    return nlohmann::ordered_json::object();
  }
  return nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace haven::cli
