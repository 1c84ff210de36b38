#include "cli/options.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/join.hpp"
#include "core/suggest.hpp"
#include "core/units.hpp"
#include "vmsim/error.hpp"

namespace vmsim::cli {
namespace {

template <class T>
T narrow_uint(std::string_view text, std::string_view what, std::uint64_t max) {
  const std::uint64_t v = parse_uint(text, what);
  if (v > max) throw Error(fmt::format("{}: {} is larger than {}", what, v, max));
  return static_cast<T>(v);
}

std::string format_double(double v) {
  return fmt::format("{}", v);
}

std::vector<std::uint32_t> parse_bits_list(std::string_view text) {
  std::vector<std::uint32_t> bits;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    bits.push_back(narrow_uint<std::uint32_t>(text.substr(0, comma), "pt-bits", 64));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return bits;
}

using C = SimConfig;

// A setting with a fixed set of names; the first name listed for a value is the one echoed back.
template <class T>
OptionSpec choice_option(std::string_view name, std::string_view help, T C::*member,
                         std::vector<std::pair<std::string_view, T>> names) {
  std::string shown;
  for (const auto& entry : names) {
    const auto first = std::find_if(names.begin(), names.end(),
                                    [&](const auto& n) { return n.second == entry.second; });
    if (first->first == entry.first) append_joined(shown, "|", entry.first);
  }
  return {name, shown, help,
          [=](C& c, std::string_view v) {
            for (const auto& [text, value] : names) {
              if (v == text) {
                c.*member = value;
                return;
              }
            }
            throw Error(fmt::format("{}: unknown value '{}' (valid: {})", name, v, shown));
          },
          [=](const C& c) {
            for (const auto& [text, value] : names) {
              if (c.*member == value) return std::string(text);
            }
            return std::string();
          }};
}

OptionSpec uint32_option(std::string_view name, std::string_view help, std::uint32_t C::*member,
                         std::uint32_t max) {
  return {name, "N", help,
          [=](C& c, std::string_view v) { c.*member = narrow_uint<std::uint32_t>(v, name, max); },
          [=](const C& c) { return std::to_string(c.*member); }};
}

OptionSpec time_option(std::string_view name, std::string_view help, double TimingConfig::*member) {
  return {name, "NS", help,
          [=](C& c, std::string_view v) { c.timing.*member = parse_double(v, name); },
          [=](const C& c) { return format_double(c.timing.*member); }};
}

std::vector<OptionSpec> build_table() {
  return {
      {"page-size", "SIZE", "page size (power of two; 4KiB, 2MiB, ...)",
       [](C& c, std::string_view v) {
         // Checked here, not only in validate(): `memory` divides by it in the same pass.
         const std::uint64_t size = parse_size(v, "page-size");
         if (!is_power_of_two(size))
           throw Error(fmt::format("page-size: {} is not a power of two", v));
         c.page_size = size;
       },
       [](const C& c) { return format_size(c.page_size); }},
      {"frames", "N", "physical memory in page frames",
       [](C& c, std::string_view v) { c.frames = parse_uint(v, "frames"); },
       [](const C& c) { return std::to_string(c.frames); }},
      {"memory", "SIZE",
       "physical memory in bytes (64MiB, 1GiB...); sets frames = SIZE / page size",
       [](C& c, std::string_view v) {
         const std::uint64_t bytes = parse_size(v, "memory");
         if (bytes < c.page_size || bytes % c.page_size != 0) {
           throw Error(fmt::format("memory: {} is not a whole number (>= 1) of {} pages", v,
                                   format_size(c.page_size)));
         }
         c.frames = bytes / c.page_size;
       },
       [](const C& c) { return format_size(c.frames * c.page_size); }},
      {"policy", "NAME[:K=V,...]", "page-replacement policy (see --list-policies)",
       [](C& c, std::string_view v) { c.policy = std::string(v); },
       [](const C& c) { return c.policy; }},
      {"seed", "N", "seed for every random choice",
       [](C& c, std::string_view v) { c.seed = parse_uint(v, "seed"); },
       [](const C& c) { return std::to_string(c.seed); }},
      choice_option("model",
                    "what to model: full (TLB, page tables, faults, swap) or refs (memory and "
                    "the replacement policy only: faster, same faults and swap traffic)",
                    &C::model, {{"full", SimModel::Full}, {"refs", SimModel::Refs}}),
      uint32_option("tlb-entries", "TLB entries; 0 disables the TLB", &C::tlb_entries, 1U << 24),
      uint32_option("tlb-ways", "TLB associativity (ways per set; = entries for fully associative)",
                    &C::tlb_ways, 1U << 24),
      choice_option("page-table", "page-table organisation", &C::page_table,
                    {{"linear", PageTableKind::Linear}, {"radix", PageTableKind::Radix}}),
      uint32_option("va-bits", "virtual address bits", &C::va_bits, 64),
      uint32_option("pt-levels",
                    "radix levels; the page-number bits are split evenly, the root takes the rest",
                    &C::pt_levels, 64),
      {"pt-bits", "B1,B2,...",
       "explicit index bits per radix level, root first (overrides pt-levels)",
       [](C& c, std::string_view v) { c.pt_bits = parse_bits_list(v); },
       [](const C& c) {
         std::string s;
         for (std::uint32_t b : c.radix_level_bits()) append_joined(s, ",", std::to_string(b));
         return s;
       }},
      uint32_option("pte-bytes", "bytes per page-table entry", &C::pte_bytes, 64),
      choice_option("swap-device", "swap device, which sets the default swap read/write times",
                    &C::swap_device, {{"ssd", SwapDevice::Ssd}, {"hdd", SwapDevice::Hdd}}),
      choice_option(
          "first-touch",
          "where a page with no copy on swap comes from: zero-fill (an anonymous page, "
          "a minor fault) or backing-store (read from the program file, a major fault at "
          "the swap read time, as the textbook charges every fault)",
          &C::first_touch,
          {{"zero-fill", FirstTouch::ZeroFill}, {"backing-store", FirstTouch::BackingStore}}),
      choice_option("swap-cache",
                    "keep a swapped-in page's slot while it stays clean (no rewrite on eviction)",
                    &C::swap_cache,
                    {{"on", true}, {"off", false}, {"true", true}, {"false", false}}),
      choice_option("on-segv",
                    "what a protection fault does: continue (drop the access, count and list "
                    "it) or stop the run there, as the process would (exit status 3)",
                    &C::on_segv, {{"continue", OnSegv::Continue}, {"stop", OnSegv::Stop}}),
      time_option("tlb-ns", "time of one TLB lookup", &TimingConfig::tlb_ns),
      time_option("memory-ns", "time of one memory reference (data access or page-walk step)",
                  &TimingConfig::memory_ns),
      time_option("minor-fault-ns", "service time of a minor (zero-fill) fault",
                  &TimingConfig::minor_fault_ns),
      {"swap-read-ns", "NS", "time to read one page from swap (default: SSD 100000, HDD 8000000)",
       [](C& c, std::string_view v) { c.timing.swap_read_ns = parse_double(v, "swap-read-ns"); },
       [](const C& c) { return format_double(c.timing.effective_swap_read_ns(c.swap_device)); }},
      {"swap-write-ns", "NS", "time to write one page to swap (default: as swap-read-ns)",
       [](C& c, std::string_view v) { c.timing.swap_write_ns = parse_double(v, "swap-write-ns"); },
       [](const C& c) { return format_double(c.timing.effective_swap_write_ns(c.swap_device)); }},
  };
}

std::string valid_names() {
  std::string names;
  for (const OptionSpec& o : option_table()) append_joined(names, ", ", o.name);
  return names;
}

std::string toml_value_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) {
    if (i->get() < 0) throw Error(fmt::format("negative value {}", i->get()));
    return std::to_string(i->get());
  }
  if (const auto* f = node.as_floating_point()) return fmt::format("{}", f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* a = node.as_array()) {
    std::string s;
    for (const auto& item : *a) append_joined(s, ",", toml_value_text(item));
    return s;
  }
  throw Error("expected a string, number or array");
}

}  // namespace

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

