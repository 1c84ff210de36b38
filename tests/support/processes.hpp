// Hand-written multi-process traces: page-sized accesses by pid, fork and exit records, and both
// models run over one trace (tests of fork, exit and copy-on-write).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/refs.hpp"

namespace vmsim::test {

inline constexpr std::uint64_t kTestPage = 4096;

inline Access read_at(std::uint64_t page, std::uint16_t pid) {
  return {page * kTestPage, 1, pid, Op::Read};
}
inline Access write_at(std::uint64_t page, std::uint16_t pid) {
  return {page * kTestPage, 1, pid, Op::Write};
}
inline Access fork_of(std::uint16_t parent, std::uint16_t child) {
  return {child, 1, parent, Op::Fork};
}
inline Access exit_of(std::uint16_t pid) {
  return {0, 1, pid, Op::Exit};
}
inline Access fetch_at(std::uint64_t page, std::uint16_t pid) {
  return {page * kTestPage, 1, pid, Op::Fetch};
}
// Region events over whole pages [page, page + pages).
inline Access mmap_of(std::uint16_t pid, std::uint64_t page, std::uint32_t pages, Prot prot) {
  return {page * kTestPage, pages * static_cast<std::uint32_t>(kTestPage), pid, Op::Mmap, prot};
}
inline Access munmap_of(std::uint16_t pid, std::uint64_t page, std::uint32_t pages) {
  return {page * kTestPage, pages * static_cast<std::uint32_t>(kTestPage), pid, Op::Munmap};
}
inline Access mprotect_of(std::uint16_t pid, std::uint64_t page, std::uint32_t pages, Prot prot) {
  return {page * kTestPage, pages * static_cast<std::uint32_t>(kTestPage), pid, Op::Mprotect, prot};
}
// The program break moves to byte `end` (pid's first @brk gives its initial break).
inline Access brk_of(std::uint16_t pid, std::uint64_t end) {
  return {end, 1, pid, Op::Brk};
}
inline Access exec_of(std::uint16_t pid) {
  return {0, 1, pid, Op::Exec};
}
inline constexpr Prot kRw = kProtRead | kProtWrite;
inline constexpr Prot kRx = kProtRead | kProtExec;

// The full model's run, then reference-string mode's.
inline std::vector<Results> both_models(SimConfig config, const std::vector<Access>& trace) {
  std::vector<Results> out;
  for (const SimModel model : {SimModel::Full, SimModel::Refs}) {
    config.model = model;
    out.push_back(simulate(config, trace));
  }
  return out;
}

inline std::string model_name(const Results& r) {
  return r.config.model == SimModel::Full ? "full model" : "refs model";
}

}  // namespace vmsim::test
