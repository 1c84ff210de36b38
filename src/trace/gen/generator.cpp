#include "trace/gen/generator.hpp"

#include <fmt/format.h>

#include "core/join.hpp"
#include "core/units.hpp"
#include "trace/gen/basic.hpp"
#include "vmsim/error.hpp"

namespace vmsim::gen {
namespace {

using Maker = std::unique_ptr<TraceReader> (*)(const GeneratorParams&);

struct Kind {
  GeneratorInfo info;
  Maker make;
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table = {
      {{"sequential", "scan the footprint in access-size steps, wrapping (an array walk)"},
       make_sequential},
      {{"strided", "sweep the footprint in --stride byte steps (default one page)"}, make_strided},
      {{"uniform", "pages drawn uniformly from the footprint"}, make_uniform},
      {{"zipf", "pages drawn from a Zipf(--alpha) distribution: page 0 hottest"}, make_zipf},
      {{"loop",
        "cycle through --working-set pages in order (LRU's worst case when larger than memory)"},
       make_loop},
      {{"phases", "--phases working sets of --working-set pages in turn, uniform within each"},
       make_phases},
      {{"matmul", "n x n matrix multiply (--n), naive or blocked in --block tiles"}, make_matmul},
      {{"mix", "a parent forks --processes children that share its pages and have their own"},
       make_mix},
  };
  return table;
}

void check(const GeneratorParams& p, std::string_view kind) {
  const auto fail = [&](const std::string& what) {
    throw Error(fmt::format("trace gen {}: {}", kind, what));
  };
  if (!is_power_of_two(p.page_size))
    fail(fmt::format("page size {} is not a power of two", p.page_size));
  if (p.pages == 0) fail("--pages must be at least 1");
  if (p.access_size == 0 || p.access_size > p.page_size) fail("--access-size must be 1..page size");
  if (!(p.write_ratio >= 0 && p.write_ratio <= 1)) fail("--write-ratio must be between 0 and 1");
  if (!(p.shared_fraction >= 0 && p.shared_fraction <= 1))
    fail("--shared-fraction must be between 0 and 1");
  if (kind == "zipf" && !(p.alpha > 0)) fail("--alpha must be greater than 0 (use uniform for 0)");
  if (kind == "phases" && p.phases == 0) fail("--phases must be at least 1");
  if (kind == "matmul" && (p.matrix_n == 0 || p.matrix_n > 65536)) fail("--n must be 1..65536");
  if (kind == "mix" && (p.processes == 0 || p.processes > 1000))
    fail("--processes must be 1..1000");
  // Every address must stay inside a 48-bit address space, the largest the simulator models by
  // default.
  const std::uint64_t span =
      kind == "mix" ? (p.processes + 1) * 0x40000000ULL : p.pages * p.page_size;
  if (p.pages > (1ULL << 40) || p.base + span > (1ULL << 47)) {
    fail("the footprint does not fit below 2^47 bytes");
  }
}

}  // namespace

const std::vector<GeneratorInfo>& generator_kinds() {
  static const std::vector<GeneratorInfo> infos = [] {
    std::vector<GeneratorInfo> out;
    for (const Kind& k : kinds()) out.push_back(k.info);
    return out;
  }();
  return infos;
}

std::unique_ptr<TraceReader> make_generator(std::string_view kind, const GeneratorParams& params) {
  std::string valid;
  for (const Kind& k : kinds()) {
    if (k.info.name == kind) {
      check(params, kind);
      return k.make(params);
    }
    append_joined(valid, ", ", k.info.name);
  }
  throw Error(fmt::format("unknown workload '{}' (valid: {})", kind, valid));
}

}  // namespace vmsim::gen
