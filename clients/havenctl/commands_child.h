// What "havenctl child" shares between its files: the Chinese labels of
// the context's enums, the read subcommands (show, mentor, list, stats),
// and the statistics table, which tests check on its own.
#ifndef HAVEN_CLIENTS_HAVENCTL_COMMANDS_CHILD_H_
#define HAVEN_CLIENTS_HAVENCTL_COMMANDS_CHILD_H_

#include <google/protobuf/descriptor.h>

#include <string>

#include "aggregate_verbs.h"
#include "commands_case_common.h"
#include "haven/children/v1/children_service.pb.h"

namespace haven::cli {

inline const AggregateNoun kChildNoun = {"child", "child", "child_id", "child show"};
inline const AggregateNoun kMentorNoun = {"mentor", "mentor", "mentor_id", "child mentor"};

// "留守儿童 (left_behind)" for CHILD_CATEGORY_LEFT_BEHIND: the label of a
// value of one of the context's enums with its flag name; "—" for
// UNSPECIFIED; the flag name alone for a value the table lacks.
std::string ChildLabel(const google::protobuf::EnumDescriptor* type, int number);
// The label alone ("留守儿童"), for tables.
std::string ChildShortLabel(const google::protobuf::EnumDescriptor* type, int number);

// The statistics as people read them: the period, a table of counts and
// yuan, visits by term, and which cells were withheld.
std::string FormatChildrenStatistics(const std::string& unit,
                                     const children::v1::GetChildrenStatisticsResponse& response);

int RunChildShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self);
int RunMentorShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self);
int RunChildList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self);
int RunChildStats(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_COMMANDS_CHILD_H_
