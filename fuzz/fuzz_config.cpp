// libFuzzer target: TOML configuration files and policy specs, as `--config FILE` and `--policy`
// read them. A vmsim::Error (with FILE:LINE for TOML) is the expected outcome for bad input; any
// other exception, a crash or a sanitizer report is a bug. A configuration that parses must
// validate without throwing anything but vmsim::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/options.hpp"
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
    (void)vmsim::parse_policy_spec(text);
  } catch (const vmsim::Error&) {
  }
  return 0;
}
