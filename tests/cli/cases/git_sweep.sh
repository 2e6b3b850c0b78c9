# A whole history is scanned by a sweep (every blob in pack order first,
# then a walk that reads only what may hold something, lib/sweep.h).  It
# must report exactly what the walk alone reports: every version of a
# secret, a copy at a new path, a merge, a removal, a binary blob, a
# submodule, two packs, and objects that are loose because they came last.
# WARD_GIT_SWEEP=1 fails rather than walk, so the first run did sweep.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
n=0
commit() { n=$((n + 1)); export GIT_AUTHOR_DATE="2024-01-$((10 + n))T10:00:00+0000" GIT_COMMITTER_DATE="2024-01-$((10 + n))T10:00:00+0000"; git add -A && git commit -qm "$1"; }
git init -q -b main repo && cd repo
tok=$(ward-fake --seed 21 'ghp_%{crc62:30}')
tok2=$(ward-fake --seed 22 'glpat-%{a62:20}')
tok3=$(ward-fake --seed 23 'xoxb-%{digit:11}-%{digit:12}-%{a62:24}')
mkdir -p src/deep docs
printf 'user=app\ntoken=%s\n' "$tok" > app.env
for i in $(seq 1 40); do echo "line $i of a file that never holds a secret" >> src/deep/clean.txt; done
printf 'PNG\0\1\2 token=%s\n' "$tok2" > docs/logo.png
commit 'first'
for v in 1 2 3; do echo "port=80$v" >> app.env; echo "edit $v" >> src/deep/clean.txt; commit "edit $v"; done
cp app.env src/deep/copy.env && commit 'copy'
git checkout -q -b feature
printf 'slack=%s\n' "$tok3" > docs/slack.txt && commit 'feature'
git checkout -q main
echo more >> src/deep/clean.txt && commit 'main moves'
git merge -q --no-edit feature
git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),vendor/lib" && git commit -qm submodule
sed -i '/^token=/d' app.env && commit 'remove the token from app.env'
git gc -q
printf 'again=%s\n' "$tok2" > late.txt && commit 'after the gc'
cp src/deep/copy.env src/app2.env && commit 'a copy, in a second pack'
git repack -q
echo "moved=1" >> src/deep/clean.txt && commit 'after the repack: loose objects'
ls .git/objects/pack/*.pack | wc -l
for mode in "" "--all-occurrences"; do
  WARD_GIT_SWEEP=1 ward git -v $mode -f json > ../swept.json 2> ../swept.err; echo "swept exit $?"
  WARD_GIT_SWEEP=0 ward git -v $mode -f json > ../walked.json 2> ../walked.err; echo "walked exit $?"
  jq -s length ../swept.json
  cmp ../swept.json ../walked.json && cmp ../swept.err ../walked.err && echo "same ${mode:-summaries}"
done
# With no memory for trees that wait for a subtree's digest, they are read
# again in rounds, in turn directions, instead of finished from records.
WARD_SWEEP_BUDGET=0 WARD_GIT_SWEEP=1 ward git -v -f json > ../rounds.json 2> ../rounds.err
WARD_GIT_SWEEP=0 ward git -v -f json > ../walked.json 2> ../walked.err
cmp ../rounds.json ../walked.json && cmp ../rounds.err ../walked.err && echo "same in rounds"
WARD_GIT_SWEEP=1 ward git -v; echo "exit $?"
echo "== a range cannot be swept"
WARD_GIT_SWEEP=1 ward git --since-commit HEAD~2; echo "exit $?"
