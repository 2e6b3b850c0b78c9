#!/usr/bin/env bash
# bench/git.sh - `ward git` on a repository with a long history against
# reading every object once with git (`git cat-file --batch-all-objects
# --batch --unordered`, the floor), against ward's walk alone (no sweep),
# and against gitleaks, trufflehog and git-secrets where they are installed,
# in the same run; wall time, CPU time and peak RSS from /usr/bin/time.  Then `ward staged` on a 10-file commit.
# Not a test.
#
#   bench/git.sh [--bindir DIR] [--repo PATH] [--commits N] [--keep DIR]
#
# Without --repo it generates a synthetic history with `git fast-import`
# (N commits, default 20000, each editing a few lines of 3 files of a tree of
# 2000, with a fake secret planted every 1000 commits) under $TMPDIR, and
# says so.  Give --repo a clone of git.git (about 85,000 commits) for the
# figure the issue asks for.  --keep DIR generates into DIR and leaves it
# there (a later run can pass it as --repo); with more than 100,000 commits
# the history stays in fast-import's packs, already deltas of each other,
# since `git gc` of millions of objects takes far longer than any scan.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindir=$here/../build
repo=
commits=20000
keep=
while [ $# -gt 0 ]; do
  case $1 in
    --bindir) bindir=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: bench/git.sh [--bindir DIR] [--repo PATH] [--commits N] [--keep DIR]" >&2; exit 2 ;;
  esac
done
bindir=$(cd "$bindir" && pwd)
ward=$bindir/ward
fake=$bindir/ward-fake
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

if [ -z "$repo" ]; then
  repo=${keep:-$work/synthetic}
  synthetic=1
  echo "no --repo: generating a synthetic history of $commits commits (git fast-import)"
  git init -q --bare "$repo"
  secret=$("$fake" --seed 1 'token = ghp_%{crc62:30}')
  # A deterministic stream, edited the way source is: commit i changes two
  # lines of each of 3 files of 2000 (and now and then adds one), so git
  # stores most versions as deltas of each other, as in a real history.
  # Every 1000th commit adds the secret to one file; the next version of
  # that file drops it again.
  awk -v n="$commits" -v secret="$secret" '
    function emit(f, extra,   body, l) {
      body = "";
      for (l = 0; l < nl[f]; l++) body = body L[f, l] "\n";
      body = body extra;
      printf "M 100644 inline src/d%02d/f%04d.txt\ndata %d\n%s\n", f % 50, f, length(body), body;
    }
    BEGIN {
    srand(7);
    for (f = 0; f < 2000; f++) {
      nl[f] = 32;
      for (l = 0; l < 32; l++) L[f, l] = sprintf("line %d of file %d: %08x %08x", l, f, int(rand() * 2^31), int(rand() * 2^31));
    }
    for (i = 1; i <= n; i++) {
      print "commit refs/heads/main";
      print "mark :" i;
      print "committer bench <bench@example.com> " (1600000000 + i * 60) " +0000";
      msg = "commit " i; print "data " length(msg); print msg;
      if (i > 1) print "from :" (i - 1);
      if (i == 1) {
        for (f = 0; f < 2000; f++) emit(f, "");
        continue;
      }
      for (k = 0; k < 3; k++) {
        f = int(rand() * 2000);
        for (e = 0; e < 2; e++) {
          l = int(rand() * nl[f]);
          L[f, l] = sprintf("line %d of file %d, edited in commit %d: %08x", l, f, i, int(rand() * 2^31));
        }
        if (rand() < 0.3) { L[f, nl[f]] = sprintf("line %d of file %d, added in commit %d", nl[f], f, i); nl[f]++ }
        emit(f, (i % 1000 == 0 && k == 0) ? secret "\n" : "");
      }
    }
  }' | git -C "$repo" fast-import --quiet
  [ "$commits" -gt 100000 ] || git -C "$repo" gc -q
fi

ncommits=$(git -C "$repo" rev-list --all | wc -l)
nobjects=$(git -C "$repo" count-objects -v | awk '/^in-pack:/ {print $2}')
echo "repository: $repo ($ncommits commits, $nobjects packed objects)"
echo "machine: $(nproc) CPUs, $(uname -srm)"

# A run that fails is not a figure: the benchmark stops with its error.
# ward exits 1 when it finds something, which the planted secrets make the
# expected result; 2 (an error) or a signal fails.
fail_run() { # label, status
  echo "bench/git.sh: '$1' failed (exit status $2):" >&2
  tail -n 20 "$work/err" >&2
  exit 1
}
measure() { # label, highest good exit status, command...
  local label=$1 okmax=$2; shift 2
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || rc=$?
  [ "$rc" -le "$okmax" ] || fail_run "$label" "$rc"
  # (time prints "Command exited with non-zero status 1" first when ward
  # reports findings; the figures are on the last line)
  read -r secs user sys kib < <(tail -n 1 "$work/time")
  printf '%-44s %8.2f s wall %8.2f s CPU  %7.1f MiB peak RSS\n' "$label" "$secs" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
}

