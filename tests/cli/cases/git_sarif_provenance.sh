# ward git --format sarif names the repository (versionControlProvenance):
# the origin remote without its credentials, HEAD's commit and branch; the
# results' paths are relative to it (uriBaseId SRCROOT). No remote: the
# folder's file: URI.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
git init -q -b main repo && cd repo
mkdir src && ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > src/a.env
git add . && git commit -qm one
git remote add origin https://deploy:hunter2hunter2@example.org/team/app.git
ward git --format sarif > out.sarif; echo "exit $?"
jq -c '.runs[0].versionControlProvenance' out.sarif
jq -c '.runs[0].results[0].locations[0].physicalLocation.artifactLocation' out.sarif
grep -c hunter2 out.sarif
git remote set-url origin git@example.org:team/app.git
ward git --format sarif | jq -r '.runs[0].versionControlProvenance[0].repositoryUri'
git remote remove origin
ward git --format sarif | jq -r '.runs[0].versionControlProvenance[0].repositoryUri' | sed "s#$(pwd -P)#REPO#"
git checkout -q --detach
ward git --format sarif | jq -c '.runs[0].versionControlProvenance[0] | has("branch")'
# ward scan at the root of the work tree names it too; from a subfolder not
ward scan --format sarif src | jq -c '.runs[0] | [has("versionControlProvenance"), .results[0].locations[0].physicalLocation.artifactLocation]'
(cd src && ward scan --format sarif . | jq -c '.runs[0] | has("versionControlProvenance")')
