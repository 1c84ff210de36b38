#include "record/valgrind.hpp"

#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "vmsim/error.hpp"

extern char** environ;  // POSIX: the environment handed to the spawned valgrind

namespace vmsim {

std::string find_valgrind(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
  } else if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      const std::string dir(rest.substr(0, colon));
      const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
  }
  throw Error(
      fmt::format("record needs valgrind, and '{}' was not found: install the Debian package "
                  "valgrind (scripts/install-deps.sh does)",
                  name));
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