# Warm the page cache once so both runs read from memory.
git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null
measure "git cat-file --batch-all-objects (floor)" 0 \
  git -C "$repo" cat-file --batch-all-objects --batch --unordered
measure "ward git (all refs: a sweep, then the walk)" 1 "$ward" git --no-config -q "$repo"
measure "ward git -j1" 1 "$ward" git --no-config -q -j1 "$repo"
measure "ward git, the walk alone (WARD_GIT_SWEEP=0)" 1 env WARD_GIT_SWEEP=0 "$ward" git --no-config -q "$repo"

# Peers in the same run, where installed: gitleaks (8.19 and later have
# `gitleaks git`, older ones `gitleaks detect`) and trufflehog, neither
# packaged for Debian, each given at most $PEER_LIMIT seconds.
PEER_LIMIT=${PEER_LIMIT:-1800}
peer() { # label, command...
  local label=$1 rc=0; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" timeout "$PEER_LIMIT" "$@" >/dev/null \
    2>"$work/err" || rc=$?
  if [ "$rc" = 124 ]; then
    printf '%-44s did not finish in %s s\n' "$label" "$PEER_LIMIT"
  else
    read -r secs user sys kib < <(tail -n 1 "$work/time")
    printf '%-44s %8.2f s wall %8.2f s CPU  %7.1f MiB peak RSS (exit %s)\n' \
      "$label" "$secs" "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)" "$rc"
  fi
}
if command -v gitleaks >/dev/null; then
  if gitleaks git --help >/dev/null 2>&1; then
    peer "gitleaks git ($(gitleaks version 2>/dev/null))" gitleaks git --no-banner \
      --report-path "$work/gitleaks.json" "$repo"
  else
    peer "gitleaks detect ($(gitleaks version 2>/dev/null))" gitleaks detect --no-banner \
      --source "$repo" --report-path "$work/gitleaks.json"
  fi
else
  echo "gitleaks is not installed: not in this run"
fi
if command -v trufflehog >/dev/null; then
  peer "trufflehog git (no verification)" trufflehog git --no-verification --json \
    "file://$repo"
else
  echo "trufflehog is not installed: not in this run"
fi

# git-secrets (awslabs) is packaged for Debian: `git secrets --scan-history`
# searches every commit's diff (git log -G) with its three AWS patterns
# (ward runs 675 rules), in a --shared clone so the repository's own config
# is left alone; given at most $GS_LIMIT seconds.
GS_LIMIT=${GS_LIMIT:-1200}
if command -v git-secrets >/dev/null; then
  gs=$work/gs.git
  git clone -q --bare --shared "$repo" "$gs"
  git -C "$gs" secrets --register-aws >/dev/null
  PEER_LIMIT=$GS_LIMIT peer "git secrets --scan-history (AWS)" git -C "$gs" secrets --scan-history
else
  echo "git-secrets is not installed (Debian git-secrets): no peer in this run"
fi

# ward staged with a 10-file change staged on top of a repository of
# git/git's size (4,800 files in 48 folders).
st=$work/staged
git init -q "$st"
for d in $(seq 1 48); do
  mkdir -p "$st/d$d"
  for i in $(seq 1 100); do seq 1 40 | sed "s/^/folder $d file $i line /" >"$st/d$d/f$i.txt"; done
done
git -C "$st" add . && git -C "$st" commit -qm base
for i in $(seq 1 10); do echo "change $i" >>"$st/d$i/f$i.txt"; done
git -C "$st" add .
best=999999999
for run in 1 2 3 4 5; do
  s=$(date +%s%N)
  rc=0
  (cd "$st" && "$ward" staged --no-config -q) 2>"$work/err" || rc=$?
  [ "$rc" -le 1 ] || fail_run "ward staged" "$rc"
  e=$(date +%s%N)
  t=$(( (e - s) / 1000 ))
  [ $t -lt $best ] && best=$t
done
printf '%-44s %8.1f ms (best of 5)\n' "ward staged, 10 of 4,800 files" "$(echo "$best / 1000" | bc -l)"
echo
if [ -n "${synthetic:-}" ]; then
  echo "reproduce: bench/git.sh --bindir $bindir --commits $commits${keep:+ --keep DIR}"
else
  echo "reproduce: bench/git.sh --bindir $bindir --repo $repo"
fi
