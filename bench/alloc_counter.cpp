#include "alloc_counter.hpp"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace vmsim::bench {
namespace {

// Relaxed atomics: the benchmarks are single-threaded, but Google Benchmark may start threads of
// its own and they must not corrupt the count.
std::atomic<std::uint64_t> g_live{0};
std::atomic<std::uint64_t> g_peak{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  const std::uint64_t live =
      g_live.fetch_add(malloc_usable_size(p), std::memory_order_relaxed) + malloc_usable_size(p);
  std::uint64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  g_live.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

std::uint64_t heap_live_bytes() {
  return g_live.load(std::memory_order_relaxed);
}
std::uint64_t heap_peak_bytes() {
  return g_peak.load(std::memory_order_relaxed);
}
void reset_heap_peak() {
  g_peak.store(g_live.load(std::memory_order_relaxed));
}

std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0;
  unsigned long resident = 0;
  const int fields = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return fields == 2 ? std::uint64_t{resident} * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))
                     : 0;
}

}  // namespace vmsim::bench

// The replaceable global allocation functions ([new.delete]). The aligned overloads are left to the
// library: the simulator allocates nothing over-aligned.
void* operator new(std::size_t size) {
  return vmsim::bench::counted_alloc(size);
}
void* operator new[](std::size_t size) {
  return vmsim::bench::counted_alloc(size);
}
void operator delete(void* p) noexcept {
  vmsim::bench::counted_free(p);
}
void operator delete[](void* p) noexcept {
  vmsim::bench::counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  vmsim::bench::counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  vmsim::bench::counted_free(p);
}
