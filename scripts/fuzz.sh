#!/usr/bin/env bash
# Builds the libFuzzer targets of the trace readers and the configuration parser with clang++ and runs each for SECONDS (default 20).
# Exits non-zero when any fuzzer finds a crash, a sanitizer report or a disagreement; the reproducer is
# left in build-fuzz/artifacts/NAME/ (replay: build-fuzz/fuzz/fuzz_NAME FILE).
# New interesting inputs collect in build-fuzz/corpus/NAME/; the committed seeds in fuzz/corpus/ stay as
# they are.
set -euo pipefail

seconds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVMSIM_FUZZ=ON -DVMSIM_BUILD_TESTS=OFF -DVMSIM_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target fuzz_text fuzz_lackey fuzz_refs fuzz_detect fuzz_csv fuzz_vmt fuzz_config

status=0
for name in text lackey refs detect csv vmt config; do
  work=$build/corpus/$name
  artifacts=$build/artifacts/$name
  mkdir -p "$work" "$artifacts"
  echo "== fuzz_$name for ${seconds}s"
  if ! "$build/fuzz/fuzz_$name" -max_len=4096 -max_total_time="$seconds" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$root/fuzz/corpus/$name"; then
    echo "fuzz_$name found a problem; reproducer in $artifacts/" >&2
    status=1
  fi
done
exit "$status"
