// havenctl read (one stream) and havenctl log (the whole log).
#include <algorithm>
#include <iostream>

#include "command.h"
#include "haven/v1/event_store.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

using haven::v1::EventStore;

constexpr uint32_t kMaxPageSize = 1000;

// Parses --limit; nullopt when absent, 0 when invalid (the caller reports).
std::optional<uint64_t> LimitFlag(const ParsedArgs& args) {
  auto text = args.Get("limit");
  if (!text) return std::nullopt;
  return ParseUint64(*text).value_or(0);
}

int RunRead(const GlobalOptions& options, const ParsedArgs& args) {
  const Command command = ReadCommand();
  if (args.positional.size() != 1 || args.positional[0].empty()) {
    return UsageError(command, "read takes exactly one STREAM");
  }
  haven::v1::ReadStreamRequest request;
  request.set_stream_id(args.positional[0]);
  const bool backwards = args.Has("backwards");
  request.set_direction(backwards ? haven::v1::BACKWARDS : haven::v1::FORWARDS);
  if (auto from = args.Get("from")) {
    auto version = ParseUint64(*from);
    if (!version) return UsageError(command, "--from must be a version number");
    request.set_from_version(*version);
  } else if (backwards) {
    request.set_from_end(true);
  }
  if (auto limit = LimitFlag(args)) {
    if (*limit < 1 || *limit > kMaxPageSize) {
      return UsageError(command, "--limit must be 1..1000");
    }
    request.set_limit(static_cast<uint32_t>(*limit));
  }
  const bool all_pages = args.Has("all-pages");

  auto stub = EventStore::NewStub(Connect(options));
  EventPrinter printer(std::cout, options.json);
  bool printed_any = false;
  while (true) {
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    haven::v1::ReadStreamResponse response;
    const grpc::Status status = stub->ReadStream(&context, request, &response);
    if (!status.ok()) return ReportRpcError(status, context);
    printer.Print(response.events());
    printed_any = printed_any || response.events_size() > 0;
    if (!response.has_next_version()) break;
    if (!all_pages) {
      if (!options.json) {
        std::cerr << "(more: --from=" << response.next_version() << ", or --all-pages)\n";
      }
      break;
    }
    // A page that neither returned events nor moved the cursor would repeat
    // forever.
    if (response.events_size() == 0 && !request.from_end() &&
        response.next_version() == request.from_version()) {
      break;
    }
    request.set_from_end(false);
    request.set_from_version(response.next_version());
  }
  if (!printed_any && !options.json) std::cerr << "(no events)\n";
  return kExitOk;
}

int RunLog(const GlobalOptions& options, const ParsedArgs& args) {
  const Command command = LogCommand();
  if (!args.positional.empty()) return UsageError(command, "log takes no arguments");
  haven::v1::ReadAllRequest request;
  if (auto from = args.Get("from")) {
    auto position = ParseUint64(*from);
    if (!position) return UsageError(command, "--from must be a position number");
    request.set_from_position(*position);
  }
  uint64_t remaining = UINT64_MAX;
  if (auto limit = LimitFlag(args)) {
    if (*limit < 1) return UsageError(command, "--limit must be at least 1");
    remaining = *limit;
  }
  request.mutable_filter()->set_event_type_prefix(args.Get("type-prefix").value_or(""));
  request.mutable_filter()->set_stream_prefix(args.Get("stream-prefix").value_or(""));

  auto stub = EventStore::NewStub(Connect(options));
  EventPrinter printer(std::cout, options.json);
  bool printed_any = false;
  while (remaining > 0) {
    request.set_limit(static_cast<uint32_t>(std::min<uint64_t>(remaining, kMaxPageSize)));
    grpc::ClientContext context;
    PrepareContext(options, /*with_deadline=*/true, &context);
    haven::v1::ReadAllResponse response;
    const grpc::Status status = stub->ReadAll(&context, request, &response);
    if (!status.ok()) return ReportRpcError(status, context);
    printer.Print(response.events());
    printed_any = printed_any || response.events_size() > 0;
    remaining -= std::min<uint64_t>(remaining, response.events_size());
    const bool at_head = response.next_position() > response.head_position();
    const bool stuck = response.next_position() <= request.from_position();
    if (at_head || stuck) break;
    request.set_from_position(response.next_position());
  }
  if (!printed_any && !options.json) std::cerr << "(no events)\n";
  return kExitOk;
}

}  // namespace

Command ReadCommand() {
  return {
      "read",
      "STREAM [--from=V] [--backwards] [--limit=N] [--all-pages]",
      "read one stream's events",
      "Reads the events of STREAM in version order, one page (default 100\n"
      "events) unless --all-pages is given.  When more events remain, the\n"
      "--from value for the next page is printed on stderr.  A stream with\n"
      "no events is NOT_FOUND.",
      {
          {"from", "V",
           "first version to return (default: the first, or the\nlast with --backwards)"},
          {"backwards", "", "newest first"},
          {"limit", "N", "events per page, 1..1000 (default 100)"},
          {"all-pages", "", "keep reading pages to the end of the stream"},
      },
      RunRead,
  };
}

Command LogCommand() {
  return {
      "log",
      "[--from=P] [--limit=N] [--type-prefix=T] [--stream-prefix=S]",
      "read the whole log, in position order",
      "Reads every event of the log (all streams) in commit order, from\n"
      "position --from to the current head, optionally filtered.  Both\n"
      "prefixes must match when both are given; they compare bytes exactly.",
      {
          {"from", "P", "first position (default: the start of the log)"},
          {"limit", "N", "stop after N events (default: no limit)"},
          {"type-prefix", "T", "only events whose type starts with T, e.g. case."},
          {"stream-prefix", "S", "only events whose stream id starts with S"},
      },
      RunLog,
  };
}

}  // namespace haven::cli
