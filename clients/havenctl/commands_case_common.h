// What the command groups "havenctl unit ..." and "havenctl case ..." share:
// subcommands with their own flags, request ids, expected versions, and
// proto messages as JSON.
#ifndef HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_COMMON_H_
#define HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_COMMON_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client.h"
#include "command.h"
#include "flags.h"

namespace haven::cli {

struct Subcommand {
  std::string name;
  std::string synopsis;  // After "havenctl GROUP NAME ".
  std::string summary;   // One line.
  std::string description;
  std::vector<FlagSpec> flags;
  // `args.positional` no longer holds the subcommand's name.
  int (*run)(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self);
  std::string group;  // Filled by MakeCommandGroup: "unit" or "case".
};

// A top-level command whose first argument names one of `subcommands`.  Its
// flags are the union of theirs (the dispatcher refuses a flag the chosen
// subcommand does not take); its help lists the subcommands, and
// "havenctl GROUP help SUB" shows one subcommand's flags.
Command MakeCommandGroup(const std::string& group, const std::string& summary,
                         const std::string& intro, const std::vector<Subcommand>& subcommands,
                         int (*run)(const GlobalOptions&, const ParsedArgs&));

// Runs the subcommand named by args.positional[0].
int DispatchSubcommand(const std::string& group, const std::vector<Subcommand>& subcommands,
                       const GlobalOptions& options, const ParsedArgs& args);

// Prints "havenctl: <message>" and the subcommand's usage; returns kExitUsage.
int SubcommandUsageError(const Subcommand& sub, const std::string& message);

// --request-id, or a fresh UUID.
std::string RequestIdFlag(const ParsedArgs& args);

// --expected-version: nullopt when absent; sets *error when malformed.
std::optional<uint64_t> ExpectedVersionFlag(const ParsedArgs& args, std::string* error);

// The message as JSON with the proto's field names (zero values included),
// as an ordered object.
nlohmann::ordered_json ProtoToJson(const google::protobuf::Message& message);

// Now, µs since the Unix epoch.
int64_t NowMicros();

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_COMMANDS_CASE_COMMON_H_
