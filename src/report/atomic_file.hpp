// Writing an output so that readers never see half of it: write a temporary file beside the target,
// then rename it over the target (atomic on POSIX within one file system).
#pragma once

#include <string>
#include <string_view>

namespace vmsim {

// "-" or empty writes to standard output. Throws vmsim::Error if the file cannot be written; the
// target is then untouched and the temporary file removed.
void write_output(const std::string& path, std::string_view content);

}  // namespace vmsim
