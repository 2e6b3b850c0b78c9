#!/usr/bin/env bash
# run.sh - ward's accuracy benchmark (not a test): recall per family and
# precision on a labelled corpus made from the rules' templates, then
# findings per 100 MB on real trees that hold no live secrets, with
# secretlint (preset-recommend) on the same trees in the same run.
#
#   bench/accuracy/run.sh [--seed N] [TREE...]   (default trees: node_modules of
#                          ~20 popular npm packages, /usr/include, /usr/share/doc)
#
# Needs build/ward and build/libward.a (or $WARD_BUILD), gcc, python3, npm.
# Everything made goes to bench/out/ (git-ignored); the report is printed and
# appended to bench/runs/YYYY-MM-DD-HOST.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${WARD_BUILD:-$root/build}
out=$root/bench/out
seed=1 trees=()
while [ $# -gt 0 ]; do
  case $1 in
    --seed) seed=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) trees+=("$1"); shift ;;
  esac
done
ward=$build/ward
[ -x "$ward" ] && [ -f "$build/libward.a" ] || { echo "run.sh: build ward first ($build)" >&2; exit 2; }
mkdir -p "$out" "$root/bench/runs"
host=$(hostname -s 2>/dev/null || hostname)
report=$root/bench/runs/$(date +%Y-%m-%d)-$host.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say() { printf '%s\n' "$*" | tee -a "$log"; }

gcc -O2 -I"$root/include" "$here/gen_accuracy.c" "$build/libward.a" \
  $(pkg-config --libs libhs libpcre2-8 libgit2) -lpthread -lm -o "$out/gen_accuracy"
corpus=$out/accuracy-corpus-s$seed
rm -rf "$corpus" "$corpus.labels.tsv"
gen=$("$out/gen_accuracy" --seed "$seed" "$corpus")
say "== ward accuracy benchmark, $(date -u +%FT%TZ), $("$ward" --version 2>/dev/null | head -1), $(git -C "$root" rev-parse --short HEAD 2>/dev/null)"
say "-- template corpus (seed $seed): $gen, $(find "$corpus" -type f | wc -l) files"
"$ward" scan --no-config --no-ignore --format json "$corpus" > "$out/accuracy-findings.jsonl" || true
python3 "$here/score.py" "$corpus.labels.tsv" "$out/accuracy-findings.jsonl" "$corpus" | tee -a "$log"

# ---- real trees ------------------------------------------------------------
if [ ${#trees[@]} -eq 0 ]; then
  nm=$out/node_modules-tree
  if [ ! -d "$nm/node_modules" ]; then
    mkdir -p "$nm" && echo '{"name":"tree","version":"1.0.0","private":true}' > "$nm/package.json"
    (cd "$nm" && npm install --no-audit --no-fund --ignore-scripts react lodash express typescript \
      webpack eslint axios moment jest @babel/core next vue rxjs chalk commander uuid yargs ws \
      aws-sdk firebase >&2)
  fi
  trees=("$nm/node_modules" /usr/include /usr/share/doc)
fi
sl=$out/secretlint-tool/node_modules/.bin/secretlint
if [ ! -x "$sl" ]; then
  mkdir -p "$out/secretlint-tool" && echo '{"name":"sl","version":"1.0.0","private":true}' > "$out/secretlint-tool/package.json"
  (cd "$out/secretlint-tool" && npm install --no-audit --no-fund secretlint @secretlint/secretlint-rule-preset-recommend >&2)
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$out/secretlintrc.json"
say "-- real trees (no live secrets): ward scan --no-config --no-ignore (default rules and filters); secretlint preset-recommend"
for t in "${trees[@]}"; do
  [ -d "$t" ] || { say "  $t: missing"; continue; }
  bytes=$(du -sb "$t" | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  s0=$(date +%s.%N)
  "$ward" scan --no-config --no-ignore --format json "$t" > "$out/tree-findings.jsonl" 2>/dev/null || true
  s1=$(date +%s.%N)
  n=$(wc -l < "$out/tree-findings.jsonl")
  # secretlint skips node_modules folders unless run from inside one
  (cd "$t" && "$sl" --secretlintrc "$out/secretlintrc.json" --format unix --no-color "**/*" \
     > "$out/tree-secretlint.txt" 2>&1) || true
  s2=$(date +%s.%N)
  m=$(grep -c '^/.*:[0-9]*:[0-9]*: ' "$out/tree-secretlint.txt" || true)
  awk -v t="$t" -v mb="$mb" -v n="$n" -v m="$m" -v w="$(echo "$s1 - $s0" | bc)" -v s="$(echo "$s2 - $s1" | bc)" 'BEGIN {
    d = n / (mb / 100); printf "  %-40s %8.1f MB  ward %4d findings (%.2f per 100 MB) %6.2f s [%s <= 1 per 100 MB]   secretlint %4d findings (%.2f per 100 MB) %7.2f s\n",
      t, mb, n, d, w, (d <= 1 ? "PASS" : "MISS"), m, m / (mb / 100), s }' | tee -a "$log"
  jq -r '"      " + .rule + "  " + .path + ":" + (.line|tostring) + "  " + .secret + (if .encoding then " (in " + .encoding + ")" else "" end)' \
    "$out/tree-findings.jsonl" | head -30 | tee -a "$log"
done
{ cat "$log"; echo; } >> "$report"
echo "report appended to ${report#$root/}"
