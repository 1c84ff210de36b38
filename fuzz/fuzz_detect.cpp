// libFuzzer target: format detection and Auto reading, including gzip and zstd input (the corpus
// has small compressed traces), over arbitrary bytes. See fuzz_common.hpp for what is checked.
#include <string_view>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  const vmsim::TraceFormat detected = vmsim::detect_trace_format(head);
  vmsim::fuzz::check(detected != vmsim::TraceFormat::Auto);
  vmsim::fuzz::run(data, size, vmsim::TraceFormat::Auto);
  return 0;
}
