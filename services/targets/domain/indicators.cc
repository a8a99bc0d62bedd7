#include "services/targets/domain/indicators.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "haven/cases/v1/case_service.pb.h"
#include "haven/children/v1/children_service.pb.h"
#include "haven/loans/v1/loan_service.pb.h"
#include "haven/microhomes/v1/microhome_service.pb.h"
#include "haven/projects/v1/project_service.pb.h"

namespace haven::targets {
namespace {

using google::protobuf::FieldDescriptor;

constexpr char kRateMessage[] = "haven.cases.v1.Rate";

// Numbers of a statistics message that describe the question, not the
// answer (the children's "awaiting more than N days" threshold).
bool IsParameter(const FieldDescriptor& field) { return field.name() == "awaiting_days"; }

std::optional<v1::IndicatorKind> KindOf(const FieldDescriptor& field) {
  if (field.is_repeated() || IsParameter(field)) return std::nullopt;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::EndsWith(field.name(), "_fen") ? v1::INDICATOR_KIND_FEN
                                                  : v1::INDICATOR_KIND_COUNT;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return v1::INDICATOR_KIND_NUMBER;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field.message_type()->full_name() == kRateMessage) return v1::INDICATOR_KIND_RATE;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::vector<IndicatorInfo> BuildCatalogue() {
  std::vector<IndicatorInfo> all;
  for (const char* context : kIndicatorContexts) {
    const google::protobuf::Descriptor* message = StatisticsMessageOf(context);
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      std::optional<v1::IndicatorKind> kind = KindOf(*field);
      if (!kind) continue;
      all.push_back({absl::StrCat(context, ".", field->name()), context, *kind, field});
    }
  }
  return all;
}

int64_t RoundedHundredths(double value) { return std::llround(value * 100.0); }

}  // namespace

v1::Indicator IndicatorInfo::ToProto() const {
  v1::Indicator proto;
  proto.set_name(name);
  proto.set_context(context);
  proto.set_statistic(field->name());
  proto.set_kind(kind);
  return proto;
}

const std::vector<IndicatorInfo>& AllIndicators() {
  static const std::vector<IndicatorInfo>* const kAll =
      new std::vector<IndicatorInfo>(BuildCatalogue());
  return *kAll;
}

const IndicatorInfo* FindIndicator(absl::string_view name) {
  for (const IndicatorInfo& indicator : AllIndicators()) {
    if (indicator.name == name) return &indicator;
  }
  return nullptr;
}

const google::protobuf::Descriptor* StatisticsMessageOf(absl::string_view context) {
  if (context == "cases") return cases::v1::CaseStatistics::descriptor();
  if (context == "loans") return loans::v1::LoanStatistics::descriptor();
  if (context == "children") return children::v1::ChildrenStatistics::descriptor();
  if (context == "microhomes") return microhomes::v1::MicroHomeStatistics::descriptor();
  if (context == "projects") return projects::v1::ProjectStatistics::descriptor();
  return nullptr;
}

std::optional<int64_t> ReadIndicator(const IndicatorInfo& indicator,
                                     const google::protobuf::Message& statistics) {
  const google::protobuf::Reflection& reflection = *statistics.GetReflection();
  const FieldDescriptor& field = *indicator.field;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64: return reflection.GetInt64(statistics, &field);
    case FieldDescriptor::CPPTYPE_INT32: return reflection.GetInt32(statistics, &field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<int64_t>(reflection.GetUInt64(statistics, &field));
    case FieldDescriptor::CPPTYPE_UINT32: return reflection.GetUInt32(statistics, &field);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (field.has_presence() && !reflection.HasField(statistics, &field)) return std::nullopt;
      return RoundedHundredths(reflection.GetDouble(statistics, &field));
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const google::protobuf::Message& rate = reflection.GetMessage(statistics, &field);
      const google::protobuf::Descriptor& type = *rate.GetDescriptor();
      const google::protobuf::Reflection& rate_reflection = *rate.GetReflection();
      const int64_t numerator =
          rate_reflection.GetInt64(rate, type.FindFieldByName("numerator"));
      const int64_t denominator =
          rate_reflection.GetInt64(rate, type.FindFieldByName("denominator"));
      if (denominator <= 0) return std::nullopt;
      // Hundredths of a percent, rounded half up.
      return (numerator * 10'000 * 2 + denominator) / (2 * denominator);
    }
    default:
      return std::nullopt;
  }
}

int64_t MaxTargetValue(v1::IndicatorKind kind) {
  switch (kind) {
    case v1::INDICATOR_KIND_RATE: return 10'000;
    case v1::INDICATOR_KIND_FEN: return 100'000'000'000'000;  // a trillion yuan
    default: return 1'000'000'000'000;
  }
}

}  // namespace haven::targets
