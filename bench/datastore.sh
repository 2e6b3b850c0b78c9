#!/usr/bin/env bash
# bench/datastore.sh - an incremental re-scan with `ward git --datastore`:
# how long a re-scan takes after N new commits.  Not a test.
#
#   bench/datastore.sh [--bindir DIR] --repo PATH [--new N]
#
# Clones PATH (one branch, no tags) under $TMPDIR, moves the branch back
# until N commits (default 100) are new, scans that into a datastore, moves
# the branch to its tip again, and times the re-scan with hyperfine (each
# run from a copy of the first store), then a re-scan with nothing new.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindir=$here/../build
repo=
new=100
while [ $# -gt 0 ]; do
  case $1 in
    --bindir) bindir=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --new) new=$2; shift 2 ;;
    *) echo "usage: bench/datastore.sh [--bindir DIR] --repo PATH [--new N]" >&2; exit 2 ;;
  esac
done
[ -n "$repo" ] || { echo "bench/datastore.sh: --repo is needed (a clone of git.git)" >&2; exit 2; }
ward=$(cd "$bindir" && pwd)/ward
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --bare --single-branch --no-tags --no-local "$repo" "$work/repo.git"
branch=$(git -C "$work/repo.git" symbolic-ref --short HEAD)
tip=$(git -C "$work/repo.git" rev-parse HEAD)
k=1
while [ "$(git -C "$work/repo.git" rev-list --count "$tip~$k..$tip")" -lt "$new" ]; do k=$((k + 1)); done
git -C "$work/repo.git" update-ref "refs/heads/$branch" "$tip~$k"
echo "repository: $repo ($branch), $(git -C "$work/repo.git" rev-list --count "$tip") commits;" \
     "$(git -C "$work/repo.git" rev-list --count "$tip~$k..$tip") new after $tip~$k"
echo "first scan (everything):"
/usr/bin/time -f "  %e s wall, %U s user, %M KiB peak RSS" \
  "$ward" git -q --datastore "$work/base.db" "$work/repo.git" || [ $? = 1 ]
git -C "$work/repo.git" update-ref "refs/heads/$branch" "$tip"
echo "re-scan after the new commits (hyperfine, from a copy of the first store each time):"
hyperfine -N -i --runs 5 --prepare "sh -c 'rm -f $work/run.db*; cp $work/base.db $work/run.db'" \
  "$ward git --datastore $work/run.db $work/repo.git"
echo "re-scan with nothing new:"
hyperfine -N -i --runs 5 "$ward git --datastore $work/run.db $work/repo.git"
