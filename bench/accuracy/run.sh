#!/usr/bin/env bash
# run.sh - ward's self-consistency benchmark (not a test): how many of the
# rules' own planted template examples are found, per family, and how many
# findings land on them, in a corpus made from those templates (figures that
# are never recall or precision: the corpus is the rules' own), then
# findings per 100 MB on real trees that hold no live secrets, with
# secretlint (preset-recommend) on the same trees in the same run.
#
#   bench/accuracy/run.sh [--seed N] [TREE...]   (default trees: node_modules of
#                          ~20 popular npm packages, /usr/include, /usr/share/doc)
#
# Needs build/ward and build/libward.a (or $WARD_BUILD), gcc, python3, npm.
# secretlint runs under nice -n 19, on the template corpus (scored by the same
# score.py) and on each tree with a time limit of $SECRETLINT_TIMEOUT_MIN
# minutes (default 20); a run that hits it is reported as not finished.
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
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
sl_min=${SECRETLINT_TIMEOUT_MIN:-20}
case $sl_min in ''|*[!0-9]*) echo "run.sh: SECRETLINT_TIMEOUT_MIN must be whole minutes" >&2; exit 2 ;; esac
sl=$out/secretlint-tool/node_modules/.bin/secretlint
if [ ! -x "$sl" ]; then
  mkdir -p "$out/secretlint-tool" && echo '{"name":"sl","version":"1.0.0","private":true}' > "$out/secretlint-tool/package.json"
  (cd "$out/secretlint-tool" && npm install --no-audit --no-fund secretlint @secretlint/secretlint-rule-preset-recommend >&2)
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$out/secretlintrc.json"
sl_version=$(node -p "require('$out/secretlint-tool/node_modules/secretlint/package.json').version" 2>/dev/null || echo '?')
# secretlint DIR FORMAT OUTFILE: "**/*" from inside DIR (secretlint skips
# node_modules folders unless run from inside one), niced, time-limited;
# sets sl_rc (124 when the time limit was hit) and sl_secs.
secretlint() {
  local t0 t1
  t0=$(date +%s.%N)
  sl_rc=0
  (cd "$1" && timeout -k 30 "${sl_min}m" nice -n 19 "$sl" --secretlintrc "$out/secretlintrc.json" \
     --format "$2" --no-color "**/*" > "$3" 2> "$3.err") || sl_rc=$?
  t1=$(date +%s.%N)
  sl_secs=$(echo "$t1 - $t0" | bc)
}
# Describes a secretlint run that did not end normally (exit 0: clean, 1: findings).
sl_failed() {
  case $sl_rc in
    0|1) return 1 ;;
    124|137) echo "did not finish in $sl_min min" ;;
    *) echo "failed (exit $sl_rc: $(head -c 200 "$1.err" | tr '\n' ' '))" ;;
  esac
}

gcc -O2 -I"$root/include" "$here/gen_accuracy.c" "$build/libward.a" \
  $(pkg-config --libs libhs libpcre2-8 libgit2 zlib) -lpthread -lm -o "$out/gen_accuracy"
corpus=$out/accuracy-corpus-s$seed
rm -rf "$corpus" "$corpus.labels.tsv"
gen=$("$out/gen_accuracy" --seed "$seed" "$corpus")
say "== ward accuracy benchmark, $(date -u +%FT%TZ), $("$ward" --version 2>/dev/null | head -1), $(git -C "$root" rev-parse --short HEAD 2>/dev/null)"
say "-- template corpus (seed $seed): $gen, $(find "$corpus" -type f | wc -l) files"
w0=$(date +%s.%N)
"$ward" scan --no-config --no-ignore --format json "$corpus" > "$out/accuracy-findings.jsonl" || true
w1=$(date +%s.%N)
say "  ward ($(printf '%.2f' "$(echo "$w1 - $w0" | bc)") s):"
python3 "$here/score.py" "$corpus.labels.tsv" "$out/accuracy-findings.jsonl" "$corpus" | tee -a "$log"
secretlint "$corpus" json "$out/accuracy-secretlint.json"
if why=$(sl_failed "$out/accuracy-secretlint.json"); then
  say "  secretlint $sl_version (preset-recommend) on the same corpus: $why"
else
  say "  secretlint $sl_version (preset-recommend) on the same corpus, same scoring ($(printf '%.2f' "$sl_secs") s, nice -n 19):"
  python3 "$here/secretlint2jsonl.py" "$out/accuracy-secretlint.json" > "$out/accuracy-secretlint.jsonl"
  python3 "$here/score.py" --brief "$corpus.labels.tsv" "$out/accuracy-secretlint.jsonl" "$corpus" | tee -a "$log"
fi

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
say "-- real trees (no live secrets): ward scan --no-config --no-ignore (default rules and filters); secretlint $sl_version preset-recommend (nice -n 19, limit $sl_min min a tree)"
for t in "${trees[@]}"; do
  [ -d "$t" ] || { say "  $t: missing"; continue; }
  bytes=$(du -sb "$t" | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  s0=$(date +%s.%N)
  "$ward" scan --no-config --no-ignore --format json "$t" > "$out/tree-findings.jsonl" 2>/dev/null || true
  s1=$(date +%s.%N)
  n=$(wc -l < "$out/tree-findings.jsonl")
  secretlint "$t" unix "$out/tree-secretlint.txt"
  if why=$(sl_failed "$out/tree-secretlint.txt"); then
    slfig="secretlint $why"
  else
    m=$(grep -c '^/.*:[0-9]*:[0-9]*: ' "$out/tree-secretlint.txt" || true)
    slfig=$(awk -v m="$m" -v mb="$mb" -v s="$sl_secs" 'BEGIN { printf "secretlint %4d findings (%.2f per 100 MB) %7.2f s", m, m / (mb / 100), s }')
  fi
  awk -v t="$t" -v mb="$mb" -v n="$n" -v w="$(echo "$s1 - $s0" | bc)" -v sl="$slfig" 'BEGIN {
    d = n / (mb / 100); printf "  %-40s %8.1f MB  ward %4d findings (%.2f per 100 MB) %6.2f s [%s <= 1 per 100 MB]   %s\n",
      t, mb, n, d, w, (d <= 1 ? "PASS" : "MISS"), sl }' | tee -a "$log"
  jq -r '"      " + .rule + "  " + .path + ":" + (.line|tostring) + "  " + .secret + (if .encoding then " (in " + .encoding + ")" else "" end)' \
    "$out/tree-findings.jsonl" | head -30 | tee -a "$log"
done
{ cat "$log"; echo; } >> "$report"
echo "report appended to ${report#$root/}"
