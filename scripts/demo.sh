#!/usr/bin/env bash
# The demo behind `make demo`: textbook reference strings, then real programs recorded with Valgrind's
# lackey, compared under FIFO, LRU, Clock and OPT, then under every policy.
set -euo pipefail
vmsim=${1:-build/vmsim}
cd "$(dirname "$0")/.."

section() { printf '\n== %s\n\n' "$1"; }

section "Silberschatz's reference string, 3 frames (textbook: FIFO 15, LRU 12, OPT 9 faults)"
"$vmsim" compare examples/traces/textbook.refs \
  --policies fifo,lru,clock,opt --frames 3 --no-progress

section "Belady's anomaly: FIFO faults more with 4 frames than with 3; LRU and OPT never do"
"$vmsim" compare --refs "1 2 3 4 1 2 5 1 2 3 4 5" --policies fifo,lru,opt --frames 3,4 --no-progress

section "A real program: 48x48 naive matrix multiply (1.2 M references recorded with valgrind lackey)"
"$vmsim" compare examples/traces/matmul-naive.lackey.zst \
  --policies fifo,lru,clock,opt --frames 8,16,32 --no-progress

section "The same multiply, blocked for locality: far fewer faults in small memories"
"$vmsim" compare examples/traces/matmul-blocked.lackey.zst \
  --policies fifo,lru,clock,opt --frames 8,16,32 --no-progress

section "Every policy on the blocked multiply, 16 frames, reference-string mode (one shared decoding)"
"$vmsim" compare examples/traces/matmul-blocked.lackey.zst \
  --policies all --frames 16 --model refs --no-progress

section "One run in detail: naive multiply, LRU, 16 frames, x86-64 four-level page table"
"$vmsim" run examples/traces/matmul-naive.lackey.zst --policy lru --frames 16 --preset x86-64 --no-progress
