#include "services/common/small_cells.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace haven::services {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsSmall(int64_t count) { return count > 0 && count < kMinPublishedCount; }

bool IsIntegerField(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return true;
    default:
      return false;
  }
}

int64_t IntegerValue(const Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r.GetInt32(message, &field);
    case FieldDescriptor::CPPTYPE_INT64: return r.GetInt64(message, &field);
    case FieldDescriptor::CPPTYPE_UINT32: return r.GetUInt32(message, &field);
    case FieldDescriptor::CPPTYPE_UINT64: return static_cast<int64_t>(r.GetUInt64(message, &field));
    default: return 0;
  }
}

// Whether `field` holds something worth clearing.
bool IsSet(const Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  if (field.has_presence()) return r.HasField(message, &field);
  if (IsIntegerField(field)) return IntegerValue(message, field) != 0;
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) return r.GetDouble(message, &field) != 0;
  return false;
}

class Suppressor {
 public:
  explicit Suppressor(const SmallCellRules& rules) : rules_(rules) {}

  void Visit(Message& message, const std::string& path) {
    const Reflection& r = *message.GetReflection();
    const google::protobuf::Descriptor& d = *message.GetDescriptor();
    std::vector<std::string> withheld;  // field names cleared in this message
    for (int i = 0; i < d.field_count(); ++i) {
      const FieldDescriptor& field = *d.field(i);
      const std::string field_path = Join(path, field.name());
      if (field.is_repeated()) {
        if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
        for (int j = 0; j < r.FieldSize(message, &field); ++j) {
          Message& element = *r.MutableRepeatedMessage(&message, &field, j);
          Visit(element, absl::StrCat(field_path, "[", j, "]"));
        }
        continue;
      }
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (!r.HasField(message, &field)) continue;
        Message& child = *r.MutableMessage(&message, &field);
        if (child.GetDescriptor()->full_name() == rules_.rate_message) {
          const FieldDescriptor* denominator = child.GetDescriptor()->FindFieldByName("denominator");
          if (denominator != nullptr && IsSmall(IntegerValue(child, *denominator))) {
            r.ClearField(&message, &field);
            Withhold(field_path, field.name(), withheld);
          }
          continue;
        }
        Visit(child, field_path);
        continue;
      }
      if (!IsIntegerField(field) || IsNotACount(field.name()) || IsSum(field.name())) continue;
      if (rules_.derived_from.count(field.name()) > 0) continue;  // after its count
      if (IsSmall(IntegerValue(message, field))) {
        r.ClearField(&message, &field);
        Withhold(field_path, field.name(), withheld);
      }
    }
    if (!withheld.empty()) {
      for (int i = 0; i < d.field_count(); ++i) {
        const FieldDescriptor& field = *d.field(i);
        if (field.is_repeated() || !IsSum(field.name()) || !IsSet(message, field)) continue;
        if (rules_.derived_from.count(field.name()) > 0) continue;  // its own count decides
        r.ClearField(&message, &field);
        suppressed_.push_back(Join(path, field.name()));
      }
    }
    for (const auto& [derived, count] : rules_.derived_from) {
      const FieldDescriptor* field = d.FindFieldByName(derived);
      if (field == nullptr) continue;
      const bool count_withheld =
          std::find(withheld.begin(), withheld.end(), count) != withheld.end();
      if (count_withheld && IsSet(message, *field)) {
        r.ClearField(&message, field);
        suppressed_.push_back(Join(path, derived));
      }
    }
  }

  std::vector<std::string> Take() { return std::move(suppressed_); }

 private:
  static std::string Join(const std::string& path, const std::string& name) {
    return path.empty() ? name : absl::StrCat(path, ".", name);
  }

  bool IsNotACount(const std::string& name) const {
    return std::find(rules_.not_counts.begin(), rules_.not_counts.end(), name) !=
           rules_.not_counts.end();
  }

  bool IsSum(const std::string& name) const {
    const std::string& suffix = rules_.sum_suffix;
    return !suffix.empty() && name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  }

  void Withhold(const std::string& path, const std::string& name,
                std::vector<std::string>& withheld) {
    suppressed_.push_back(path);
    withheld.push_back(name);
  }

  const SmallCellRules& rules_;
  std::vector<std::string> suppressed_;
};

}  // namespace

std::vector<std::string> SuppressSmallCells(Message& statistics, const SmallCellRules& rules) {
  Suppressor suppressor(rules);
  suppressor.Visit(statistics, "");
  return suppressor.Take();
}

}  // namespace haven::services
