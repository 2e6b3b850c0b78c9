#!/usr/bin/env bash
# scan.sh - ward's benchmark: throughput, memory, planted secrets found, ripgrep comparison
# and start-up time, in one run, with the figures next to their targets.
#
#   bench/scan.sh [--size 1G] [--seed 1] [--files N] [--runs 3]
#                 [--ward-flag ARG]... [--rg-rules seed|all] [TREE...]
#
# ripgrep gets the regexes of the 14 seed families' rules (--rg-rules seed,
# the default: what a user would grep for) or of every rule (all).
# Builds nothing: it needs build/ward (or $WARD_BUILD/ward) and gen_corpus
# (build/bench/gen_corpus, else bench/out/gen_corpus).  The corpus is made
# once per size/seed/files, generator and rules, and cached under bench/out/
# (git-ignored).  Every measurement is warm-cache: one warm-up run, then the
# best wall time of --runs runs; peak RSS is the largest of those runs
# (/usr/bin/time %M).  ward runs with --no-config --no-ignore (bench/out is
# inside this repository, whose .gitignore excludes it) and -v, so skipped
# files are counted; --ward-flag adds an argument to every ward scan.  The
# report goes to stdout and is appended to bench/runs/YYYY-MM-DD-HOST.txt.
set -eu
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${WARD_BUILD:-$root/build}
ward=$build/ward
out=$here/out
size=1G seed=1 files="" runs=3 rg_rules=seed
ward_flags=() trees=()

die() { echo "scan.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --size) [ $# -ge 2 ] || die "--size needs a value"; size=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || die "--seed needs a value"; seed=$2; shift 2 ;;
    --files) [ $# -ge 2 ] || die "--files needs a value"; files=$2; shift 2 ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --ward-flag) [ $# -ge 2 ] || die "--ward-flag needs a value"; ward_flags+=("$2"); shift 2 ;;
    --rg-rules) [ $# -ge 2 ] || die "--rg-rules needs a value"; rg_rules=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -d "$1" ] || die "'$1' is not a folder"; trees+=("$(cd "$1" && pwd)"); shift ;;
  esac
done
case $runs in ''|*[!0-9]*|0) die "--runs must be a positive number" ;; esac
case $rg_rules in seed|all) ;; *) die "--rg-rules is seed or all" ;; esac

# ---- prerequisites ---------------------------------------------------------
[ -x "$ward" ] || die "$ward is missing: build ward first (cmake -S . -B build && cmake --build build)"
gen=""
for g in "$build/bench/gen_corpus" "$out/gen_corpus"; do
  if [ -x "$g" ]; then gen=$g; break; fi
done
[ -n "$gen" ] || die "gen_corpus is missing: build it with 'cmake --build build' (bench/ is a subdirectory of the build), or by hand:
  mkdir -p bench/out && gcc -O2 -Iinclude bench/gen_corpus.c build/libward.a \$(pkg-config --libs libhs libpcre2-8 libgit2 zlib) -lpthread -lm -o bench/out/gen_corpus"

# Tools from Debian packages; installed with apt-get when missing (as root).
need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v jq >/dev/null 2>&1 || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scan.sh: installing missing Debian packages: ${need[*]} (apt-get update && apt-get install)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  else
    die "missing tools; install them with: sudo apt-get install ${need[*]}"
  fi
fi

mkdir -p "$out" "$here/runs"
tmp=$(mktemp -d "$out/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
host=$(hostname -s 2>/dev/null || hostname)
report=$here/runs/$(date +%Y-%m-%d)-$host.txt
nproc=$(nproc)

# ---- helpers -------------------------------------------------------------
# mark VALUE OP LIMIT: PASS or MISS
mark() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
  ok = (op == "<") ? a < b : (op == "<=") ? a <= b : (op == ">=") ? a >= b : 0
  print ok ? "PASS" : "MISS" }'; }
q() { printf '%q ' "$@"; }

