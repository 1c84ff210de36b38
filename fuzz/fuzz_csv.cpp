// libFuzzer target: the csv reader over arbitrary bytes (see fuzz_common.hpp for what is checked),
// with a page size of 4096 and of 1 byte.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vmsim::fuzz::run(data, size, vmsim::TraceFormat::Csv, 4096);
  vmsim::fuzz::run(data, size, vmsim::TraceFormat::Csv, 1);
  return 0;
}
