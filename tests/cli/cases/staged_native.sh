# ward staged reads the index, HEAD and objects itself (lib/staged.c); with
# WARD_STAGED=libgit2 the same comparison goes through libgit2.  Each step
# below prints ward's own answer (WARD_STAGED=native: it fails rather than
# hand over) and checks that libgit2's is the same, over: a first commit,
# nested folders and the cache tree, loose and packed objects and refs,
# index versions 3 and 4, renames (exact, edited, a folder), a file that
# becomes a folder, a binary file and one that becomes text, a symbolic
# link, a submodule, a mode change, a linked work tree, and detached HEAD.
# Then what it hands to libgit2 (alternates, a split index), a pre-commit
# hook under `git commit -a` and `git commit PATH`, which name their index
# in GIT_INDEX_FILE, a HEAD whose commit is missing, and a sparse index,
# which ward reads and libgit2 1.5 cannot.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
step() {
  echo "-- $1"
  WARD_STAGED=native ward staged -f json > native.out 2> native.err; n=$?
  WARD_STAGED=libgit2 ward staged -f json > lib.out 2> lib.err; l=$?
  sed 's/"fingerprint":"[0-9a-f]*",//; s/"entropy":[0-9.]*,//' native.out | cut -c1-120
  cat native.err
  echo "exit $n"
  if [ $n != $l ] || ! cmp -s native.out lib.out || ! cmp -s native.err lib.err; then
    echo "libgit2 differs (exit $l):"; cat lib.out lib.err
  fi
  rm -f native.out native.err lib.out lib.err
}
tok() { ward-fake --seed "$1" "GITHUB_TOKEN=ghp_%{crc62:30}"; }
lines() { for i in $(seq "$1" "$2"); do echo "line $i of some ordinary text"; done; }
git init -q repo && cd repo
mkdir -p src/a/b docs
lines 1 40 > src/a/b/deep.txt
tok 1 >> src/a/b/deep.txt
lines 1 10 > docs/readme.txt
git add .
step "first commit, nothing in HEAD yet"
git commit -qm one
step "nothing staged"
{ lines 1 20; tok 2; lines 21 40; tok 1; } > src/a/b/deep.txt
git add src
step "a line added in the middle of a nested file (the old secret is not new)"
git commit -qm two
git gc -q --aggressive 2>/dev/null; git pack-refs --all
step "packed objects and refs, nothing staged"
tok 3 >> docs/readme.txt
git add docs
step "packed HEAD, loose blob"
git update-index --index-version 4
step "index version 4"
git update-index --index-version 2
tok 4 > later.env
git add -N later.env
step "an intent-to-add entry (index version 3)"
git rm -q --cached later.env
git commit -qm three
git mv src/a/b/deep.txt src/moved.txt
step "an exact rename"
tok 5 >> src/moved.txt
git add src
step "a rename with an added line"
git commit -qm four
git mv src srcb
tok 6 > srcb/new.env
git add srcb
step "a folder moved, a file added in it"
git commit -qm five
git rm -q --cached docs/readme.txt
mkdir docs/readme.txt.d
tok 7 > docs/readme.txt.d/inside.env
rm docs/readme.txt
mv docs/readme.txt.d docs/readme.txt
git add -A docs
step "a file that becomes a folder"
git commit -qm six
{ printf 'bin\000ary\n'; tok 8; } > blob.bin
git add blob.bin
step "a binary file"
echo "--   and with --binary:"
WARD_STAGED=native ward staged --binary | cut -c1-60
git commit -qm seven
tok 17 > blob.bin && git add blob.bin
step "a binary file that becomes text (every line of it counts)"
git commit -qm seven-b
ln -s "$(tok 9 | cut -d= -f2)" link
git add link
step "a symbolic link (its target is its content)"
git commit -qm eight
chmod +x srcb/moved.txt && git add srcb
step "a mode change only"
git commit -qm nine
git init -q ../sub && (cd ../sub && tok 10 > s.env && git add . && git commit -qm s)
git -c protocol.file.allow=always submodule -q add ../sub sub 2>/dev/null
step "a submodule"
git commit -qm ten
git worktree add -q ../wt 2>/dev/null
(cd ../wt && tok 11 > wt.env && git add wt.env && step "a linked work tree")
git checkout -q --detach
tok 12 >> docs/readme.txt/inside.env && git add docs
step "detached HEAD"
git commit -qm eleven
echo "-- what ward hands to libgit2: borrowed objects (alternates), a split index"
git -c advice.detachedHead=false clone -q -s . ../shared && (cd ../shared && tok 13 > shared.env && git add shared.env &&
  { WARD_STAGED=native ward staged; echo "exit $?"; ward staged | cut -c1-60; echo "exit ${PIPESTATUS[0]}"; })
git update-index --split-index
tok 13 > split.env && git add split.env
# (the reason given depends on which entries the split index holds)
WARD_STAGED=native ward staged 2>&1 | sed -E 's/(libgit2 is needed): .*/\1/'; echo "exit ${PIPESTATUS[0]}"
ward staged; echo "exit $?"
git update-index --no-split-index && git reset -q
echo "-- the hook under git commit -a: the index to be committed is GIT_INDEX_FILE"
git checkout -q -b main2
ward hook install > /dev/null
tok 14 >> docs/readme.txt/inside.env
git commit -qam twelve 2>&1 | cut -c1-60; echo "commit exit ${PIPESTATUS[0]}"
WARD_STAGED=libgit2 git commit -qam twelve 2>&1 | cut -c1-60; echo "commit exit ${PIPESTATUS[0]}"
git checkout -q docs
tok 15 > partial.env && git add partial.env && git commit -qm partial --no-verify
tok 16 >> partial.env
git commit -q -m thirteen partial.env 2>&1 | cut -c1-60; echo "commit exit ${PIPESTATUS[0]}"
echo "-- HEAD names a commit that is not there: an error, not an empty history"
cd .. && git init -q broken && cd broken && tok 18 > a.env && git add a.env
git rev-parse HEAD >/dev/null 2>&1 || echo 0000000000000000000000000000000000000001 > .git/refs/heads/"$(git symbolic-ref --short HEAD)"
ward staged; echo "exit $?"
WARD_STAGED=native ward staged; echo "exit $?"
echo "-- a sparse index (a folder outside the cone is one entry, its tree): ward reads it, libgit2 cannot"
cd .. && git init -q sparse && cd sparse
mkdir -p in out/deep && lines 1 3 > in/a.txt && tok 19 > out/deep/b.env && lines 1 2 > out/c.txt
git add . && git commit -qm one
lines 1 1 > out/deep/b.env && git commit -qam two
git checkout -q --detach HEAD~1
git sparse-checkout init --cone --sparse-index && git sparse-checkout set in
git ls-files --sparse | sed 's/^/index: /'
tok 20 >> in/a.txt && git add in/a.txt
git reset -q --soft main 2>/dev/null || git reset -q --soft master
git diff --cached --stat | sed 's/^/git: /'
ward staged; echo "exit $?"
WARD_STAGED=libgit2 ward staged; echo "exit $?"
