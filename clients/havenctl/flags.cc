#include "flags.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace haven::cli {
namespace {

const FlagSpec* FindSpec(const std::vector<FlagSpec>& specs, const std::string& name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string FlagSyntax(const FlagSpec& spec) {
  std::string text = "--" + spec.name;
  if (!spec.value_name.empty()) text += "=" + spec.value_name;
  return text;
}

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

ParsedArgs ParseFlags(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs,
                      bool stop_at_command) {
  ParsedArgs parsed;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "-h" && FindSpec(specs, "help") != nullptr) arg = "--help";
    const bool is_flag = !flags_ended && arg.size() > 2 && arg[0] == '-' && arg[1] == '-';
    if (!flags_ended && arg == "--") {
      flags_ended = true;
      continue;
    }
    if (!is_flag) {
      if (!flags_ended && arg.size() > 1 && arg[0] == '-') {
        parsed.error = "unknown flag " + arg;
        return parsed;
      }
      parsed.positional.push_back(arg);
      if (stop_at_command) {
        parsed.rest.assign(args.begin() + i + 1, args.end());
        return parsed;
      }
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? eq : eq - 2);
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      parsed.error = "unknown flag --" + name;
      return parsed;
    }
    if (parsed.Has(name)) {
      parsed.error = "flag --" + name + " given twice";
      return parsed;
    }
    std::string value;
    if (spec->value_name.empty()) {
      if (eq != std::string::npos) {
        parsed.error = "flag --" + name + " takes no value";
        return parsed;
      }
    } else if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      parsed.error = "flag --" + name + " needs a value (" + FlagSyntax(*spec) + ")";
      return parsed;
    }
    parsed.values[name] = value;
  }
  return parsed;
}

std::optional<uint64_t> ParseUint64(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = c - '0';
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

std::optional<double> ParseSeconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0) {
    return std::nullopt;
  }
  return value;
}

std::string FormatFlagHelp(const std::vector<FlagSpec>& specs) {
  size_t width = 0;
  for (const FlagSpec& spec : specs) width = std::max(width, FlagSyntax(spec).size());
  std::string out;
  for (const FlagSpec& spec : specs) {
    const std::string syntax = FlagSyntax(spec);
    std::string help = spec.help;
    // Continuation lines of a multi-line help start under the first line.
    for (size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1)) {
      help.insert(at + 1, std::string(width + 4, ' '));
    }
    out += "  " + syntax + std::string(width - syntax.size() + 2, ' ') + help + "\n";
  }
  return out;
}

}  // namespace haven::cli
