#include "cli/app.hpp"

#include <cstdio>
#include <new>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/mrc_command.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/record_command.hpp"
#include "cli/trace_commands.hpp"
#include "core/join.hpp"
#include "core/output_file.hpp"
#include "core/suggest.hpp"
#include "core/units.hpp"
#include "report/fault_log.hpp"
#include "report/provenance.hpp"
#include "report/report.hpp"
#include "sim/compare.hpp"
#include "vmsim/error.hpp"
#include "vmsim/simulator.hpp"

namespace vmsim::cli {
namespace {

constexpr int kUserError = 2;
// `run --on-segv stop` that stopped at a protection fault (docs/events.md).
constexpr int kExitProtectionFault = 3;

// Everything a `run` or `compare` command line says besides the SimConfig settings.
struct CommonArgs {
  std::string trace_path;
  std::string refs;
  std::string input_format = "auto";
  std::string config_file;
  std::string preset;
  std::string format = "table";
  std::string output = "-";
  std::string fault_log;     // run only
  bool per_process = false;  // run only
  bool no_progress = false;
  bool strict = false;
  std::vector<std::pair<std::string, std::string>>
      settings;  // from the option table, in given order
};

void add_common(CLI::App& cmd, CommonArgs& args, const std::vector<std::string_view>& skip) {
  cmd.add_option("trace", args.trace_path,
                 "trace file: .vmt, text, lackey, csv or reference string (text optionally "
                 "gzip/zstd-compressed); - reads "
                 "standard input");
  cmd.add_option("--refs", args.refs, "a reference string of page numbers, e.g. \"7 0 1 2 0 3w\"")
      ->type_name("STRING");
  cmd.add_option("--input-format", args.input_format,
                 "trace format: auto, text, lackey, refs, vmt, csv")
      ->type_name("FMT");
  cmd.add_option("--config", args.config_file, "TOML file of settings (keys as the long options)")
      ->type_name("FILE");
  cmd.add_option("--preset", args.preset,
                 "machine preset applied first: x86-64, x86-32, riscv-sv39, "
                 "textbook")
      ->type_name("NAME");
  cmd.add_option("--format", args.format, "output format: table, json, csv")->type_name("FMT");
  cmd.add_option("-o,--output", args.output,
                 "write the report to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  cmd.add_flag("--no-progress", args.no_progress, "never show progress on stderr");
  cmd.add_flag("--strict", args.strict,
               "refuse a damaged trace (a skipped .vmt block, a truncated file) instead of "
               "warning and running on what could be read");
  const SimConfig defaults;
  for (const OptionSpec& o : option_table()) {
    if (std::find(skip.begin(), skip.end(), o.name) != skip.end()) continue;
    const std::string name(o.name);
    cmd.add_option_function<std::string>(
           "--" + name,
           [&args, name](const std::string& v) { args.settings.emplace_back(name, v); },
           fmt::format("{} [default: {}]", o.help, o.get(defaults)))
        ->type_name(std::string(o.value_name));
  }
}

// preset -> config file -> command-line flags, each later source overriding the earlier. `origins`
// remembers where each setting was last set, so validation can point there.
SimConfig build_config(const CommonArgs& args, SettingOrigins& origins) {
  SimConfig config;
  if (!args.preset.empty()) apply_preset(config, args.preset, &origins);
  if (!args.config_file.empty()) apply_toml_file(config, args.config_file, &origins);
  apply_options(config, args.settings, "command line", &origins);
  return config;
}

TraceSpec build_trace(const CommonArgs& args, const SimConfig& config, const CLI::App& cmd) {
  TraceSpec spec;
  const bool has_refs = cmd.count("--refs") > 0;
  if (has_refs && !args.trace_path.empty()) {
    throw Error("give either a trace file or --refs, not both");
  }
  if (!has_refs && args.trace_path.empty()) {
    throw Error(fmt::format("no input: give a trace file or --refs (see 'vmsim {} --help')",
                            cmd.get_name()));
  }
  spec.path = args.trace_path;
  spec.inline_refs = args.refs;
  spec.has_inline_refs = has_refs;
  spec.format = has_refs ? TraceFormat::Refs : parse_trace_format(args.input_format);
  spec.page_size = config.page_size;
  spec.strict = args.strict;
  // What the simulation can address: the full model's virtual address space, reference-string
  // mode's 48-bit page numbers. Readers of text formats then say which line is outside it.
  if (config.model == SimModel::Full) {
    spec.address_limit = {.bits = config.va_bits, .hint = "raise --va-bits"};
  } else {
    spec.address_limit = {.bits = std::min(64U, 48U + config.page_shift()),
                          .hint = "reference-string mode numbers pages in 48 bits"};
  }
  return spec;
}

// Reader warnings go to stderr as they would for any command reading a trace; reports carry them
// too.
void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) fmt::print(stderr, "vmsim: warning: {}\n", w);
}

// The most runs one comparison may ask for: far more than a table can show, few enough that a typo
// such as 1-9999999 is refused at once instead of running for hours.
constexpr std::size_t kMaxGrid = 10000;

// "3,4,8-10" -> 3 4 8 9 10
std::vector<std::uint64_t> parse_frame_list(std::string_view text) {
  std::vector<std::uint64_t> out;
  const auto add = [&out](std::uint64_t f) {
    if (out.size() == kMaxGrid) {
      throw Error(fmt::format("--frames: more than {} frame counts", kMaxGrid));
    }
    out.push_back(f);
  };
  if (text.empty()) throw Error("--frames: empty list");
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    if (item.empty()) throw Error(fmt::format("--frames: empty item in '{}'", text));
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      add(parse_uint(item, "--frames"));
    } else {
      const std::uint64_t lo = parse_uint(item.substr(0, dash), "--frames");
      const std::uint64_t hi = parse_uint(item.substr(dash + 1), "--frames");
      if (hi < lo) throw Error(fmt::format("--frames: range '{}' ends before it starts", item));
      if (hi - lo >= kMaxGrid) {
        throw Error(fmt::format("--frames: range '{}' has {} frame counts, more than {}", item,
                                hi - lo + 1, kMaxGrid));
      }
      // Counted, not compared with hi: `f <= hi` never fails when hi is 2^64 - 1.
      for (std::uint64_t i = 0; i <= hi - lo; ++i) add(lo + i);
    }
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return out;
}

