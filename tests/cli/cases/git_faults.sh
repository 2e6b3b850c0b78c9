# ward git on damaged repositories (fault injection): a truncated pack, a
# flipped byte inside a blob's compressed data, a missing loose object, and
# a repository that git changes while ward scans it.  Each time: the damaged
# object is named on stderr, every other blob is still scanned (its finding
# printed), the exit status is 2 (1 when nothing is damaged), and nothing
# crashes.  Pack names and offsets are masked: they depend on git and zlib.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
mask() { sed -E 's/pack-[0-9a-f]{40}/pack-X/g; s/offset [0-9]+/offset N/g'; }
# Six commits, each adding a file with a token and 300 lines that do not
# compress into each other, so each blob is stored whole in a pack.
make_repo() { # dir
  git init -q "$1" && (cd "$1" && for i in 1 2 3 4 5 6; do
    { ward-fake --seed $i "GITHUB_TOKEN=ghp_%{crc62:30}"
      awk -v s=$i 'BEGIN { srand(s); for (l = 0; l < 300; l++)
        printf "line %d %08x %08x\n", l, int(rand() * 2^31), int(rand() * 2^31) }'; } > f$i.txt
    git add f$i.txt && git commit -qm "add f$i"; done)
}
scan() { # repo: findings, then errors, then the exit status
  ward git --no-config "$1" > out.txt 2> err.txt; rc=$?
  cut -d' ' -f1-2 out.txt
  mask < err.txt
  echo "exit $rc"
}
offset_of() { # repo pack blob-path: where the blob starts in the pack
  git -C "$1" show-index < "${2%.pack}.idx" | awk -v b="$(git -C "$1" rev-parse HEAD:"$3")" '$2 == b { print $1 }'
}

echo "== a truncated pack (f4-f6 packed, the pack cut inside its last object)"
make_repo trunc
for i in 4 5 6; do git -C trunc rev-parse HEAD:f$i.txt; done |
  git -C trunc pack-objects -q .git/objects/pack/pack > /dev/null
git -C trunc prune-packed
pack=$(ls trunc/.git/objects/pack/*.pack)
last=$(git -C trunc show-index < "${pack%.pack}.idx" | sort -n | tail -1 | cut -d' ' -f1)
chmod u+w "$pack" && truncate -s $((last + 40)) "$pack"
scan trunc

echo "== a flipped byte in the middle of f3's compressed data"
make_repo flip && git -C flip gc -q
pack=$(ls flip/.git/objects/pack/*.pack)
at=$(( $(offset_of flip "$pack" f3.txt) + 2000 ))
byte=$(od -An -tu1 -j "$at" -N1 "$pack" | tr -d ' ')
chmod u+w "$pack"
printf "$(printf '\\%03o' $((byte ^ 0x20)))" | dd of="$pack" bs=1 seek="$at" conv=notrunc status=none
scan flip

echo "== a missing loose object (f2's blob)"
make_repo loose
blob=$(git -C loose rev-parse HEAD:f2.txt)
rm -f "loose/.git/objects/${blob:0:2}/${blob:2}"
scan loose

echo "== the repository changes while ward scans it"
# 300 more commits on top, so that a scan takes a while; meanwhile git
# commits, amends, drops a commit and prunes it, gcs and repacks, thirty
# times.  Each scan must see the six tokens and end with status 1, or name
# an error and end with 2; never crash.
make_repo busy
branch=$(git -C busy symbolic-ref HEAD)
awk -v ref="$branch" -v from="$(git -C busy rev-parse HEAD)" 'BEGIN { srand(3);
  for (i = 1; i <= 300; i++) {
    print "commit " ref; print "committer t <t@example.com> " (1700000000 + i) " +0000";
    print "data 1"; print "c"; if (i == 1) print "from " from;
    body = ""; for (l = 0; l < 200; l++)
      body = body sprintf("line %d %08x %08x\n", l, int(rand() * 2^31), int(rand() * 2^31));
    printf "M 100644 inline g%d.txt\ndata %d\n%s\n", i % 20, length(body), body } }' |
  git -C busy fast-import --quiet
git -C busy reset -q --hard && git -C busy gc -q
( cd busy && for i in $(seq 1 30); do
    seq "$i" 2000 > n.txt && git add n.txt && git commit -qm "n$i"
    case $((i % 3)) in
      0) git repack -a -d -q ;;
      1) git reset -q --hard HEAD~1 && git reflog expire --expire=now --all && git gc -q --prune=now ;;
      2) git commit -q --amend -m "amended $i" ;;
    esac
  done ) &
bg=$!
runs=0 bad=0
while :; do
  ward git --no-config busy > out.txt 2> err.txt; rc=$?
  runs=$((runs + 1))
  n=$(grep -c '^f[1-6]\.txt:1:14: github-pat' out.txt)
  if [ $rc -ge 3 ] || [ "$n" != 6 ] || grep -qv '^ward: ' err.txt ||
     { [ $rc = 2 ] && [ ! -s err.txt ]; } || { [ $rc = 1 ] && [ -s err.txt ]; }; then
    bad=$((bad + 1)); echo "run $runs: exit $rc, $n of 6 tokens:"; head -5 err.txt
  fi
  kill -0 $bg 2> /dev/null || break
done
wait $bg
[ $runs -ge 1 ] && echo "scans during the changes: $bad wrong"
scan busy
