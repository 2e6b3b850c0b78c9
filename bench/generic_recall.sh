#!/usr/bin/env bash
# bench/generic_recall.sh - how often the generic rule misses a random value
# assigned to a secret-like name, by length (not a test): N random base62
# values per length as `api_secret = "..."`, scanned by ward; prints the
# share missed at each length.
#
#   bench/generic_recall.sh [--bindir DIR] [--n N] [--seed S]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindir=$here/../build n=2000 seed=5
while [ $# -gt 0 ]; do
  case $1 in
    --bindir) bindir=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: bench/generic_recall.sh [--bindir DIR] [--n N] [--seed S]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lengths="12 16 20 24 32"
awk -v n="$n" -v seed="$seed" -v lengths="$lengths" 'BEGIN {
  srand(seed); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  k = split(lengths, L, " ");
  for (j = 1; j <= k; j++) for (i = 0; i < n; i++) {
    v = ""; for (c = 0; c < L[j]; c++) v = v substr(a, int(rand() * 62) + 1, 1);
    printf "api_secret = \"%s\"\n", v } }' > "$work/values.txt"
"$bindir/ward" scan --no-config --format json "$work/values.txt" | sed -n 's/.*"line":\([0-9]*\),.*/\1/p' > "$work/found.txt" || true
echo "generic rule, random base62 values assigned to api_secret ($n per length, seed $seed):"
j=0
for len in $lengths; do
  lo=$((j * n + 1)) hi=$(((j + 1) * n))
  found=$(awk -v lo=$lo -v hi=$hi '$1 >= lo && $1 <= hi' "$work/found.txt" | sort -u | wc -l)
  awk -v len=$len -v n=$n -v f=$found 'BEGIN { printf "  %2d characters: missed %4d of %d = %5.2f%%\n", len, n - f, n, 100 * (n - f) / n }'
  j=$((j + 1))
done
echo "reproduce: bench/generic_recall.sh --bindir $bindir --n $n --seed $seed"
