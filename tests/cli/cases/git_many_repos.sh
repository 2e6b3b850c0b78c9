# ward git REPO...: several repositories in one report, each finding naming
# its repository (text prefixes it; JSON and SARIF carry "repository"); one
# that cannot be opened is reported and the others are still scanned.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
for r in one two; do
  git init -q -b main $r
  (cd $r && ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > .env && git add . && git commit -qm token)
done
git clone -q --bare one three.git
mkdir plain
echo "text:"
ward git one two/ three.git; echo "exit $?"
echo "json repositories:"
ward git -f json one two three.git | jq -r '[.repository, .path, .incident[0:8]] | join(" ")'
echo "sarif repositories:"
ward git -f sarif one two | jq -r '.runs[0].results[].properties.repository'
echo "a folder that is not a repository:"
ward git one plain two; echo "exit $?"
echo "--repo-name:"
ward git -f json --repo-name acme/one one | jq -r .repository
ward git --repo-name x one two; echo "exit $?"
echo "merged:"
ward git -f json one two > all.jsonl
ward report all.jsonl; echo "exit $?"
ward report --min-confidence high -f json all.jsonl | jq -r .repository
