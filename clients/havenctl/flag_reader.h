// What every "havenctl <context> <command>" reads from its flags and how
// it sends the command: text, times, numbers, yuan and enums read into a
// command with the first error kept; the request's envelope (request id,
// aggregate id, expected version) filled by field name, the command by the
// request's field 4 named as the member of the context's command oneof.
#ifndef HAVEN_CLIENTS_HAVENCTL_FLAG_READER_H_
#define HAVEN_CLIENTS_HAVENCTL_FLAG_READER_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <optional>
#include <string>

#include "commands_case_format.h"
#include "flags.h"

namespace haven::cli {

// Reads the flags of one subcommand, keeping the first error.  Absent
// optional values stay at their proto defaults (a time of 0 means "now" to
// the server).
class FlagReader {
 public:
  FlagReader(const ParsedArgs& args, int64_t now_us) : args_(args), now_us_(now_us) {}

  const std::string& error() const { return error_; }
  void Fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }
  const ParsedArgs& args() const { return args_; }

  std::string Text(const std::string& name, bool required);
  bool Bool(const std::string& name) { return args_.Has(name); }
  // A time flag (see ParseTimeFlag); 0 when absent.
  int64_t Time(const std::string& name, bool required);
  // A whole number from min to max; 0 when absent.
  int64_t Number(const std::string& name, int64_t min, int64_t max, bool required = false);
  // Yuan with at most two decimals, as fen; 0 when absent.
  int64_t Yuan(const std::string& name, bool required);

  template <typename E>
  E Enum(const std::string& name, bool required) {
    return static_cast<E>(EnumNumber(EnumType<E>(), name, required));
  }

 private:
  int EnumNumber(const google::protobuf::EnumDescriptor* type, const std::string& name,
                 bool required);

  const ParsedArgs& args_;
  const int64_t now_us_;
  std::string error_;
};

// Fills `request` (a context's command request): request_id, `id_field`
// (empty `id` leaves it unset), expected_version when given, and field 4
// from the member of `command`'s oneof that has the same name; or, when
// `command` is itself a request of that type, everything it holds.
void FillCommandRequest(const std::string& request_id, const std::string& id_field,
                        const std::string& id, std::optional<uint64_t> expected_version,
                        const google::protobuf::Message& command,
                        google::protobuf::Message* request);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_FLAG_READER_H_
