#include "cli/trace_commands.hpp"

#include <chrono>
#include <limits>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/progress.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"
#include "report/trace_summary_report.hpp"
#include "stats/trace_summary.hpp"
#include "trace/gen/generator.hpp"
#include "vmsim/error.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::cli {
namespace {

constexpr std::uint64_t kAll = std::numeric_limits<std::uint64_t>::max();

// The output format a file name asks for: .vmt, .csv, .refs, .lackey (before any .gz/.zst), else
// text.
TraceFormat format_for_path(std::string_view path) {
  for (std::string_view suffix : {".gz", ".zst"}) {
    if (path.ends_with(suffix)) path.remove_suffix(suffix.size());
  }
  if (path.ends_with(".vmt")) return TraceFormat::Vmt;
  if (path.ends_with(".csv")) return TraceFormat::Csv;
  if (path.ends_with(".refs")) return TraceFormat::Refs;
  if (path.ends_with(".lackey")) return TraceFormat::Lackey;
  return TraceFormat::Text;
}

struct OutputArgs {
  std::string path;
  std::string to;  // explicit output format, else from the file name
  std::uint64_t page_size = 4096;

  TraceWriterOptions options(const std::string& command) const {
    TraceWriterOptions o;
    o.format = to.empty() ? format_for_path(path) : parse_trace_format(to);
    if (o.format == TraceFormat::Auto) throw Error("--to: give an output format, not auto");
    o.page_size = page_size;
    o.header.page_size_hint = page_size;
    o.header.command = command;  // no timestamps: the same command gives byte-identical output
    return o;
  }
};

void add_output_format(CLI::App& cmd, OutputArgs& out) {
  cmd.add_option("--to", out.to,
                 "output format: text, lackey, refs, vmt, csv (default: from the file name)")
      ->type_name("FMT");
  cmd.add_option_function<std::string>(
         "--page-size",
         [&out](const std::string& v) { out.page_size = parse_size(v, "page-size"); },
         "page size for page-number outputs (refs, csv) and the header [default: 4KiB]")
      ->type_name("SIZE");
}

// Which accesses `slice` keeps; indices count the accesses left after the pid filter.
struct SliceFilter {
  std::optional<std::uint16_t> pid;
  std::uint64_t skip = 0;
  std::uint64_t count = kAll;
};

struct CopyStats {
  std::uint64_t records = 0;
};

// Streams `reader` into `writer`, keeping what `filter` selects; stops reading once past the
// window. `progress` is called after every batch with the input bytes read, or for a generated
// workload (no bytes) with the records made and its length.
CopyStats copy_trace(TraceReader& reader, TraceWriter& writer, const SliceFilter& filter,
                     const ProgressFn& progress) {
  std::vector<Access> in(4096);
  std::vector<Access> out;
  out.reserve(in.size());
  std::uint64_t index = 0;  // accesses seen after the pid filter
  const std::uint64_t end = filter.count == kAll ? kAll : filter.skip + filter.count;
  CopyStats stats;
  while (index < end) {
    const std::size_t n = reader.read(in);
    if (n == 0) break;
    out.clear();
    for (std::size_t i = 0; i < n && index < end; ++i) {
      const Access& a = in[i];
      if (filter.pid) {
        const bool child = a.op == Op::Fork && a.addr == *filter.pid;
        if (a.pid != *filter.pid && !child) continue;
      }
      if (is_event(a.op)) {
        if (index >= filter.skip) out.push_back(a);
        continue;
      }
      if (index++ >= filter.skip) out.push_back(a);
    }
    writer.write(out);
    stats.records += out.size();
    if (progress) {
      const bool generated = reader.format() == TraceFormat::Auto;
      progress(generated ? index : reader.bytes_consumed(),
               generated ? reader.records_hint() : reader.bytes_total());
    }
  }
  return stats;
}

std::string trace_name(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

void warn(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) fmt::print(stderr, "vmsim: warning: {}\n", w);
}

class Commands final : public TraceCommands {
 public:
  Commands(CLI::App& app, std::string command_line) : command_line_(std::move(command_line)) {
    trace_ = app.add_subcommand("trace", "look at, convert, cut and generate traces");
    // `vmsim trace` alone lists what it can do, as `vmsim` alone does.
    trace_->require_subcommand(0, 1);
    add_info();
    add_convert();
    add_slice();
    add_gen();
  }

  bool parsed() const override { return trace_->parsed(); }

  int run() override {
    if (info_->parsed()) return run_info();
    if (convert_->parsed()) return run_convert();
    if (slice_->parsed()) return run_slice();
    if (gen_->parsed()) return run_gen();
    fmt::print("{}", trace_->help());
    return 0;
  }

