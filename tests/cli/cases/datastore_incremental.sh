# ward git --datastore: the first scan reports everything; a re-scan reads
# only new commits and blobs and reports only new findings; --all and ward
# report print everything stored, one finding per secret and path with its
# versions; a removed secret is placed again after later scans.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
at() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1"; }
at '2024-01-02T03:04:05+0100'
git init -q -b main repo && cd repo
t1=$(ward-fake --seed 7 'ghp_%{crc62:30}')
echo hello > a.txt && git add . && git commit -qm one
echo "GITHUB_TOKEN=$t1" > .env && git add . && git commit -qm 'add token'
echo "# v2" >> .env && git add . && git commit -qm 'edit .env'
echo "first:"
ward git --datastore ../s.db; echo "exit $?"
echo "again, nothing new:"
ward git -v --datastore ../s.db; echo "exit $?"
at '2024-02-03T03:04:05+0100'
echo "# v3" >> .env && echo "token: $t1" > copy.yml && git add . && git commit -qm 'copy'
ward-fake --seed 8 'npm: npm_%{crc62:30}' > b.txt && git add . && git commit -qm npm
echo "two new commits:"
ward git -v --datastore ../s.db; echo "exit $?"
at '2024-03-04T03:04:05+0100'
git rm -q .env && git commit -qm 'remove .env'
echo "after removing .env:"
ward git --datastore ../s.db; echo "exit $?"
echo "--all, json:"
ward git --datastore ../s.db --all -f json | sed 's/"description".*"fingerprint"/.../'; echo "exit ${PIPESTATUS[0]}"
cd ..
echo "report:"
ward report --datastore s.db; echo "exit $?"
echo "bad uses:"
ward git --datastore s.db --range HEAD~1..HEAD repo; echo "exit $?"
ward git --datastore s.db --show-secrets repo; echo "exit $?"
ward git --all repo; echo "exit $?"
echo "not a datastore" > junk.db
ward report --datastore junk.db; echo "exit $?"
ward report --datastore absent.db; echo "exit $?"
ward report; echo "exit $?"
sqlite3 s.db 'PRAGMA user_version; SELECT status FROM scans; SELECT name FROM refs ORDER BY name;'
