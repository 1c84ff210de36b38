#include "stats/trace_summary.hpp"

#include <absl/container/flat_hash_set.h>

#include "core/page_span.hpp"
#include "core/units.hpp"

namespace vmsim {
TraceSummary summarize_trace(TraceReader& reader, std::string name, std::string format,
                             std::uint64_t page_size, const ProgressFn& progress) {
  TraceSummary s;
  s.name = std::move(name);
  s.format = std::move(format);
  s.page_size = page_size;
  const unsigned shift = log2_exact(page_size);
  // (pid, page) pairs rather than packed page keys: a trace may hold pages beyond 48 bits, and info
  // must count them exactly even where the simulator would refuse them.
  absl::flat_hash_set<std::pair<std::uint16_t, std::uint64_t>> pages;
  std::vector<Access> batch(4096);
  while (const std::size_t n = reader.read(batch)) {
    for (std::size_t i = 0; i < n; ++i) {
      const Access& a = batch[i];
      ++s.records;
      if (is_event(a.op)) {
        ++s.events[std::string(op_name(a.op))];
        continue;
      }
      PidSummary& pid = s.pids[a.pid];
      ++s.accesses;
      ++pid.accesses;
      std::uint64_t& by_op = a.op == Op::Read ? s.reads : a.op == Op::Write ? s.writes : s.fetches;
      std::uint64_t& pid_by_op = a.op == Op::Read    ? pid.reads
                                 : a.op == Op::Write ? pid.writes
                                                     : pid.fetches;
      ++by_op;
      ++pid_by_op;
      s.bytes_accessed += a.size;
      const PageSpan span = page_span(a, shift);
      pid.min_addr = std::min(pid.min_addr, a.addr);
      pid.max_addr = std::max(pid.max_addr, a.addr + (a.size - 1));
      for (std::uint64_t vpn = span.first; vpn <= span.last; ++vpn) {
        ++s.page_refs;
        if (pages.insert({a.pid, vpn}).second) {
          ++s.distinct_pages;
          ++pid.distinct_pages;
        }
      }
    }
    if (progress) progress(reader.bytes_consumed(), reader.bytes_total());
  }
  s.file_bytes = reader.bytes_total() != 0 ? reader.bytes_total() : reader.bytes_consumed();
  if (const TraceHeader* h = reader.header()) {
    s.header = *h;
    s.has_header = true;
  }
  s.warnings = reader.warnings();
  return s;
}

}  // namespace vmsim
