#include "command.h"

#include <algorithm>
#include <iostream>

namespace haven::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> kCommands = {
      AppendCommand(), ReadCommand(), LogCommand(),  TailCommand(),
      HealthCommand(), UnitCommand(), CaseCommand(),  StatsCommand(),
      LoanCommand(),   MicroHomeCommand(), ProjectCommand(), ChildCommand(), TargetCommand(),
      UserCommand(),
      PartnerCommand(),
  };
  return kCommands;
}

std::string ProgramHelp() {
  std::string out =
      "havenctl: operator command line for the Haven event store.\n\n"
      "usage: havenctl [global flags] COMMAND [args] [flags]\n\n"
      "Commands:\n";
  size_t width = 0;
  for (const Command& c : AllCommands()) width = std::max(width, c.name.size());
  for (const Command& c : AllCommands()) {
    out += "  " + c.name + std::string(width - c.name.size() + 2, ' ') + c.summary + "\n";
  }
  out += "\nGlobal flags (before or after the command):\n";
  out += FormatFlagHelp(GlobalFlagSpecs());
  out +=
      "\nFlags take their value as --name=value or --name value.\n"
      "Run 'havenctl COMMAND --help' for a command's arguments and flags.\n\n"
      "Exit status: 0 success; 1 the server reported an error (printed as\n"
      "'havenctl: CODE: message'), or health found the server not serving;\n"
      "2 bad usage or unusable input.\n";
  return out;
}

std::string CommandHelp(const Command& command) {
  std::string out = "usage: havenctl " + command.name + " " + command.synopsis + "\n\n" +
                    command.description + "\n";
  if (!command.flags.empty()) {
    out += "\nFlags:\n" + FormatFlagHelp(command.flags);
  }
  out += "\nGlobal flags:\n" + FormatFlagHelp(GlobalFlagSpecs());
  return out;
}

int UsageError(const Command& command, const std::string& message) {
  std::cerr << "havenctl: " << message << "\n"
            << "usage: havenctl " << command.name << " " << command.synopsis << "\n"
            << "Run 'havenctl " << command.name << " --help' for details.\n";
  return kExitUsage;
}

}  // namespace haven::cli
