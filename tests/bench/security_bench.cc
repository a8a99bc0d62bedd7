// haven_security_bench: case appends and case queries against a running
// havend, over mutual TLS as registered users (--mode=secure) or over
// plaintext with haven-actor metadata (--mode=plaintext); run by
// tests/bench/security.sh, which compares the two.
//
// Setup, the same calls in both modes: the admin creates a city and a
// county (DirectoryService.CreateUnit), registers the operator in the
// county and the system user (AccessAdminService.RegisterUser); the
// operator opens --cases cases there (OpenCase, --setup-inflight at a time).  In secure mode each
// identity presents its own client certificate (<tls-dir>/users/<user>.crt)
// on channels of its own: the server binds a connection to its first caller.
//
// Then, for each --concurrency N, closed-loop with exactly N rpcs in flight
// spread over min(N, --channels) connections, --warmup seconds unmeasured
// and --duration seconds counted by completion time:
//   get_case  CaseService.GetCase of a random case, declaring a purpose
//             (metadata haven-purpose): an audited read of personal data
//   read_stream  EventStore.ReadStream of a random case's stream, as the
//             system user: the same events GetCase folds, read raw and not
//             audited (what the audit's synced append costs GetCase)
//   add_note  CaseService.AddNote with a fresh request id and the expected
//             version; slot i of N owns the cases i, i+N, ... and takes
//             them in turn, so versions never conflict
// Every read run comes before every append run, so the cases read are the
// same (as opened) in both modes.  Prints ops/s and latency per operation
// and N, with the CPU time per rpc of this process and (given --server-pid)
// of the server, and one RESULT line each:
//   RESULT mode=secure op=get_case concurrency=64 ops=... seconds=...
//          ops_per_s=... p50_ms=... p99_ms=... p999_ms=... max_ms=...
//          server_cpu_us=... client_cpu_us=... errors=...
//
//   haven_security_bench --server=127.0.0.1:7070 --mode=secure --tls-dir=data/tls
//   haven_security_bench --server=127.0.0.1:7070 --mode=plaintext
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "bench_common.h"
#include "haven/access/v1/access.grpc.pb.h"
#include "haven/cases/v1/case_service.grpc.pb.h"
#include "haven/directory/v1/directory.grpc.pb.h"
#include "haven/v1/event_store.grpc.pb.h"

namespace hb = haven::bench;
namespace access_v1 = haven::access::v1;
namespace cases = haven::cases::v1;
namespace dir = haven::directory::v1;

namespace {

constexpr char kCity[] = "bench-city";
constexpr char kCounty[] = "bench-county";

std::string StatusText(const grpc::Status& s) {
  return "status " + std::to_string(s.error_code()) + ": " + s.error_message();
}

std::chrono::system_clock::time_point In(double seconds) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::duration<double>(seconds));
}

std::string ReadFile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) hb::Flags::Die("security_bench", "cannot read " + path);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

std::vector<int> ParseInts(const std::string& csv) {
  std::vector<int> out;
  std::stringstream in(csv);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(std::stoi(item));
  }
  return out;
}

// CPU seconds (user + system) used so far by process `pid` (0: this
// process); negative when unknown.
double CpuSeconds(int pid) {
  if (pid == 0) {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  }
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (f == nullptr) return -1;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // Fields after the command name, which ends with the last ')': state is
  // field 3, utime and stime fields 14 and 15.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return -1;
  unsigned long long utime = 0, stime = 0;
  if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// How calls reach the server as one user: her certificate in secure mode,
// her name in haven-actor metadata in plaintext mode.
class Identity {
 public:
  Identity(bool secure, std::string tls_dir, std::string server, std::string server_name,
           std::string user)
      : secure_(secure),
        tls_dir_(std::move(tls_dir)),
        server_(std::move(server)),
        server_name_(std::move(server_name)),
        user_(std::move(user)) {}

  // A channel on a connection of its own (`index` keeps channels apart).
  std::shared_ptr<grpc::Channel> NewChannel(int index) const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    // As in haven_append_bench: the load generator shares the cores with
    // the server, so it runs gRPC's minimal client stack.
    args.SetInt(GRPC_ARG_MINIMAL_STACK, 1);
    args.SetInt("haven.bench.channel", index);
    args.SetString("haven.bench.user", user_);
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (secure_) {
      grpc::SslCredentialsOptions options;
      options.pem_root_certs = ReadFile(tls_dir_ + "/ca.crt");
      options.pem_private_key = ReadFile(tls_dir_ + "/users/" + user_ + ".key");
      options.pem_cert_chain = ReadFile(tls_dir_ + "/users/" + user_ + ".crt");
      credentials = grpc::SslCredentials(options);
      if (!server_name_.empty()) args.SetSslTargetNameOverride(server_name_);
    } else {
      credentials = grpc::InsecureChannelCredentials();
    }
    return grpc::CreateCustomChannel(server_, credentials, args);
  }

  void Prepare(grpc::ClientContext* ctx, double deadline_s) const {
    ctx->set_deadline(In(deadline_s));
    if (!secure_) ctx->AddMetadata("haven-actor", user_);
  }

  const std::string& user() const { return user_; }

 private:
  const bool secure_;
  const std::string tls_dir_, server_, server_name_, user_;
};

