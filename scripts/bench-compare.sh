#!/usr/bin/env bash
# Side by side: runs two vmsim_bench binaries (before and after a change) alternately, ROUNDS
# rounds each, and prints per benchmark the best items/s of each and the ratio new/old. Machines
# are shared and noisy, so a change is measured this way rather than against figures taken earlier.
#
#   scripts/bench-compare.sh OLD_BENCH NEW_BENCH FILTER [ROUNDS] [MIN_TIME]
#
# e.g. scripts/bench-compare.sh /tmp/old/vmsim_bench build/bench/vmsim_bench '^simulate/' 3 0.3
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
old=$1
new=$2
filter=$3
rounds=${4:-3}
min_time=${5:-0.3}
for bin in "$old" "$new"; do
  if [ ! -x "$bin" ]; then
    echo "bench-compare.sh: $bin: not an executable" >&2
    exit 2
  fi
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for side in old new; do
    bin=$old
    [ "$side" = new ] && bin=$new
    "$bin" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
      --benchmark_out="$out/$side.$r.csv" --benchmark_out_format=csv >/dev/null 2>&1
  done
done

# CSV columns: name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,...
awk -F, '
  FNR == 1 { side = (FILENAME ~ /\/old\./) ? "old" : "new"; next }
  $1 ~ /^"/ && $7 != "" {
    name = $1; gsub(/"/, "", name)
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    if ($7 + 0 > best[side, name]) best[side, name] = $7 + 0
  }
  END {
    printf "| benchmark | old (M items/s) | new (M items/s) | new / old |\n|---|---:|---:|---:|\n"
    for (i = 1; i <= n; i++) {
      name = order[i]; o = best["old", name]; w = best["new", name]
      printf "| `%s` | %.1f | %.1f | %s |\n", name, o / 1e6, w / 1e6,
             (o > 0 ? sprintf("%.3f", w / o) : "-")
    }
  }' "$out"/old.*.csv "$out"/new.*.csv
