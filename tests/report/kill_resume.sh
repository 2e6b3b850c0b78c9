#!/usr/bin/env bash
# A scan killed half-way (kill -9) leaves the datastore consistent, and the
# next run finishes the work: it skips the blobs the killed one recorded,
# and the store then reports exactly what a clean scan's does.
#
#   tests/report/kill_resume.sh BINDIR
set -eu
bindir=$(cd "$1" && pwd)
export PATH="$bindir:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 (Debian sqlite3) is needed"

# A history of 12,000 commits, one small blob each: three batches of 4,096
# blobs at least, so a kill after the first commit of the store is
# mid-scan.  Secrets early, in the middle (three versions) and late.
t1=$(ward-fake --seed 7 'ghp_%{crc62:30}')
t2=$(ward-fake --seed 8 'npm_%{crc62:30}')
t3=$(ward-fake --seed 9 'glpat-%{a62:20}')
n=12000
git init -q --bare repo.git
awk -v n=$n -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
  for (i = 1; i <= n; i++) {
    s = sprintf("entry %d\nvalue %d\n", i, i * 7919 % 100003)
    if (i == 100) s = s "GITHUB_TOKEN=" t1 "\n"
    if (i == 11000) s = s "gitlab = \"" t3 "\"\n"
    printf "commit refs/heads/main\nmark :%d\ncommitter Ann Dev <ann@example.com> %d +0000\ndata 2\nc\n", i, 1700000000 + i * 60
    if (i > 1) printf "from :%d\n", i - 1
    printf "M 644 inline f%03d.txt\ndata %d\n%s\n", i % 500, length(s), s
    if (i >= 6000 && i <= 6002) {
      e = sprintf("version %d\nnpm_token: %s\n", i, t2)
      printf "M 644 inline secrets.env\ndata %d\n%s\n", length(e), e
    }
  }}' | git -C repo.git fast-import --quiet

ward git -q --datastore clean.db repo.git && fail "clean scan found nothing" || [ $? = 1 ] ||
  fail "clean scan failed"
total=$(sqlite3 clean.db 'SELECT count(*) FROM blobs')
[ "$total" -ge "$n" ] || fail "clean scan recorded $total blobs"

# (the walk, not a sweep: a sweep records its blobs in one burst at its end,
# which leaves too short a moment to kill it in)
WARD_GIT_SWEEP=0 ward git -q -j1 --datastore killed.db repo.git &
pid=$!
recorded=0
for _ in $(seq 2000); do
  recorded=$(sqlite3 -cmd '.timeout 2000' killed.db 'SELECT count(*) FROM blobs' 2>/dev/null || echo 0)
  [ "${recorded:-0}" -gt 0 ] && break
  sleep 0.01
done
kill -9 $pid 2>/dev/null || fail "the scan ended before it could be killed"
{ wait $pid; } 2>/dev/null && st=0 || st=$?
[ $st = 137 ] || fail "the scan ended with $st before it could be killed"

# Consistent: intact, no refs yet, the scan still marked running, and
# every blob with findings recorded together with them.
[ "$(sqlite3 killed.db 'PRAGMA integrity_check')" = ok ] || fail "integrity"
[ "$(sqlite3 killed.db 'SELECT count(*) FROM refs')" = 0 ] || fail "refs of a killed scan"
[ "$(sqlite3 killed.db 'SELECT status FROM scans')" = running ] || fail "scan status"
k=$(sqlite3 killed.db 'SELECT count(*) FROM blobs')
[ "$k" -gt 0 ] && [ "$k" -lt "$total" ] || fail "$k of $total blobs recorded"
[ "$(sqlite3 killed.db 'SELECT count(*) FROM finding_blobs f WHERE NOT EXISTS
      (SELECT 1 FROM blobs b WHERE b.id = f.blob)')" = 0 ] || fail "findings without their blob"

# The next run knows what was recorded and finishes the work.
ward git -v --datastore killed.db repo.git > resumed.out 2> resumed.err || [ $? = 1 ] ||
  fail "resumed scan: $(cat resumed.err)"
grep -q "'repo': $k blobs and 0 ref tips known" resumed.err ||
  fail "resume did not start from the $k recorded blobs: $(cat resumed.err)"
[ "$(sqlite3 killed.db 'SELECT status FROM scans ORDER BY id')" = "$(printf 'interrupted\nok')" ] ||
  fail "scan statuses"
[ "$(sqlite3 killed.db 'SELECT count(*) FROM blobs')" = "$total" ] || fail "blobs after resume"
ward report --datastore clean.db -f json > clean.json 2>/dev/null || [ $? = 1 ]
ward report --datastore killed.db -f json > resumed.json 2>/dev/null || [ $? = 1 ]
[ "$(wc -l < clean.json)" = 3 ] || fail "clean report: $(cat clean.json)"
grep -q '"versions":3' clean.json || fail "three versions of the npm token"
diff -u clean.json resumed.json || fail "the resumed store differs from a clean scan's"
echo "ok: killed after $k of $total blobs; resumed to the same 3 findings"
