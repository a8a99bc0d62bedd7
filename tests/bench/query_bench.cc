// haven_query_bench: latency of the case queries against a running, seeded
// havend, and the projections' full rebuild rate.
//
// Discovers the case ids (EventStore.ReadAll of the "case.opened" events of
// the "case-" streams) and the counties (DirectoryService.ListChildren of
// the city), waits until the projections have caught up with the log head
// (GetProjectionStatus, else a query with min_position = head), then runs
// each query closed-loop, one at a time, for --duration seconds (or --count
// calls) after --warmup calls:
//   case_history   GetCaseHistory of a random case, whole timeline (one page)
//   case_list      ListCases, first page of 50, status open + unit_subtree a
//                  random county; every other call also a random category
//   county_stats   GetStatistics, a random county, the last 12 months
//   city_asof      GetStatistics, the city as of --asof-days-ago days ago
//                  (default 90), over the year before that day; prints the
//                  cases it counted (a seeded history should give some)
//   loans_stats, children_stats, microhome_compliance, projects_stats
//                  the programmes' statistics of a random county over the
//                  last 12 months: LoanService.GetLoanStatistics,
//                  ChildrenService.GetChildrenStatistics,
//                  MicroHomeService.GetMicroHomeCompliance (every
//                  demonstration site checked against the standard),
//                  ProjectService.GetProjectStatistics; prints what the
//                  first answer counted
// then RebuildProjections(all) and the rebuild rate (events/s): the rate the
// server reports, else log events / seconds until the projections are back
// at the head.  Prints one RESULT line per query and one for the rebuild
// (parsed by tests/bench/queries.sh).
//
// ListCases, GetStatistics, GetProjectionStatus and RebuildProjections are
// called through the generic stub with requests built by reflection from
// the compiled-in descriptors, so the benchmark builds and measures what it
// can whichever of them the proto has; a missing rpc is reported as n/a.
//
//   haven_query_bench --server=127.0.0.1:7070 --duration=10
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/children/v1/children_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/loans/v1/loan_service.grpc.pb.h"
#include "haven/microhomes/v1/microhome_service.grpc.pb.h"
#include "haven/projects/v1/project_service.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"

namespace hb = haven::bench;
namespace pb = google::protobuf;
namespace cases = haven::cases::v1;
namespace dir = haven::directory::v1;

namespace {

constexpr char kCaseService[] = "haven.cases.v1.CaseService";

std::chrono::system_clock::time_point In(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::duration<double>(seconds));
}

void Prepare(grpc::ClientContext* ctx, double deadline_s) {
  ctx->set_deadline(In(deadline_s));
  ctx->AddMetadata("haven-actor", "query-bench");
}

std::string StatusText(const grpc::Status& s) {
  return "status " + std::to_string(s.error_code()) + ": " + s.error_message();
}

// ---- Dynamic calls of CaseService methods the proto may not have yet.

// A method of the CaseService found in the generated pool, with prototypes
// of its request and response.
struct DynamicMethod {
  std::string path;  // "/haven.cases.v1.CaseService/ListCases"
  const pb::Message* request_prototype = nullptr;
  const pb::Message* response_prototype = nullptr;
};

std::optional<DynamicMethod> FindMethod(const std::string& name) {
  const pb::ServiceDescriptor* service =
      pb::DescriptorPool::generated_pool()->FindServiceByName(kCaseService);
  if (service == nullptr) return std::nullopt;
  const pb::MethodDescriptor* method = service->FindMethodByName(name);
  if (method == nullptr) return std::nullopt;
  DynamicMethod m;
  m.path = "/" + std::string(kCaseService) + "/" + name;
  m.request_prototype = pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  m.response_prototype = pb::MessageFactory::generated_factory()->GetPrototype(method->output_type());
  if (m.request_prototype == nullptr || m.response_prototype == nullptr) return std::nullopt;
  return m;
}

