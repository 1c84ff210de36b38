#!/usr/bin/env bash
# Records the memory traces of the example programs in examples/programs/ with valgrind's lackey tool
# into examples/traces/NAME.lackey.zst (zstd -19). Each must stay under 2 MiB so the repository stays
# small; lower N in the table below if one grows past that.
#
# The programs are linked statically when the C library allows it, which keeps the dynamic loader's
# start-up work out of the trace. Recordings are deterministic apart from the pid in valgrind's banner.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out_dir=$root/examples/traces
max_bytes=$((2 * 1024 * 1024))

for tool in cc valgrind zstd; do
  command -v "$tool" >/dev/null || { echo "record-examples: needs $tool on PATH" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {
  local name=$1
  if ! cc -O1 -static -o "$work/$name" "$root/examples/programs/$name.c" 2>/dev/null; then
    echo "record-examples: static linking failed, linking $name dynamically" >&2
    cc -O1 -o "$work/$name" "$root/examples/programs/$name.c"
  fi
}

# record TRACE_NAME PROGRAM ARGS...
record() {
  local trace=$1 program=$2
  shift 2
  local log=$work/$trace.lackey
  # Run from the work directory so valgrind's banner shows ./PROGRAM, not a temporary path.
  (cd "$work" && valgrind --tool=lackey --trace-mem=yes --log-file="$log" "./$program" "$@" >/dev/null)
  local out=$out_dir/$trace.lackey.zst
  zstd -19 -q -f -o "$out" "$log"
  local size
  size=$(stat -c %s "$out")
  printf '%-28s %9d lines  %8d bytes compressed\n' "$trace.lackey.zst" "$(wc -l <"$log")" "$size"
  if ((size >= max_bytes)); then
    echo "record-examples: $out is over 2 MiB; make the program's N smaller" >&2
    exit 1
  fi
}

mkdir -p "$out_dir"
build matmul
build listwalk
record matmul-naive matmul naive 48
record matmul-blocked matmul blocked 48 16
record listwalk listwalk 1024 6
