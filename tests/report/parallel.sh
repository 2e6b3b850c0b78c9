#!/usr/bin/env bash
# The recipe of docs/git.md for many repositories: GNU parallel runs one
# `ward git -f json` per repository, `ward report` merges their outputs into
# one deduplicated report.  20 generated repositories share some secrets:
# the merged report has one finding per (repository, rule, secret, path)
# and one incident per secret, however often the outputs overlap.
#
#   tests/report/parallel.sh BINDIR
set -eu
bindir=$(cd "$1" && pwd)
export PATH="$bindir:$PATH"
command -v parallel >/dev/null || { echo "FAIL: GNU parallel (Debian parallel) is needed"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is needed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
fail() { echo "FAIL: $*"; exit 1; }

# Repository i holds shared secret i%4 in .env; every fifth one also its own
# npm token; the first three also had shared secret 1 in a file since
# deleted.  So: 20 + 4 + 3 = 27 findings, 4 + 4 = 8 incidents, 3 removed.
mkdir repos out
for i in $(seq -w 1 20); do
  n=$((10#$i))
  git init -q "repos/r$i"
  (
    cd "repos/r$i"
    export GIT_AUTHOR_DATE="2024-01-$i""T10:00:00+0000" GIT_COMMITTER_DATE="2024-01-$i""T10:00:00+0000"
    echo "repo $i" > README
    echo "GITHUB_TOKEN=$(ward-fake --seed $((100 + n % 4)) 'ghp_%{crc62:30}')" > .env
    git add . && git commit -qm init
    if [ $((n % 5)) = 0 ]; then
      echo "npm: $(ward-fake --seed $((200 + n)) 'npm_%{crc62:30}')" > b.txt
      git add . && git commit -qm npm
    fi
    if [ $n -le 3 ]; then
      mkdir old && echo "token $(ward-fake --seed 101 'ghp_%{crc62:30}')" > old/creds.txt
      git add . && git commit -qm creds && git rm -qr old && git commit -qm 'remove creds'
    fi
  )
done

# The recipe: one job per repository (exit 1 means findings, not failure).
parallel --will-cite --jobs 2 --halt now,fail=1 \
  'ward git -f json --repo-name {/} {} > out/{/}.jsonl; test $? -le 1' ::: repos/* ||
  fail "a ward git job failed"
[ "$(ls out | wc -l)" = 20 ] || fail "outputs"
ward report -f json out/*.jsonl > merged.json 2> merged.err && fail "exit 0 with findings" ||
  [ $? = 1 ] || fail "ward report: $(cat merged.err)"

[ "$(cat merged.err)" = "ward: 27 findings, 8 incidents, 20 repositories" ] ||
  fail "summary: $(cat merged.err)"
[ "$(wc -l < merged.json)" = 27 ] || fail "findings: $(wc -l < merged.json)"
[ "$(jq -r .incident merged.json | sort -u | wc -l)" = 8 ] || fail "incidents"
[ "$(jq -r .repository merged.json | sort -u | wc -l)" = 20 ] || fail "repositories"
[ "$(jq -r 'select(.present == false) | .path' merged.json | sort -u)" = old/creds.txt ] ||
  fail "removed findings"
[ "$(jq -r 'select(.present == false) | .removed_in' merged.json | grep -c '^[0-9a-f]\{40\}$')" = 3 ] ||
  fail "removed_in"
# Shared secret 1: in .env of r01 r05 r09 r13 r17, and in r01-r03's old file.
fp1=$(jq -r 'select(.repository == "r05") | select(.path == ".env") | .incident' merged.json)
[ "$(jq -r --arg f "$fp1" 'select(.incident == $f) | .repository' merged.json | sort -u | tr '\n' ' ')" = \
  "r01 r02 r03 r05 r09 r13 r17 " ] || fail "repositories of incident 1"
# No secret in clear anywhere.
for s in 100 101 102 103; do
  grep -qF "$(ward-fake --seed $s 'ghp_%{crc62:30}')" merged.json && fail "secret $s in clear"
done

# Overlapping outputs (a job run twice, a host that re-ran a batch) merge
# into the same report; a broken line is an error naming it.
cat out/r01.jsonl out/r05.jsonl > out/again.jsonl
ward report -f json out/*.jsonl > merged2.json 2>/dev/null || [ $? = 1 ]
diff -u merged.json merged2.json || fail "overlapping outputs changed the report"
echo '{"rule":' > broken.jsonl
ward report out/r01.jsonl broken.jsonl > /dev/null 2> broken.err && fail "broken input accepted" ||
  [ $? = 2 ] || fail "broken input: exit $?"
grep -q "^ward: broken.jsonl:1: not JSON" broken.err || fail "broken input: $(cat broken.err)"
echo "ok: 20 repositories, 27 findings, 8 incidents"
