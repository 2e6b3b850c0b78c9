#!/usr/bin/env bash
# Golden CLI tests.  Each case is a script cases/NAME.sh, run with bash in a
# fresh temporary folder; its stdout, stderr and exit status are compared with
# cases/NAME.stdout, cases/NAME.stderr and cases/NAME.exit.
#
#   tests/cli/run.sh [--bindir DIR] [--bless] [NAME...]
#
# The scripts find `ward` and `ward-fake` (which makes fake tokens from
# templates, so none is ever committed) on PATH.  --bless rewrites the
# expected files from what the scripts do now: review the diff before
# committing it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bindir=$here/../../build
bless=0
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --bindir) bindir=$2; shift 2 ;;
    --bless) bless=1; shift ;;
    *) names+=("$1"); shift ;;
  esac
done
bindir=$(cd "$bindir" && pwd)
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/cases/*.sh; do names+=("$(basename "$f" .sh)"); done
fi
pass=0 fail=0
for name in "${names[@]}"; do
  script=$here/cases/$name.sh
  tmp=$(mktemp -d)
  (cd "$tmp" && env -i PATH="$bindir:/usr/bin:/bin" HOME="$tmp" TERM=dumb LC_ALL=C.UTF-8 \
      ASAN_OPTIONS="${ASAN_OPTIONS:-}" LSAN_OPTIONS="${LSAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
      TSAN_OPTIONS="${TSAN_OPTIONS:-}" \
      CASES="$here/cases" bash "$script" >"$tmp.out" 2>"$tmp.err" </dev/null)
  echo $? >"$tmp.rc"
  if [ $bless = 1 ]; then
    cp "$tmp.out" "$here/cases/$name.stdout"
    cp "$tmp.err" "$here/cases/$name.stderr"
    cp "$tmp.rc" "$here/cases/$name.exit"
    echo "blessed $name"
  else
    ok=1
    for k in stdout:out stderr:err exit:rc; do
      want=$here/cases/$name.${k%%:*} got=$tmp.${k##*:}
      if ! diff -u "$want" "$got" >"$tmp.diff" 2>&1; then
        ok=0
        echo "--- $name: ${k%%:*} differs"
        head -40 "$tmp.diff"
      fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  fi
  rm -rf "$tmp" "$tmp.out" "$tmp.err" "$tmp.rc" "$tmp.diff"
done
[ $bless = 1 ] && exit 0
echo "$pass passed, $fail failed"
[ $fail = 0 ]
