// Runs the real havend binary as a child process for end-to-end tests: a
// fresh temporary data directory, a free loopback port, stderr captured to a
// file, readiness by polling a channel plus a trivial RPC, and the ways a
// server can stop (SIGKILL, SIGTERM with a bounded wait).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace haven::e2e {

// The path of the havend binary under test (HAVEND_PATH, or the environment
// variable HAVEND_PATH when set, which wins).
std::string HavendPath();

// A fresh, empty directory under $TMPDIR (or /tmp); the caller removes it.
std::string MakeTempDir(const std::string& prefix);
// Removes a directory tree; ignores errors.
void RemoveTree(const std::string& path);

// A TCP port on 127.0.0.1 that was free a moment ago.
int PickFreePort();

// How a child process ended.
struct ExitInfo {
  bool exited = false;    // ended through exit(); `code` is its status
  int code = -1;
  bool signaled = false;  // ended by a signal; `signal` is its number
  int signal = 0;
  std::string Describe() const;
};

// Waits for `pid` for at most `timeout`; nullopt when it is still running.
std::optional<ExitInfo> WaitForExit(pid_t pid, std::chrono::milliseconds timeout);

// Result of running a short-lived havend to completion.
struct RunResult {
  bool timed_out = false;  // killed with SIGKILL after the timeout
  ExitInfo exit;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs havend with `args` (without argv[0]) to completion, killing it after
// `timeout`.  Output goes through files in a temporary directory.
RunResult RunHavendToCompletion(const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout);

// One havend server on a data directory.  The data directory outlives
// Start/Stop cycles so that a restart sees the same log; by default each
// Start picks a fresh port.  The destructor SIGKILLs a server still running
// and removes the data directory when this object created it.
class HavendProcess {
 public:
  // Creates a fresh temporary data directory, owned (and removed) by this.
  HavendProcess();
  // Uses `data_dir`, which is not removed.
  explicit HavendProcess(std::string data_dir);
  ~HavendProcess();
  HavendProcess(const HavendProcess&) = delete;
  HavendProcess& operator=(const HavendProcess&) = delete;

  // Extra command-line arguments for later starts.
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // By default havend runs --insecure-plaintext (most e2e tests are about
  // something else).  This serves TLS from `tls_dir` instead, and channels
  // connect with `client_credentials`; readiness is then any answer from
  // the server, a refusal included.
  void UseTls(std::string tls_dir, std::shared_ptr<grpc::ChannelCredentials> client_credentials) {
    tls_dir_ = std::move(tls_dir);
    client_credentials_ = std::move(client_credentials);
  }
  // Keep the data directory and logs after destruction (for debugging a
  // failure); their paths are printed then.  HAVEN_E2E_KEEP=1 keeps them
  // always.
  void keep_files() { keep_ = true; }

  // Starts the server on a fresh free port and waits until it answers a
  // ReadAll.  On failure returns false with a reason in `*error` (including
  // the captured stderr) and leaves no child running.
  bool Start(std::string* error,
             std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));
  // Starts the process without waiting for readiness.
  bool Spawn(std::string* error);
  // Polls until the server answers (channel connected + a ReadAll RPC).
  bool WaitReady(std::chrono::milliseconds timeout, std::string* error);

  // SIGKILL and reap.  No-op when not running.
  void Kill9();
  // SIGTERM, then waits up to `timeout`; nullopt when still running then
  // (the process is left running; call Kill9 to end it).
  std::optional<ExitInfo> Terminate(std::chrono::milliseconds timeout);
  // Sends `sig` without waiting.
  void Signal(int sig);
  // Waits up to `timeout` for the process to exit by itself.
  std::optional<ExitInfo> WaitExit(std::chrono::milliseconds timeout);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // "127.0.0.1:PORT" of the current (or last) start.
  std::string address() const;
  // A channel to the current start (created on first use after each start).
  std::shared_ptr<grpc::Channel> channel();
  // Drops this object's channel (a later channel() makes a new one).
  void ResetChannel() { channel_.reset(); }
  // A fresh, unshared channel to the current start.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  // The same with other credentials.
  std::shared_ptr<grpc::Channel> NewChannel(
      std::shared_ptr<grpc::ChannelCredentials> credentials) const;

  // Everything the current (or last) start wrote to stderr / stdout.
  std::string ReadStderr() const;
  std::string ReadStdout() const;
  // The tail (last `max_bytes`) of stderr, for failure messages.
  std::string StderrTail(size_t max_bytes = 4000) const;
  // The last exit of this server, if it has exited.
  const std::optional<ExitInfo>& last_exit() const { return last_exit_; }

 private:
  std::string data_dir_;
  bool owns_data_dir_ = false;
  bool keep_ = false;
  std::string log_dir_;  // holds stderr-N.log / stdout-N.log per start
  std::vector<std::string> extra_args_;
  std::string tls_dir_;  // Empty: --insecure-plaintext.
  std::shared_ptr<grpc::ChannelCredentials> client_credentials_;
  int starts_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string stderr_path_;
  std::string stdout_path_;
  std::shared_ptr<grpc::Channel> channel_;
  std::optional<ExitInfo> last_exit_;
};

// Spawns `argv` (argv[0] is the program path) with stdout/stderr redirected
// to the given files (appended; "" for /dev/null) and stdin from /dev/null.
// The child gets SIGKILL if the spawning thread dies.  Returns the pid, or -1
// with errno-based reason in `*error`.
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                   const std::string& stderr_path, std::string* error);

// Reads a whole file; "" when it does not exist.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace haven::e2e
