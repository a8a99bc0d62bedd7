// Minimal GNU-style flag parsing: "--name=value", "--name value", boolean
// "--name", "-h" for "--help", and "--" to end flags.
#ifndef HAVEN_CLIENTS_HAVENCTL_FLAGS_H_
#define HAVEN_CLIENTS_HAVENCTL_FLAGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace haven::cli {

struct FlagSpec {
  std::string name;        // Without the leading "--".
  std::string value_name;  // Empty for a boolean flag, e.g. "N" otherwise.
  std::string help;
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // Boolean flags map to "".
  std::vector<std::string> positional;
  // With stop_at_command: everything after the first positional argument.
  std::vector<std::string> rest;
  std::string error;  // Non-empty when parsing failed.

  bool Has(const std::string& name) const { return values.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
};

// Parses `args` against `specs`.  Fails (sets `error`) on an unknown flag, a
// value flag without a value, a value given to a boolean flag, or a flag
// given twice.  "-h" is accepted as "--help" when "help" is in `specs`.  With
// `stop_at_command` parsing ends at the first positional argument, which
// becomes positional[0], and the remaining arguments are left in `rest`
// unparsed.
ParsedArgs ParseFlags(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs,
                      bool stop_at_command = false);

// Strict non-negative decimal integer: digits only, no sign, no overflow.
std::optional<uint64_t> ParseUint64(const std::string& text);

// A positive number of seconds, e.g. "10" or "2.5".
std::optional<double> ParseSeconds(const std::string& text);

// One entry per flag, aligned: "  --name=VALUE  help"; lines after the
// first of a multi-line help are indented under its first line.
std::string FormatFlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_FLAGS_H_
