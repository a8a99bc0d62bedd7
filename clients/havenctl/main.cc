// havenctl: operator command line for the Haven event store.  See
// "havenctl --help".
#include <iostream>
#include <string>
#include <vector>

#include "client.h"
#include "command.h"
#include "flags.h"

namespace haven::cli {
namespace {

int Main(const std::vector<std::string>& argv) {
  const ParsedArgs global = ParseFlags(argv, GlobalFlagSpecs(), /*stop_at_command=*/true);
  if (!global.error.empty()) {
    std::cerr << "havenctl: " << global.error << "\n\n" << ProgramHelp();
    return kExitUsage;
  }
  if (global.positional.empty()) {
    if (global.Has("help")) {
      std::cout << ProgramHelp();
      return kExitOk;
    }
    std::cerr << "havenctl: missing command\n\n" << ProgramHelp();
    return kExitUsage;
  }
  const std::string& name = global.positional[0];
  if (name == "help") {  // "havenctl help [COMMAND]".
    for (const Command& command : AllCommands()) {
      if (!global.rest.empty() && global.rest[0] == command.name) {
        std::cout << CommandHelp(command);
        return kExitOk;
      }
    }
    std::cout << ProgramHelp();
    return global.rest.empty() ? kExitOk : kExitUsage;
  }
  const Command* command = nullptr;
  for (const Command& candidate : AllCommands()) {
    if (candidate.name == name) command = &candidate;
  }
  if (command == nullptr) {
    std::cerr << "havenctl: unknown command " << name << "\n\n" << ProgramHelp();
    return kExitUsage;
  }

  // Global flags may also follow the command; there they override any
  // given before it.
  std::vector<FlagSpec> specs = command->flags;
  specs.insert(specs.end(), GlobalFlagSpecs().begin(), GlobalFlagSpecs().end());
  const ParsedArgs args = ParseFlags(global.rest, specs);
  if (!args.error.empty()) return UsageError(*command, args.error);
  if (global.Has("help") || args.Has("help")) {
    std::cout << CommandHelp(*command);
    return kExitOk;
  }
  GlobalOptions options;
  std::string error;
  const std::string profile = ProfilePath(args.Has("profile") ? args.Get("profile")
                                                              : global.Get("profile"));
  if (!profile.empty()) error = LoadProfile(profile, &options);
  if (error.empty()) error = ApplyGlobalFlags(global, &options);
  if (error.empty()) error = ApplyGlobalFlags(args, &options);
  if (error.empty()) error = ResolveCredentials(&options);
  if (!error.empty()) return UsageError(*command, error);
  return command->run(options, args);
}

}  // namespace
}  // namespace haven::cli

int main(int argc, char** argv) {
  return haven::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