// Retries `call` while the server is still starting or has not yet seen
// what the previous call registered; the last status otherwise.
template <typename Call>
grpc::Status Retrying(double timeout_s, Call call) {
  const auto deadline = hb::Clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    grpc::Status s = call();
    const bool transient = s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           s.error_code() == grpc::StatusCode::UNAUTHENTICATED;
    if (!transient || hb::Clock::now() >= deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool Ok(const grpc::Status& s) {
  return s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS;
}

// The admin's part: the units, the operator and (unless empty) the system
// user.
bool SetUpDirectory(const Identity& admin, const std::string& operator_id,
                    const std::string& system_id) {
  auto channel = admin.NewChannel(0);
  auto directory = dir::DirectoryService::NewStub(channel);
  auto admin_stub = access_v1::AccessAdminService::NewStub(channel);
  std::mt19937_64 rng(std::random_device{}());
  auto create_unit = [&](const char* id, const char* name, dir::UnitKind kind, const char* parent) {
    dir::CreateUnitRequest req;
    req.set_request_id(hb::RandomUuidV4(rng));
    req.set_unit_id(id);
    req.set_name(name);
    req.set_kind(kind);
    req.set_parent_id(parent);
    dir::CommandResponse resp;
    grpc::Status s = Retrying(30, [&] {
      grpc::ClientContext ctx;
      admin.Prepare(&ctx, 10);
      return directory->CreateUnit(&ctx, req, &resp);
    });
    if (!Ok(s)) std::fprintf(stderr, "security_bench: CreateUnit %s: %s\n", id, StatusText(s).c_str());
    return Ok(s);
  };
  if (!create_unit(kCity, "基准市", dir::UNIT_KIND_CITY, "")) return false;
  if (!create_unit(kCounty, "基准县", dir::UNIT_KIND_COUNTY, kCity)) return false;

  auto register_user = [&](const std::string& id, access_v1::Role role, const char* unit) {
    access_v1::RegisterUserRequest req;
    req.set_request_id(hb::RandomUuidV4(rng));
    req.set_user_id(id);
    req.set_display_name("基准用户");
    req.set_role(role);
    req.set_org_unit_id(unit);
    access_v1::CommandResponse resp;
    grpc::Status s = Retrying(30, [&] {
      grpc::ClientContext ctx;
      admin.Prepare(&ctx, 10);
      return admin_stub->RegisterUser(&ctx, req, &resp);
    });
    if (!Ok(s)) std::fprintf(stderr, "security_bench: RegisterUser %s: %s\n", id.c_str(), StatusText(s).c_str());
    return Ok(s);
  };
  if (!register_user(operator_id, access_v1::ROLE_OPERATOR, kCounty)) return false;
  return system_id.empty() || register_user(system_id, access_v1::ROLE_SYSTEM, "");
}

struct Case {
  std::string id;
  uint64_t version = 0;
};

cases::OpenCaseRequest OpenRequest(std::mt19937_64& rng, int i) {
  static const char* kNames[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄丽"};
  cases::OpenCaseRequest req;
  req.set_request_id(hb::RandomUuidV4(rng));
  cases::OpenCase* open = req.mutable_open_case();
  open->set_channel(cases::CHANNEL_HOTLINE);
  open->mutable_seeker()->set_name(kNames[i % 8]);
  char phone[16];
  std::snprintf(phone, sizeof phone, "139%08d", i);
  open->mutable_seeker()->set_phone(phone);
  open->set_category(cases::CATEGORY_DOMESTIC_VIOLENCE);
  open->set_urgency(cases::URGENCY_ROUTINE);
  open->set_org_unit_id(kCounty);
  open->set_account("丈夫长期殴打，请求帮助。来电人要求法律援助与心理疏导。");
  return req;
}

// The operator opens `count` cases, `inflight` at a time.
bool OpenCases(const std::vector<std::unique_ptr<cases::CaseService::Stub>>& stubs,
               const Identity& op, int count, int inflight, std::vector<Case>* out) {
  out->assign(count, Case{});
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < inflight; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(t));
      auto* stub = stubs[t % stubs.size()].get();
      for (int i = next++; i < count && failures == 0; i = next++) {
        cases::OpenCaseRequest req = OpenRequest(rng, i);
        cases::CommandResponse resp;
        grpc::Status s = Retrying(30, [&] {
          grpc::ClientContext ctx;
          op.Prepare(&ctx, 30);
          return stub->OpenCase(&ctx, req, &resp);
        });
        if (!s.ok()) {
          if (failures++ == 0) std::fprintf(stderr, "security_bench: OpenCase: %s\n", StatusText(s).c_str());
          return;
        }
        (*out)[i] = Case{resp.case_id(), resp.version()};
      }
    });
  }
  for (auto& t : threads) t.join();
  return failures == 0;
}

