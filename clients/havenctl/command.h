// The havenctl subcommands: how each is described, parsed and run.
#ifndef HAVEN_CLIENTS_HAVENCTL_COMMAND_H_
#define HAVEN_CLIENTS_HAVENCTL_COMMAND_H_

#include <string>
#include <vector>

#include "client.h"
#include "flags.h"

namespace haven::cli {

inline constexpr int kExitOk = 0;
// The server reported an error, or (health) is not serving.
inline constexpr int kExitFailure = 1;
// Bad command line or unusable input (malformed JSON, unreadable file).
inline constexpr int kExitUsage = 2;

struct Command {
  std::string name;
  std::string synopsis;         // Arguments after the name, e.g. "STREAM [flags]".
  std::string summary;          // One line, for the command list.
  std::string description;      // Paragraphs for "havenctl NAME --help".
  std::vector<FlagSpec> flags;  // The command's own flags.
  // Runs with global options applied and `args` already parsed against
  // `flags` plus the global flags; returns the process exit status.
  int (*run)(const GlobalOptions& options, const ParsedArgs& args);
};

Command AppendCommand();
Command ReadCommand();
Command LogCommand();
Command TailCommand();
Command HealthCommand();
Command UnitCommand();
Command CaseCommand();
Command StatsCommand();
Command UserCommand();
Command PartnerCommand();
Command LoanCommand();
Command ChildCommand();
Command MicroHomeCommand();
Command ProjectCommand();
Command TargetCommand();

// Every command, in the order the usage text lists them.
const std::vector<Command>& AllCommands();

// "havenctl --help": global flags, commands, exit status.
std::string ProgramHelp();

// "havenctl NAME --help": synopsis, description, the command's flags and
// the global ones.
std::string CommandHelp(const Command& command);

// Prints "havenctl: <message>" and the command's synopsis to stderr;
// returns kExitUsage.
int UsageError(const Command& command, const std::string& message);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_COMMAND_H_
