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

#include "record/process.hpp"
#include "record/valgrind.hpp"
#include "trace/line_source.hpp"
#include "trace/readers.hpp"
#include "vmsim/error.hpp"

namespace vmsim {
namespace {

using Clock = std::chrono::steady_clock;

// A connected socket as a ByteSource, so the ordinary lackey reader parses what valgrind sends.
// The Recorder owns the descriptor (it may shut it down from another thread), not this.
class SocketSource final : public ByteSource {
 public:
  explicit SocketSource(int fd) : fd_(fd) {}
  std::size_t read(std::span<char> dst) override {
    for (;;) {
      const ssize_t n = ::read(fd_, dst.data(), dst.size());
      if (n >= 0) {
        consumed_ += static_cast<std::uint64_t>(n);
        keep_tail({dst.data(), static_cast<std::size_t>(n)});
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR)
        throw Error(fmt::format("reading valgrind's output: {}", std::strerror(errno)));
    }
  }
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::uint64_t bytes_total() const override { return 0; }

  // Whether the stream ended with lackey's closing summary, whose last line is "==PID== Exit code:
  // N". valgrind writes it however the program ends (exit, or a signal it could see), except when
  // the process stops being valgrind's: an exec that valgrind does not follow, or SIGKILL.
  bool ended_with_summary() const { return tail_.find("== Exit code:") != std::string::npos; }

 private:
  static constexpr std::size_t kTailBytes = 256;  // the summary's last line is ~30 bytes