# timed OUT ERR CMD...: one warm-up run, then $runs runs; sets WALL (s, best),
# RSS (KiB, largest), RC (exit status of the last run).  Exit status 1 is
# normal (ward: findings, rg: no match); anything else is reported.
timed() {
  local o=$1 e=$2; shift 2
  local i t0 t1 ns best="" m=0 rc r
  "$@" >"$o" 2>"$e" || true
  for ((i = 0; i < runs; i++)); do
    rc=0
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >"$o" 2>"$e" || rc=$?
    t1=$(date +%s%N)
    ns=$((t1 - t0))
    if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
    r=$(tail -n 1 "$tmp/rss")
    if [ "$r" -gt "$m" ]; then m=$r; fi
  done
  WALL=$(awk -v n="$best" 'BEGIN { printf "%.3f", n / 1e9 }')
  RSS=$m
  if [ "$rc" -gt 1 ]; then
    echo "  !! exit status $rc from: $(q "$@")"
    head -n 5 "$e" | sed 's/^/  !! /'
  fi
}

tree_stats() { # TREE -> BYTES FILES (regular files; symbolic links excluded)
  find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1; n++ } END { printf "%d %d\n", s, n }'
}

# skipped_stats ERRFILE -> BYTES FILES BAD: what ward passed over (from -v:
# "ward: skipped 'PATH': REASON"), and how many of those skips were for a
# reason other than a binary or too big file (BAD).
skipped_stats() {
  local p reason b=0 n=0 bad=0 sb sn
  while IFS=$'\t' read -r p reason; do
    read -r sb sn < <(tree_stats "$p")
    b=$((b + sb)) n=$((n + sn))
    case $reason in *binary*|*big*|*large*|*size*) ;; *) bad=$((bad + 1)) ;; esac
  done < <(sed -n "s/^ward: skipped '\(.*\)': \(.*\)$/\1\t\2/p" "$1")
  echo "$b $n $bad"
}

# skip_summary ERRFILE PREFIX: "N x reason, e.g. path path" per reason
skip_summary() {
  sed -n "s/^ward: skipped '\(.*\)': \(.*\)$/\2\t\1/p" "$1" | sed "s|$2/||" |
    awk -F'\t' '{ n[$1]++; if (n[$1] <= 2) s[$1] = s[$1] " " $2 }
      END { for (r in n) printf "      %d x %s, e.g.%s\n", n[r], r, s[r] }'
}

# ward_row LABEL ERRFILE TARGET_MBS(or -): one line of figures, from WALL and
# RSS, with MB/s and files/s over what ward really read (the tree minus what
# it skipped, per -v).  Sets W_VALID=0 when ward skipped folders or files for
# a reason other than binary or size (then it did not do the job measured).
ward_row() {
  local label=$1 err=$2 tgt=$3 sb sn bad b n mbs fps mib line cov
  read -r sb sn bad < <(skipped_stats "$err")
  b=$((T_BYTES - sb)) n=$((T_FILES - sn))
  W_VALID=1; [ "$bad" -eq 0 ] || W_VALID=0
  cov=$(awk -v b="$b" -v t="$T_BYTES" 'BEGIN { printf "%.1f", (t > 0 ? 100 * b / t : 100) }')
  mbs=$(awk -v b="$b" -v w="$WALL" 'BEGIN { printf "%.1f", (w > 0 ? b / 1e6 / w : 0) }')
  fps=$(awk -v n="$n" -v w="$WALL" 'BEGIN { printf "%.0f", (w > 0 ? n / w : 0) }')
  mib=$(awk -v k="$RSS" 'BEGIN { printf "%.1f", k / 1024 }')
  line=$(printf '  %-22s wall %8.3f s  %8s MB/s' "$label" "$WALL" "$mbs")
  if [ "$tgt" != - ]; then
    if [ "$W_VALID" -eq 1 ]; then line="$line [$(mark "$mbs" '>=' "$tgt") >= $tgt]"
    else line="$line [MISS >= $tgt: not a valid run, see !!]"; fi
  fi
  line="$line$(printf '  %7s files/s  peak RSS %6s MiB [%s < 64]' "$fps" "$mib" "$(mark "$RSS" '<' 65536)")"
  echo "$line"
  if [ "$sn" -gt 0 ] || [ "$sb" -gt 0 ] || [ "$bad" -gt 0 ]; then
    echo "  !! read $b of $T_BYTES bytes ($cov%), $n of $T_FILES files: it skipped $sn files under $(grep -c "^ward: skipped" "$err") skipped paths (MB/s and files/s count only what it read)"
    skip_summary "$err" "$T_ROOT" | sed 's/^/  !!/'
  fi
}

