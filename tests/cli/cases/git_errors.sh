# ward git: a clear message for each kind of trouble; a corrupt object is
# named and the scan goes on (exit 2 beats findings).
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
mkdir plain
ward git plain; echo "exit $?"
ward git nowhere; echo "exit $?"
git init -q repo && cd repo
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > a.env
ward-fake --seed 9 'GITHUB_TOKEN=ghp_%{crc62:30}' > b.env
git add . && git commit -qm one
ward git --branch nope; echo "exit $?"
ward git --range HEAD; echo "exit $?"
blob=$(git rev-parse HEAD:a.env)
f=.git/objects/${blob:0:2}/${blob:2}
chmod u+w "$f" && echo garbage > "$f"
ward git; echo "exit $?"
ward git --allow-errors -q; echo "exit $?"
