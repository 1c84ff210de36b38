// libFuzzer target: the text reader over arbitrary bytes (see fuzz_common.hpp for what is checked).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vmsim::fuzz::run(data, size, vmsim::TraceFormat::Text);
  return 0;
}
