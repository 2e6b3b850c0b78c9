# ward hook install: writes .git/hooks/pre-commit (or into core.hooksPath),
# refuses to overwrite without --force; the hook blocks a commit with a secret.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
ward hook install; echo "exit $?"
git init -q repo && cd repo
ward hook install; echo "exit $?"
cat .git/hooks/pre-commit
test -x .git/hooks/pre-commit && echo executable
ward hook install; echo "exit $?"
ward hook install --force; echo "exit $?"
ward hook; echo "exit $?"
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > a.env
git add a.env
git commit -qm secret; echo "commit exit $?"
git rev-list --all | wc -l
git config core.hooksPath .githooks
ward hook install; echo "exit $?"
test -x .githooks/pre-commit && echo executable