  void keep_tail(std::string_view bytes) {
    if (bytes.size() >= kTailBytes) {
      tail_.assign(bytes.substr(bytes.size() - kTailBytes));
      return;
    }
    tail_.append(bytes);
    if (tail_.size() > kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
  }

  int fd_;
  std::uint64_t consumed_ = 0;
  std::string tail_;  // the last bytes read
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

pid_t pid_from_banner(const std::string& line) {
  if (line.size() < 5 || line[0] != '=' || line[1] != '=') return -1;
  return static_cast<pid_t>(std::strtol(line.c_str() + 2, nullptr, 10));
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
  void begin(int fd) {
    std::lock_guard lock(mutex_);
    open_[fd] = -1;
    ++active_;
    ++connections_;
  }

  void serve(int fd) {
    try {
      auto source = std::make_unique<SocketSource>(fd);
      const SocketSource& stream = *source;  // owned by `reader` below, valid while it lives
      const std::string first = read_first_line(*source);
      const pid_t real_pid = pid_from_banner(first);
      const std::uint16_t pid = assign_pid(fd, real_pid);
      auto lines = std::make_unique<LineSource>(make_prefixed_source(first, std::move(source)),
                                                fmt::format("valgrind output of pid {}", real_pid));
      auto reader = make_lackey_reader(std::move(lines));
      std::vector<Access> batch(4096);
      std::uint64_t seen = 0;
      while (const std::size_t n = reader->read(batch)) {
        references_read_ += n;
        if (discarding_.load()) continue;
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
      if (!stream.ended_with_summary()) {
        std::lock_guard lock(mutex_);
        left_valgrind_.push_back(pid);
      }
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      if (error_.empty()) error_ = e.what();
    }
    {
      // Forgotten before it is closed, so shutdown_connections() never touches a reused number.
      std::lock_guard lock(mutex_);
      open_.erase(fd);
      ::close(fd);
    }
    --active_;
    mailbox_.wake();
  }

  // A connection whose thread could not be started.
  void abandon(int fd) {
    {
      std::lock_guard lock(mutex_);
      open_.erase(fd);
      ::close(fd);
    }
    --active_;
  }

  // Connections still streaming, and ever made (none: valgrind never ran the program).
  int active() const { return active_.load(); }
  int connections() const { return connections_.load(); }
  // References read from every connection, before --no-ifetch and --sample: how far the program
  // has run.
  std::uint64_t references_read() const { return references_read_.load(); }

  // The recording has failed: read what valgrind still sends (so it never blocks, or falls back
  // to writing its log on stderr), but keep none of it.
  void discard() { discarding_.store(true); }

  // The real pids of the processes whose connections are open: each is alive, or has just exited
  // and its connection is about to end.
  std::vector<pid_t> streaming_pids() {
    std::lock_guard lock(mutex_);
    std::vector<pid_t> pids;
    for (const auto& [fd, pid] : open_) {
      if (pid > 0) pids.push_back(pid);
    }
    return pids;
  }

  // Ends every connection still open (its thread then sees the end of its input): the last resort
  // when a process that was told to stop still holds one.
  void shutdown_connections() {
    std::lock_guard lock(mutex_);
    for (const auto& [fd, pid] : open_) ::shutdown(fd, SHUT_RDWR);
  }

  Mailbox& mailbox() { return mailbox_; }
  std::string error() {
    std::lock_guard lock(mutex_);
    return error_;
  }
  // Trace pids whose stream ended without lackey's summary: each process exec'd a program that
  // valgrind did not follow, or was killed by SIGKILL.
  std::vector<std::uint16_t> left_valgrind() {
    std::lock_guard lock(mutex_);
    return left_valgrind_;
  }

  // Trace pids handed out: one per process, and one more per program a process exec'd.
  std::uint64_t processes() {
    std::lock_guard lock(mutex_);
    return trace_pids_;
  }

 private:
  // Trace pids are 1, 2, 3 ... in order of appearance (real pids may exceed 16 bits). A real pid
  // seen before is a program that a traced process exec'd, which valgrind follows with a new
  // connection: a fresh address space, so a new trace pid and no @fork. Any other process whose
  // parent is traced gets an @fork from it. (A real pid reused by a new process after the first
  // one exited would also look like an exec; the kernel hands out pids in order, so that needs
  // pid_max processes in one recording.)
  std::uint16_t assign_pid(int fd, pid_t real_pid) {
    const pid_t parent = real_pid > 0 ? parent_of(real_pid) : -1;
    std::lock_guard lock(mutex_);
    open_[fd] = real_pid;
    const auto pid = static_cast<std::uint16_t>(++trace_pids_);
    if (real_pid <= 0) return pid;
    const bool exec = pids_.contains(real_pid);
    pids_[real_pid] = pid;
    if (exec) return pid;
    const auto p = pids_.find(parent);
    if (p != pids_.end()) mailbox_.post({Access{pid, 1, p->second, Op::Fork}});
    return pid;
  }

  const RecordOptions& options_;
  Mailbox mailbox_;
  std::mutex mutex_;
  std::map<pid_t, std::uint16_t> pids_;  // real pid -> trace pid of its latest program
  std::uint64_t trace_pids_ = 0;
  std::vector<std::uint16_t> left_valgrind_;
  std::map<int, pid_t> open_;  // open connections: descriptor -> real pid (-1 before the banner)
  std::string error_;
  std::atomic<int> active_ = 0;
  std::atomic<int> connections_ = 0;
  std::atomic<bool> discarding_ = false;
  std::atomic<std::uint64_t> references_read_ = 0;
};

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  int get() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_;
};

Fd listen_loopback(std::uint16_t& port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw Error(fmt::format("record: socket: {}", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd.get(), 64) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw Error(
        fmt::format("record: listening on the loopback interface: {}", std::strerror(errno)));
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

// The traced program (valgrind and every process it starts) and the threads reading its
// connections. However the recording ends (the program's end, an interrupt, a failure to write,
// an exception) the processes are reaped and the threads joined before the trace is finished or
// abandoned: the destructor stops a program that is still running.
class TracedProgram {
 public:
  TracedProgram(pid_t valgrind, Recorder& recorder) : valgrind_(valgrind), recorder_(recorder) {}
  TracedProgram(const TracedProgram&) = delete;
  TracedProgram& operator=(const TracedProgram&) = delete;
  ~TracedProgram() {
    if (!reaped_) kill_all();
    recorder_.shutdown_connections();
    join();
  }

  void serve(int fd) {
    recorder_.begin(fd);
    Recorder& recorder = recorder_;
    try {
      threads_.emplace_back([&recorder, fd] { recorder.serve(fd); });
    } catch (...) {
      recorder_.abandon(fd);
      throw;
    }
  }

  // Sends `sig` to valgrind and to every traced process still streaming; with `whole_tree`, also
  // to every descendant of valgrind (untraced programs it started, forked children that share a
  // connection), found before valgrind itself is signalled, while they are still its descendants.
  void signal(int sig, bool whole_tree) {
    if (sig == SIGKILL) killed_ = true;
    if (whole_tree && !reaped_) {
      for (const pid_t p : descendants_of(valgrind_)) ::kill(p, sig);
    }
    for (const pid_t p : recorder_.streaming_pids()) ::kill(p, sig);
    if (!reaped_) ::kill(valgrind_, sig);
  }

  // True once valgrind has exited (its status is then status()).
  bool reap() {
    if (!reaped_ && ::waitpid(valgrind_, &status_, WNOHANG) == valgrind_) reaped_ = true;
    return reaped_;
  }
  int status() const { return status_; }
  // Whether SIGKILL was sent (which ends a stream without lackey's summary).
  bool killed() const { return killed_; }

  // Stops the whole program now (SIGKILL, which nothing can ignore), waits for valgrind, then gives
  // the connections a bounded time to end; any still open is shut down. A process that was never
  // found (re-parented to init before we looked) is the only one that can hold one so long.
  void kill_all() {
    signal(SIGKILL, true);
    while (!reaped_) {
      if (::waitpid(valgrind_, &status_, 0) == valgrind_ || errno != EINTR) reaped_ = true;
    }
    const auto give_up = Clock::now() + std::chrono::seconds(10);
    while (recorder_.active() > 0 && Clock::now() < give_up) {
      signal(SIGKILL, true);
      recorder_.mailbox().take(std::chrono::milliseconds(50));
    }
    recorder_.shutdown_connections();
  }

  void join() {
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  pid_t valgrind_;
  Recorder& recorder_;
  std::vector<std::thread> threads_;
  bool reaped_ = false;
  bool killed_ = false;
  int status_ = 0;
};

// Asking the program to stop, after an interrupt: SIGINT, then SIGTERM, then SIGKILL. valgrind
// acts on a signal only when the program makes a system call or between time slices of 100,000
// superblocks of its code; under lackey a busy program takes a second or more to run one slice, and
// much longer on a loaded machine. So the next signal is sent only once the program has had its
// chance to act on the last: kGrace has passed and since the signal it has either run about three
// time slices (kSliceReferences references, counting ~10 per superblock) or made no reference at
// all (it waits in a system call, where valgrind delivers the signal at once). A loaded machine
// then delays the escalation instead of turning the program's death by SIGINT into a SIGKILL.
class StopRequest {
 public:
  static constexpr auto kGrace = std::chrono::seconds(10);
  static constexpr std::uint64_t kSliceReferences = 3'000'000;

  StopRequest(TracedProgram& program, Recorder& recorder)
      : program_(program), recorder_(recorder) {}

  bool started() const { return step_ > 0; }

  // Sends the first signal, or the next one when the program has had its chance.
  void advance() {
    static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGKILL};
    if (step_ == std::size(kSignals)) return;
    if (step_ > 0) {
      const std::uint64_t ran = recorder_.references_read() - references_at_signal_;
      if (Clock::now() - signalled_ < kGrace || (ran > 0 && ran < kSliceReferences)) return;
    }
    const int sig = kSignals[step_++];
    program_.signal(sig, sig == SIGKILL);
    signalled_ = Clock::now();
    references_at_signal_ = recorder_.references_read();
  }

 private:
  TracedProgram& program_;
  Recorder& recorder_;
  std::size_t step_ = 0;
  Clock::time_point signalled_;
  std::uint64_t references_at_signal_ = 0;
};

}  // namespace

RecordResult record_program(const RecordOptions& options, const std::atomic<bool>& stop,
                            const std::function<void(const RecordProgress&)>& progress,
                            const std::function<void(const std::string&)>& warn) {
  if (options.command.empty())
    throw Error("record: no command given (vmsim record -o FILE -- CMD ARGS...)");
  if (options.sample == 0) throw Error("record: --sample must be at least 1");
  // A recording holds pids and @exit (and, with children, @fork) events; refuse before the program
  // runs, not after minutes of it, a format that would have to drop them.
  if (options.format != TraceFormat::Vmt && options.format != TraceFormat::Text) {
    throw Error(fmt::format(
        "record: a recording holds pids and @exit/@fork events, which {} cannot carry: record to "
        "vmt (the default) or text",
        format_name(options.format)));
  }
  const std::string valgrind = find_valgrind(options.valgrind);
  const std::string& name = options.command.front();
  // Said once valgrind runs it (not when valgrind then refuses it, a missing interpreter say).
  std::string script_warning;
  if (const std::string interpreter = script_interpreter(find_program(name));
      !interpreter.empty() && !options.trace_children) {
    script_warning = fmt::format(
        "{} is a script for {}: only {} is recorded, not the programs the script runs; record "
        "with --trace-children to follow them",
        name, interpreter, interpreter);
  }

  TraceWriterOptions writer_options;
  writer_options.format = options.format;
  writer_options.header.page_size_hint = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  writer_options.header.command = options.command_line;
  writer_options.header.start_unix_ns =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  // Destroyed without finish() (every way out below but the last), it removes its temporary file.
  auto writer = create_trace_writer(options.output, writer_options);

  std::uint16_t port = 0;
  Fd listener = listen_loopback(port);
  Recorder recorder(options);
  TracedProgram program(spawn_valgrind(valgrind, port, options), recorder);
  const auto start = Clock::now();

  StopRequest stop_request(program, recorder);
  auto last_progress = start;
  RecordResult result;
  std::string write_error;  // set when the trace cannot be written: the recording is then dropped

  // Writes what the connections have read. When the trace cannot take it (a full disk) the program
  // is stopped at once: nothing it does from then on could be kept.
  const auto drain = [&](std::chrono::milliseconds wait) {
    for (std::vector<Access>& batch : recorder.mailbox().take(wait)) {
      if (!write_error.empty()) continue;
      try {
        writer->write(batch);
      } catch (const Error& e) {
        write_error = e.what();
        if (!program.reap()) write_error += "; the program was stopped";
        recorder.discard();
        program.kill_all();
        continue;
      }
      for (const Access& a : batch) result.references += is_event(a.op) ? 0 : 1;
    }
  };

  // Accept connections while valgrind runs; stop accepting once it has exited and nothing is
  // pending.
  for (;;) {
    pollfd pfd{listener.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 50);
    if (ready > 0) {
      const int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) program.serve(fd);
      if (!script_warning.empty()) warn(std::exchange(script_warning, {}));
      continue;
    }
    drain(std::chrono::milliseconds(0));
    if (write_error.empty() && (stop.load() || stop_request.started())) {
      stop_request.advance();
      result.interrupted = true;
    }
    if (progress && Clock::now() - last_progress > std::chrono::milliseconds(250)) {
      last_progress = Clock::now();
      progress({result.references, writer->bytes_written(),
                std::chrono::duration<double>(Clock::now() - start).count()});
    }
    if (program.reap()) break;
  }
  listener.close();
  // The connections end when their processes do; keep writing while they finish.
  while (recorder.active() > 0) {
    drain(std::chrono::milliseconds(50));
    // Processes still streaming after valgrind's end (children, with --trace-children) are asked
    // to stop in the same steps.
    if (write_error.empty() && (stop.load() || stop_request.started())) {
      stop_request.advance();
      result.interrupted = true;
    }
  }
  program.join();
  drain(std::chrono::milliseconds(0));
  if (!write_error.empty())
    throw Error(fmt::format("record: {}; no trace was written", write_error));

  const std::string error = recorder.error();
  result.how_it_ended = describe_status(program.status(), result.exit_code);
  // valgrind opens its log connection before it loads the program: with none, the program never
  // ran (valgrind has said why on stderr: a bad interpreter, an unsupported executable ...).
  if (recorder.connections() == 0) {
    throw ProgramNotStarted(
        fmt::format("record: {} did not start: valgrind {} before running it; no trace was written",
                    name, result.how_it_ended),
        result.exit_code);
  }
  result.processes = recorder.processes();
  // Without --trace-children valgrind lets an exec'd program run untraced: the stream of the
  // process that exec'd ends there, without lackey's summary (and valgrind has no word for it).
  if (!options.trace_children && !program.killed() && !recorder.left_valgrind().empty()) {
    warn(
        fmt::format("{} exec'd another program, which was not recorded: the trace ends at the "
                    "exec; record with --trace-children to follow it",
                    name));
  }
  TraceHeader final_header = writer_options.header;
  final_header.duration_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  try {
    writer->finish(final_header);
  } catch (const Error& e) {
    throw Error(fmt::format("record: {}; no trace was written", e.what()));
  }
  result.bytes = writer->bytes_written();
  if (!error.empty())
    throw Error(fmt::format("record: {} (the trace up to this point was kept)", error));
  return result;
}

}  // namespace vmsim
