#include "flag_reader.h"

namespace haven::cli {

std::string FlagReader::Text(const std::string& name, bool required) {
  auto value = args_.Get(name);
  if (required && (!value || value->empty())) Fail("--" + name + " is required");
  return value.value_or("");
}

int64_t FlagReader::Time(const std::string& name, bool required) {
  auto value = args_.Get(name);
  if (!value) {
    if (required) Fail("--" + name + " is required");
    return 0;
  }
  auto parsed = ParseTimeFlag(*value, now_us_);
  if (!parsed) {
    Fail("--" + name +
         " must be a time: 2024-05-01, '2024-05-01 14:30' (China Standard\n"
         "Time), 2024-05-01T06:30:00Z, now, or relative: -2d, +3h, -30m");
    return 0;
  }
  return *parsed;
}

int64_t FlagReader::Number(const std::string& name, int64_t min, int64_t max, bool required) {
  auto value = args_.Get(name);
  if (!value) {
    if (required) Fail("--" + name + " is required");
    return 0;
  }
  auto parsed = ParseUint64(*value);
  if (!parsed || static_cast<int64_t>(*parsed) < min || static_cast<int64_t>(*parsed) > max) {
    Fail("--" + name + " must be a number from " + std::to_string(min) + " to " +
         std::to_string(max));
    return 0;
  }
  return static_cast<int64_t>(*parsed);
}

int64_t FlagReader::Yuan(const std::string& name, bool required) {
  auto value = args_.Get(name);
  if (!value) {
    if (required) Fail("--" + name + " is required (yuan)");
    return 0;
  }
  auto fen = ParseYuanToFen(*value);
  if (!fen) Fail("--" + name + " must be yuan with at most two decimals, e.g. 1500 or 1500.50");
  return fen.value_or(0);
}

int FlagReader::EnumNumber(const google::protobuf::EnumDescriptor* type, const std::string& name,
                           bool required) {
  auto value = args_.Get(name);
  if (!value) {
    if (required) Fail("--" + name + " is required: one of " + EnumFlagChoices(type));
    return 0;
  }
  auto number = ParseEnumFlag(type, *value);
  if (!number) {
    Fail("--" + name + " must be one of " + EnumFlagChoices(type));
    return 0;
  }
  return *number;
}

void FillCommandRequest(const std::string& request_id, const std::string& id_field,
                        const std::string& id, std::optional<uint64_t> expected_version,
                        const google::protobuf::Message& command,
                        google::protobuf::Message* request) {
  const auto* descriptor = request->GetDescriptor();
  const auto* reflection = request->GetReflection();
  // A request that is its own command (targets) is copied whole first.
  const bool flat = command.GetDescriptor() == descriptor;
  if (flat) request->CopyFrom(command);
  reflection->SetString(request, descriptor->FindFieldByName("request_id"), request_id);
  if (!id.empty()) reflection->SetString(request, descriptor->FindFieldByName(id_field), id);
  if (expected_version) {
    reflection->SetUInt64(request, descriptor->FindFieldByName("expected_version"),
                          *expected_version);
  }
  if (flat) return;
  const auto* member = descriptor->FindFieldByNumber(4);
  const auto* source = command.GetDescriptor()->FindFieldByName(member->name());
  reflection->MutableMessage(request, member)
      ->CopyFrom(command.GetReflection()->GetMessage(command, source));
}

}  // namespace haven::cli