# measure TREE TARGET_MBS(or -): ward at default threads and -j 1, then rg;
# leaves ward's JSON findings in $tmp/ward.json.
measure() {
  local t=$1 tgt=$2 w_wall w_valid rg_lines
  read -r T_BYTES T_FILES < <(tree_stats "$t")
  T_ROOT=$t
  timed "$tmp/ward.json" "$tmp/ward.err" "$ward" scan "${wf[@]}" "$t"
  w_wall=$WALL
  ward_row "ward ($nproc threads)" "$tmp/ward.err" "$tgt"
  w_valid=$W_VALID
  timed "$tmp/w1.json" "$tmp/w1.err" "$ward" scan -j 1 "${wf[@]}" "$t"
  ward_row "ward -j 1" "$tmp/w1.err" -
  timed "$tmp/rg.out" "$tmp/rg.err" "${rg_cmd[@]}" "$t"
  rg_lines=$(awk -F: '{ s += $NF } END { print s + 0 }' "$tmp/rg.out")
  printf '  %-22s wall %8.3f s  %8s MB/s  (%s matching lines)\n' "rg -j $nproc" "$WALL" \
    "$(awk -v b="$T_BYTES" -v w="$WALL" 'BEGIN { printf "%.1f", (w > 0 ? b / 1e6 / w : 0) }')" "$rg_lines"
  if [ "$w_valid" -eq 1 ]; then
    printf '  %-22s %.3f  [%s <= 1]\n' "ward/rg wall" "$(awk -v a="$w_wall" -v b="$WALL" 'BEGIN { print a / b }')" \
      "$(mark "$w_wall" '<=' "$WALL")"
  else
    printf '  %-22s %.3f  [MISS <= 1: not comparable, ward skipped folders rg read]\n' "ward/rg wall" \
      "$(awk -v a="$w_wall" -v b="$WALL" 'BEGIN { print a / b }')"
  fi
}

# findings_by_rule JSON [EXCLUDE_KEYS]: count per rule and 3 redacted samples
findings_by_rule() {
  jq -r '[.rule, .path, .line, .secret] | @tsv' "$1" |
    awk -F'\t' '{ n[$1]++; if (n[$1] <= 3) s[$1] = s[$1] "\001      " $2 ":" $3 "  " $4 }
      END { for (r in n) printf "%d\t    %-36s %6d%s\n", n[r], r, n[r], s[r] }' |
    sort -t "$(printf '\t')" -k1,1nr -k2 | cut -f2- | tr '\001' '\n'
}

# rg patterns: built-in regexes, from `ward rules --format json`: the seed
# families' 14 rules, or all of them.
seed_ids='"aws-access-key-id","github-pat","gitlab-pat","google-api-key","slack-bot-token","stripe-live-secret-key","openai-project-key","sendgrid-api-key","twilio-api-key-secret","npm-access-token","private-key-rsa","jwt","url-credentials","anthropic-api-key"'
if [ "$rg_rules" = seed ]; then
  "$ward" rules --format json | jq -r "select(.id | IN($seed_ids)) | .regex // empty" >"$tmp/patterns.all"
else
  "$ward" rules --format json | jq -r '.regex // empty' >"$tmp/patterns.all"
fi
n_pat=$(wc -l <"$tmp/patterns.all")
# ward's matchers work on bytes (no UTF-8/UCP mode), so rg gets --no-unicode:
# the same ASCII meaning of \b, \s and classes (and 4-10x faster in rg).
# Fallbacks: bigger size limits, then PCRE2, then drop what rg cannot compile.
cp "$tmp/patterns.all" "$tmp/patterns"
rg_ok() { local rc=0; printf 'x\n' | rg "$@" >/dev/null 2>&1 || rc=$?; [ "$rc" -le 1 ]; }
if rg_ok --no-unicode -f "$tmp/patterns"; then
  rg_flags=(--no-unicode); rg_engine="Rust regex, --no-unicode"