grpc::Status CallDynamic(grpc::GenericStub& stub, const DynamicMethod& method,
                         const pb::Message& request, pb::Message* response, double deadline_s) {
  grpc::ClientContext ctx;
  Prepare(&ctx, deadline_s);
  std::string bytes;
  request.SerializeToString(&bytes);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer req(&slice, 1), resp;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method.path, grpc::StubOptions(), &req, &resp,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string out;
  if (resp.Dump(&slices).ok()) {
    for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (!response->ParseFromString(out)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "response does not parse");
  }
  return status;
}

// The request from text format, e.g. `filter { status: CASE_STATUS_OPEN }`.
std::unique_ptr<pb::Message> RequestFromText(const DynamicMethod& method, const std::string& text,
                                             std::string* error) {
  std::unique_ptr<pb::Message> msg(method.request_prototype->New());
  if (!pb::TextFormat::ParseFromString(text, msg.get())) {
    *error = "cannot build " + msg->GetDescriptor()->full_name() + " from: " + text;
    return nullptr;
  }
  return msg;
}

// ---- Field lookups by name in a message tree (for responses whose exact
// shape this benchmark does not depend on).

// Every numeric field of `msg` (recursively) as name path → value.
void NumericFields(const pb::Message& msg, const std::string& prefix,
                   std::vector<std::pair<std::string, double>>* out) {
  const pb::Reflection* r = msg.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const auto* f : fields) {
    const std::string name = prefix + f->name();
    if (f->is_repeated()) {
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        for (int i = 0; i < r->FieldSize(msg, f); ++i) {
          NumericFields(r->GetRepeatedMessage(msg, f, i), name + "[" + std::to_string(i) + "].", out);
        }
      }
      continue;
    }
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32: out->push_back({name, double(r->GetInt32(msg, f))}); break;
      case pb::FieldDescriptor::CPPTYPE_INT64: out->push_back({name, double(r->GetInt64(msg, f))}); break;
      case pb::FieldDescriptor::CPPTYPE_UINT32: out->push_back({name, double(r->GetUInt32(msg, f))}); break;
      case pb::FieldDescriptor::CPPTYPE_UINT64: out->push_back({name, double(r->GetUInt64(msg, f))}); break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE: out->push_back({name, r->GetDouble(msg, f)}); break;
      case pb::FieldDescriptor::CPPTYPE_FLOAT: out->push_back({name, double(r->GetFloat(msg, f))}); break;
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        NumericFields(r->GetMessage(msg, f), name + ".", out);
        break;
      default: break;
    }
  }
}

int RepeatedCount(const pb::Message& msg, const std::string& field) {
  const pb::FieldDescriptor* f = msg.GetDescriptor()->FindFieldByName(field);
  if (f == nullptr || !f->is_repeated()) return -1;
  return msg.GetReflection()->FieldSize(msg, f);
}

// The first non-empty `error` of the `projections` of a
// GetProjectionStatusResponse, as "name: error".
std::string ProjectionError(const pb::Message& status) {
  const pb::FieldDescriptor* list = status.GetDescriptor()->FindFieldByName("projections");
  if (list == nullptr || !list->is_repeated() || list->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    return "";
  }
  const pb::Reflection* r = status.GetReflection();
  for (int i = 0; i < r->FieldSize(status, list); ++i) {
    const pb::Message& p = r->GetRepeatedMessage(status, list, i);
    const pb::FieldDescriptor* error = p.GetDescriptor()->FindFieldByName("error");
    const pb::FieldDescriptor* name = p.GetDescriptor()->FindFieldByName("name");
    if (error == nullptr || error->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) continue;
    const std::string text = p.GetReflection()->GetString(p, error);
    if (!text.empty()) {
      return (name ? p.GetReflection()->GetString(p, name) : std::string("?")) + ": " + text;
    }
  }
  return "";
}

// ---- Civil days in China Standard Time (UTC+8), as "YYYY-MM-DD".

