// Finding and starting valgrind for `vmsim record`.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "record/record.hpp"

namespace vmsim {

// The path of the valgrind executable (`name` itself if it contains a slash, else searched in
// PATH). Throws vmsim::Error saying how to install it when there is none.
std::string find_valgrind(const std::string& name);

// The path of the program to record, found as execvp would (PATH when `name` has no slash), so
// that a program that cannot run is reported before valgrind starts. Throws ProgramNotStarted:
// kNotFound when there is no such file, kCannotExecute when it is not an executable file.
std::string find_program(const std::string& name);

// The interpreter named by the "#!" line that starts the file at `path` ("/bin/sh"), or empty when
// it is not a script.
std::string script_interpreter(const std::string& path);

// Starts `valgrind --tool=lackey --trace-mem=yes --log-socket=127.0.0.1:PORT [--trace-children=yes]
// CMD ARGS...` with the program's standard streams left as they are. Throws vmsim::Error if it
// cannot.
pid_t spawn_valgrind(const std::string& valgrind, std::uint16_t port, const RecordOptions& options);

}  // namespace vmsim
