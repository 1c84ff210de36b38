#!/usr/bin/env bash
# Runs the benchmarks (bench/) and prints accesses per second per policy on two 10-million-access
# synthetic traces, the TLB-hit path, and memory per distinct page. `make bench` runs it.
#
#   scripts/bench.sh [BUILD_DIR] [extra Google Benchmark flags...]
#
# BUILD_DIR defaults to `build`; it must be configured with -DCMAKE_BUILD_TYPE=Release (the default
# of the top-level CMakeLists) and have found Google Benchmark (libbenchmark-dev). Each case runs
# BENCH_REPETITIONS times (default 3) and the summary shows the median. Figures belong in
# docs/performance.md together with this command line.
set -euo pipefail

build=${1:-build}
shift || true
repetitions=${BENCH_REPETITIONS:-3}
bin="$build/bench/vmsim_bench"

if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "bench.sh: $build is not a configured build directory (try: make build, or" >&2
  echo "          cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release)" >&2
  exit 2
fi
if ! grep -q '^benchmark_DIR:PATH=.*benchmark' "$build/CMakeCache.txt"; then
  echo "bench.sh: Google Benchmark was not found when $build was configured;" >&2
  echo "          install it (scripts/install-deps.sh) and re-run cmake" >&2
  exit 2
fi
# Keep the binary current, like `make bench` keeps the rest of the build current; show the compiler
# output only when it fails.
if ! cmake --build "$build" --target vmsim_bench >"$build/bench-build.log" 2>&1; then
  cat "$build/bench-build.log" >&2
  echo "bench.sh: building vmsim_bench failed" >&2
  exit 1
fi

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
if [ "$build_type" != "Release" ]; then
  echo "bench.sh: warning: $build is a '$build_type' build; figures are only meaningful for Release" >&2
fi
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
flags=$(sed -n -e 's/^CMAKE_CXX_FLAGS:[A-Z]*=//p' \
  -e "s/^CMAKE_CXX_FLAGS_$(echo "$build_type" | tr '[:lower:]' '[:upper:]'):[A-Z]*=//p" "$build/CMakeCache.txt" | xargs)

echo "== vmsim benchmarks"
echo "cpu:      $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) cores online"
echo "compiler: $("$compiler" --version | head -n1)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine skews figures)"
echo "build:    $build ($build_type, flags: ${flags:-none})"
echo "command:  $bin --benchmark_repetitions=$repetitions --benchmark_report_aggregates_only=true $*"
echo "summary:  median of the repetitions; rates use CPU time"
echo

"$bin" --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true "$@"
