#include "cli/mrc_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/progress.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"
#include "mrc/mrc.hpp"
#include "report/mrc_report.hpp"
#include "trace/dense_trace.hpp"
#include "vmsim/error.hpp"
#include "vmsim/trace.hpp"

namespace vmsim::cli {
namespace {

// Without --frames or --points: every size up to this many distinct pages, else kDefaultPoints
// sizes on a log scale (a table a person can read).
constexpr std::uint64_t kEverySizeUpTo = 1000;
constexpr std::uint64_t kDefaultPoints = 50;
// The most sizes one report lists (--frames, --points, --frames all): a million rows take a few
// seconds to format, where ten million took a minute and gave nothing a plot or a reader can use.
constexpr std::uint64_t kMaxSizes = 1'000'000;

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t at = text.find(sep);
    out.emplace_back(text.substr(0, at));
    text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  }
  return out;
}

// Bytes in a human unit for a size that may not fit in 64 bits: 2^76 -> "64 ZiB".
std::string human_bytes(long double bytes) {
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  std::size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  return fmt::format("{:.4g} {}", static_cast<double>(bytes), kUnits[unit]);
}

// A memory of `frames` frames must fit in a 64-bit address space (and its size in the report's
// 64-bit memory_bytes): more can never be addressed, so such a size is a typo.
void check_memory(std::uint64_t frames, std::uint64_t page_size, std::string_view what) {
  const std::uint64_t most = ~std::uint64_t{0} / page_size;
  if (frames <= most) return;
  throw Error(fmt::format(
      "{}: {} frames of {} would need {} of memory, more than a 64-bit address space holds "
      "(16 EiB); at most {} frames of this page size",
      what, frames, format_size(page_size),
      human_bytes(static_cast<long double>(frames) * static_cast<long double>(page_size)), most));
}