std::vector<std::string> parse_policy_list(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) throw Error("--policies: empty list (give policy names, or 'all')");
  if (text == "all") {
    for (const PolicyDescription& p : list_policies()) out.emplace_back(p.name);
    return out;
  }
  // Policies may carry parameters after ':' separated by ',', so split on ';' when present, else on
  // ','.
  const char sep = text.find(';') != std::string_view::npos ? ';' : ',';
  for (;;) {
    const std::size_t at = text.find(sep);
    const std::string_view item = text.substr(0, at);
    if (item.empty()) throw Error(fmt::format("--policies: empty name in '{}'", text));
    out.emplace_back(item);
    if (at == std::string_view::npos) break;
    text = text.substr(at + 1);
  }
  return out;
}

// Validates every configuration, reporting each problem where its setting was given.
void validate_all(std::span<const SimConfig> configs, const SettingOrigins& origins) {
  for (const SimConfig& c : configs) validate_config(c, origins);
}

int do_run(const CommonArgs& args, const CLI::App& cmd) {
  SettingOrigins origins;
  SimConfig config = build_config(args, origins);
  const ReportFormat format = parse_report_format(args.format);
  validate_config(config, origins);
  const TraceSpec trace = build_trace(args, config, cmd);
  // Everything that can be refused is refused before the run: outputs, the fault log's format.
  check_output_path(args.output);
  if (!args.fault_log.empty()) {
    fault_log_format(args.fault_log);
    check_output_path(args.fault_log);
    config.record_faults = true;
  }
  config.per_process = args.per_process;
  ProgressLine progress(!args.no_progress && stderr_is_terminal());
  const Results results = simulate(config, trace, progress.callback(config.policy));
  progress.finish();
  print_warnings(results.warnings);
  const Provenance provenance = describe_input(trace);
  if (!args.fault_log.empty()) write_fault_log(args.fault_log, results.faults);
  write_output(args.output, render_run(results, config_echo(config), format, provenance));
  // As a shell reports a process killed by SIGSEGV, but in the range of ordinary failures.
  return results.stopped_at_protection_fault ? kExitProtectionFault : 0;
}

