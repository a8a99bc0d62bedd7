// What every "havenctl <programme> <step>" verb does once its flags are read
// into a command: find the aggregate's id (--<id-flag> or the one
// positional argument), require --expected-version except for the verb
// that creates it, fill the request (FillCommandRequest), send it, and
// print the version and position (or the response as JSON).  The
// micro-home, project and children verbs run on it; loans keep their own
// copy in commands_loan.cc.
#ifndef HAVEN_CLIENTS_HAVENCTL_AGGREGATE_VERBS_H_
#define HAVEN_CLIENTS_HAVENCTL_AGGREGATE_VERBS_H_

#include <google/protobuf/message.h>

#include <iostream>
#include <string>

#include "client.h"
#include "commands_case_common.h"
#include "display_width.h"
#include "flag_reader.h"
#include "output.h"

namespace haven::cli {

// How an aggregate is named on the command line.
struct AggregateNoun {
  const char* noun;      // "micro-home", for messages
  const char* id_flag;   // "unit": --unit=ID or the positional argument
  const char* id_field;  // the requests' field, "unit_id"
  const char* show;      // the verb that prints the version, "microhome show"
};

// The id: --<id_flag>, or the one positional argument.
std::string AggregateIdArgument(const ParsedArgs& args, const AggregateNoun& noun,
                                std::string* error);

// Sends `command` as `Request` through `method` of `Service`'s stub.
// `creates`: the verb creates the aggregate (no expected version, and the
// id may be left to the server when `id_optional`).
template <typename Service, typename Command, typename Request, typename Response>
int SendAggregateCommand(const GlobalOptions& options, const ParsedArgs& args,
                         const Subcommand& self, const AggregateNoun& noun,
                         const Command& command, bool creates, bool id_optional,
                         grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*)) {
  std::string error;
  const std::string id = AggregateIdArgument(args, noun, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (id.empty() && !(creates && id_optional)) {
    return SubcommandUsageError(self, std::string("--") + noun.id_flag + " is required");
  }
  const auto expected = ExpectedVersionFlag(args, &error);
  if (!error.empty()) return SubcommandUsageError(self, error);
  if (!creates && !expected) {
    return SubcommandUsageError(self, std::string("--expected-version is required ('") +
                                          noun.show + "' prints it)");
  }
  Request request;
  const std::string request_id = RequestIdFlag(args);
  FillCommandRequest(request_id, noun.id_field, id, expected, command, &request);
  auto stub = Service::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  Response response;
  const grpc::Status status = ((*stub).*method)(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = ProtoToJson(response);
    out["request_id"] = request_id;
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  // The id the server answered with (it may have derived it): the field
  // named as the request's, or "id".
  const auto* field = response.GetDescriptor()->FindFieldByName(noun.id_field);
  if (field == nullptr) field = response.GetDescriptor()->FindFieldByName("id");
  const std::string answered =
      field == nullptr ? id : response.GetReflection()->GetString(response, field);
  std::cout << noun.noun << " " << SanitizeForTerminal(answered) << ": version "
            << response.version() << ", position " << response.position()
            << (response.replayed() ? " (a retry: nothing written)" : "") << std::endl;
  return kExitOk;
}

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_AGGREGATE_VERBS_H_
