#include "havend_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "haven/v1/event_store.grpc.pb.h"

#ifndef HAVEND_PATH
#define HAVEND_PATH "havend"
#endif

namespace haven::e2e {

namespace {

using Clock = std::chrono::steady_clock;

std::string ErrnoText(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

ExitInfo DecodeStatus(int status) {
  ExitInfo info;
  if (WIFEXITED(status)) {
    info.exited = true;
    info.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    info.signaled = true;
    info.signal = WTERMSIG(status);
  }
  return info;
}

grpc::ChannelArguments TestChannelArgs() {
  grpc::ChannelArguments args;
  // Reconnect quickly: servers come and go during these tests.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  // Each channel gets its own connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 * 1024 * 1024);
  return args;
}

}  // namespace

std::string HavendPath() {
  if (const char* env = std::getenv("HAVEND_PATH"); env != nullptr && *env != '\0') {
    return env;
  }
  return HAVEND_PATH;
}

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  std::string pattern = base + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    std::fprintf(stderr, "mkdtemp(%s) failed: %s\n", pattern.c_str(), std::strerror(errno));
    std::abort();
  }
  return std::string(buf.data());
}

void RemoveTree(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

int PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
  }
  close(fd);
  return port;
}

std::string ExitInfo::Describe() const {
  std::ostringstream out;
  if (exited) {
    out << "exited with status " << code;
  } else if (signaled) {
    out << "killed by signal " << signal << " (" << strsignal(signal) << ")";
  } else {
    out << "unknown termination";
  }
  return out.str();
}

std::optional<ExitInfo> WaitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeStatus(status);
    if (r < 0 && errno != EINTR) {
      // Not our child (or already reaped): report as unknown termination.
      return ExitInfo{};
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                   const std::string& stderr_path, std::string* error) {
  // Everything the child needs is prepared before fork: between fork and exec
  // only async-signal-safe calls are allowed (the parent has gRPC threads).
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  auto open_out = [](const std::string& path) {
    const char* p = path.empty() ? "/dev/null" : path.c_str();
    return open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  };
  int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = open_out(stdout_path);
  int err_fd = open_out(stderr_path);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
    if (error) *error = ErrnoText("open redirection file");
    if (in_fd >= 0) close(in_fd);
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    return -1;
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    if (error) *error = ErrnoText("fork");
    close(in_fd);
    close(out_fd);
    close(err_fd);
    return -1;
  }
  if (pid == 0) {
    // Child.  Never outlive the test.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    // Reset signal handling the parent may have changed.
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(125);
    execv(args[0], args.data());
    static const char kMsg[] = "havend_process: execv failed\n";
    ssize_t ignored = write(2, kMsg, sizeof kMsg - 1);
    (void)ignored;
    _exit(127);
  }
  close(in_fd);
  close(out_fd);
  close(err_fd);
  return pid;
}