std::string CstDay(int days_from_today) {
  const std::time_t now = std::time(nullptr) + 8 * 3600 + int64_t{days_from_today} * 86400;
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// A day field of a request: the proto may carry days as "YYYY-MM-DD"
// strings, as google.type.Date-like messages {year month day}, or as day
// numbers since 1970-01-01.  Returns the text-format value for `field`.
std::string DayValue(const pb::Descriptor* request, const std::string& field, int days_from_today) {
  const std::string day = CstDay(days_from_today);
  const pb::FieldDescriptor* f = request->FindFieldByName(field);
  if (f != nullptr && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    return field + " { year: " + std::to_string(std::stoi(day.substr(0, 4))) +
           " month: " + std::to_string(std::stoi(day.substr(5, 2))) +
           " day: " + std::to_string(std::stoi(day.substr(8, 2))) + " } ";
  }
  if (f != nullptr && f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
    const int64_t epoch_day = (std::time(nullptr) + 8 * 3600) / 86400 + days_from_today;
    return field + ": " + std::to_string(epoch_day) + " ";
  }
  return field + ": \"" + day + "\" ";
}

// ---- Measurement.

struct Result {
  std::string name;
  std::vector<int64_t> ns;
  int64_t errors = 0;
  std::string first_error;
  std::string note;
  bool available = true;
};

void PrintResult(const Result& r) {
  hb::Stats stats(r.ns);
  if (!r.available || r.ns.empty()) {
    std::printf("%-14s n/a (%s)\n", r.name.c_str(), r.note.empty() ? r.first_error.c_str() : r.note.c_str());
    std::printf("RESULT query=%s available=0\n", r.name.c_str());
  } else {
    std::printf("%-14s count=%zu p50=%.2f ms p99=%.2f ms max=%.2f ms errors=%lld%s%s\n", r.name.c_str(),
                r.ns.size(), stats.PercentileMs(50), stats.PercentileMs(99), stats.MaxMs(),
                static_cast<long long>(r.errors), r.first_error.empty() ? "" : " first error: ",
                r.first_error.c_str());
    std::printf("RESULT query=%s available=1 count=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%lld\n",
                r.name.c_str(), r.ns.size(), stats.PercentileMs(50), stats.PercentileMs(99), stats.MaxMs(),
                static_cast<long long>(r.errors));
  }
  std::fflush(stdout);
}

// Calls `call(i)` --warmup times unmeasured, then for `duration_s` seconds
// (or `count` calls).  `call` returns an error text, empty on success.
void Measure(Result* r, int warmup, double duration_s, int64_t count,
             const std::function<std::string(int64_t)>& call) {
  for (int i = 0; i < warmup; ++i) {
    std::string err = call(i);
    if (!err.empty() && i == 0) {  // Not served at all: do not measure.
      r->first_error = err;
      if (err.find("status 12:") == 0) {  // UNIMPLEMENTED
        r->available = false;
        r->note = "server does not implement it";
        return;
      }
    }
  }
  const auto end = hb::Clock::now() + std::chrono::duration<double>(duration_s);
  for (int64_t i = 0; count > 0 ? i < count : hb::Clock::now() < end; ++i) {
    const auto start = hb::Clock::now();
    std::string err = call(warmup + i);
    const auto stop = hb::Clock::now();
    if (!err.empty()) {
      if (r->errors++ == 0 && r->first_error.empty()) r->first_error = err;
      continue;
    }
    r->ns.push_back(hb::NanosSince(start, stop));
  }
}

}  // namespace

