#include "report/fault_log.hpp"

#include <fmt/format.h>

#include "core/output_file.hpp"
#include "vmsim/error.hpp"

namespace vmsim {

FaultLogFormat fault_log_format(const std::string& path) {
  if (path.ends_with(".csv")) return FaultLogFormat::Csv;
  if (path.ends_with(".jsonl") || path.ends_with(".ndjson") || path.ends_with(".json")) {
    return FaultLogFormat::JsonLines;
  }
  throw Error(fmt::format("--fault-log {}: name the file .csv, or .jsonl for JSON lines", path));
}

void write_fault_log(const std::string& path, const std::vector<FaultRecord>& faults) {
  const FaultLogFormat format = fault_log_format(path);
  OutputFile out(path, true);
  std::string line;
  if (format == FaultLogFormat::Csv) {
    out.write("ref_index,pid,page,kind,victim_pid,victim_page,write_back\n");
  }
  for (const FaultRecord& f : faults) {
    const char* kind = f.major ? "major" : "minor";
    line.clear();
    if (format == FaultLogFormat::Csv) {
      if (f.victim_vpn) {
        fmt::format_to(std::back_inserter(line), "{},{},{},{},{},{},{}\n", f.ref_index, f.pid,
                       f.vpn, kind, f.victim_pid, *f.victim_vpn, f.victim_written_back ? 1 : 0);
      } else {
        fmt::format_to(std::back_inserter(line), "{},{},{},{},,,0\n", f.ref_index, f.pid, f.vpn,
                       kind);
      }
    } else if (f.victim_vpn) {
      fmt::format_to(std::back_inserter(line),
                     "{{\"ref_index\":{},\"pid\":{},\"page\":{},\"kind\":\"{}\",\"victim_pid\":{},"
                     "\"victim_page\":{},\"write_back\":{}}}\n",
                     f.ref_index, f.pid, f.vpn, kind, f.victim_pid, *f.victim_vpn,
                     f.victim_written_back);
    } else {
      fmt::format_to(
          std::back_inserter(line),
          "{{\"ref_index\":{},\"pid\":{},\"page\":{},\"kind\":\"{}\",\"victim_pid\":null,"
          "\"victim_page\":null,\"write_back\":false}}\n",
          f.ref_index, f.pid, f.vpn, kind);
    }
    out.write(line);
  }
  out.commit();
}

}  // namespace vmsim