// "3,4,8-10" -> 3 4 8 9 10, sorted, without duplicates; at most kMaxSizes sizes in all, counted
// before any is expanded.
std::vector<std::uint64_t> parse_frames(std::string_view text, std::uint64_t page_size) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  std::uint64_t count = 0;
  for (const std::string& item : split(text, ',')) {
    const std::size_t dash = item.find('-');
    const std::uint64_t lo = parse_uint(item.substr(0, dash), "--frames");
    const std::uint64_t hi =
        dash == std::string::npos ? lo : parse_uint(item.substr(dash + 1), "--frames");
    if (lo == 0 || hi < lo) throw Error(fmt::format("--frames: bad size or range '{}'", item));
    // hi - lo + 1 sizes; compared as hi - lo so that 1-18446744073709551615 does not wrap.
    if (hi - lo >= kMaxSizes - count) {
      throw Error(fmt::format(
          "--frames {}: more than {} sizes; a report lists at most that many (use --points)", text,
          kMaxSizes));
    }
    check_memory(hi, page_size, "--frames " + item);
    count += hi - lo + 1;
    ranges.emplace_back(lo, hi);
  }
  if (ranges.empty()) throw Error("--frames: empty list");
  std::vector<std::uint64_t> out;
  out.reserve(count);
  // Counting i up to hi - lo, not f up to hi: f <= hi is always true when hi is 2^64 - 1.
  for (const auto& [lo, hi] : ranges) {
    for (std::uint64_t i = 0; i <= hi - lo; ++i) out.push_back(lo + i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Forwards to the trace reader and reports the bytes read after every batch.
class ProgressReader final : public TraceReader {
 public:
  ProgressReader(TraceReader& inner, ProgressFn progress)
      : inner_(inner), progress_(std::move(progress)) {}

  std::size_t read(std::span<Access> out) override {
    const std::size_t n = inner_.read(out);
    if (progress_) progress_(inner_.bytes_consumed(), inner_.bytes_total());
    return n;
  }
  std::uint64_t bytes_consumed() const override { return inner_.bytes_consumed(); }
  std::uint64_t bytes_total() const override { return inner_.bytes_total(); }
  const TraceHeader* header() const override { return inner_.header(); }
  TraceFormat format() const override { return inner_.format(); }
  std::uint64_t records_hint() const override { return inner_.records_hint(); }
  std::vector<std::string> warnings() const override { return inner_.warnings(); }

 private:
  TraceReader& inner_;
  ProgressFn progress_;
};

// The curve computation's progress on stderr, in references (ProgressLine speaks of bytes read):
// at most five updates a second, and the line cleared at the end.
class CurveProgress {
 public:
  explicit CurveProgress(bool enabled) : enabled_(enabled) {}
  CurveProgress(const CurveProgress&) = delete;
  CurveProgress& operator=(const CurveProgress&) = delete;
  ~CurveProgress() { finish(); }

  ProgressFn callback(std::string label) {
    if (!enabled_) return {};
    return [this, label = std::move(label)](std::uint64_t done, std::uint64_t total) {
      const auto now = std::chrono::steady_clock::now();
      if (shown_ && now - last_ < std::chrono::milliseconds(200)) return;
      last_ = now;
      shown_ = true;
      fmt::print(
          stderr, "\r\x1b[Kvmsim: {}: {:5.1f}% of {} references", label,
          total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total),
          total);
      std::fflush(stderr);
    };
  }

  void finish() {
    if (!shown_) return;
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

class Command final : public MrcCommand {
 public:
  explicit Command(CLI::App& app) {
    cmd_ = app.add_subcommand(
        "mrc", "miss-ratio curve: faults at every memory size in one pass (LRU, OPT)");
    cmd_->add_option("trace", trace_path_,
                     "trace file (any format, optionally compressed); - reads standard input");
    cmd_->add_option("--refs", refs_, "a reference string of page numbers, e.g. \"7 0 1 2 0 3\"")
        ->type_name("STRING");
    cmd_->add_option("--input-format", input_format_,
                     "trace format: auto, text, lackey, refs, vmt, csv")
        ->type_name("FMT");
    cmd_->add_option_function<std::string>(
            "--page-size",
            [this](const std::string& v) {
              page_size_ = parse_size(v, "page-size");
              if (!is_power_of_two(page_size_)) {
                throw Error(fmt::format("page-size: {} is not a power of two", v));
              }
            },
            "page size (power of two) [default: 4KiB]")
        ->type_name("SIZE");
    // Both spellings: `run` takes --policy and `compare` --policies, and this takes a list.
    cmd_->add_option("--policy,--policies", policies_,
                     "lru, opt, or both as lru,opt or all [default: lru]")
        ->type_name("LIST");
    cmd_->add_option("--method", method_,
                     "exact, or shards (LRU only: sampled, for large traces) [default: exact]")
        ->type_name("M");
    cmd_->add_option("--sample-rate", sample_rate_,
                     "SHARDS: fraction of pages sampled (initial rate with --sample-size) "
                     "[default: 0.01]")
        ->type_name("R");
    cmd_->add_option("--sample-size", sample_size_,
                     "SHARDS fixed-size: keep at most S sampled pages, lowering the rate")
        ->type_name("S");
    cmd_->add_option("--dense-rate", dense_rate_,
                     "SHARDS: rate of the denser sample that gives small memories (0: none) "
                     "[default: 10 x --sample-rate, at most 0.1]")
        ->type_name("R");
    cmd_->add_option("--seed", seed_, "SHARDS: seed of the page hash [default: 1]")->type_name("N");
    cmd_->add_option("--max-opt-pages", max_opt_pages_,
                     "OPT: refuse traces with more distinct pages [default: 100000]")
        ->type_name("N");
    cmd_->add_option("--frames", frames_,
                     fmt::format("memory sizes to list: 1,2,8-16, or all, at most {} in all "
                                 "[default: all up to 1000 pages, else 50 sizes on a log scale]",
                                 kMaxSizes))
        ->type_name("LIST");
    cmd_->add_option("--points", points_,
                     fmt::format("list N sizes (1 to {}) spaced on a log scale up to the footprint",
                                 kMaxSizes))
        ->type_name("N");
    cmd_->add_option("--format", format_, "output format: table, csv, json")->type_name("FMT");
    cmd_->add_option("-o,--output", output_, "write the report to FILE (atomically)")
        ->type_name("FILE");
    cmd_->add_option("--plot", plot_, "also draw the curve(s) into FILE.png or FILE.svg (gnuplot)")
        ->type_name("FILE");
    cmd_->add_flag("--no-progress", no_progress_,
                   "never show progress on stderr (shown only when stderr is a terminal)");
    cmd_->footer(
        "Examples:\n"
        "  vmsim mrc --refs \"7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1\" --policy lru,opt\n"
        "  vmsim mrc examples/traces/matmul-naive.lackey.zst --points 20 --plot mrc.png\n"
        "  vmsim mrc big.vmt --method shards --sample-rate 0.01");
  }

  bool parsed() const override { return cmd_->parsed(); }

  int run() override {
    const ReportFormat format = parse_report_format(format_);
    const TraceSpec spec = trace_spec();
    // As in `compare`, "all" is every policy the command offers.
    const std::vector<std::string> policies =
        split(policies_ == "all" ? "lru,opt" : policies_, ',');
    for (const std::string& p : policies) {
      if (p != "lru" && p != "opt") {
        throw Error(
            fmt::format("--policy: '{}' has no one-pass curve; use lru, opt or lru,opt", p));
      }
    }
    const bool shards = method_ == "shards" || cmd_->count("--sample-rate") > 0 ||
                        cmd_->count("--sample-size") > 0 || cmd_->count("--dense-rate") > 0;
    if (method_ != "exact" && method_ != "shards") {
      throw Error(fmt::format("--method: '{}' is not exact or shards", method_));
    }
    if (method_ == "exact" && cmd_->count("--method") > 0 && shards) {
      throw Error("--sample-rate, --sample-size and --dense-rate are for --method shards");
    }
    if (cmd_->count("--frames") > 0 && cmd_->count("--points") > 0) {
      throw Error("give --frames or --points, not both");
    }
    // Sizes given on the command line are checked before any work.
    std::vector<std::uint64_t> listed;
    if (!frames_.empty() && frames_ != "all") listed = parse_frames(frames_, page_size_);
    if (cmd_->count("--points") > 0 && (points_ == 0 || points_ > kMaxSizes)) {
      throw Error(fmt::format("--points {}: give 1 to {} sizes", points_, kMaxSizes));
    }
    // Where the results go is checked before the trace is read: a long run should not end in
    // "cannot write".
    check_output_path(output_);
    if (!plot_.empty()) check_plot_path(plot_);

    MrcReport report;
    report.trace_name = spec.display_name();
    report.page_size = page_size_;
    const unsigned shift = log2_exact(page_size_);
    auto trace_reader = open_trace(spec);
    const bool show = !no_progress_ && stderr_is_terminal();
    ProgressLine reading(show);
    CurveProgress computing(show);
    ProgressReader reader(*trace_reader, reading.callback(shards ? "shards" : "reading"));
    if (shards) {
      if (policies != std::vector<std::string>{"lru"}) {
        throw Error("SHARDS estimates LRU curves only: use --policy lru (OPT is exact only)");
      }
      mrc::ShardsOptions o;
      o.sample_rate = sample_rate_;
      if (cmd_->count("--sample-size") > 0) {
        if (sample_size_ == 0) throw Error("--sample-size must be at least 1");
        o.max_pages = sample_size_;
        // Fixed-size sampling starts from everything unless told otherwise and lowers the rate.
        if (cmd_->count("--sample-rate") == 0) o.sample_rate = 1.0;
      }
      o.seed = seed_;
      if (cmd_->count("--dense-rate") > 0) {
        if (!(dense_rate_ >= 0 && dense_rate_ <= 1)) {
          throw Error(fmt::format("--dense-rate {}: give a rate from 0 to 1", dense_rate_));
        }
        if (o.max_pages != 0 && dense_rate_ > 0) {
          throw Error("--dense-rate is for fixed-rate sampling, not --sample-size");
        }
        o.dense_rate = dense_rate_;
      }
      report.curves.push_back(mrc::shards_lru_curve(reader, shift, o));
      reading.finish();
    } else {
      const DenseTrace trace = DenseTrace::decode(reader, shift);
      reading.finish();
      for (const std::string& p : policies) {
        if (p == "lru") {
          report.curves.push_back(mrc::exact_lru_curve(trace, computing.callback("lru curve")));
        } else {
          mrc::OptLimits limits;
          limits.max_pages = max_opt_pages_;
          if (cmd_->count("--max-opt-pages") > 0) limits.max_work = ~std::uint64_t{0};
          report.curves.push_back(
              mrc::exact_opt_curve(trace, limits, computing.callback("opt curve")));
        }
        computing.finish();
      }
    }
    for (const std::string& w : reader.warnings()) fmt::print(stderr, "vmsim: warning: {}\n", w);
    report.frames = listed.empty() ? sizes(report.curves) : std::move(listed);
    write_output(output_, render_mrc(report, format));
    if (!plot_.empty()) plot_mrc(report, plot_);
    return 0;
  }

 private:
  TraceSpec trace_spec() const {
    TraceSpec spec;
    const bool has_refs = cmd_->count("--refs") > 0;
    if (has_refs && !trace_path_.empty())
      throw Error("give either a trace file or --refs, not both");
    if (!has_refs && trace_path_.empty()) {
      throw Error("no input: give a trace file or --refs (see 'vmsim mrc --help')");
    }
    spec.path = trace_path_;
    spec.inline_refs = refs_;
    spec.has_inline_refs = has_refs;
    spec.format = has_refs ? TraceFormat::Refs : parse_trace_format(input_format_);
    spec.page_size = page_size_;
    // The curves key pages as the reference-string model does, in 48 bits.
    spec.address_limit = {.bits = std::min(64U, 48U + log2_exact(page_size_)),
                          .hint = "miss-ratio curves number pages in 48 bits"};
    return spec;
  }

  // The sizes to list when --frames does not give them: from 1 to the footprint.
  std::vector<std::uint64_t> sizes(const std::vector<mrc::MissRatioCurve>& curves) const {
    std::uint64_t largest = 1;
    for (const mrc::MissRatioCurve& c : curves) {
      largest = std::max({largest, c.largest_frames(), mrc::whole_pages(c.distinct_pages)});
    }
    check_memory(largest, page_size_, "the footprint");
    if (cmd_->count("--points") > 0) return mrc::log_spaced_sizes(largest, points_);
    if (frames_ == "all" || largest <= kEverySizeUpTo) {
      if (largest > kMaxSizes) {
        throw Error(fmt::format(
            "--frames all: the footprint is {} pages, more than the {} sizes a report lists; use "
            "--points",
            largest, kMaxSizes));
      }
      return mrc::every_size(largest);
    }
    return mrc::log_spaced_sizes(largest, kDefaultPoints);
  }

  CLI::App* cmd_ = nullptr;
  std::string trace_path_;
  std::string refs_;
  std::string input_format_ = "auto";
  std::uint64_t page_size_ = 4096;
  std::string policies_ = "lru";
  std::string method_ = "exact";
  double sample_rate_ = 0.01;
  std::uint64_t sample_size_ = 0;
  double dense_rate_ = -1;
  std::uint64_t seed_ = 1;
  std::uint64_t max_opt_pages_ = mrc::OptLimits{}.max_pages;
  std::string frames_;
  std::uint64_t points_ = 0;
  std::string format_ = "table";
  std::string output_ = "-";
  std::string plot_;
  bool no_progress_ = false;
};

}  // namespace

std::unique_ptr<MrcCommand> add_mrc_command(CLI::App& app) {
  return std::make_unique<Command>(app);
}

}  // namespace vmsim::cli