// ---- The measured runs: N slots, each one rpc in flight, re-issued from
// its own completion callback (gRPC's callback API).

enum class Op { kGetCase, kReadStream, kAddNote };

class Run;

struct Slot {
  Run* run = nullptr;
  int index = 0;
  cases::CaseService::Stub* stub = nullptr;
  haven::v1::EventStore::Stub* events = nullptr;
  std::unique_ptr<grpc::ClientContext> ctx;
  cases::GetCaseRequest get_request;
  cases::GetCaseResponse get_response;
  haven::v1::ReadStreamRequest read_request;
  haven::v1::ReadStreamResponse read_response;
  cases::AddNoteRequest note_request;
  cases::CommandResponse note_response;
  std::vector<int> owned;  // add_note: indexes of the cases this slot owns
  size_t next_owned = 0;
  int current = -1;
  std::mt19937_64 rng;
  hb::Clock::time_point start;
  std::vector<int64_t> latencies_ns;
  int64_t errors = 0;
};

class Run {
 public:
  // `channels` are the identity's connections, one stub of each kind per
  // connection, used in turn by the slots.
  Run(Op op, int inflight, const std::vector<std::shared_ptr<grpc::Channel>>& channels,
      const Identity& identity, std::vector<Case>* cases, std::string purpose)
      : op_(op), identity_(identity), cases_(cases), purpose_(std::move(purpose)), window_(0) {
    for (const auto& channel : channels) {
      case_stubs_.push_back(cases::CaseService::NewStub(channel));
      event_stubs_.push_back(haven::v1::EventStore::NewStub(channel));
    }
    slots_.resize(inflight);
    std::random_device rd;
    for (int i = 0; i < inflight; ++i) {
      Slot& s = slots_[i];
      s.run = this;
      s.index = i;
      s.stub = case_stubs_[i % channels.size()].get();
      s.events = event_stubs_[i % channels.size()].get();
      s.rng.seed((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(i));
      s.latencies_ns.reserve(1 << 14);
      for (int c = i; c < static_cast<int>(cases->size()); c += inflight) s.owned.push_back(c);
    }
  }

  // Runs the warm-up, the window and the drain; `server_pid` (0: none) is
  // the server whose CPU time per rpc is reported.
  void Go(double warmup_s, double duration_s, int server_pid) {
    server_pid_ = server_pid;
    server_cpu_s_ = server_pid > 0 ? CpuSeconds(server_pid) : -1;
    client_cpu_s_ = CpuSeconds(0);
    active_ = static_cast<int>(slots_.size());
    for (Slot& s : slots_) Issue(&s);
    hb::DriveWindow(window_, warmup_s, duration_s, 0);
    std::unique_lock<std::mutex> lock(mu_);
    if (!drained_.wait_for(lock, std::chrono::seconds(60), [&] { return active_ == 0; })) {
      std::fprintf(stderr, "security_bench: %d rpcs still in flight after the run\n", active_);
    }
    client_cpu_s_ = CpuSeconds(0) - client_cpu_s_;
    if (server_cpu_s_ >= 0) {
      const double now = CpuSeconds(server_pid_);
      server_cpu_s_ = now >= 0 ? now - server_cpu_s_ : -1;
    }
  }

  // Prints the summary and the RESULT line; false when nothing succeeded
  // or something failed.
  bool Report(const char* mode, const char* op_name) {
    std::vector<int64_t> all;
    int64_t errors = 0;
    for (const Slot& s : slots_) {
      all.insert(all.end(), s.latencies_ns.begin(), s.latencies_ns.end());
      errors += s.errors;
    }
    const int64_t ops = static_cast<int64_t>(all.size());
    hb::Stats stats(std::move(all));
    const double secs = window_.Seconds();
    const double rate = secs > 0 ? static_cast<double>(ops) / secs : 0;
    // CPU per rpc over everything the run did (warm-up and drain included).
    const double done = static_cast<double>(std::max<int64_t>(1, completed_.load()));
    const double server_us = server_cpu_s_ >= 0 ? server_cpu_s_ * 1e6 / done : -1;
    const double client_us = client_cpu_s_ * 1e6 / done;
    std::printf("%-9s %-8s N=%-3zu %8.0f ops/s  p50=%.2f ms p99=%.2f ms max=%.2f ms  cpu/op: server %.0f us, "
                "client %.0f us  (%lld ops in %.1f s, %lld errors)\n",
                mode, op_name, slots_.size(), rate, stats.PercentileMs(50), stats.PercentileMs(99),
                stats.MaxMs(), server_us, client_us, static_cast<long long>(ops), secs,
                static_cast<long long>(errors));
    std::printf("RESULT mode=%s op=%s concurrency=%zu ops=%lld seconds=%.3f ops_per_s=%.1f p50_ms=%.3f "
                "p99_ms=%.3f p999_ms=%.3f max_ms=%.3f server_cpu_us=%.1f client_cpu_us=%.1f errors=%lld\n",
                mode, op_name, slots_.size(), static_cast<long long>(ops), secs, rate,
                stats.PercentileMs(50), stats.PercentileMs(99), stats.PercentileMs(99.9), stats.MaxMs(),
                server_us, client_us, static_cast<long long>(errors));
    std::fflush(stdout);
    return ops > 0 && errors == 0;
  }

 private:
  void Issue(Slot* s) {
    s->ctx = std::make_unique<grpc::ClientContext>();
    identity_.Prepare(s->ctx.get(), 30);
    s->start = hb::Clock::now();
    if (op_ == Op::kGetCase) {
      s->ctx->AddMetadata("haven-purpose", purpose_);
      s->get_request.set_case_id((*cases_)[s->rng() % cases_->size()].id);
      s->get_response.Clear();
      s->stub->async()->GetCase(s->ctx.get(), &s->get_request, &s->get_response,
                                [s](grpc::Status status) { s->run->Done(s, status); });
      return;
    }
    if (op_ == Op::kReadStream) {
      s->read_request.set_stream_id((*cases_)[s->rng() % cases_->size()].id);
      s->read_request.set_direction(haven::v1::FORWARDS);
      s->read_request.set_limit(1000);
      s->read_response.Clear();
      s->events->async()->ReadStream(s->ctx.get(), &s->read_request, &s->read_response,
                                     [s](grpc::Status status) { s->run->Done(s, status); });
      return;
    }
    s->current = s->owned[s->next_owned++ % s->owned.size()];
    const Case& c = (*cases_)[s->current];
    s->note_request.set_request_id(hb::RandomUuidV4(s->rng));
    s->note_request.set_case_id(c.id);
    s->note_request.set_expected_version(c.version);
    s->note_request.mutable_add_note()->set_text("已联系社区妇联上门走访，当事人情绪稳定，约定下周回访。");
    s->note_response.Clear();
    s->stub->async()->AddNote(s->ctx.get(), &s->note_request, &s->note_response,
                              [s](grpc::Status status) { s->run->Done(s, status); });
  }

  void Done(Slot* s, const grpc::Status& status) {
    const auto end = hb::Clock::now();
    if (!status.ok()) {
      ++s->errors;
      const int64_t n = ++errors_;
      if (n <= 5) {
        std::fprintf(stderr, "security_bench: slot %d: %s\n", s->index, StatusText(status).c_str());
      }
      if (n >= 100) window_.Stop();  // a broken server fails fast: stop rather than spin
    } else {
      completed_.fetch_add(1, std::memory_order_relaxed);
      if (op_ == Op::kAddNote) (*cases_)[s->current].version = s->note_response.version();
      if (window_.Completed(1)) s->latencies_ns.push_back(hb::NanosSince(s->start, end));
    }
    if (window_.Running()) {
      Issue(s);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) drained_.notify_all();
  }

  const Op op_;
  const Identity& identity_;
  std::vector<Case>* cases_;
  const std::string purpose_;
  hb::Window window_;
  std::vector<std::unique_ptr<cases::CaseService::Stub>> case_stubs_;
  std::vector<std::unique_ptr<haven::v1::EventStore::Stub>> event_stubs_;
  std::vector<Slot> slots_;
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> completed_{0};
  int server_pid_ = 0;
  double server_cpu_s_ = -1, client_cpu_s_ = 0;
  std::mutex mu_;
  std::condition_variable drained_;
  int active_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // As in havend: skip Debian Abseil's lock-order checks on gRPC's mutexes.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  hb::Flags flags(argc, argv,
                  {{"server", "127.0.0.1:7070"},
                   {"mode", "secure"},
                   {"tls-dir", "data/tls"},
                   {"server-name", ""},
                   {"admin", "dev-admin"},
                   {"operator", "dev-operator"},
                   {"system", "bench-system"},
                   {"cases", "2000"},
                   {"setup-inflight", "16"},
                   {"concurrency", "16,64"},
                   {"channels", "8"},
                   {"ops", "get_case,read_stream,add_note"},
                   {"duration", "10"},
                   {"warmup", "2"},
                   {"purpose", "benchmark: case review"},
                   {"server-pid", "0"}});
  const std::string mode = flags.Str("mode");
  if (mode != "secure" && mode != "plaintext") hb::Flags::Die(argv[0], "--mode is secure or plaintext");
  const bool secure = mode == "secure";
  const std::vector<int> concurrency = ParseInts(flags.Str("concurrency"));
  const int max_channels = static_cast<int>(flags.Int("channels"));
  const int case_count = static_cast<int>(flags.Int("cases"));
  if (concurrency.empty() || max_channels < 1 || case_count < 1) {
    hb::Flags::Die(argv[0], "--concurrency, --channels and --cases must be positive");
  }
  const Identity admin(secure, flags.Str("tls-dir"), flags.Str("server"), flags.Str("server-name"),
                       flags.Str("admin"));
  const Identity op(secure, flags.Str("tls-dir"), flags.Str("server"), flags.Str("server-name"),
                    flags.Str("operator"));
  const Identity sys(secure, flags.Str("tls-dir"), flags.Str("server"), flags.Str("server-name"),
                     flags.Str("system"));
  const std::string ops = "," + flags.Str("ops") + ",";
  auto wanted = [&](const char* name) { return ops.find(std::string(",") + name + ",") != std::string::npos; };

