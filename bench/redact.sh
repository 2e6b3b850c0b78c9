#!/usr/bin/env bash
# Benchmarks `ward redact` (not a test): throughput on the generated corpus
# concatenated into one stream (target >= 500 MB/s), and the delay it adds to
# an interactive line on a terminal (target < 5 ms).
#   bench/redact.sh [--size 1G] [--seed 1]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
size=1G seed=1
while [ $# -gt 0 ]; do
  case $1 in --size) size=$2; shift 2 ;; --seed) seed=$2; shift 2 ;; *) echo "unknown: $1" >&2; exit 2 ;; esac
done
ward=$top/build/ward fake=$top/build/ward-fake gen=$top/build/bench/gen_corpus
for b in "$ward" "$fake" "$gen" "$top/build/bench/redact_latency"; do
  [ -x "$b" ] || { echo "bench/redact.sh: missing $b: build first (cmake --build build)" >&2; exit 2; }
done
out=$top/bench/out
mkdir -p "$out" "$top/bench/runs"
# keep the report with the others (bench/runs/DATE-HOST.txt)
exec > >(tee -a "$top/bench/runs/$(date +%F)-$(hostname -s).txt")
echo "== bench/redact.sh --size $size --seed $seed, $(date -u +%FT%TZ), ward $("$ward" --version | cut -d' ' -f2)"
# the same corpus bench/scan.sh makes and caches
corpus=$out/corpus-$size-s$seed
if [ ! -f "$corpus.stamp" ]; then
  rm -rf "$corpus" "$corpus.partial"
  "$gen" --seed "$seed" --size "$size" --manifest "$corpus.manifest.tsv" -q "$corpus.partial"
  mv "$corpus.partial" "$corpus"
  touch "$corpus.stamp"
fi
stream=$out/stream-$size-s$seed.txt
[ -s "$stream" ] || find "$corpus/" -type f -print0 | sort -z | xargs -0 cat > "$stream"
bytes=$(stat -c %s "$stream")
[ "$bytes" -gt 0 ] || { echo "bench/redact.sh: empty stream $stream" >&2; exit 1; }
cat "$stream" > /dev/null # warm the cache
best=
for _ in 1 2 3; do
  s=$(date +%s.%N)
  "$ward" redact < "$stream" > /dev/null
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
mbs=$(echo "$bytes / $best / 1000000" | bc -l)
verdict=$(echo "$mbs >= 500" | bc -l)
printf 'redact throughput: %.1f MB in %.3f s = %.0f MB/s (target >= 500 MB/s: %s)\n' \
  "$(echo "$bytes / 1000000" | bc -l)" "$best" "$mbs" "$([ "$verdict" = 1 ] && echo PASS || echo MISS)"
rss=$(/usr/bin/time -f '%M' "$ward" redact < "$stream" 2>&1 >/dev/null | tail -1)
echo "redact peak RSS: $((rss / 1024)) MiB"
lines=$out/latency-lines.txt
{
  for i in $(seq 1 16); do echo "INFO request $i served in 12 ms from 10.0.0.$i"; done
  for i in $(seq 1 16); do "$fake" --seed "$i" 'DEBUG auth header token=ghp_%{crc62:30} user=bob'; done
} > "$lines"
"$top/build/bench/redact_latency" "$ward" "$lines" 500
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "reproduce: cmake --build build && bench/redact.sh --size $size --seed $seed"
