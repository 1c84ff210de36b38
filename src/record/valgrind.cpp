#include "record/valgrind.hpp"

#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "vmsim/error.hpp"

extern char** environ;  // POSIX: the environment handed to the spawned valgrind

namespace vmsim {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Where execvp would find `name`: itself if it contains a slash, else the first executable file of
// that name in PATH (an empty entry is the current directory). Empty when there is none.
std::string search_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/local/bin:/bin:/usr/bin";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  }
  return "";
}

}  // namespace

std::string find_valgrind(const std::string& name) {
  std::string path = search_path(name);
  if (!path.empty()) return path;
  throw Error(
      fmt::format("record needs valgrind, and '{}' was not found: install the Debian package "
                  "valgrind (scripts/install-deps.sh does)",
                  name));
}

std::string find_program(const std::string& name) {
  std::string path = search_path(name);
  if (!path.empty()) return path;
  if (name.find('/') == std::string::npos) {
    throw ProgramNotStarted(fmt::format("record: {}: command not found (searched PATH)", name),
                            kNotFound);
  }
  struct stat st {};
  if (::stat(name.c_str(), &st) != 0) {
    const int err = errno;
    throw ProgramNotStarted(fmt::format("record: {}: {}", name, std::strerror(err)),
                            err == ENOENT ? kNotFound : kCannotExecute);
  }
  throw ProgramNotStarted(fmt::format("record: {}: {}", name,
                                      S_ISDIR(st.st_mode) ? "is a directory" : "Permission denied"),
                          kCannotExecute);
}

std::string script_interpreter(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  char magic[2] = {};
  if (!file.read(magic, 2) || magic[0] != '#' || magic[1] != '!') return "";
  std::string line = "#!";
  std::string rest;
  std::getline(file, rest);
  line += rest;
  const std::size_t begin = line.find_first_not_of(" \t", 2);
  if (begin == std::string::npos) return "";
  return line.substr(begin, line.find_first_of(" \t\r", begin) - begin);
}

pid_t spawn_valgrind(const std::string& valgrind, std::uint16_t port,
                     const RecordOptions& options) {
  std::vector<std::string> args = {valgrind, "--tool=lackey", "--trace-mem=yes",
                                   fmt::format("--log-socket=127.0.0.1:{}", port)};
  if (options.trace_children) args.emplace_back("--trace-children=yes");
  args.insert(args.end(), options.command.begin(), options.command.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, valgrind.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) throw Error(fmt::format("record: cannot start {}: {}", valgrind, std::strerror(rc)));
  return pid;
}

}  // namespace vmsim
