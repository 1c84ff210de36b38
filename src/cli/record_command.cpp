#include "cli/record_command.hpp"

#include <signal.h>

#include <atomic>
#include <cstdio>

#include <fmt/format.h>

#include "cli/progress.hpp"
#include "record/record.hpp"
#include "vmsim/error.hpp"

namespace vmsim::cli {
namespace {

// A signal handler can reach nothing but static storage; this flag is the one piece of it, and only
// the handler and record's loop touch it.
std::atomic<bool>& interrupt_requested() {
  static std::atomic<bool> flag = false;
  return flag;
}

extern "C" void on_interrupt(int) {
  interrupt_requested().store(true);
}

// Installs on_interrupt for SIGINT and SIGTERM for the lifetime of the object, then restores.
class InterruptScope {
 public:
  InterruptScope() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptScope() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

class Command final : public RecordCommand {
 public:
  Command(CLI::App& app, std::string command_line) {
    options_.command_line = std::move(command_line);
    cmd_ =
        app.add_subcommand("record", "record a program's memory references with valgrind's lackey");
    cmd_->add_option("-o,--output", options_.output,
                     "trace file to write (.vmt unless --to says otherwise)")
        ->required();
    cmd_->add_option("--to", format_,
                     "trace format: vmt (default) or text, the formats that hold pids and events")
        ->type_name("FMT");
    cmd_->add_flag("--no-ifetch", no_ifetch_,
                   "leave out instruction fetches (data references only)");
    cmd_->add_option(
            "--sample", options_.sample,
            "keep every Nth reference of each process (1 = all; sampling changes fault counts)")
        ->type_name("N");
    cmd_->add_flag(
        "--trace-children", options_.trace_children,
        "follow the programs that the program starts or execs (each becomes a pid; forks become "
        "@fork)");
    cmd_->add_option("--valgrind", options_.valgrind,
                     "the valgrind to run [default: valgrind from PATH]")
        ->type_name("PATH");
    cmd_->add_flag("--no-progress", no_progress_, "never show progress on stderr");
    cmd_->add_option("command", options_.command, "the program and its arguments, after --")
        ->required();
    cmd_->footer(
        "The exit status is the program's (128 + N if signal N killed it); 127 if it is not "
        "found,\n"
        "126 if it cannot be executed, 2 for a usage or write error (no trace is left then). On\n"
        "Ctrl-C, or when the program crashes, the trace recorded so far is completed and valid; "
        "the\n"
        "program gets SIGINT, then SIGTERM, then SIGKILL (see docs/cli.md).\n"
        "Example:\n  vmsim record -o ls.vmt -- ls -l /");
  }

  bool parsed() const override { return cmd_->parsed(); }

  int run() override {
    try {
      return record();
    } catch (const ProgramNotStarted& e) {
      // Not a usage error: the shell's status for a program that cannot run (127, 126).
      fmt::print(stderr, "vmsim: error: {}\n", e.what());
      return e.exit_status();
    }
  }

 private:
  int record() {
    options_.ifetch = !no_ifetch_;
    options_.format = parse_trace_format(format_);
    if (options_.format == TraceFormat::Auto) throw Error("--to: give an output format, not auto");
    const bool show = !no_progress_ && stderr_is_terminal();
    const InterruptScope scope;
    interrupt_requested().store(false);
    bool shown = false;  // a progress line is on the terminal
    const auto clear_progress = [&] {
      if (shown) fmt::print(stderr, "\r\x1b[K");
      shown = false;
    };
    const auto show_progress = [&](const RecordProgress& p) {
      if (!show) return;
      shown = true;
      fmt::print(stderr, "\r\x1b[Kvmsim record: {} references, {:.1f} MiB written, {:.1f} M refs/s",
                 p.references, static_cast<double>(p.bytes) / (1 << 20),
                 p.seconds > 0 ? static_cast<double>(p.references) / p.seconds / 1e6 : 0.0);
      std::fflush(stderr);
    };
    const auto warn = [&](const std::string& message) {
      clear_progress();
      fmt::print(stderr, "vmsim record: warning: {}\n", message);
    };
    const RecordResult r = record_program(options_, interrupt_requested(), show_progress, warn);
    clear_progress();
    fmt::print(stderr, "vmsim record: {} {}{}; {} references from {} process{} in {} ({} bytes)\n",
               options_.command.front(), r.how_it_ended, r.interrupted ? " after an interrupt" : "",
               r.references, r.processes, r.processes == 1 ? "" : "es", options_.output, r.bytes);
    return r.exit_code;
  }

  CLI::App* cmd_ = nullptr;
  RecordOptions options_;
  std::string format_ = "vmt";
  bool no_ifetch_ = false;
  bool no_progress_ = false;
};

}  // namespace

std::unique_ptr<RecordCommand> add_record_command(CLI::App& app, std::string command_line) {
  return std::make_unique<Command>(app, std::move(command_line));
}

}  // namespace vmsim::cli
