# Baselines work for ward git too: paths are relative to the repository, and
# the same secret in another file is new.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
git init -q repo && cd repo
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > a.env
git add . && git commit -qm one
ward git --baseline-write ../base.txt; echo "exit $?"
cat ../base.txt
ward git --baseline ../base.txt; echo "exit $?"
ward-fake --seed 7 'OTHER_TOKEN=ghp_%{crc62:30}' > b.env
git add . && git commit -qm two
ward git --baseline ../base.txt; echo "exit $?"
