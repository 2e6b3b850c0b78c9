# libgit2 is loaded only when a repository is needed (lib/git2_lazy.h):
# never by --version, rules, redact, lsp or a scan outside any work tree
# (LD_DEBUG=files lists each library the loader maps), nor by `ward staged`
# (read by ward itself, lib/staged.c).  A scan of a work tree loads it and
# honours .gitignore.  When it cannot be loaded (WARD_LIBGIT2 names another
# file), ward git and hook say why and exit 2, and so does ward staged when
# made to use it (WARD_STAGED=libgit2); a scan outside a repository is
# unaffected, and a scan of a work tree goes on without .gitignore and says
# so.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
seen() {
  if LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -q 'file=libgit2'; then
    echo "libgit2 loaded: $*"
  else
    echo "libgit2 not loaded: $*"
  fi
}
mkdir plain
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > plain/a.env
seen ward --version
seen ward rules
seen ward scan plain/a.env
seen ward scan plain
seen ward scan --format sarif plain
echo 'token: none' | seen ward redact
seen ward lsp < /dev/null
git init -q repo && cd repo
echo 'build/' > .gitignore
mkdir build
ward-fake --seed 8 'GITHUB_TOKEN=ghp_%{crc62:30}' > build/ignored.env
ward-fake --seed 9 'GITHUB_TOKEN=ghp_%{crc62:30}' > kept.env
git add . && git commit -qm one
cd ..
seen ward scan repo
seen ward git repo
(cd repo && seen ward staged)
ward scan repo; echo "exit $?"
ward git repo; echo "exit $?"
echo "-- libgit2 cannot be loaded"
export WARD_LIBGIT2=nowhere/libgit2.so
ward scan plain; echo "exit $?"
ward scan --format sarif plain/a.env > /dev/null; echo "exit $?"
ward scan repo; echo "exit $?"
ward git repo; echo "exit $?"
(cd repo && ward staged; echo "exit $?")
(cd repo && WARD_STAGED=libgit2 ward staged; echo "exit $?")
(cd repo && ward hook install; echo "exit $?")
# a library that is not libgit2: the first function it lacks is named
WARD_LIBGIT2=libz.so.1 ward git repo 2>&1 | sed 's/has no git_[a-z0-9_]*/has no git_.../'
