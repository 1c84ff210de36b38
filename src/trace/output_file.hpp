// Where trace writers put their bytes: a temporary file beside the target that commit() renames
// over it, so a reader never sees half a trace, or standard output. TextOutput adds gzip or zstd
// compression chosen by the target's name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vmsim {

class OutputFile {
 public:
  // Creates `path`'s temporary file, or writes to standard output for "-" when `allow_stdout`.
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

  std::string path_;
  std::string temp_;  // empty for standard output
  int fd_ = -1;
  bool committed_ = false;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::uint64_t written_ = 0;
};

// Text output, compressed with gzip when the path ends in ".gz" and with zstd when it ends in
// ".zst".
class TextOutput {
 public:
  TextOutput(std::string path, bool allow_stdout);
  TextOutput(const TextOutput&) = delete;
  TextOutput& operator=(const TextOutput&) = delete;
  ~TextOutput();

  void write(std::string_view text);
  void commit();
  std::uint64_t bytes_written() const { return file_.bytes_written(); }
  const std::string& path() const { return file_.path(); }

 private:
  class Compressor;
  void drain(bool last);

  OutputFile file_;
  std::unique_ptr<Compressor> compressor_;  // nullptr: plain text
  std::string pending_;                     // text not yet handed to the compressor
};

}  // namespace vmsim
