#!/usr/bin/env bash
# The VS Code extension in a real VS Code: code-server 4.99.4 (VS Code
# 1.99.3, installed from npm by install-code-server.sh into a cache outside
# the source tree) in Debian's headless chromium, driven by playwright-core
# (vscode_e2e.js, which says what each step asserts).  The built .vsix (the
# `vscode` fixture: tests/lsp/vscode.sh build) is installed into a fresh
# profile; the workspace is a git repository with fake tokens made now by
# ward-fake, one of them committed and its file changed since, so the diff
# view has a committed side.  Screenshots of each step, the server's log and
# the driver's are kept in OUTDIR.
#
#   vscode_e2e.sh BUILD_DIR OUTDIR
# Exit 77 (skipped) only when node, npm or chromium is not installed;
# scripts/install-deps installs them, so under CI a skip fails the run.
set -eu
bindir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
for tool in node npm; do
  command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "skipped: chromium is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
vsix=$bindir/vscode/ward.vsix
[ -s "$vsix" ] || fail "no $vsix (the vscode fixture: tests/lsp/vscode.sh build $bindir)"
rm -f "$out"/*.png "$out"/*.log

t0=$(date +%s)
cs=$("$here/install-code-server.sh" | tail -1) || fail "installing code-server (see above)"
t_install=$(($(date +%s) - t0))
code_server=(node "$cs/node_modules/code-server/out/node/entry.js")

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  # code-server runs in a session of its own (setsid): its group holds the
  # extension host, the pty host, the file watcher and ward lsp.
  [ -n "$server_pid" ] && kill -- -"$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# A profile of its own: code-server writes its config, user data and
# extensions under HOME and the XDG folders.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export PATH=$bindir:$PATH
mkdir -p "$HOME" "$tmp/user/User" "$tmp/ext"

# The workspace: app.py's token is committed, then the file changes (its
# first line), so "Git: Open Changes" shows the token on both sides.
ws=$tmp/ws
token1=$(ward-fake --seed 7 'ghp_%{crc62:30}')
token2=$(ward-fake --seed 8 'npm_%{crc62:30}')
mkdir -p "$ws"
printf 'x = 1\nt = "%s"\nprint(t)\n' "$token1" >"$ws/app.py"
printf 'registry=https://registry.example.com/\n//registry.example.com/:_authToken=%s\n' \
  "$token2" >"$ws/deploy.npmrc"
(cd "$ws" && git init -q && git add app.py && git commit -qm 'app') || fail "git"
printf 'x = 2\nt = "%s"\nprint(t)\n' "$token1" >"$ws/app.py"
ward scan --no-config "$ws" >/dev/null 2>&1 && fail "ward finds nothing in the workspace"

cat >"$tmp/user/User/settings.json" <<EOF
{
  "ward.path": "$bindir/ward",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.openRepositoryInParentFolders": "always",
  "files.autoSave": "off",
  "diffEditor.renderSideBySide": true,
  "diffEditor.hideUnchangedRegions.enabled": false
}
EOF
"${code_server[@]}" --user-data-dir "$tmp/user" --extensions-dir "$tmp/ext" \
  --install-extension "$vsix" >"$out/install-extension.log" 2>&1 ||
  fail "installing $vsix: $(tail -5 "$out/install-extension.log")"

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
  console.log(s.address().port); s.close(); })')
setsid "${code_server[@]}" --auth none --bind-addr "127.0.0.1:$port" \
  --user-data-dir "$tmp/user" --extensions-dir "$tmp/ext" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened "$ws" \
  >"$out/code-server.log" 2>&1 </dev/null &
server_pid=$!
up=""
for _ in $(seq 1 300); do
  if node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1))
      .on("error", () => process.exit(1))' "http://127.0.0.1:$port/healthz"; then up=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$up" ] || fail "code-server did not start: $(tail -20 "$out/code-server.log")"
t_start=$(($(date +%s) - t0))

set +e
NODE_PATH=$cs/node_modules WARD_E2E_URL="http://127.0.0.1:$port/?folder=$ws" \
  WARD_E2E_BROWSER=$browser WARD_E2E_OUT=$out WARD_E2E_WS=$ws \
  WARD_E2E_TOKEN1=$token1 WARD_E2E_TOKEN2=$token2 \
  timeout 300 node "$here/vscode_e2e.js" 2>&1 | tee "$out/driver.log"
rc=${PIPESTATUS[0]}
set -e
echo "times: install ${t_install} s, code-server up at ${t_start} s, all $(($(date +%s) - t0)) s"
[ "$rc" = 0 ] || fail "see $out (screenshots, driver.log, code-server.log)"
echo "ok: screenshots in $out"
