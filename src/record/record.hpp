// Recording a real program's memory references: run it under Valgrind's lackey tool, read lackey's
// output as it is produced (one loopback connection per traced process, via --log-socket, so
// processes never interleave inside a line), and write the references to a trace as they arrive.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vmsim/error.hpp"
#include "vmsim/trace.hpp"

namespace vmsim {

struct RecordOptions {
  std::vector<std::string> command;  // program and arguments
  std::string output;                // trace file to write
  TraceFormat format = TraceFormat::Vmt;
  bool ifetch = true;           // keep instruction fetches
  std::uint64_t sample = 1;     // keep every Nth reference (1 = all)
  bool trace_children = false;  // follow exec'd children, each a pid of its own
  std::string valgrind = "valgrind";
  std::string command_line;  // stored in the trace header
};

struct RecordProgress {
  std::uint64_t references = 0;  // written so far
  std::uint64_t bytes = 0;       // trace bytes written so far
  double seconds = 0;
};

struct RecordResult {
  std::uint64_t references = 0;
  std::uint64_t processes = 0;
  std::uint64_t bytes = 0;
  bool interrupted = false;  // stopped by SIGINT/SIGTERM; the trace is complete up to that point
  int exit_code = 0;         // the program's exit status, or 128 + signal number
  std::string how_it_ended;  // "exited with status 3", "killed by signal 11 (Segmentation fault)"
};

// The program could not be started (not found, not executable, or valgrind gave up before running
// it): nothing was recorded and no trace file was written. exit_status() is what a shell returns in
// the same case, so scripts can tell it from the program's own failures.
class ProgramNotStarted : public Error {
 public:
  ProgramNotStarted(const std::string& what, int exit_status)
      : Error(what), exit_status_(exit_status) {}
  int exit_status() const { return exit_status_; }

 private:
  int exit_status_;
};

inline constexpr int kNotFound = 127;       // as a shell's "command not found"
inline constexpr int kCannotExecute = 126;  // as a shell's "permission denied", "is a directory"

// Runs the program to its end (or until `stop` becomes true, which also interrupts the program) and
// finishes the trace whatever happened. `progress` is called about 4 times a second; `warn` with
// each thing the user should know about what was not recorded (a script's programs, an exec that
// was not followed), as soon as it is known. Throws
// vmsim::Error when valgrind cannot be started or the output cannot be written, ProgramNotStarted
// when the program cannot.
RecordResult record_program(const RecordOptions& options, const std::atomic<bool>& stop,
                            const std::function<void(const RecordProgress&)>& progress,
                            const std::function<void(const std::string&)>& warn);

}  // namespace vmsim
