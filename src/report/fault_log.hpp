// `--fault-log FILE`: every fault of a run, one line each, so anyone can check the victims against
// a hand trace or another simulator. CSV for a .csv name, JSON lines for .jsonl, .ndjson or .json.
#pragma once

#include <string>
#include <vector>

#include "vmsim/results.hpp"

namespace vmsim {

enum class FaultLogFormat { Csv, JsonLines };

// The format `path`'s name asks for; throws vmsim::Error naming the accepted endings otherwise.
FaultLogFormat fault_log_format(const std::string& path);

// Columns: ref_index, pid, page, kind (minor|major), victim_pid, victim_page (empty / null when no
// page was evicted), write_back (the victim was dirty and written out). Written atomically.
void write_fault_log(const std::string& path, const std::vector<FaultRecord>& faults);

}  // namespace vmsim
