# ward git: each blob once, findings tied to the commit that introduced them;
# a secret added then deleted is still found; a rename reports nothing new.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
git init -q repo && cd repo
echo hello > a.txt && git add . && git commit -qm one
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > .env
git add . && git commit -qm 'add token'
git rm -q .env && git commit -qm 'remove token'
git mv a.txt b.txt && git commit -qm rename
ward-fake --seed 8 'npm: npm_%{crc62:30}' >> b.txt && git add . && git commit -qm npm
echo "text:"
ward git; echo "exit $?"
echo "json:"
ward git -f json; echo "exit $?"
echo "sarif properties:"
ward git -f sarif | grep -o '"properties":{[^}]*}'
echo "range HEAD~1..HEAD:"
ward git --range HEAD~1..HEAD; echo "exit $?"
echo "since-commit HEAD~1:"
ward git --since-commit HEAD~1 -q; echo "exit $?"
echo "branch HEAD~2 from outside:"
cd .. && ward git --branch HEAD~2 repo; echo "exit $?"
