#include "aggregate_verbs.h"

namespace haven::cli {

std::string AggregateIdArgument(const ParsedArgs& args, const AggregateNoun& noun,
                                std::string* error) {
  const auto flag = args.Get(noun.id_flag);
  if ((flag && !args.positional.empty()) || args.positional.size() > 1) {
    *error = std::string("give the ") + noun.noun + " once: as ID or --" + noun.id_flag + "=ID";
    return "";
  }
  if (flag) return *flag;
  return args.positional.empty() ? "" : args.positional[0];
}

}  // namespace haven::cli