elif rg_ok --no-unicode --regex-size-limit 1G --dfa-size-limit 1G -f "$tmp/patterns"; then
  rg_flags=(--no-unicode --regex-size-limit 1G --dfa-size-limit 1G); rg_engine="Rust regex, --no-unicode, larger size limits"
elif rg_ok --pcre2 -f "$tmp/patterns"; then
  rg_flags=(--pcre2); rg_engine="PCRE2 (--pcre2)"
else
  rg_flags=(--no-unicode --regex-size-limit 1G --dfa-size-limit 1G); rg_engine="Rust regex, patterns it cannot compile dropped"
  : >"$tmp/patterns"
  while IFS= read -r p; do
    printf '%s\n' "$p" >"$tmp/one"
    if rg_ok "${rg_flags[@]}" -f "$tmp/one"; then printf '%s\n' "$p" >>"$tmp/patterns"; fi
  done <"$tmp/patterns.all"
fi
n_rg=$(wc -l <"$tmp/patterns")
rg_cmd=(rg -c --no-ignore --hidden -j "$nproc" "${rg_flags[@]}" -f "$tmp/patterns")

wf=(--no-config --no-ignore -v --format json ${ward_flags[@]+"${ward_flags[@]}"})

# ---- the corpus ----------------------------------------------------------
name=corpus-$size-s$seed${files:+-f$files}
corpus=$out/$name
manifest=$out/$name.manifest.tsv
# The corpus depends on the generator, the template expander and the rules'
# examples: a change to any of them makes it again.
stamp="$(cat "$here/gen_corpus.c" "$root/lib/example.c" "$root"/rules/*.toml 2>/dev/null | sha256sum | cut -c1-16) seed=$seed size=$size files=$files"
gen_args=(--seed "$seed" --size "$size" ${files:+--files "$files"})
if [ ! -f "$corpus.stamp" ] || [ "$(cat "$corpus.stamp")" != "$stamp" ] || [ ! -d "$corpus" ]; then
  echo "scan.sh: generating the corpus $corpus ($size, seed $seed) ..." >&2
  rm -rf "$corpus" "$corpus.partial" "$corpus.stamp" "$manifest"
  "$gen" "${gen_args[@]}" --manifest "$manifest.partial" "$corpus.partial" >&2
  mv "$corpus.partial" "$corpus"
  mv "$manifest.partial" "$manifest"
  printf '%s\n' "$stamp" >"$corpus.stamp"
fi

