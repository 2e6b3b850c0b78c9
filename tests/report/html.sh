#!/usr/bin/env bash
# ward report -f html in headless Chromium: the page renders from one file
# (nothing fetched), its counts, incidents and timeline are in the DOM, the
# tables sort, no secret appears in clear, and a screenshot is kept in the
# test's output folder (OUTDIR/report.png) for people to look at.
#
#   tests/report/html.sh BINDIR OUTDIR
# Exit 77 (skipped) only when Chromium is not installed.
set -eu
bindir=$(cd "$1" && pwd)
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
export PATH="$bindir:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
fail() { echo "FAIL: $*"; exit 1; }

t1=$(ward-fake --seed 7 'ghp_%{crc62:30}')
t2=$(ward-fake --seed 8 'npm_%{crc62:30}')
commit() { GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2"; }
git init -q alpha && (
  cd alpha
  echo "GITHUB_TOKEN=$t1" > .env && git add . && commit '2023-01-05T10:00:00+0000' token
  echo "token: $t1" > config.yml && git add . && commit '2023-03-01T10:00:00+0000' config
  git rm -q .env && commit '2023-06-01T10:00:00+0000' 'remove .env'
  echo "npm: $t2" > b.txt && git add . && commit '2024-02-01T10:00:00+0000' npm
)
git init -q beta && (
  cd beta
  echo "key = \"$t1\"" > c.txt && git add . && commit '2024-05-01T10:00:00+0000' copy
)
ward git -q --datastore store.db alpha beta || [ $? = 1 ] || fail "ward git"
ward report --datastore store.db -f html > report.html 2>/dev/null || [ $? = 1 ] || fail "ward report"
cp report.html "$out/report.html"

# Self-contained: no external script, style, font or image.
grep -Eiq '<(script|link|img)[^>]*(src|href)=' report.html && fail "external resource"
grep -q 'https\?://' report.html && ! grep -q 'http://www.w3.org/2000/svg' report.html &&
  fail "a URL in the page"
# Never a secret in clear.
grep -qF "$t1" report.html && fail "secret 1 in clear"
grep -qF "$t2" report.html && fail "secret 2 in clear"

render() {
  "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    "$@" 2>/dev/null
}
render --dump-dom "file://$tmp/report.html" > dom.html
grep -q 'id="n-incidents">2<' dom.html || fail "incidents: $(grep -o 'id="n-incidents">[0-9]*' dom.html)"
grep -q 'id="n-findings">4<' dom.html || fail "findings: $(grep -o 'id="n-findings">[0-9]*' dom.html)"
grep -q 'id="n-repos">2<' dom.html || fail "repositories"
[ "$(grep -c '<g class="bar"' dom.html)" = 2 ] || fail "timeline bars"
[ "$(grep -c '<tr data-incident=' dom.html)" = 2 ] || fail "incident rows"
# alpha's .env was removed: its row says where; the other three are present.
tr -d '\n' < dom.html | grep -q '<code>\.env</code>.*<td class="removed">removed in <code>[0-9a-f]\{8\}</code>' ||
  fail "removed .env"
[ "$(grep -c '<td class="present">present</td>' dom.html)" = 5 ] || fail "present rows"
# By repository: alpha has 2 incidents, beta 1.
tr -d '\n' < dom.html | grep -o '<table class="sortable" id="by-repository">.*</table>' |
  grep -q '<td>alpha</td><td class="num" data-v="2">2</td>' || fail "counts by repository"

# Sorting: by paths, descending, puts the secret found in 3 places first;
# ascending, the npm token.
fp1=$(ward report --datastore store.db -f json 2>/dev/null | grep '"path":"c.txt"' |
      sed 's/.*"fingerprint":"\([0-9a-f]*\)".*/\1/')
[ -n "$fp1" ] || fail "no fingerprint"
first_incident() { grep -o '<tr data-incident="[0-9a-f]*"' | head -1 | cut -d'"' -f2; }
[ "$(render --dump-dom "file://$tmp/report.html#sort=incidents,4,desc" | first_incident)" = "$fp1" ] ||
  fail "sort by paths, descending"
[ "$(render --dump-dom "file://$tmp/report.html#sort=incidents,4" | first_incident)" != "$fp1" ] ||
  fail "sort by paths, ascending"

render --screenshot="$out/report.png" --window-size=1280,1000 "file://$tmp/report.html"
[ "$(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
  fail "no screenshot"
echo "ok: report in $out/report.html, screenshot $out/report.png"
