// Writing an output so that nobody ever sees half of it. A regular file is written to a temporary
// file beside the target and renamed over it (atomic on POSIX within one file system); a target
// that is not a regular file (a device such as /dev/null, a FIFO, a terminal) is written through,
// since renaming over it would replace the device node. A symbolic link is followed: the file it
// points to is replaced and the link stays.
//
// Every temporary file is registered while it exists, and install_cleanup_on_signal() makes SIGINT,
// SIGTERM and SIGHUP remove them before the process dies, so no signal leaves one behind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vmsim {

// Checks, before any work, that `path` can be written: "-" (standard output) always can; otherwise
// the target must be an existing writable non-directory, or absent in an existing writable
// directory. Throws vmsim::Error("cannot write PATH: reason").
void check_output_path(const std::string& path);

// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every registered temporary file and
// then let the signal take its default effect (the process ends with the signal's status). Handlers
// installed later (as `vmsim record` does for its own Ctrl-C handling) take precedence while they
// are in place.
void install_cleanup_on_signal();

class OutputFile {
 public:
  // Opens the output for `path`, or standard output for "-" when `allow_stdout`.
  // Throws vmsim::Error("cannot write PATH: reason").
  OutputFile(std::string path, bool allow_stdout);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Without commit(), removes the temporary file: the target is left as it was.
  ~OutputFile();

  // Buffered; throws vmsim::Error when the disk refuses.
  void write(const void* data, std::size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // Flushes, gives the file the usual permissions and renames it over the target.
  void commit();

  std::uint64_t bytes_written() const { return written_ + used_; }
  const std::string& path() const { return path_; }

 private:
  void flush();
  void write_fd(const char* data, std::size_t size);
  [[noreturn]] void fail(int err);
  void discard_temp();

  std::string path_;    // as given, for messages
  std::string target_;  // what the rename replaces: path_ with symbolic links resolved
  std::string temp_;    // empty when written through (standard output, a device, a FIFO)
  int fd_ = -1;
  bool owns_fd_ = false;
  int temp_slot_ = -1;  // registration for removal on a signal
  bool committed_ = false;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::uint64_t written_ = 0;
};

// Writes `content` as one OutputFile: "-" or empty is standard output.
void write_output(const std::string& path, std::string_view content);

}  // namespace vmsim