main() {
  local cpu mem kernel fsys
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  kernel=$(uname -sr)
  fsys=$(df -PT "$out" | awk 'NR == 2 { print $2 " on " $1 }')
  echo "================================================================================"
  echo "ward benchmark   $(date -u '+%Y-%m-%d %H:%M:%S UTC')   host $host"
  echo "machine   $nproc CPUs ($cpu), $mem RAM, $kernel; bench/out on $fsys"
  echo "ward      $("$ward" --version) ($ward, built $(date -u -r "$ward" '+%Y-%m-%d %H:%M:%S UTC'))"
  echo "tools     $(rg --version | sed -n 1p), $(hyperfine --version), GNU time $(dpkg-query -W -f='${Version}' time 2>/dev/null || echo '?')"
  echo "method    warm cache: 1 warm-up run, then best wall of $runs runs; peak RSS = largest of the $runs"
  echo "          ward scan ${wf[*]} TREE   (default threads = $nproc, and -j 1)"
  echo "          rg -c --no-ignore --hidden -j $nproc ${rg_flags[*]} -f PATTERNS TREE"
  echo "          rg patterns: $n_rg of the $n_pat regexes of the built-in rules ($rg_rules), engine $rg_engine;"
  echo "          rg is line-oriented, so the multi-line rules (PEM private keys) cannot match in it"
  echo "units     MB = 10^6 bytes; MiB = 2^20 bytes"
  echo "load      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start; other busy processes skew every figure"
  echo

  # -- generated corpus
  local planted t
  planted=$(grep -vc '^#' "$manifest" || true)
  read -r T_BYTES T_FILES < <(tree_stats "$corpus")
  echo "-- generated corpus: bench/out/$name: $T_BYTES bytes, $T_FILES files, $planted planted fake secrets"
  measure "$corpus" 1000
  cp "$tmp/ward.json" "$tmp/corpus.json"

  # planted secrets reported at the right path and offset (the rules' own
  # templates: self-consistency, not detection recall)
  jq -r '[.path, .offset, .rule, .line, .secret] | @tsv' "$tmp/corpus.json" >"$tmp/f.tsv"
  awk -F'\t' -v pre="$corpus/" '
    function bycount(a, k,   n, r, i, j, x) {  # keys of a, largest value first
      n = 0; for (r in a) k[++n] = r
      for (i = 2; i <= n; i++) { x = k[i]; for (j = i - 1; j >= 1 && (a[k[j]] < a[x] || (a[k[j]] == a[x] && k[j] > x)); j--) k[j + 1] = k[j]; k[j + 1] = x }
      return n }
    FNR == NR {
      p = $1; if (index(p, pre) == 1) p = substr(p, length(pre) + 1)
      nf++; fp[nf] = p; fo[nf] = $2; fr[nf] = $3; fl[nf] = $4; fs[nf] = $5
      at[p SUBSEP $2] = at[p SUBSEP $2] nf " "; offs[p] = offs[p] $2 " "
      next }
    /^#/ { next }
    { planted++; hit = 0; same = 0
      tpl[$1] = tpl[$1] $6 " " ($6 + $7) " "
      if ($5 == "secret") {
        k = $1 SUBSEP $2
        if (k in at) { hit = 1; n = split(at[k], id, " "); for (i = 1; i <= n; i++) { m[id[i]] = 1; if (fr[id[i]] == $3) same = 1 } }
      } else {
        n = split(offs[$1], o, " ")
        for (i = 1; i <= n; i++) if (o[i] + 0 >= $2 + 0 && o[i] + 0 < $2 + $4) {
          hit = 1; c = split(at[$1 SUBSEP o[i]], id, " ")
          for (j = 1; j <= c; j++) { m[id[j]] = 1; if (fr[id[j]] == $3) same = 1 } }
      }
      if (hit) found++; else { miss[$3]++; if (nmiss++ < 3) ms[nmiss] = $1 " @" $2 " (" $3 ")" }
      if (same) samerule++ }
    END {
      printf "  planted found          planted %d, found %d (%.2f%%) at the right path and offset, %d of them by the planted rule\n",
        planted, found, planted ? 100 * found / planted : 0, samerule
      if (nmiss) { c = bycount(miss, mk); printf "    missed, by rule:"
        for (i = 1; i <= c; i++) printf "%s %s %d", (i % 6 == 1 ? "\n     " : ","), mk[i], miss[mk[i]]; printf "\n"
        for (i = 1; i <= nmiss && i <= 3; i++) printf "      e.g. %s\n", ms[i] }
      for (i = 1; i <= nf; i++) {
        if (i in m) continue
        inside = 0; n = split(tpl[fp[i]], t, " ")
        for (j = 1; j < n; j += 2) if (fo[i] + 0 >= t[j] + 0 && fo[i] + 0 < t[j + 1] + 0) inside = 1
        if (inside) { ins++; ri[fr[i]]++; if (ri[fr[i]] <= 3) si[fr[i]] = si[fr[i]] "\n      " fp[i] ":" fl[i] "  " fs[i] }
        else { outs++; ro[fr[i]]++; if (ro[fr[i]] <= 3) so[fr[i]] = so[fr[i]] "\n      " fp[i] ":" fl[i] "  " fs[i] } }
      printf "  findings               %d in all; %d not at a planted secret: %d elsewhere in a planted example line, %d in the generated text\n",
        nf, ins + outs, ins + 0, outs + 0
      c = bycount(ri, rk); for (i = 1; i <= c; i++) printf "    in an example line, not its marked secret: %s %d%s\n", rk[i], ri[rk[i]], si[rk[i]]
      c = bycount(ro, ok); for (i = 1; i <= c; i++) printf "    false positive in the generated text: %s %d%s\n", ok[i], ro[ok[i]], so[ok[i]]
    }' "$tmp/f.tsv" "$manifest"
  echo

  # -- trees from the command line
  for t in ${trees[@]+"${trees[@]}"}; do
    read -r T_BYTES T_FILES < <(tree_stats "$t")
    echo "-- tree $t: $T_BYTES bytes, $T_FILES files (regular files; symbolic links excluded)"
    measure "$t" -
    echo "  findings               $(wc -l <"$tmp/ward.json") (rule, count, redacted samples):"
    findings_by_rule "$tmp/ward.json"
    echo
  done

  # -- start-up
  local small=$tmp/small/app.py
  mkdir -p "$tmp/small"
  printf '"""A small module."""\nimport os\n\n\ndef main():\n    print(os.getcwd())\n' >"$small"
  echo "-- start-up: one small file ($(wc -c <"$small") bytes), hyperfine --shell=none --warmup 20 --runs 200"
  hyperfine --shell=none --warmup 20 --runs 200 -i --export-json "$tmp/h.json" \
    "$ward scan $small" "$ward scan --no-config --no-ignore $small" "$ward --version" >/dev/null 2>"$tmp/h.err" ||
    { echo "  !! hyperfine failed:"; sed 's/^/  !! /' "$tmp/h.err"; }
  jq -r '.results[] | [.command, .mean, .median, .min, .stddev] | @tsv' "$tmp/h.json" |
    while IFS=$'\t' read -r cmd mean median min sd; do
      cmd=${cmd//"$tmp"\//}; cmd=${cmd//"$root"\//}
      line=$(printf '  %-44s mean %6.2f ms  median %6.2f ms  min %6.2f ms  sd %5.2f' "$cmd" \
        "$(awk -v x="$mean" 'BEGIN { print x * 1000 }')" "$(awk -v x="$median" 'BEGIN { print x * 1000 }')" \
        "$(awk -v x="$min" 'BEGIN { print x * 1000 }')" "$(awk -v x="$sd" 'BEGIN { print x * 1000 }')")
      if [ "${cmd#*scan }" != "$cmd" ]; then
        line="$line [$(mark "$mean" '<' 0.010) mean < 10 ms]"
      else
        line="$line (process floor: no scan)"
      fi
      echo "$line"
    done
  echo

  echo "load      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
  echo

  # -- how to reproduce
  echo "-- reproduce"
  echo "  cmake --build build          # ward; gen_corpus too once bench/ is a subdirectory of the build"
  echo "  $(q "${gen#"$root"/}" "${gen_args[@]}" --manifest "${manifest#"$root"/}" "${corpus#"$root"/}")"
  echo "  $(q build/ward scan "${wf[@]}" "${corpus#"$root"/}")"
  echo "  $(q build/ward scan -j 1 "${wf[@]}" "${corpus#"$root"/}")"
  echo "  build/ward rules --format json | jq -r '.regex // empty' > patterns.txt"
  echo "  $(q rg -c --no-ignore --hidden -j "$nproc" "${rg_flags[@]}" -f patterns.txt "${corpus#"$root"/}")"
  echo "  hyperfine --shell=none --warmup 20 --runs 200 -i 'build/ward scan small/app.py'"
  local again=(bench/scan.sh --size "$size" --seed "$seed" ${files:+--files "$files"} --runs "$runs") f
  for f in ${ward_flags[@]+"${ward_flags[@]}"}; do again+=(--ward-flag "$f"); done
  echo "  $(q "${again[@]}" ${trees[@]+"${trees[@]}"})"
  echo "================================================================================"
  echo
}

main 2>&1 | tee "$tmp/report"
cat "$tmp/report" >>"$report"
echo "(appended to ${report#"$root"/})"