namespace {

// `memory` is given in bytes but sets `frames`: a problem with frames is where memory was given.
void note_origin(SettingOrigins* origins, std::string_view name, std::string where) {
  if (origins == nullptr) return;
  if (name == "memory") (*origins)["frames"] = where;
  (*origins)[std::string(name)] = std::move(where);
}

std::vector<std::string> setting_names() {
  std::vector<std::string> names;
  for (const OptionSpec& o : option_table()) names.emplace_back(o.name);
  return names;
}

}  // namespace

void apply_options(SimConfig& config,
                   const std::vector<std::pair<std::string, std::string>>& values,
                   std::string_view origin, SettingOrigins* origins) {
  for (const auto& [name, value] : values) {
    bool known = false;
    for (const OptionSpec& o : option_table()) known = known || o.name == name;
    if (!known) {
      throw Error(fmt::format("{}: unknown setting '{}'{} (valid: {})", origin, name,
                              did_you_mean(name, setting_names()), valid_names()));
    }
  }
  for (const OptionSpec& o : option_table()) {
    for (const auto& [name, value] : values) {
      if (name == o.name) {
        o.set(config, value);
        note_origin(origins, name, "--" + name);
      }
    }
  }
}

void apply_toml_text(SimConfig& config, std::string_view text, const std::string& origin,
                     SettingOrigins* origins) {
  toml::table table;
  try {
    table = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw InputError(origin, e.source().begin.line, std::string(e.description()));
  }
  // Apply in table order so that e.g. memory sees the file's page-size.
  for (const OptionSpec& o : option_table()) {
    const toml::node* node = table.get(o.name);
    if (node == nullptr) continue;
    try {
      o.set(config, toml_value_text(*node));
    } catch (const Error& e) {
      throw InputError(origin, node->source().begin.line, e.what());
    }
    note_origin(origins, o.name, fmt::format("{}:{}", origin, node->source().begin.line));
  }
  for (const auto& [key, node] : table) {
    bool known = false;
    for (const OptionSpec& o : option_table()) known = known || o.name == key.str();
    if (!known) {
      throw InputError(origin, node.source().begin.line,
                       fmt::format("unknown setting '{}'{} (valid: {})", key.str(),
                                   did_you_mean(key.str(), setting_names()), valid_names()));
    }
  }
}

