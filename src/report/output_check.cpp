#include "report/output_check.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "vmsim/error.hpp"

namespace vmsim {

void check_output_path(const std::string& path) {
  if (path.empty() || path == "-") return;
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw Error(fmt::format("cannot write {}: it is a directory", path));
  }
  // write_output creates a temporary file beside the target and renames it, so what matters is
  // the directory, not the target's own permissions.
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::file_status status = fs::status(dir, ec);
  if (!fs::exists(status)) {
    throw Error(fmt::format("cannot write {}: directory {} does not exist", path, dir.string()));
  }
  if (!fs::is_directory(status)) {
    throw Error(fmt::format("cannot write {}: {} is not a directory", path, dir.string()));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error(fmt::format("cannot write {}: directory {} is not writable ({})", path,
                            dir.string(), std::strerror(errno)));
  }
}

}  // namespace vmsim