  const auto setup_start = hb::Clock::now();
  if (!SetUpDirectory(admin, op.user(), wanted("read_stream") ? sys.user() : "")) return 1;

  // Each identity's connections, shared by every run.
  int channels = 1;
  for (int n : concurrency) channels = std::max(channels, std::min(n, max_channels));
  std::vector<std::shared_ptr<grpc::Channel>> op_chans, sys_chans;
  std::vector<std::unique_ptr<cases::CaseService::Stub>> stubs;
  for (int i = 0; i < channels; ++i) {
    op_chans.push_back(op.NewChannel(i));
    stubs.push_back(cases::CaseService::NewStub(op_chans.back()));
    if (wanted("read_stream")) sys_chans.push_back(sys.NewChannel(i));
  }
  std::vector<Case> all_cases;
  if (!OpenCases(stubs, op, case_count, static_cast<int>(flags.Int("setup-inflight")), &all_cases)) {
    return 1;
  }
  std::fprintf(stderr, "security_bench: %s: set up 2 units, 1 operator, %d cases over %d connections in %.1f s\n",
               mode.c_str(), case_count, channels, hb::NanosSince(setup_start, hb::Clock::now()) / 1e9);

  bool ok = true;
  for (const auto& [name, kind] : {std::pair<const char*, Op>{"get_case", Op::kGetCase},
                                   std::pair<const char*, Op>{"read_stream", Op::kReadStream},
                                   std::pair<const char*, Op>{"add_note", Op::kAddNote}}) {
    if (!wanted(name)) continue;
    const bool as_system = kind == Op::kReadStream;
    for (int n : concurrency) {
      // Several connections, so that no single connection's transport
      // thread or stream limit bounds the run.
      const auto& all = as_system ? sys_chans : op_chans;
      std::vector<std::shared_ptr<grpc::Channel>> run_chans(all.begin(), all.begin() + std::min(n, max_channels));
      Run run(kind, n, run_chans, as_system ? sys : op, &all_cases, flags.Str("purpose"));
      run.Go(flags.Double("warmup"), flags.Double("duration"), static_cast<int>(flags.Int("server-pid")));
      ok = run.Report(mode.c_str(), name) && ok;
    }
  }
  return ok ? 0 : 1;
}