int do_compare(const CommonArgs& args, const std::string& policies, const std::string& frames,
               unsigned threads, const CLI::App& cmd) {
  SettingOrigins origins;
  const SimConfig base = build_config(args, origins);
  const ReportFormat format = parse_report_format(args.format);
  const std::vector<std::string> policy_list = parse_policy_list(policies);
  const std::vector<std::uint64_t> frame_list = parse_frame_list(frames);
  if (policy_list.size() * frame_list.size() > kMaxGrid) {
    throw Error(fmt::format("{} policies x {} frame counts make {} runs, more than {}",
                            policy_list.size(), frame_list.size(),
                            policy_list.size() * frame_list.size(), kMaxGrid));
  }
  origins["policy"] = "--policies";
  origins["frames"] = "--frames";
  // Validate every combination before running any, so a typo fails fast.
  std::vector<SimConfig> configs;
  for (const std::string& policy : policy_list) {
    for (std::uint64_t f : frame_list) {
      SimConfig c = base;
      c.policy = policy;
      c.frames = f;
      configs.push_back(std::move(c));
    }
  }
  validate_all(configs, origins);
  const TraceSpec trace = build_trace(args, base, cmd);
  check_output_path(args.output);
  // The trace is read once (so standard input works) and the runs share it on `threads` threads.
  const bool show = !args.no_progress && stderr_is_terminal();
  ProgressLine progress(show);
  CompareOptions options;
  options.threads = threads;
  options.reading = progress.callback("reading");
  if (show) {
    options.run_done = [](std::size_t done, std::size_t total) {
      fmt::print(stderr, "\r\x1b[Kvmsim: {} of {} runs done", done, total);
      if (done == total) fmt::print(stderr, "\r\x1b[K");
      std::fflush(stderr);
    };
  }
  const std::vector<Results> runs = compare(configs, trace, options);
  progress.finish();
  if (!runs.empty()) print_warnings(runs.front().warnings);
  std::vector<ConfigEcho> echoes;
  for (const SimConfig& c : configs) echoes.push_back(config_echo(c));
  const Provenance provenance = describe_input(trace);
  write_output(args.output, render_compare(runs, echoes, format, provenance));
  return 0;
}

std::string list_policies_text() {
  const std::vector<PolicyDescription> policies = list_policies();
  std::size_t width = 0;
  for (const PolicyDescription& p : policies) width = std::max(width, p.name.size());
  std::string out;
  for (const PolicyDescription& p : policies) {
    out += fmt::format("{:<{}}  {}\n{:<{}}  source: {}\n", p.name, width, p.summary, "", width,
                       p.citation);
    for (const std::string& param : p.params) {
      out += fmt::format("{:<{}}  param {}\n", "", width, param);
    }
  }
  return out;
}

// The innermost subcommand on the command line, for messages about its options.
const CLI::App* deepest_parsed(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return s->parsed(); })) {
    return deepest_parsed(*sub);
  }
  return &app;
}

std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const std::string& n : o->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : o->get_snames()) names.push_back("-" + n);
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::App* sub : cmd.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// "did you mean" for each word the parser could not place: an option name or a command name.
std::string suggestions(const CLI::App& where, const std::vector<std::string>& extras) {
  std::string out;
  for (const std::string& word : extras) {
    const std::string name = word.substr(0, word.find('='));
    const bool option = name.starts_with('-');
    const std::vector<std::string> known = option ? option_names(where) : subcommand_names(where);
    if (known.empty()) continue;
    const std::vector<std::string> matches = closest_matches(name, known);
    if (!matches.empty())
      out += fmt::format("vmsim: '{}': did you mean '{}'?\n", name, matches.front());
  }
  return out;
}