void apply_toml_file(SimConfig& config, const std::string& path, SettingOrigins* origins) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(fmt::format("--config {}: is a directory, not a TOML file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot open config file {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("cannot read config file {}", path));
  apply_toml_text(config, text.str(), path, origins);
}

void apply_preset(SimConfig& config, std::string_view name, SettingOrigins* origins) {
  std::string valid;
  std::vector<std::string> names;
  for (const auto& [preset_name, text] : presets()) {
    if (preset_name == name) {
      apply_toml_text(config, text, fmt::format("preset {}", name), origins);
      return;
    }
    append_joined(valid, ", ", preset_name);
    names.emplace_back(preset_name);
  }
  throw Error(
      fmt::format("unknown preset '{}'{} (valid: {})", name, did_you_mean(name, names), valid));
}

void validate_config(const SimConfig& config, const SettingOrigins& origins) {
  const std::vector<ConfigProblem> problems = config.problem_list();
  if (problems.empty()) return;
  const auto where = [&](const ConfigProblem& p) {
    const auto it = origins.find(p.setting);
    return it == origins.end() ? std::string() : it->second + ": ";
  };
  if (problems.size() == 1) throw Error(where(problems.front()) + problems.front().message);
  std::string message = "invalid configuration:";
  for (const ConfigProblem& p : problems) message += "\n  " + where(p) + p.message;
  throw Error(message);
}

std::vector<std::pair<std::string, std::string>> config_echo(const SimConfig& config) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const OptionSpec& o : option_table()) {
    if (o.name == "pt-levels" || o.name == "pt-bits") {
      if (config.page_table != PageTableKind::Radix) continue;
    }
    out.emplace_back(std::string(o.name), o.get(config));
  }
  return out;
}

}  // namespace vmsim::cli