 private:
  void add_input(CLI::App& cmd) {
    cmd.add_option("--input-format", input_format_,
                   "input format: auto, text, lackey, refs, vmt, csv")
        ->type_name("FMT");
  }

  void add_no_progress(CLI::App& cmd) {
    cmd.add_flag("--no-progress", no_progress_,
                 "never show progress on stderr (shown only when stderr is a terminal)");
  }

  bool show_progress() const { return !no_progress_ && stderr_is_terminal(); }

  TraceSpec input_spec(std::uint64_t page_size) const {
    TraceSpec spec;
    spec.path = input_;
    spec.format = parse_trace_format(input_format_);
    spec.page_size = page_size;
    return spec;
  }

  void add_info() {
    info_ = trace_->add_subcommand(
        "info", "counts by operation and pid, distinct pages, footprint, address ranges");
    info_->add_option("trace", input_, "trace file (any format; - for standard input)")->required();
    add_input(*info_);
    info_
        ->add_option_function<std::string>(
            "--page-size",
            [this](const std::string& v) { info_page_size_ = parse_size(v, "page-size"); },
            "page size for counting pages [default: 4KiB]")
        ->type_name("SIZE");
    info_->add_option("--format", info_format_, "table, json or csv (one row per pid)")
        ->type_name("FMT");
    add_no_progress(*info_);
    info_->footer("Example:\n  vmsim trace info examples/traces/matmul-naive.lackey.zst");
  }

  int run_info() {
    if (!is_power_of_two(info_page_size_)) throw Error("--page-size must be a power of two");
    const ReportFormat format = parse_report_format(info_format_);
    auto reader = open_trace(input_spec(info_page_size_));
    const std::string format_label(format_name(reader->format()));
    ProgressLine progress(show_progress());
    const TraceSummary s = summarize_trace(*reader, trace_name(input_), format_label,
                                           info_page_size_, progress.callback("reading"));
    progress.finish();
    write_output("-", render_trace_summary(s, format));
    return 0;
  }

  void add_convert() {
    convert_ = trace_->add_subcommand("convert", "convert between text, lackey, refs, vmt and csv");
    convert_->add_option("in", input_, "input trace (- for standard input)")->required();
    convert_->add_option("out", output_.path, "output file (- for standard output, text formats)")
        ->required();
    add_input(*convert_);
    add_output_format(*convert_, output_);
    add_no_progress(*convert_);
    convert_->footer("Example:\n  vmsim trace convert examples/traces/small.trace small.vmt");
  }

  int run_convert() { return copy({}); }

  void add_slice() {
    slice_ = trace_->add_subcommand("slice", "cut a smaller trace: a window of accesses, one pid");
    slice_->add_option("in", input_, "input trace (- for standard input)")->required();
    slice_->add_option("out", output_.path, "output file (- for standard output, text formats)")
        ->required();
    add_input(*slice_);
    add_output_format(*slice_, output_);
    add_no_progress(*slice_);
    slice_->add_option("--first", slice_first_, "keep at most N accesses (after --skip)")
        ->type_name("N");
    slice_->add_option("--skip", slice_skip_, "drop the first N accesses")->type_name("N");
    slice_
        ->add_option("--window", slice_window_,
                     "keep accesses A..B-1 by index, counting from 0 (the trace's own time)")
        ->type_name("A:B");
    slice_
        ->add_option("--pid", slice_pid_, "keep one process: its accesses and events, and its fork")
        ->type_name("PID");
    slice_->footer(
        "Indices count accesses (events excluded) after the --pid filter; events inside the kept "
        "range\n"
        "are kept.\nExample:\n  vmsim trace slice examples/traces/matmul-naive.lackey.zst "
        "head.trace --first 1000");
  }

  int run_slice() {
    SliceFilter filter;
    if (slice_->count("--pid") > 0) {
      if (slice_pid_ > 65535) throw Error("--pid must be 0..65535");
      filter.pid = static_cast<std::uint16_t>(slice_pid_);
    }
    filter.skip = slice_skip_;
    filter.count = slice_->count("--first") > 0 ? slice_first_ : kAll;
    if (!slice_window_.empty()) {
      if (slice_->count("--skip") > 0 || slice_->count("--first") > 0) {
        throw Error("--window replaces --skip and --first: give one or the other");
      }
      const std::size_t colon = slice_window_.find(':');
      if (colon == std::string::npos)
        throw Error(fmt::format("--window: '{}' is not A:B", slice_window_));
      const std::uint64_t from = parse_uint(slice_window_.substr(0, colon), "--window");
      const std::uint64_t to = parse_uint(slice_window_.substr(colon + 1), "--window");
      if (to < from) throw Error(fmt::format("--window: end {} is before start {}", to, from));
      filter.skip = from;
      filter.count = to - from;
    }
    return copy(filter);
  }