std::string valid_options(const CLI::App& cmd) {
  std::string out;
  for (const CLI::Option* o : cmd.get_options()) {
    const std::string name = o->get_name(false, true);
    if (name.empty() || name[0] != '-') continue;
    append_joined(out, " ", o->get_name(false, false));
  }
  return out;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // No signal may leave a temporary output file behind.
  install_cleanup_on_signal();
  std::string command_line = "vmsim";
  for (int i = 1; i < argc; ++i) command_line += fmt::format(" {}", argv[i]);
  CLI::App app{
      "vmsim: a virtual memory system simulator. Runs a stream of memory references through TLBs, "
      "page tables, demand paging, replacement and swap, and reports what happened."};
  app.set_version_flag("--version", vmsim_version());
  app.require_subcommand(0, 1);
  bool list = false;
  app.add_flag("--list-policies", list, "list the page-replacement policies with their sources");

  CommonArgs run_args;
  CLI::App* run = app.add_subcommand("run", "simulate one configuration over a trace");
  add_common(*run, run_args, {});
  // Every command that takes policies takes both spellings; `run` runs one.
  run->add_option_function<std::string>(
         "--policies",
         [&run_args](const std::string& v) { run_args.settings.emplace_back("policy", v); },
         "the same as --policy: one policy (compare runs several)")
      ->type_name("NAME");
  run->add_flag("--per-process", run_args.per_process,
                "count faults, resident pages and the proportional set size (PSS) per process: "
                "a table, and per_process in the JSON report");
  run->add_option("--fault-log", run_args.fault_log,
                  "write every fault to FILE: .csv, or JSON lines for .jsonl/.json (reference "
                  "index, pid, page, minor/major, victim pid and page, write-back)")
      ->type_name("FILE");
  run->footer(
      "Examples:\n"
      "  vmsim run --refs \"7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1\" --frames 3 --policy lru\n"
      "  vmsim run examples/traces/matmul-naive.lackey.zst --memory 256KiB --policy clock --format "
      "json");

  CommonArgs compare_args;
  std::string policies = "fifo,lru,clock,opt";
  std::string frames;
  CLI::App* compare =
      app.add_subcommand("compare", "run several policies and memory sizes over one trace");
  add_common(*compare, compare_args, {"frames", "memory", "policy"});
  compare
      ->add_option("--policies,--policy", policies,
                   "policies to run, comma-separated (';' when a policy has parameters), or 'all'")
      ->type_name("LIST");
  compare->add_option("--frames", frames, "frame counts, e.g. 3,4 or 1-8")
      ->type_name("LIST")
      ->required();
  unsigned compare_threads = 0;
  compare
      ->add_option("--threads", compare_threads,
                   "runs at once, each on its own thread (default 0: one per hardware thread); "
                   "results do not depend on it")
      ->type_name("N");
  const std::unique_ptr<TraceCommands> trace = add_trace_commands(app, command_line);
  const std::unique_ptr<RecordCommand> record = add_record_command(app, command_line);
  const std::unique_ptr<MrcCommand> mrc = add_mrc_command(app);

  compare->footer(
      "Example:\n  vmsim compare --refs \"1 2 3 4 1 2 5 1 2 3 4 5\" --policies fifo,lru,opt "
      "--frames 3,4");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const CLI::App* where = deepest_parsed(app);
    fmt::print(stderr, "vmsim: error: {}\n", e.what());
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      fmt::print(stderr, "{}", suggestions(*where, where->remaining()));
      fmt::print(stderr, "valid options for '{}': {}\n",
                 where == &app ? std::string("vmsim") : where->get_name(), valid_options(*where));
      const std::vector<std::string> commands = subcommand_names(*where);
      if (!commands.empty()) {
        std::string names;
        for (const std::string& c : commands) append_joined(names, ", ", c);
        fmt::print(stderr, "commands: {}\n", names);
      }
    }
    return kUserError;
  } catch (const Error& e) {
    // An option callback (from the option table) rejected its value.
    fmt::print(stderr, "vmsim: error: {}\n", e.what());
    return kUserError;
  }

  try {
    if (list) {
      write_output("-", list_policies_text());
      return 0;
    }
    if (run->parsed()) return do_run(run_args, *run);
    if (compare->parsed()) {
      return do_compare(compare_args, policies, frames, compare_threads, *compare);
    }
    if (trace->parsed()) return trace->run();
    if (record->parsed()) return record->run();
    if (mrc->parsed()) return mrc->run();
    fmt::print("{}", app.help());
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "vmsim: error: {}\n", e.what());
    return kUserError;
  } catch (const std::bad_alloc&) {
    // The estimates before each large allocation should have refused this with a figure; this is
    // the last line, so that even a missed case ends with a message and not an abort.
    fmt::print(stderr,
               "vmsim: error: out of memory (the configuration or the trace needs more memory "
               "than this machine can give)\n");
    return kUserError;
  }
}

}  // namespace vmsim::cli
