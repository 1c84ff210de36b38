#include "record/record.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "record/valgrind.hpp"
#include "trace/line_source.hpp"
#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

using Clock = std::chrono::steady_clock;

// A connected socket as a ByteSource, so the ordinary lackey reader parses what valgrind sends.
class SocketSource final : public ByteSource {
 public:
  explicit SocketSource(int fd) : fd_(fd) {}
  ~SocketSource() override { ::close(fd_); }
  std::size_t read(std::span<char> dst) override {
    for (;;) {
      const ssize_t n = ::read(fd_, dst.data(), dst.size());
      if (n >= 0) {
        consumed_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR)
        throw Error(fmt::format("reading valgrind's output: {}", std::strerror(errno)));
    }
  }
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  int fd_;
  std::uint64_t consumed_ = 0;
};

// Reads bytes up to and including the first newline: valgrind's first line, "==PID== Lackey, ...".
std::string read_first_line(ByteSource& source) {
  std::string line;
  char c = 0;
  while (line.size() < 4096 && source.read({&c, 1}) == 1) {
    line.push_back(c);
    if (c == '\n') break;
  }
  return line;
}

long pid_from_banner(const std::string& line) {
  if (line.size() < 5 || line[0] != '=' || line[1] != '=') return -1;
  return std::strtol(line.c_str() + 2, nullptr, 10);
}

// The parent of a live process, from /proc (valgrind's socket log does not say it).
long parent_of(long pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Field 4, after the command name in parentheses (which may itself contain spaces and parens).
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  long ppid = -1;
  char state = 0;
  if (std::sscanf(text.c_str() + close + 1, " %c %ld", &state, &ppid) != 2) return -1;
  return ppid;
}

// What the connection threads hand the writer thread.
class Mailbox {
 public:
  void post(std::vector<Access> batch) {
    {
      std::lock_guard lock(mutex_);
      batches_.push_back(std::move(batch));
    }
    ready_.notify_one();
  }
  void wake() { ready_.notify_one(); }
  // Waits up to `timeout` for batches; returns them all.
  std::deque<std::vector<Access>> take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !batches_.empty(); });
    return std::exchange(batches_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::vector<Access>> batches_;
};

class Recorder {
 public:
  explicit Recorder(const RecordOptions& options) : options_(options) {}

  // One traced process: name it, say who forked it, stream its references, say that it exited.
  // Called before the thread serving a new connection starts, so active() never misses it.
  void begin() { ++active_; }

  void serve(int fd) {
    try {
      auto source = std::make_unique<SocketSource>(fd);
      const std::string first = read_first_line(*source);
      const long real_pid = pid_from_banner(first);
      const std::uint16_t pid = assign_pid(real_pid);
      auto lines = std::make_unique<LineSource>(make_prefixed_source(first, std::move(source)),
                                                fmt::format("valgrind output of pid {}", real_pid));
      auto reader = make_lackey_reader(std::move(lines));
      std::vector<Access> batch(4096);
      std::uint64_t seen = 0;
      while (const std::size_t n = reader->read(batch)) {
        std::vector<Access> kept;
        kept.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          Access a = batch[i];
          if (a.op == Op::Fetch && !options_.ifetch) continue;
          if (seen++ % options_.sample != 0) continue;
          a.pid = pid;
          kept.push_back(a);
        }
        if (!kept.empty()) mailbox_.post(std::move(kept));
      }
      mailbox_.post({Access{0, 1, pid, Op::Exit}});
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      if (error_.empty()) error_ = e.what();
    }
    --active_;
    mailbox_.wake();
  }

  // Connections still streaming.
  int active() const { return active_.load(); }

  Mailbox& mailbox() { return mailbox_; }
  std::string error() {
    std::lock_guard lock(mutex_);
    return error_;
  }
  std::uint64_t processes() {
    std::lock_guard lock(mutex_);
    return pids_.size();
  }

 private:
  // Trace pids are 1, 2, 3 ... in order of appearance (real pids may exceed 16 bits); a process
  // whose parent is already traced gets an @fork from it.
  std::uint16_t assign_pid(long real_pid) {
    const long parent = real_pid > 0 ? parent_of(real_pid) : -1;
    std::lock_guard lock(mutex_);
    const auto pid = static_cast<std::uint16_t>(pids_.size() + 1);
    if (real_pid > 0) pids_[real_pid] = pid;
    const auto p = pids_.find(parent);
    if (p != pids_.end()) mailbox_.post({Access{pid, 1, p->second, Op::Fork}});
    return pid;
  }

  const RecordOptions& options_;
  Mailbox mailbox_;
  std::mutex mutex_;
  std::map<long, std::uint16_t> pids_;
  std::string error_;
  std::atomic<int> active_ = 0;
};

