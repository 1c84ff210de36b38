#include "core/output_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

#include "vmsim/error.hpp"

namespace vmsim {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

std::string errno_text(int err) {
  return std::generic_category().message(err);
}

// Temporary files that a signal must remove. A signal handler can reach nothing but static
// storage, so this table is the one piece of process-wide state here: fixed slots of plain
// characters, each published by an atomic state, so the handler reads a path only once it is
// complete. More temporary files at once than slots (a program writing dozens of outputs at a
// time) would leave the extra ones unregistered; vmsim writes at most a few.
constexpr std::size_t kSlots = 64;
enum SlotState : int { kFree = 0, kFilling = 1, kReady = 2 };

struct TempSlot {
  std::atomic<int> state{kFree};
  std::array<char, PATH_MAX> path{};
};

std::array<TempSlot, kSlots>& temp_slots() {
  static std::array<TempSlot, kSlots> slots;
  return slots;
}

int register_temp(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  auto& slots = temp_slots();
  for (std::size_t i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (slots[i].state.compare_exchange_strong(expected, kFilling)) {
      std::memcpy(slots[i].path.data(), path.c_str(), path.size() + 1);
      slots[i].state.store(kReady);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot >= 0) temp_slots()[static_cast<std::size_t>(slot)].state.store(kFree);
}

extern "C" void remove_temps_and_die(int sig) {
  for (TempSlot& slot : temp_slots()) {
    if (slot.state.load() == kReady) ::unlink(slot.path.data());
  }
  // The handler was installed with SA_RESETHAND: raising again takes the default action, so the
  // exit status says which signal ended the process, as it would have without us.
  ::raise(sig);
}

std::string parent_dir(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Follows symbolic links (also dangling ones, whose target is then created) so the rename replaces
// the file a link points to and leaves the link itself in place.
std::string resolve_links(const std::string& path) {
  std::string p = path;
  for (int depth = 0; depth < 40; ++depth) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::array<char, PATH_MAX> buf{};
    const ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size() - 1);
    if (n < 0) throw Error("cannot write " + path + ": " + errno_text(errno));
    std::string link(buf.data(), static_cast<std::size_t>(n));
    p = link.starts_with('/') ? link : parent_dir(p) + "/" + link;
  }
  throw Error("cannot write " + path + ": too many levels of symbolic links");
}

// The temporary file sits in the target's directory so that the final rename stays within one file
// system, and is hidden (a leading dot) so a half-written output is not mistaken for a finished
// one.
std::string temp_pattern(const std::string& target) {
  const std::size_t slash = target.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
  return dir + "." + name + ".tmp-XXXXXX";
}

}  // namespace

void check_output_path(const std::string& path) {
  if (path == "-") return;
  if (path.empty()) throw Error("cannot write: empty file name");
  const std::string target = resolve_links(path);
  const auto fail = [&](const std::string& why) {
    throw Error("cannot write " + path + ": " + why);
  };
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail("it is a directory");
    if (!S_ISREG(st.st_mode)) {
      if (::access(target.c_str(), W_OK) != 0) fail(errno_text(errno));
      return;
    }
  } else if (errno != ENOENT && errno != ENOTDIR) {
    // ENOTDIR: a component is a file; the directory check below says which.
    fail(errno_text(errno));
  }
  // The temporary file is created beside the target and renamed over it, so what matters is the
  // directory, not the target's own permissions.
  const std::string dir = parent_dir(target);
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0) {
    fail(errno == ENOENT ? "directory " + dir + " does not exist" : errno_text(errno));
  }
  if (!S_ISDIR(dir_st.st_mode)) fail(dir + " is not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    fail("directory " + dir + " is not writable (" + errno_text(errno) + ")");
  }
}

void install_cleanup_on_signal() {
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    // A signal the caller chose to ignore (nohup, a background job) stays ignored.
    if (old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_temps_and_die;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

OutputFile::OutputFile(std::string path, bool allow_stdout)
    : path_(std::move(path)), buffer_(std::make_unique_for_overwrite<char[]>(kBufferBytes)) {
  if (path_ == "-") {
    if (!allow_stdout) {
      throw Error("cannot write this format to standard output ('-'): give a file name");
    }
    // Whatever was printed through stdio before must come first.
    std::fflush(stdout);
    fd_ = STDOUT_FILENO;
    return;
  }
  check_output_path(path_);
  target_ = resolve_links(path_);
  struct stat st {};
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device or a FIFO: renaming over it would replace the node itself.
    fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail(errno);
    owns_fd_ = true;
    return;
  }
  temp_ = temp_pattern(target_);
  // The file must not exist unregistered for an instant: a signal between its creation and its
  // registration would leave it behind. So the cleanup signals wait until both are done.
  sigset_t cleanup_signals;
  sigset_t previous;
  sigemptyset(&cleanup_signals);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&cleanup_signals, sig);
  ::pthread_sigmask(SIG_BLOCK, &cleanup_signals, &previous);
  fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);
  const int err = errno;
  if (fd_ >= 0) temp_slot_ = register_temp(temp_);
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (fd_ < 0) throw Error("cannot write " + path_ + ": " + errno_text(err));
  owns_fd_ = true;
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (!committed_) discard_temp();
}

void OutputFile::discard_temp() {
  if (temp_.empty()) return;
  ::unlink(temp_.c_str());
  unregister_temp(std::exchange(temp_slot_, -1));
}

void OutputFile::fail(int err) {
  throw Error("cannot write " + path_ + ": " + errno_text(err));
}

void OutputFile::write(const void* data, std::size_t size) {
  if (used_ + size > kBufferBytes) flush();
  if (size >= kBufferBytes) {
    write_fd(static_cast<const char*>(data), size);
    return;
  }
  std::memcpy(buffer_.get() + used_, data, size);
  used_ += size;
}

void OutputFile::flush() {
  write_fd(buffer_.get(), used_);
  used_ = 0;
}

void OutputFile::write_fd(const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  written_ += size;
}

void OutputFile::commit() {
  if (committed_) return;
  flush();
  if (temp_.empty()) {
    if (owns_fd_) {
      const int fd = std::exchange(fd_, -1);
      if (::close(fd) != 0) fail(errno);
    }
    committed_ = true;
    return;
  }
  // mkstemp creates 0600; an output should get the permissions any new file gets.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail(errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail(errno);
  unregister_temp(std::exchange(temp_slot_, -1));
  committed_ = true;
}

void write_output(const std::string& path, std::string_view content) {
  OutputFile out(path.empty() ? std::string("-") : path, true);
  out.write(content);
  out.commit();
  if (path.empty() || path == "-") std::fflush(stdout);
}

}  // namespace vmsim
