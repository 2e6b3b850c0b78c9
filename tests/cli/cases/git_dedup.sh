# ward git reports a secret once per (rule, secret, path), however many
# versions of the file held it: with the commit that brought it in, the last
# commit that held it, how many versions did, and whether HEAD still holds
# it or which commit removed it.  The same secret at two paths is one
# incident (one fingerprint).
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
n=0
commit() { n=$((n + 1)); export GIT_AUTHOR_DATE="2024-01-0${n}T10:00:00+0000" GIT_COMMITTER_DATE="2024-01-0${n}T10:00:00+0000"; git add -A && git commit -qm "$1"; git rev-parse --short=8 HEAD > "../c$n"; }
git init -q -b main repo && cd repo
tok=$(ward-fake --seed 11 'ghp_%{crc62:30}')
printf 'user=app\ntoken=%s\n' "$tok" > app.env && commit 'add app.env'
for v in 1 2 3 4; do echo "port=80$v" >> app.env && commit "edit $v"; done
cp app.env copy.env && commit 'copy'
sed -i '/^token=/d' app.env && commit 'remove the token from app.env'
echo "commits: $(cat ../c1) add, $(cat ../c6) copy, $(cat ../c7) remove"
ward git; echo "exit $?"
ward git -f json | jq -c '[.path, .versions, .present, (.removed_in // "-")[:8], .last_commit[:8], .refs, (.incident == .fingerprint)]'
ward git -f json | jq -r .incident | sort -u | wc -l
