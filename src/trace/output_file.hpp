// Where text trace writers put their bytes: an OutputFile (core/output_file.hpp) with gzip or zstd
// compression chosen by the target's name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/output_file.hpp"

namespace vmsim {

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