int main(int argc, char** argv) {
  hb::Flags flags(argc, argv,
                  {{"server", "127.0.0.1:7070"},
                   {"duration", "10"},
                   {"count", "0"},
                   {"warmup", "50"},
                   {"seed", "1"},
                   {"max-cases", "1000000"},
                   {"page-size", "50"},
                   {"catch-up-timeout", "600"},
                   {"rebuild", "true"},
                   {"rebuild-timeout", "900"},
                   {"queries", "case_history,case_list,county_stats,city_asof,loans_stats,"
                               "children_stats,microhome_compliance,projects_stats"},
                   {"asof-days-ago", "90"},
                   {"verbose", "false"}});
  const double duration = flags.Double("duration");
  const int64_t count = flags.Int("count");
  const int warmup = static_cast<int>(flags.Int("warmup"));
  const bool verbose = flags.Bool("verbose");
  std::mt19937_64 rng(static_cast<uint64_t>(flags.Int("seed")));

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(flags.Str("server"), grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(In(30))) {
    std::fprintf(stderr, "query_bench: cannot connect to %s\n", flags.Str("server").c_str());
    return 1;
  }
  auto events = haven::v1::EventStore::NewStub(channel);
  auto directory = dir::DirectoryService::NewStub(channel);
  auto case_stub = cases::CaseService::NewStub(channel);
  grpc::GenericStub generic(channel);

  // ---- The log head, and the case ids from the "case.opened" events.
  uint64_t head = 0;
  std::vector<std::string> case_ids;
  {
    const auto start = hb::Clock::now();
    uint64_t from = 1;
    for (;;) {
      haven::v1::ReadAllRequest req;
      req.set_from_position(from);
      req.set_limit(1000);
      req.mutable_filter()->set_stream_prefix("case-");
      req.mutable_filter()->set_event_type_prefix("case.opened");
      haven::v1::ReadAllResponse resp;
      grpc::ClientContext ctx;
      Prepare(&ctx, 60);
      grpc::Status s = events->ReadAll(&ctx, req, &resp);
      if (!s.ok()) {
        std::fprintf(stderr, "query_bench: ReadAll: %s\n", StatusText(s).c_str());
        return 1;
      }
      if (head == 0) head = resp.head_position();
      for (const auto& e : resp.events()) {
        if (case_ids.size() < static_cast<size_t>(flags.Int("max-cases"))) case_ids.push_back(e.stream_id());
      }
      // With a filter a page may be empty while the scan goes on.
      if (resp.next_position() <= from || resp.next_position() > resp.head_position()) break;
      from = resp.next_position();
    }
    std::fprintf(stderr, "query_bench: %zu cases, log head %llu (found in %.1f s)\n", case_ids.size(),
                 static_cast<unsigned long long>(head),
                 hb::NanosSince(start, hb::Clock::now()) / 1e9);
    if (case_ids.empty()) {
      std::fprintf(stderr, "query_bench: no cases in the log; seed it first (haven_seed)\n");
      return 1;
    }
  }

  // ---- The city and its counties.
  std::string city_id;
  std::vector<std::string> counties;
  {
    dir::ListChildrenRequest req;
    dir::ListChildrenResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx, 10);
    grpc::Status s = directory->ListChildren(&ctx, req, &resp);
    if (!s.ok() || resp.units_size() == 0) {
      std::fprintf(stderr, "query_bench: ListChildren(root): %s\n",
                   s.ok() ? "no root unit" : StatusText(s).c_str());
      return 1;
    }
    // The root's "children" call with an empty id lists the root itself
    // (or its children, if the server treats "" as the root's id).
    const dir::Unit& first = resp.units(0);
    if (first.depth() == 0) {
      city_id = first.unit_id();
      dir::ListChildrenRequest creq;
      creq.set_unit_id(city_id);
      dir::ListChildrenResponse cresp;
      grpc::ClientContext cctx;
      Prepare(&cctx, 10);
      s = directory->ListChildren(&cctx, creq, &cresp);
      if (!s.ok()) {
        std::fprintf(stderr, "query_bench: ListChildren(%s): %s\n", city_id.c_str(), StatusText(s).c_str());
        return 1;
      }
      for (const auto& u : cresp.units()) {
        if (u.kind() == dir::UNIT_KIND_COUNTY || u.kind() == dir::UNIT_KIND_DISTRICT) counties.push_back(u.unit_id());
      }
    } else {
      city_id = first.parent_id();
      for (const auto& u : resp.units()) {
        if (u.kind() == dir::UNIT_KIND_COUNTY || u.kind() == dir::UNIT_KIND_DISTRICT) counties.push_back(u.unit_id());
      }
    }
    std::fprintf(stderr, "query_bench: city %s, %zu counties/districts\n", city_id.c_str(), counties.size());
    if (counties.empty()) {
      std::fprintf(stderr, "query_bench: the city has no counties\n");
      return 1;
    }
  }

  const auto list_method = FindMethod("ListCases");
  const auto stats_method = FindMethod("GetStatistics");
  const auto status_method = FindMethod("GetProjectionStatus");
  const auto rebuild_method = FindMethod("RebuildProjections");
  std::fprintf(stderr, "query_bench: rpcs in the proto: ListCases %s, GetStatistics %s, GetProjectionStatus %s, "
               "RebuildProjections %s\n",
               list_method ? "yes" : "no", stats_method ? "yes" : "no", status_method ? "yes" : "no",
               rebuild_method ? "yes" : "no");

  // Waits until every projection has applied the log up to `position`.
  // Returns the seconds waited, or a negative value on failure.
  auto wait_caught_up = [&](uint64_t position, double timeout_s) -> double {
    const auto start = hb::Clock::now();
    const auto deadline = start + std::chrono::duration<double>(timeout_s);
    std::string last;
    if (status_method) {
      std::string err;
      auto req = RequestFromText(*status_method,
                                 status_method->request_prototype->GetDescriptor()->FindFieldByName("min_position")
                                     ? "min_position: " + std::to_string(position)
                                     : "",
                                 &err);
      while (req && hb::Clock::now() < deadline) {
        std::unique_ptr<pb::Message> resp(status_method->response_prototype->New());
        grpc::Status s = CallDynamic(generic, *status_method, *req, resp.get(), 30);
        if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) break;
        if (s.ok()) {
          // Caught up when every *lag* field is 0 and every applied/checkpoint
          // position is at least `position`.
          std::vector<std::pair<std::string, double>> nums;
          NumericFields(*resp, "", &nums);
          bool behind = false, seen_position = false;
          for (const auto& [name, v] : nums) {
            const bool is_lag = name.find("lag") != std::string::npos || name.find("behind") != std::string::npos;
            const bool is_pos = name.find("checkpoint") != std::string::npos ||
                                name.find("applied") != std::string::npos;
            if (is_lag && v > 0) behind = true;
            if (is_pos && name.find("position") != std::string::npos) {
              seen_position = true;
              if (v < static_cast<double>(position)) behind = true;
            }
          }
          if (verbose) std::fprintf(stderr, "query_bench: status %s\n", resp->ShortDebugString().c_str());
          const std::string stopped = ProjectionError(*resp);
          if (!stopped.empty()) {
            std::fprintf(stderr, "query_bench: a projection stopped: %s\n", stopped.c_str());
            return -1;
          }
          if (!behind && (seen_position || !nums.empty())) {
            return hb::NanosSince(start, hb::Clock::now()) / 1e9;
          }
          last = resp->ShortDebugString();
        } else {
          last = StatusText(s);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
    // Without the status rpc: a list query with min_position = position
    // waits (within its deadline) until the projections have reached it.
    if (list_method) {
      while (hb::Clock::now() < deadline) {
        std::string err;
        auto req = RequestFromText(*list_method, "page_size: 1 min_position: " + std::to_string(position), &err);
        if (!req) break;
        std::unique_ptr<pb::Message> resp(list_method->response_prototype->New());
        grpc::Status s = CallDynamic(generic, *list_method, *req, resp.get(), 30);
        if (s.ok()) return hb::NanosSince(start, hb::Clock::now()) / 1e9;
        last = StatusText(s);
        if (s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
            s.error_code() != grpc::StatusCode::UNAVAILABLE) {
          break;
        }
      }
    }
    std::fprintf(stderr, "query_bench: projections did not reach position %llu (%s)\n",
                 static_cast<unsigned long long>(position), last.c_str());
    return -1;
  };

  {
    const double waited = wait_caught_up(head, flags.Double("catch-up-timeout"));
    if (waited < 0) return 1;
    std::fprintf(stderr, "query_bench: projections at the log head after %.1f s\n", waited);
  }

  auto random_case = [&]() -> const std::string& { return case_ids[rng() % case_ids.size()]; };
  auto random_county = [&]() -> const std::string& { return counties[rng() % counties.size()]; };
  const std::string queries = "," + flags.Str("queries") + ",";
  auto wanted = [&](const char* q) { return queries.find("," + std::string(q) + ",") != std::string::npos; };
  std::vector<Result> results;

  // ---- GetCaseHistory: the whole timeline of a random case.
  if (wanted("case_history")) {
    Result r{"case_history"};
    int64_t entries = 0;
    Measure(&r, warmup, duration, count, [&](int64_t) -> std::string {
      cases::GetCaseHistoryRequest req;
      req.set_case_id(random_case());
      req.set_page_size(1000);
      cases::GetCaseHistoryResponse resp;
      grpc::ClientContext ctx;
      Prepare(&ctx, 10);
      grpc::Status s = case_stub->GetCaseHistory(&ctx, req, &resp);
      if (!s.ok()) return StatusText(s);
      if (resp.entries_size() == 0) return "empty history of " + req.case_id();
      entries += resp.entries_size();
      return "";
    });
    if (!r.ns.empty()) {
      std::fprintf(stderr, "query_bench: case_history: %.1f entries per case on average\n",
                   static_cast<double>(entries) / static_cast<double>(r.ns.size() + warmup));
    }
    PrintResult(r);
    results.push_back(r);
  }

  // ---- ListCases: open cases of a county's subtree, first page; every
  // other call also filtered by a category.
  if (wanted("case_list")) {
    Result r{"case_list"};
    if (!list_method) {
      r.available = false;
      r.note = "ListCases is not in the proto";
    } else {
      const pb::Descriptor* d = list_method->request_prototype->GetDescriptor();
      // The filter either sits in a `filter` message or in the request itself.
      const bool nested = d->FindFieldByName("filter") != nullptr;
      const std::string page_size = "page_size: " + flags.Str("page-size") + " ";
      int64_t rows = 0, calls = 0;
      Measure(&r, warmup, duration, count, [&](int64_t i) -> std::string {
        std::string filter = "status: CASE_STATUS_OPEN unit_subtree: \"" + random_county() + "\" ";
        if (i % 2 == 1) filter += "category: " + std::to_string(1 + rng() % 7) + " ";
        std::string err;
        auto req = RequestFromText(*list_method, page_size + (nested ? "filter { " + filter + "}" : filter), &err);
        if (!req) return err;
        std::unique_ptr<pb::Message> resp(list_method->response_prototype->New());
        grpc::Status s = CallDynamic(generic, *list_method, *req, resp.get(), 10);
        if (!s.ok()) return StatusText(s);
        const int n = RepeatedCount(*resp, "cases");
        if (n > 0) rows += n;
        ++calls;
        return "";
      });
      if (calls > 0) {
        std::fprintf(stderr, "query_bench: case_list: %.1f cases per page on average\n",
                     static_cast<double>(rows) / static_cast<double>(calls));
      }
    }
    PrintResult(r);
    results.push_back(r);
  }

  // ---- GetStatistics.
  auto stats_query = [&](const char* name, bool city) {
    Result r{name};
    if (!stats_method) {
      r.available = false;
      r.note = "GetStatistics is not in the proto";
      PrintResult(r);
      results.push_back(r);
      return;
    }
    const pb::Descriptor* d = stats_method->request_prototype->GetDescriptor();
    const int asof = static_cast<int>(flags.Int("asof-days-ago"));
    bool counted = false;
    Measure(&r, warmup, duration, count, [&](int64_t) -> std::string {
      std::string text = "unit_subtree: \"" + (city ? city_id : random_county()) + "\" ";
      if (city) {
        // As of `asof` days ago, over the year before that day.
        text += DayValue(d, "from_day", -asof - 364) + DayValue(d, "to_day", -asof) +
                DayValue(d, "as_of_day", -asof);
      } else {
        text += DayValue(d, "from_day", -364) + DayValue(d, "to_day", 0);
      }
      std::string err;
      auto req = RequestFromText(*stats_method, text, &err);
      if (!req) return err;
      std::unique_ptr<pb::Message> resp(stats_method->response_prototype->New());
      grpc::Status s = CallDynamic(generic, *stats_method, *req, resp.get(), 10);
      if (!s.ok()) return StatusText(s);
      if (verbose && r.ns.empty()) std::fprintf(stderr, "query_bench: %s: %s\n", name, resp->ShortDebugString().substr(0, 600).c_str());
      if (city && !counted) {
        counted = true;
        std::vector<std::pair<std::string, double>> nums;
        NumericFields(*resp, "", &nums);
        double opened = 0, at_end = 0;
        for (const auto& [field, v] : nums) {
          if (field == "statistics.opened") opened = v;
          if (field == "statistics.cases_at_end") at_end = v;
        }
        std::printf("city_asof      as of %s (%d days ago): %.0f cases opened in the year before, "
                    "%.0f cases known\n",
                    CstDay(-asof).c_str(), asof, opened, at_end);
      }
      return "";
    });
    PrintResult(r);
    results.push_back(r);
  };
  if (wanted("county_stats")) stats_query("county_stats", false);
  if (wanted("city_asof")) stats_query("city_asof", true);

  // ---- The programmes' statistics of a random county over the last 12
  // months, read-your-writes at the head the benchmark found.
  auto programme_query = [&](const char* name, const std::function<grpc::Status(
                                                   const std::string& county, std::string* note)>&
                                                   call) {
    if (!wanted(name)) return;
    Result r{name};
    std::string note;
    Measure(&r, warmup, duration, count, [&](int64_t) -> std::string {
      std::string* first = note.empty() ? &note : nullptr;
      grpc::Status s = call(random_county(), first);
      return s.ok() ? "" : StatusText(s);
    });
    if (!note.empty()) std::printf("%-14s a county's last 12 months: %s\n", name, note.c_str());
    PrintResult(r);
    results.push_back(r);
  };
  auto loan_stub = haven::loans::v1::LoanService::NewStub(channel);
  programme_query("loans_stats", [&](const std::string& county, std::string* note) {
    haven::loans::v1::GetLoanStatisticsRequest req;
    req.set_unit_subtree(county);
    req.set_from_day(CstDay(-364));
    req.set_to_day(CstDay(0));
    req.set_min_position(head);
    haven::loans::v1::GetLoanStatisticsResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx, 10);
    grpc::Status s = loan_stub->GetLoanStatistics(&ctx, req, &resp);
    if (s.ok() && note != nullptr) {
      *note = std::to_string(resp.statistics().applied()) + " loans applied, " +
              std::to_string(resp.statistics().disbursed()) + " disbursed (" +
              std::to_string(resp.statistics().disbursed_fen() / 100) + " yuan)";
    }
    return s;
  });
  auto children_stub = haven::children::v1::ChildrenService::NewStub(channel);
  programme_query("children_stats", [&](const std::string& county, std::string* note) {
    haven::children::v1::GetChildrenStatisticsRequest req;
    req.set_unit_subtree(county);
    req.set_from_day(CstDay(-364));
    req.set_to_day(CstDay(0));
    req.set_min_position(head);
    haven::children::v1::GetChildrenStatisticsResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx, 10);
    grpc::Status s = children_stub->GetChildrenStatistics(&ctx, req, &resp);
    if (s.ok() && note != nullptr) {
      *note = std::to_string(resp.statistics().paired()) + " pairings made, " +
              std::to_string(resp.statistics().visits()) + " visits, " +
              std::to_string(resp.statistics().paired_at_end()) + " paired at the end";
    }
    return s;
  });
  auto home_stub = haven::microhomes::v1::MicroHomeService::NewStub(channel);
  programme_query("microhome_compliance", [&](const std::string& county, std::string* note) {
    haven::microhomes::v1::GetMicroHomeComplianceRequest req;
    req.set_unit_subtree(county);
    req.set_from_day(CstDay(-364));
    req.set_to_day(CstDay(0));
    req.set_min_position(head);
    haven::microhomes::v1::GetMicroHomeComplianceResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx, 10);
    grpc::Status s = home_stub->GetMicroHomeCompliance(&ctx, req, &resp);
    if (s.ok() && note != nullptr) {
      *note = std::to_string(resp.compliance().demonstration_homes()) +
              " demonstration micro-homes, " +
              std::to_string(resp.compliance().short_of_standard()) + " short of the standard, " +
              std::to_string(resp.compliance().titles_due_size()) + " titles due";
    }
    return s;
  });
  auto project_stub = haven::projects::v1::ProjectService::NewStub(channel);
  programme_query("projects_stats", [&](const std::string& county, std::string* note) {
    haven::projects::v1::GetProjectStatisticsRequest req;
    req.set_unit_subtree(county);
    req.set_from_day(CstDay(-364));
    req.set_to_day(CstDay(0));
    req.set_min_position(head);
    haven::projects::v1::GetProjectStatisticsResponse resp;
    grpc::ClientContext ctx;
    Prepare(&ctx, 10);
    grpc::Status s = project_stub->GetProjectStatistics(&ctx, req, &resp);
    if (s.ok() && note != nullptr) {
      *note = std::to_string(resp.statistics().registered()) + " projects registered, " +
              std::to_string(resp.statistics().spent_fen() / 100) + " yuan spent";
    }
    return s;
  });

  // ---- RebuildProjections(all).
  if (flags.Bool("rebuild")) {
    if (!rebuild_method) {
      std::printf("rebuild        n/a (RebuildProjections is not in the proto)\n");
      std::printf("RESULT rebuild available=0\n");
      return 0;
    }
    const pb::Descriptor* d = rebuild_method->request_prototype->GetDescriptor();
    std::string text;
    if (const auto* all = d->FindFieldByName("all"); all && all->type() == pb::FieldDescriptor::TYPE_BOOL) {
      text = "all: true";
    }
    // Ask for the head we know, so the call itself may wait for it.
    if (d->FindFieldByName("wait")) text += " wait: true";
    std::string err;
    auto req = RequestFromText(*rebuild_method, text, &err);
    if (!req) {
      std::fprintf(stderr, "query_bench: %s\n", err.c_str());
      return 1;
    }
    std::unique_ptr<pb::Message> resp(rebuild_method->response_prototype->New());
    const auto start = hb::Clock::now();
    grpc::Status s = CallDynamic(generic, *rebuild_method, *req, resp.get(), flags.Double("rebuild-timeout"));
    const double call_s = hb::NanosSince(start, hb::Clock::now()) / 1e9;
    if (!s.ok()) {
      std::printf("rebuild        failed: %s\n", StatusText(s).c_str());
      std::printf("RESULT rebuild available=0\n");
      return 1;
    }
    std::fprintf(stderr, "query_bench: RebuildProjections answered in %.2f s: %s\n", call_s,
                 resp->ShortDebugString().substr(0, 800).c_str());
    // Then wait until the projections are back at the head (immediate if
    // the rpc rebuilt synchronously).
    const double waited = wait_caught_up(head, flags.Double("rebuild-timeout"));
    const double measured_s = hb::NanosSince(start, hb::Clock::now()) / 1e9;
    // The rate the server reports, if it reports one.
    std::vector<std::pair<std::string, double>> nums;
    NumericFields(*resp, "", &nums);
    double reported = 0, reported_events = 0, reported_seconds = 0;
    for (const auto& [name, v] : nums) {
      if (name.find("per_s") != std::string::npos || name.find("per_second") != std::string::npos) {
        reported = std::max(reported, v);
      } else if (name.find("events") != std::string::npos) {
        reported_events = std::max(reported_events, v);
      } else if (name.find("seconds") != std::string::npos) {
        reported_seconds = std::max(reported_seconds, v);
      } else if (name.find("_ms") != std::string::npos || name.find("millis") != std::string::npos) {
        reported_seconds = std::max(reported_seconds, v / 1000);
      }
    }
    if (reported == 0 && reported_events > 0 && reported_seconds > 0) reported = reported_events / reported_seconds;
    const double measured = measured_s > 0 ? static_cast<double>(head) / measured_s : 0;
    const double rate = reported > 0 ? reported : measured;
    std::printf("rebuild        %llu log events in %.2f s (call %.2f s%s) = %.0f events/s measured; "
                "server reports %s\n",
                static_cast<unsigned long long>(head), measured_s, call_s, waited < 0 ? ", NOT caught up" : "",
                measured, reported > 0 ? (std::to_string(static_cast<int64_t>(reported)) + " events/s").c_str() : "no rate");
    std::printf("RESULT rebuild available=1 events=%llu seconds=%.3f measured_events_per_s=%.1f "
                "reported_events_per_s=%.1f events_per_s=%.1f\n",
                static_cast<unsigned long long>(head), measured_s, measured, reported, rate);
    if (waited < 0) return 1;
  }
  return 0;
}
