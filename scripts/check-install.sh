#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds examples/library against it with
# find_package(vmsim), linking vmsim::core with CLI11 and toml++ made unfindable (a library user
# needs neither), then checks the example's output (Belady's anomaly: 9 then 10 faults).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
# Outside comments, the installed package must not name them.
named=$(grep -rniE 'CLI11|tomlplusplus' "$tmp/prefix/lib"*/cmake/vmsim | grep -vE ':[0-9]+:[[:space:]]*#' || true)
if [ -n "$named" ]; then
  echo "check-install: the installed package still names CLI11 or toml++:" >&2
  echo "$named" >&2
  exit 1
fi
cmake -S "$root/examples/library" -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON >/dev/null
cmake --build "$tmp/build" >/dev/null
out=$("$tmp/build/belady")
expected=$'frames=3 faults=9\nframes=4 faults=10'
if [ "$out" != "$expected" ]; then
  echo "check-install: unexpected output:" >&2
  echo "$out" >&2
  exit 1
fi
test -x "$tmp/prefix/bin/vmsim"
echo "check-install: find_package(vmsim) works; installed tool at bin/vmsim"