  int copy(const SliceFilter& filter) {
    TraceWriterOptions options = output_.options(command_line_);
    auto reader = open_trace(input_spec(output_.page_size));
    // Keep what a recording said about itself (command, page size, start, duration).
    if (const TraceHeader* h = reader->header()) options.header = *h;
    auto writer = create_trace_writer(output_.path, options);
    ProgressLine progress(show_progress());
    copy_trace(*reader, *writer, filter, progress.callback("reading"));
    progress.finish();
    writer->finish(options.header);
    warn(reader->warnings());
    return 0;
  }

  void add_gen() {
    gen_ =
        trace_->add_subcommand("gen", "generate a synthetic workload (deterministic for a seed)");
    std::string kinds;
    for (const gen::GeneratorInfo& k : gen::generator_kinds())
      kinds += fmt::format("  {:<11} {}\n", k.name, k.summary);
    gen_->add_option("kind", gen_kind_, "the workload")->required();
    gen_->add_option("-o,--output", output_.path,
                     "output file (- for standard output, text formats)")
        ->required();
    add_output_format(*gen_, output_);
    add_no_progress(*gen_);
    gen::GeneratorParams& p = gen_params_;
    gen_->add_option("--length", p.length,
                     "memory references to produce [default: 1000000; matmul: the whole multiply]")
        ->type_name("N");
    gen_->add_option("--pages", p.pages, "footprint in pages [default: 1024]")->type_name("N");
    gen_->add_option("--access-size", p.access_size, "bytes per access [default: 8]")
        ->type_name("N");
    gen_->add_option("--write-ratio", p.write_ratio, "fraction of stores [default: 0.25]")
        ->type_name("R");
    gen_->add_option("--seed", p.seed, "seed [default: 1]")->type_name("N");
    gen_->add_option("--alpha", p.alpha, "zipf: skew [default: 0.9]")->type_name("A");
    gen_->add_option("--stride", p.stride, "strided: bytes between accesses [default: one page]")
        ->type_name("BYTES");
    gen_->add_option("--working-set", p.working_set, "loop, phases, mix: pages in a working set")
        ->type_name("N");
    gen_->add_option("--phases", p.phases, "phases: number of phases [default: 4]")->type_name("N");
    gen_->add_option("--n", p.matrix_n, "matmul: matrix dimension [default: 64]")->type_name("N");
    gen_->add_option("--block", p.block, "matmul: tile size, 0 for the naive loop [default: 0]")
        ->type_name("B");
    gen_->add_option("--processes", p.processes, "mix: children forked [default: 4]")
        ->type_name("N");
    gen_->add_option("--shared-fraction", p.shared_fraction,
                     "mix: share of child accesses to the parent's pages")
        ->type_name("F");
    gen_->footer("Kinds:\n" + kinds +
                 "Examples:\n  vmsim trace gen zipf --alpha 0.9 --pages 100000 --length 1000000 -o "
                 "zipf.vmt\n"
                 "  vmsim trace gen matmul --n 64 --block 8 -o blocked.trace");
  }

  int run_gen() {
    gen::GeneratorParams p = gen_params_;
    p.page_size = output_.page_size;
    if (gen_kind_ == "matmul" && gen_->count("--length") == 0) p.length = kAll;
    auto reader = gen::make_generator(gen_kind_, p);
    TraceWriterOptions options = output_.options(command_line_);
    auto writer = create_trace_writer(output_.path, options);
    ProgressLine progress(show_progress());
    copy_trace(*reader, *writer, {}, progress.callback("generating", ProgressLine::Unit::Records));
    progress.finish();
    writer->finish(options.header);
    return 0;
  }

  std::string command_line_;
  CLI::App* trace_ = nullptr;
  CLI::App* info_ = nullptr;
  CLI::App* convert_ = nullptr;
  CLI::App* slice_ = nullptr;
  CLI::App* gen_ = nullptr;

  std::string input_;
  std::string input_format_ = "auto";
  bool no_progress_ = false;
  std::uint64_t info_page_size_ = 4096;
  std::string info_format_ = "table";
  OutputArgs output_;
  std::uint64_t slice_first_ = 0;
  std::uint64_t slice_skip_ = 0;
  std::string slice_window_;
  std::uint64_t slice_pid_ = 0;
  std::string gen_kind_;
  gen::GeneratorParams gen_params_;
};

}  // namespace

std::unique_ptr<TraceCommands> add_trace_commands(CLI::App& app, std::string command_line) {
  return std::make_unique<Commands>(app, std::move(command_line));
}

}  // namespace vmsim::cli
