#include "services/targets/service/statistics_sources.h"

namespace haven::targets {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* SuppressedField(const Message& message) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName("suppressed_cells");
  if (field == nullptr || !field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return nullptr;
  }
  return field;
}

}  // namespace

std::vector<std::string> SuppressedCellsOf(const Message& response) {
  const Message* holder = &response;
  const FieldDescriptor* field = SuppressedField(response);
  if (field == nullptr) {
    const FieldDescriptor* statistics = response.GetDescriptor()->FindFieldByName("statistics");
    if (statistics == nullptr || statistics->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return {};
    }
    holder = &response.GetReflection()->GetMessage(response, statistics);
    field = SuppressedField(*holder);
    if (field == nullptr) return {};
  }
  const auto& reflection = *holder->GetReflection();
  std::vector<std::string> paths;
  for (int i = 0; i < reflection.FieldSize(*holder, field); ++i) {
    paths.push_back(reflection.GetRepeatedString(*holder, field, i));
  }
  return paths;
}

}  // namespace haven::targets
