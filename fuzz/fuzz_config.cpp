// libFuzzer target: TOML configuration files and policy specs, as `--config FILE` and `--policy`
// read them. A vmsim::Error (with FILE:LINE for TOML) is the expected outcome for bad input; any
// other exception, a crash or a sanitizer report is a bug. A configuration that parses must
// validate without throwing anything but vmsim::Error. A policy spec that parses is built, with
// the parameters it names, over a few frames and run over a reference string taken from the
// input's bytes (policy/page/detail/replay.hpp), so a parameter the policy accepts but cannot run
// with shows up as a crash here rather than in a simulation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "policy/page/detail/replay.hpp"
#include "policy/page/registry.hpp"
#include "vmsim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  vmsim::SimConfig config;
  try {
    vmsim::cli::apply_toml_text(config, text, "fuzz.toml");
    (void)config.problems();
    (void)vmsim::cli::config_echo(config);
  } catch (const vmsim::Error&) {
  }
  try {
    const vmsim::PolicySpec spec = vmsim::parse_policy_spec(text);
    // 1 to 8 frames and up to 64 references over 12 pages: enough for every list of every policy
    // to fill, overflow and adapt, small enough to run thousands of inputs a second.
    const auto frames = static_cast<std::uint32_t>(1 + size % 8);
    std::vector<std::uint64_t> pages;
    for (std::size_t i = 0; i < size && pages.size() < 64; ++i) pages.push_back(data[i] % 12);
    vmsim::dispatch_policy(spec, [&]<class P>(typename P::Params params) {
      (void)vmsim::detail::replay_references<P>(params, frames, pages, size);
    });
  } catch (const vmsim::Error&) {
  }
  return 0;
}
