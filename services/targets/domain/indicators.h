// The indicators a target may name: every number of every context's
// statistics message (CaseStatistics, LoanStatistics, ChildrenStatistics,
// MicroHomeStatistics, ProjectStatistics), read from their descriptors so
// that a statistic added to a context is an indicator at once.  Named
// "<context>.<field>": "cases.closure_rate", "loans.disbursed_fen".
//
// Units (IndicatorKind): a count as is; money in fen (fields ending
// "_fen"); a rate (haven.cases.v1.Rate) in hundredths of a percent; any
// other number (a double: days, visits) in hundredths.
//
// Thread safety: the catalogue is built once and immutable.
#ifndef HAVEN_SERVICES_TARGETS_DOMAIN_INDICATORS_H_
#define HAVEN_SERVICES_TARGETS_DOMAIN_INDICATORS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "haven/targets/v1/target_service.pb.h"

namespace haven::targets {

// The contexts whose statistics carry indicators, in catalogue order.
inline constexpr const char* kIndicatorContexts[] = {"cases", "loans", "children", "microhomes",
                                                     "projects"};

struct IndicatorInfo {
  std::string name;       // "cases.closure_rate"
  std::string context;    // "cases"
  v1::IndicatorKind kind;
  const google::protobuf::FieldDescriptor* field;  // of the context's statistics message

  v1::Indicator ToProto() const;
};

// Every indicator, by context (kIndicatorContexts order), then field number.
const std::vector<IndicatorInfo>& AllIndicators();

// Null for a name the catalogue does not hold.
const IndicatorInfo* FindIndicator(absl::string_view name);

// The statistics message of `context` ("cases": haven.cases.v1.CaseStatistics);
// null for another name.
const google::protobuf::Descriptor* StatisticsMessageOf(absl::string_view context);

// The indicator's value in `statistics` (a message of its context), in its
// unit; nullopt when the statistic has none (a rate over nothing, a
// median of no closures).
std::optional<int64_t> ReadIndicator(const IndicatorInfo& indicator,
                                     const google::protobuf::Message& statistics);

// The largest target value accepted for an indicator of `kind`.
int64_t MaxTargetValue(v1::IndicatorKind kind);

}  // namespace haven::targets

#endif  // HAVEN_SERVICES_TARGETS_DOMAIN_INDICATORS_H_
