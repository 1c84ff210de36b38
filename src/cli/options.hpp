// The one option table: every SimConfig setting once, with its help line. It drives command-line
// parsing, TOML config files and presets, --help, and the configuration echoed into every report.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmsim/config.hpp"

namespace vmsim::cli {

struct OptionSpec {
  std::string_view name;   // long option without dashes; also the TOML key
  std::string value_name;  // shown in --help
  std::string_view help;
  std::function<void(SimConfig&, std::string_view)> set;  // throws vmsim::Error on a bad value
  std::function<std::string(const SimConfig&)> get;       // the value as set would read it back
};

// In application order: an option that depends on another (memory on page-size) comes after it.
const std::vector<OptionSpec>& option_table();

// Where each setting was last given: "machine.toml:3", "preset textbook:4", "--frames". Settings
// that were never given are absent (their defaults need no place).
using SettingOrigins = std::map<std::string, std::string, std::less<>>;

// Applies (name, value) pairs in table order; unknown names throw listing the valid ones.
void apply_options(SimConfig& config,
                   const std::vector<std::pair<std::string, std::string>>& values,
                   std::string_view origin, SettingOrigins* origins = nullptr);

// Reads a TOML file of `name = value` settings into config; errors carry FILE:LINE.
void apply_toml_file(SimConfig& config, const std::string& path, SettingOrigins* origins = nullptr);
// The same for TOML text (presets are compiled in); `origin` names it in messages.
void apply_toml_text(SimConfig& config, std::string_view text, const std::string& origin,
                     SettingOrigins* origins = nullptr);

// Built-in machine presets: name -> TOML text.
const std::vector<std::pair<std::string_view, std::string_view>>& presets();
void apply_preset(SimConfig& config, std::string_view name, SettingOrigins* origins = nullptr);

// config.validate(), with each problem prefixed by where its setting was given
// (`machine.toml:3: frames 0 must be between 1 and 2^31`). Throws vmsim::Error.
void validate_config(const SimConfig& config, const SettingOrigins& origins);

// Every setting as (name, value), for reports.
std::vector<std::pair<std::string, std::string>> config_echo(const SimConfig& config);

}  // namespace vmsim::cli
