// Shared helpers for the append benchmarks: flags, realistic event payloads,
// v4 UUIDs, and latency statistics.  Header-only so that each benchmark stays
// one self-contained executable.
#ifndef HAVEN_TESTS_BENCH_BENCH_COMMON_H_
#define HAVEN_TESTS_BENCH_BENCH_COMMON_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace haven::bench {

using Clock = std::chrono::steady_clock;

inline int64_t NanosSince(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
}

// --key=value flags (and bare --key, meaning "true").  Unknown flags are an
// error so that typos do not silently run the wrong benchmark.
class Flags {
 public:
  Flags(int argc, char** argv, std::map<std::string, std::string> defaults)
      : values_(std::move(defaults)) {
    for (int i = 1; i < argc; ++i) {
      std::string_view arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        Usage(argv[0]);
        std::exit(0);
      }
      if (arg.substr(0, 2) != "--") Die(argv[0], "unexpected argument: " + std::string(arg));
      arg.remove_prefix(2);
      std::string key(arg.substr(0, arg.find('=')));
      std::string value = arg.find('=') == std::string_view::npos
                              ? "true"
                              : std::string(arg.substr(arg.find('=') + 1));
      if (values_.count(key) == 0) Die(argv[0], "unknown flag --" + key);
      values_[key] = value;
    }
  }

  const std::string& Str(const std::string& key) const { return values_.at(key); }
  int64_t Int(const std::string& key) const {
    const std::string& v = Str(key);
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') Die("flags", "--" + key + " wants an integer, got '" + v + "'");
    return n;
  }
  double Double(const std::string& key) const {
    const std::string& v = Str(key);
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0') Die("flags", "--" + key + " wants a number, got '" + v + "'");
    return d;
  }
  bool Bool(const std::string& key) const {
    const std::string& v = Str(key);
    return v == "true" || v == "1" || v == "yes";
  }

  [[noreturn]] static void Die(std::string_view prog, const std::string& msg) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(prog.size()), prog.data(), msg.c_str());
    std::exit(2);
  }

 private:
  void Usage(const char* prog) const {
    std::fprintf(stderr, "usage: %s [flags]\n", prog);
    for (const auto& [k, v] : values_) std::fprintf(stderr, "  --%s (default: %s)\n", k.c_str(), v.c_str());
  }
  std::map<std::string, std::string> values_;
};

