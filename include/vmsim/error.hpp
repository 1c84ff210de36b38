// Errors raised while setting up a run: bad input files, bad options, bad configuration.
// The CLI turns each into one message and exit code 2; the per-access loop never throws on valid
// setup.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace vmsim {

// Anything the user must fix: a malformed trace line, an unknown option value, an impossible
// configuration.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A problem at a known place in an input file; what() reads `FILE:LINE: message`.
class InputError : public Error {
 public:
  InputError(std::string file, std::uint64_t line, const std::string& message)
      : Error(file + ":" + std::to_string(line) + ": " + message),
        file_(std::move(file)),
        line_(line) {}

  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }

 private:
  std::string file_;
  std::uint64_t line_;
};

}  // namespace vmsim
