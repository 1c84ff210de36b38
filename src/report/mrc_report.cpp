#include "report/mrc_report.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/output_file.hpp"
#include "core/units.hpp"
#include "vmsim/error.hpp"

extern char** environ;

namespace vmsim {
namespace {

using mrc::MissRatioCurve;

std::string method_text(const MissRatioCurve& c) {
  if (c.exact()) {
    return c.policy == "opt" ? "exact (Mattson stack processing, next-use priority)"
                             : "exact (Mattson stack distances)";
  }
  std::string pages = fmt::format("{} sampled pages", c.sampled_pages);
  if (c.sample_limit != 0) {
    pages +=
        fmt::format(" (at most {}; {} dropped as the rate fell)", c.sample_limit, c.dropped_pages);
  }
  std::string text = fmt::format(
      "SHARDS estimate: sample rate {:.6g}, {} sampled references, {}, about {:.0f} distinct pages",
      c.sample_rate, c.sampled_refs, pages, c.distinct_pages);
  if (c.dense_rate > 0) {
    text += fmt::format("; up to {} frames from a dense sample at rate {:.6g} ({} references)",
                        c.dense_frames, c.dense_rate, c.dense_refs);
  }
  return text;
}

bool any_undersampled(const MrcReport& r) {
  for (const MissRatioCurve& c : r.curves) {
    for (const std::uint64_t f : r.frames) {
      if (c.undersampled(f)) return true;
    }
  }
  return false;
}

// Faults are whole numbers when exact and rounded estimates otherwise.
std::uint64_t whole(double faults) {
  return static_cast<std::uint64_t>(std::llround(faults));
}

std::string to_table(const MrcReport& r) {
  const MissRatioCurve& first = r.curves.front();
  std::string out =
      fmt::format("trace: {}\n{} accesses, {} page references at {} pages", r.trace_name,
                  first.accesses, first.page_refs, format_size(r.page_size));
  if (first.exact()) out += fmt::format(", {:.0f} distinct pages", first.distinct_pages);
  out += "\n";
  for (const MissRatioCurve& c : r.curves) out += fmt::format("{}: {}\n", c.policy, method_text(c));
  out += fmt::format("\n{:>10} {:>12}", "frames", "memory");
  for (const MissRatioCurve& c : r.curves) {
    out += fmt::format(" {:>14} {:>11}", c.policy + " faults", "miss ratio");
  }
  out += "\n";
  for (const std::uint64_t f : r.frames) {
    out += fmt::format("{:>10} {:>12}", f, format_size(f * r.page_size));
    for (const MissRatioCurve& c : r.curves) {
      out += fmt::format(" {:>14} {:>11.6f}{}", whole(c.faults(f)), c.miss_ratio(f),
                         c.undersampled(f) ? "*" : "");
    }
    out += "\n";
  }
  if (any_undersampled(r)) {
    out += fmt::format(
        "* fewer than {:.0f} sampled pages fit in that memory (frames x the rate of the sample "
        "used there): the estimate rests on a handful of pages and can be off by 0.1 or more "
        "(docs/mrc.md)\n",
        mrc::kMinSampledPages);
  }
  return out;
}

std::string to_csv(const MrcReport& r) {
  std::string out = "policy,method,frames,memory_bytes,faults,miss_ratio,undersampled\n";
  for (const MissRatioCurve& c : r.curves) {
    for (const std::uint64_t f : r.frames) {
      out += fmt::format("{},{},{},{},{},{:.6f},{}\n", c.policy, c.exact() ? "exact" : "shards", f,
                         f * r.page_size, whole(c.faults(f)), c.miss_ratio(f), c.undersampled(f));
    }
  }
  return out;
}

std::string to_json(const MrcReport& r) {
  nlohmann::ordered_json j;
  j["trace"] = r.trace_name;
  j["page_size"] = r.page_size;
  j["accesses"] = r.curves.front().accesses;
  j["page_refs"] = r.curves.front().page_refs;
  nlohmann::ordered_json curves = nlohmann::ordered_json::array();
  for (const MissRatioCurve& c : r.curves) {
    nlohmann::ordered_json cj;
    cj["policy"] = c.policy;
    cj["method"] = c.exact() ? "exact" : "shards";
    cj["distinct_pages"] = whole(c.distinct_pages);
    if (!c.exact()) {
      cj["sample_rate"] = c.sample_rate;
      cj["sampled_refs"] = c.sampled_refs;
      cj["sampled_pages"] = c.sampled_pages;
      if (c.sample_limit != 0) {
        cj["sample_size"] = c.sample_limit;
        cj["peak_sampled_pages"] = c.peak_sampled_pages;
        cj["dropped_pages"] = c.dropped_pages;
      }
      if (c.dense_rate > 0) {
        cj["dense_rate"] = c.dense_rate;
        cj["dense_refs"] = c.dense_refs;
        cj["dense_frames"] = c.dense_frames;
      }
      // Every point from this many frames up is trusted (not undersampled).
      cj["trusted_from_frames"] = c.trusted_from();
    }
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const std::uint64_t f : r.frames) {
      points.push_back({{"frames", f},
                        {"memory_bytes", f * r.page_size},
                        {"faults", whole(c.faults(f))},
                        {"miss_ratio", c.miss_ratio(f)},
                        {"undersampled", c.undersampled(f)}});
    }
    cj["points"] = std::move(points);
    curves.push_back(std::move(cj));
  }
  j["curves"] = std::move(curves);
  return j.dump(2) + "\n";
}

// A gnuplot single-quoted string: '' stands for one quote.
std::string gp_string(std::string_view text) {
  std::string out = "'";
  for (const char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

// A temporary directory removed with its contents when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vmsim-plot-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(fmt::format("cannot create a temporary directory: {}", std::strerror(errno)));
    }
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string plot_script(const MrcReport& r, bool svg, const std::string& data,
                        const std::string& image) {
  std::string s;
  if (svg) {
    s += "set terminal svg size 900,560 dynamic background rgb 'white'\n";
  } else {
    // pngcairo draws smoother lines; plain png (libgd) is in every gnuplot build.
    s += "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) { set terminal pngcairo size 900,560 } "
         "else { set terminal png size 900,560 }\n";
  }
  s += fmt::format("set output {}\n", gp_string(image));
  s += fmt::format("set title {} noenhanced\n", gp_string("Miss-ratio curve: " + r.trace_name));
  s += fmt::format("set xlabel {}\n",
                   gp_string(fmt::format("memory (frames of {})", format_size(r.page_size))));
  s += "set ylabel 'miss ratio'\nset yrange [0:*]\nset grid\nset key top right noenhanced\n";
  if (r.frames.size() > 1 && r.frames.back() >= 100 * r.frames.front()) s += "set logscale x\n";
  s += "plot ";
  for (std::size_t i = 0; i < r.curves.size(); ++i) {
    const MissRatioCurve& c = r.curves[i];
    const std::string title = c.policy + (c.exact() ? " (exact)" : " (SHARDS)");
    s += fmt::format("{}{} index {} using 1:2 with lines linewidth 2 title {}", i == 0 ? "" : ", ",
                     gp_string(data), i, gp_string(title));
  }
  return s + "\n";
}

// What posix_spawnp would find: an executable `gnuplot` in a PATH directory (an empty entry is the
// current directory; no PATH at all means the system default).
bool gnuplot_on_path() {
  const char* env = std::getenv("PATH");
  const std::string_view dirs = env != nullptr ? env : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string_view dir = dirs.substr(start, end - start);
    const std::string file = fmt::format("{}/gnuplot", dir.empty() ? "." : dir);
    if (::access(file.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

constexpr std::string_view kNoGnuplot =
    "--plot needs gnuplot, which is not on PATH (Debian/Ubuntu: apt-get install gnuplot-nox)";

void run_gnuplot(const std::string& script) {
  const char* argv[] = {"gnuplot", script.c_str(), nullptr};
  pid_t pid = 0;
  const int err =
      ::posix_spawnp(&pid, "gnuplot", nullptr, nullptr, const_cast<char* const*>(argv), environ);
  if (err == ENOENT) throw Error(std::string(kNoGnuplot));
  if (err != 0) throw Error(fmt::format("cannot run gnuplot: {}", std::strerror(err)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(fmt::format("waiting for gnuplot: {}", std::strerror(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error("gnuplot failed drawing the plot (its messages are above)");
  }
}

}  // namespace

std::string render_mrc(const MrcReport& report, ReportFormat format) {
  if (report.curves.empty()) throw Error("no curve to report");
  switch (format) {
    case ReportFormat::Json:
      return to_json(report);
    case ReportFormat::Csv:
      return to_csv(report);
    case ReportFormat::Table:
      break;
  }
  return to_table(report);
}

void check_plot_path(const std::string& path) {
  if (!path.ends_with(".svg") && !path.ends_with(".png")) {
    throw Error(fmt::format("--plot {}: the file name must end in .png or .svg", path));
  }
  check_output_path(path);
  if (!gnuplot_on_path()) throw Error(std::string(kNoGnuplot));
}

void plot_mrc(const MrcReport& report, const std::string& path) {
  check_plot_path(path);
  const bool svg = path.ends_with(".svg");
  if (report.curves.empty() || report.frames.empty()) throw Error("nothing to plot");
  const TempDir dir;
  std::string data;
  for (const mrc::MissRatioCurve& c : report.curves) {
    for (const std::uint64_t f : report.frames)
      data += fmt::format("{} {:.8f}\n", f, c.miss_ratio(f));
    data += "\n\n";  // gnuplot's data-set separator, addressed by `index`
  }
  const std::string data_file = dir.file("curve.dat");
  const std::string script_file = dir.file("plot.gp");
  const std::string image = dir.file(svg ? "plot.svg" : "plot.png");
  std::ofstream(data_file, std::ios::binary) << data;
  std::ofstream(script_file, std::ios::binary) << plot_script(report, svg, data_file, image);
  run_gnuplot(script_file);
  std::ifstream in(image, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().empty()) throw Error("gnuplot produced no image");
  write_output(path, bytes.str());
}

}  // namespace vmsim