int listen_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Error(fmt::format("record: socket: {}", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int saved = errno;
    ::close(fd);
    throw Error(
        fmt::format("record: listening on the loopback interface: {}", std::strerror(saved)));
  }
  port = ntohs(addr.sin_port);
  return fd;
}

std::string describe_status(int status, int& exit_code) {
  if (WIFEXITED(status)) {
    exit_code = WEXITSTATUS(status);
    return fmt::format("exited with status {}", exit_code);
  }
  if (WIFSIGNALED(status)) {
    exit_code = 128 + WTERMSIG(status);
    return fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  }
  exit_code = 1;
  return "ended";
}

}  // namespace

RecordResult record_program(const RecordOptions& options, const std::atomic<bool>& stop,
                            const std::function<void(const RecordProgress&)>& progress) {
  if (options.command.empty())
    throw Error("record: no command given (vmsim record -o FILE -- CMD ARGS...)");
  if (options.sample == 0) throw Error("record: --sample must be at least 1");
  const std::string valgrind = find_valgrind(options.valgrind);

  TraceWriterOptions writer_options;
  writer_options.format = options.format;
  writer_options.header.page_size_hint = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  writer_options.header.command = options.command_line;
  writer_options.header.start_unix_ns =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  auto writer = create_trace_writer(options.output, writer_options);

  std::uint16_t port = 0;
  const int listener = listen_loopback(port);
  const pid_t child = spawn_valgrind(valgrind, port, options);
  const auto start = Clock::now();

  Recorder recorder(options);
  std::vector<std::thread> connections;
  bool exited = false;
  int status = 0;
  bool interrupt_sent = false;
  Clock::time_point interrupt_time;
  auto last_progress = start;
  RecordResult result;

  const auto drain = [&](std::chrono::milliseconds wait) {
    for (std::vector<Access>& batch : recorder.mailbox().take(wait)) {
      writer->write(batch);
      for (const Access& a : batch) result.references += is_event(a.op) ? 0 : 1;
    }
  };

  // Accept connections while valgrind runs; stop accepting once it has exited and nothing is
  // pending.
  for (;;) {
    pollfd pfd{listener, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 50);
    if (ready > 0) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        recorder.begin();
        connections.emplace_back([&recorder, fd] { recorder.serve(fd); });
      }
      continue;
    }
    drain(std::chrono::milliseconds(0));
    if (stop.load() && !interrupt_sent) {
      ::kill(child, SIGINT);
      interrupt_sent = true;
      interrupt_time = Clock::now();
      result.interrupted = true;
    }
    // A program that ignores SIGINT still has to stop when asked.
    if (interrupt_sent && !exited && Clock::now() - interrupt_time > std::chrono::seconds(5)) {
      ::kill(child, SIGKILL);
    }
    if (!exited && ::waitpid(child, &status, WNOHANG) == child) exited = true;
    if (progress && Clock::now() - last_progress > std::chrono::milliseconds(250)) {
      last_progress = Clock::now();
      progress({result.references, writer->bytes_written(),
                std::chrono::duration<double>(Clock::now() - start).count()});
    }
    if (exited) break;
  }
  ::close(listener);
  // The connections end when their processes do; keep writing while they finish.
  while (recorder.active() > 0) drain(std::chrono::milliseconds(50));
  for (std::thread& t : connections) t.join();
  drain(std::chrono::milliseconds(0));

  const std::string error = recorder.error();
  result.how_it_ended = describe_status(status, result.exit_code);
  result.processes = recorder.processes();
  TraceHeader final_header = writer_options.header;
  final_header.duration_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  writer->finish(final_header);
  result.bytes = writer->bytes_written();
  if (!error.empty())
    throw Error(fmt::format("record: {} (the trace up to this point was kept)", error));
  return result;
}

}  // namespace vmsim
