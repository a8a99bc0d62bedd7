// havenctl append: one JSON event onto one stream.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.h"
#include "display_width.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "output.h"
#include "uuid.h"

namespace haven::cli {
namespace {

using haven::v1::AppendRequest;
using haven::v1::AppendResponse;
using haven::v1::ExpectedVersion;

bool ParseExpected(const std::string& text, ExpectedVersion* expected) {
  if (text == "any") {
    expected->set_kind(ExpectedVersion::ANY);
  } else if (text == "no-stream") {
    expected->set_kind(ExpectedVersion::NO_STREAM);
  } else if (text == "exists") {
    expected->set_kind(ExpectedVersion::STREAM_EXISTS);
  } else if (auto version = ParseUint64(text)) {
    expected->set_kind(ExpectedVersion::EXACT);
    expected->set_version(*version);
  } else {
    return false;
  }
  return true;
}

// Reads the payload named by --data / --data-file; returns nullopt and sets
// *error when it cannot.
std::optional<std::string> ReadPayload(const ParsedArgs& args, std::string* error) {
  const auto data = args.Get("data");
  const auto file = args.Get("data-file");
  if (data.has_value() == file.has_value()) {
    *error = "give exactly one of --data='JSON', --data=- (stdin) or --data-file=FILE";
    return std::nullopt;
  }
  if (data && *data != "-") return *data;
  std::istream* in = &std::cin;
  std::ifstream stream;
  if (file) {
    stream.open(*file, std::ios::binary);
    if (!stream) {
      *error = "cannot open --data-file " + *file;
      return std::nullopt;
    }
    in = &stream;
  }
  std::string text{std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
  if (in->bad()) {
    *error = "cannot read the payload from " + (file ? *file : std::string("stdin"));
    return std::nullopt;
  }
  return text;
}

int RunAppend(const GlobalOptions& options, const ParsedArgs& args) {
  const Command command = AppendCommand();
  if (args.positional.size() != 1 || args.positional[0].empty()) {
    return UsageError(command, "append takes exactly one STREAM");
  }
  const std::string& stream_id = args.positional[0];
  const auto type = args.Get("type");
  if (!type || type->empty()) return UsageError(command, "--type is required");

  AppendRequest request;
  request.set_stream_id(stream_id);
  if (!ParseExpected(args.Get("expected").value_or("any"), request.mutable_expected_version())) {
    return UsageError(command, "--expected must be any, no-stream, exists or a version number");
  }

  std::string error;
  std::optional<std::string> payload = ReadPayload(args, &error);
  if (!payload) return UsageError(command, error);
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (payload->compare(0, kBom.size(), kBom) == 0) payload->erase(0, kBom.size());
  try {
    [[maybe_unused]] const nlohmann::json parsed = nlohmann::json::parse(*payload);
  } catch (const nlohmann::json::parse_error& e) {
    std::cerr << "havenctl: the payload is not valid JSON: " << e.what() << '\n';
    return kExitUsage;
  }

  const std::string event_id = args.Get("event-id").value_or(NewUuidV4());
  if (!IsCanonicalUuid(event_id)) {
    return UsageError(command,
                      "--event-id must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
  }
  haven::v1::EventData* event = request.add_events();
  event->set_event_id(event_id);
  event->set_event_type(*type);
  event->set_payload(std::move(*payload));
  event->set_content_type("application/json");
  event->set_correlation_id(args.Get("correlation-id").value_or(""));
  event->set_causation_id(args.Get("causation-id").value_or(""));

  auto stub = haven::v1::EventStore::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  AppendResponse response;
  const grpc::Status status = stub->Append(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);

  if (options.json) {
    nlohmann::ordered_json out = {
        {"stream_id", stream_id},
        {"event_id", event_id},
        {"first_version", response.first_version()},
        {"last_version", response.last_version()},
        {"first_position", response.first_position()},
        {"last_position", response.last_position()},
        {"replayed", response.replayed()},
    };
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << (response.replayed() ? "already appended (retry; nothing written): " : "appended: ")
            << "stream " << SanitizeForTerminal(stream_id) << " version " << response.last_version()
            << " position " << response.last_position() << " event_id " << event_id << std::endl;
  return kExitOk;
}

}  // namespace

Command AppendCommand() {
  return {
      "append",
      "STREAM --type=TYPE (--data='JSON' | --data=- | --data-file=FILE) [flags]",
      "append one JSON event to a stream",
      "Appends one event whose payload is a JSON document (content type\n"
      "application/json) to STREAM.  The JSON is checked locally, then sent\n"
      "as given, so UTF-8 text such as Chinese is stored unchanged.  The\n"
      "acting user (--actor) is recorded on the event.\n"
      "Retrying with the same --event-id is safe: the server writes nothing\n"
      "and returns the original version and position.\n\n"
      "Prints the event's stream, version, position and id; with --json an\n"
      "object with stream_id, event_id, first_version, last_version,\n"
      "first_position, last_position and replayed.  On ABORTED the stream's\n"
      "current version is printed too (\"none\" if it does not exist).",
      {
          {"type", "TYPE", "event type, e.g. case.opened (required)"},
          {"data", "JSON", "the payload; '-' reads it from stdin"},
          {"data-file", "FILE", "read the payload from FILE"},
          {"expected", "any|no-stream|exists|N",
           "append only if the stream does not exist yet\n"
           "(no-stream), has events (exists) or ends at\n"
           "version N (default any)"},
          {"event-id", "UUID", "event id, for idempotent retries (default: random)"},
          {"correlation-id", "ID", "groups the events of one business transaction"},
          {"causation-id", "ID", "id of the event or command that caused this one"},
      },
      RunAppend,
  };
}

}  // namespace haven::cli