RunResult RunHavendToCompletion(const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout) {
  RunResult result;
  std::string dir = MakeTempDir("havend-run");
  std::string out_path = dir + "/stdout.log";
  std::string err_path = dir + "/stderr.log";
  std::vector<std::string> argv{HavendPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string error;
  pid_t pid = SpawnProcess(argv, out_path, err_path, &error);
  if (pid < 0) {
    result.err = "spawn failed: " + error;
    RemoveTree(dir);
    return result;
  }
  auto exit = WaitForExit(pid, timeout);
  if (!exit) {
    result.timed_out = true;
    kill(pid, SIGKILL);
    exit = WaitForExit(pid, std::chrono::seconds(30));
  }
  if (exit) result.exit = *exit;
  result.out = ReadFileOrEmpty(out_path);
  result.err = ReadFileOrEmpty(err_path);
  RemoveTree(dir);
  return result;
}

HavendProcess::HavendProcess() : HavendProcess(MakeTempDir("havend-data")) {
  owns_data_dir_ = true;
}

HavendProcess::HavendProcess(std::string data_dir)
    : data_dir_(std::move(data_dir)), log_dir_(MakeTempDir("havend-logs")) {
  if (const char* keep = std::getenv("HAVEN_E2E_KEEP"); keep != nullptr && *keep == '1') {
    keep_ = true;
  }
}

HavendProcess::~HavendProcess() {
  Kill9();
  channel_.reset();
  if (keep_) {
    std::fprintf(stderr, "havend_process: kept data dir %s and logs %s\n", data_dir_.c_str(),
                 log_dir_.c_str());
    return;
  }
  if (owns_data_dir_) RemoveTree(data_dir_);
  RemoveTree(log_dir_);
}

std::string HavendProcess::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::shared_ptr<grpc::Channel> HavendProcess::NewChannel() const {
  return NewChannel(client_credentials_ != nullptr ? client_credentials_
                                                   : grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> HavendProcess::NewChannel(
    std::shared_ptr<grpc::ChannelCredentials> credentials) const {
  return grpc::CreateCustomChannel(address(), credentials, TestChannelArgs());
}

std::shared_ptr<grpc::Channel> HavendProcess::channel() {
  if (!channel_) channel_ = NewChannel();
  return channel_;
}

bool HavendProcess::Spawn(std::string* error) {
  if (running()) {
    if (error) *error = "havend already running";
    return false;
  }
  ++starts_;
  port_ = PickFreePort();
  if (port_ == 0) {
    if (error) *error = "no free port";
    return false;
  }
  channel_.reset();
  last_exit_.reset();
  stderr_path_ = log_dir_ + "/stderr-" + std::to_string(starts_) + ".log";
  stdout_path_ = log_dir_ + "/stdout-" + std::to_string(starts_) + ".log";
  std::vector<std::string> argv{HavendPath(), "--listen=" + address(),
                                "--data-dir=" + data_dir_};
  argv.push_back(tls_dir_.empty() ? "--insecure-plaintext" : "--tls-dir=" + tls_dir_);
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  pid_ = SpawnProcess(argv, stdout_path_, stderr_path_, error);
  return pid_ > 0;
}

bool HavendProcess::WaitReady(std::chrono::milliseconds timeout, std::string* error) {
  const auto deadline = Clock::now() + timeout;
  auto ch = channel();
  auto stub = haven::v1::EventStore::NewStub(ch);
  std::string last_status = "never connected";
  while (Clock::now() < deadline) {
    if (auto exit = WaitExit(std::chrono::milliseconds(0))) {
      if (error) {
        *error = "havend " + exit->Describe() + " before becoming ready; stderr:\n" +
                 StderrTail();
      }
      return false;
    }
    if (ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::milliseconds(200))) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      haven::v1::ReadAllRequest req;
      req.set_limit(1);
      haven::v1::ReadAllResponse resp;
      grpc::Status st = stub->ReadAll(&ctx, req, &resp);
      if (st.ok()) return true;
      const bool refused = st.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
                           st.error_code() == grpc::StatusCode::PERMISSION_DENIED;
      if (!tls_dir_.empty() && refused) return true;
      last_status = "ReadAll: code " + std::to_string(st.error_code()) + " " + st.error_message();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (error) {
    *error = "havend not ready after " + std::to_string(timeout.count()) + " ms (" + last_status +
             "); stderr:\n" + StderrTail();
  }
  return false;
}

bool HavendProcess::Start(std::string* error, std::chrono::milliseconds ready_timeout) {
  if (!Spawn(error)) return false;
  if (!WaitReady(ready_timeout, error)) {
    Kill9();
    return false;
  }
  return true;
}

void HavendProcess::Signal(int sig) {
  if (running()) kill(pid_, sig);
}

std::optional<ExitInfo> HavendProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (!running()) return last_exit_;
  auto exit = WaitForExit(pid_, timeout);
  if (exit) {
    pid_ = -1;
    last_exit_ = exit;
  }
  return exit;
}

void HavendProcess::Kill9() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  if (!WaitExit(std::chrono::seconds(60))) {
    std::fprintf(stderr, "havend_process: pid %d survived SIGKILL for 60 s\n", pid_);
  }
}

std::optional<ExitInfo> HavendProcess::Terminate(std::chrono::milliseconds timeout) {
  if (!running()) return last_exit_;
  kill(pid_, SIGTERM);
  return WaitExit(timeout);
}

std::string HavendProcess::ReadStderr() const { return ReadFileOrEmpty(stderr_path_); }
std::string HavendProcess::ReadStdout() const { return ReadFileOrEmpty(stdout_path_); }

std::string HavendProcess::StderrTail(size_t max_bytes) const {
  std::string all = ReadStderr();
  if (all.size() <= max_bytes) return all;
  return "...\n" + all.substr(all.size() - max_bytes);
}

}  // namespace haven::e2e