// Random v4 UUID in lowercase canonical text form.
inline std::string RandomUuidV4(std::mt19937_64& rng) {
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                     // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);         // variant 10xx
  unsigned char b[16];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

// A realistic case-management event body: JSON with Chinese text, close to
// `target_bytes` long (never shorter: the note is padded with a reference
// number; a little longer is fine).
inline std::string MakePayload(std::mt19937_64& rng, uint64_t seq, size_t target_bytes) {
  static const char* kNames[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄丽"};
  static const char* kNotes[] = {
      "申请人因欠薪向法律援助中心求助，需安排律师咨询。",
      "当事人要求变更监护安排，已预约下周面谈。",
      "借款已按期发放，请跟进首期还款情况。",
      "儿童已转介至社工站，家访记录待补充。",
      "案件材料齐全，建议进入调解程序。",
  };
  static const char* kTypes[] = {"intake", "loan_disbursed", "referral", "note_added"};
  char head[160];
  int n = std::snprintf(head, sizeof head,
                        "{\"case_id\":\"C-2024-%06u\",\"kind\":\"%s\",\"client\":\"%s\","
                        "\"amount\":%u,\"seq\":%llu,\"note\":\"",
                        static_cast<unsigned>(rng() % 1000000), kTypes[rng() % 4], kNames[rng() % 8],
                        static_cast<unsigned>(rng() % 100000), static_cast<unsigned long long>(seq));
  std::string out(head, static_cast<size_t>(n));
  out += kNotes[rng() % 5];
  // Pad with a ticket reference so every payload is about the same size.
  const std::string tail = "\"}";
  if (out.size() + tail.size() < target_bytes) {
    out += "（编号";
    while (out.size() + tail.size() + 3 < target_bytes) out.push_back(static_cast<char>('0' + rng() % 10));
    out += "）";
  }
  out += tail;
  return out;
}

// The measured window: a warm-up whose requests are not counted, then
// requests are counted by completion time until --duration has passed (or
// --count events have completed), then the run stops and drains.  Requests
// in flight at either edge are not counted, so the window is steady state.
class Window {
 public:
  explicit Window(int64_t count_target) : count_target_(count_target) {}

  void StartMeasuring() {
    start_ns_.store(Now(), std::memory_order_relaxed);
    phase_.store(kMeasuring, std::memory_order_release);
  }
  // Ends the window (idempotent; the first call fixes its end).
  void Stop() {
    int expected = kMeasuring;
    int64_t now = Now();
    if (phase_.compare_exchange_strong(expected, kStopped)) {
      end_ns_.store(now, std::memory_order_relaxed);
    } else {
      phase_.store(kStopped, std::memory_order_release);
    }
  }
  bool Running() const { return phase_.load(std::memory_order_acquire) != kStopped; }
  bool Measuring() const { return phase_.load(std::memory_order_acquire) == kMeasuring; }

  // Called as each request completes; true when it counts (latency and
  // events).  In --count mode the request that reaches the target ends the
  // window.
  bool Completed(int64_t events) {
    if (!Measuring()) return false;
    if (count_target_ <= 0) return true;
    int64_t before = counted_.fetch_add(events, std::memory_order_relaxed);
    if (before >= count_target_) return false;
    if (before + events >= count_target_) Stop();
    return true;
  }

  double Seconds() const {
    return static_cast<double>(end_ns_.load() - start_ns_.load()) / 1e9;
  }

 private:
  static constexpr int kMeasuring = 1, kStopped = 2;
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
  }
  const int64_t count_target_;
  std::atomic<int> phase_{0};
  std::atomic<int64_t> counted_{0};
  std::atomic<int64_t> start_ns_{0}, end_ns_{0};
};

// Runs the warm-up and the measured window on the calling thread, while
// worker threads or callbacks do the requests.  With count > 0 the window
// lasts until that many events completed (at most an hour), otherwise
// duration_s.
inline void DriveWindow(Window& window, double warmup_s, double duration_s, int64_t count) {
  auto sleep = [](double s) {
    std::this_thread::sleep_for(std::chrono::duration<double>(s));
  };
  if (warmup_s > 0) sleep(warmup_s);
  window.StartMeasuring();
  if (count > 0) {
    auto deadline = Clock::now() + std::chrono::hours(1);
    while (window.Running() && Clock::now() < deadline) sleep(0.005);
  } else {
    sleep(duration_s);
  }
  window.Stop();
}

// Latency distribution in nanoseconds.
struct Stats {
  std::vector<int64_t> sorted_ns;

  explicit Stats(std::vector<int64_t> ns) : sorted_ns(std::move(ns)) {
    std::sort(sorted_ns.begin(), sorted_ns.end());
  }
  // Nearest-rank percentile, in milliseconds.
  double PercentileMs(double p) const {
    if (sorted_ns.empty()) return 0;
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted_ns.size())));
    rank = std::clamp<size_t>(rank, 1, sorted_ns.size());
    return static_cast<double>(sorted_ns[rank - 1]) / 1e6;
  }
  double MaxMs() const { return sorted_ns.empty() ? 0 : static_cast<double>(sorted_ns.back()) / 1e6; }
};

// Prints the human summary and one machine-readable RESULT line (parsed by
// tests/bench/append.sh).
inline void PrintResult(const char* mode, int64_t concurrency, int64_t batch, int64_t events,
                        int64_t requests, double seconds, const Stats& stats, int64_t errors) {
  double eps = seconds > 0 ? static_cast<double>(events) / seconds : 0;
  std::printf("%s: concurrency=%lld batch=%lld: %lld events in %lld requests over %.2f s = %.0f events/s; "
              "latency p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms; errors=%lld\n",
              mode, static_cast<long long>(concurrency), static_cast<long long>(batch),
              static_cast<long long>(events), static_cast<long long>(requests), seconds, eps,
              stats.PercentileMs(50), stats.PercentileMs(99), stats.PercentileMs(99.9), stats.MaxMs(),
              static_cast<long long>(errors));
  std::printf("RESULT mode=%s concurrency=%lld batch=%lld events=%lld requests=%lld seconds=%.3f "
              "events_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%lld\n",
              mode, static_cast<long long>(concurrency), static_cast<long long>(batch),
              static_cast<long long>(events), static_cast<long long>(requests), seconds, eps,
              stats.PercentileMs(50), stats.PercentileMs(99), stats.PercentileMs(99.9), stats.MaxMs(),
              static_cast<long long>(errors));
  std::fflush(stdout);
}

}  // namespace haven::bench

#endif  // HAVEN_TESTS_BENCH_BENCH_COMMON_H_
