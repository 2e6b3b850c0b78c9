#!/usr/bin/env bash
# Installs a real VS Code for tests/editor/vscode_e2e.sh: code-server (VS Code
# 1.99.3 served to a browser, from npm) and playwright-core (to drive Debian's
# chromium), into a cache outside the source tree, and prints the folder.
#
#   install-code-server.sh          install if needed; last line: the folder
#   WARD_E2E_CACHE=DIR ...          cache (default ~/.cache/ward-e2e)
#
# code-server's own install scripts download prebuilt binaries (ripgrep, some
# native modules), which this machine cannot fetch, so everything installs
# with --ignore-scripts and the steps of its postinstall.sh are done here:
# VS Code's production dependencies (pinned by its npm-shrinkwrap.json),
# Debian's rg in place of @vscode/ripgrep's download, and the native modules
# the server loads built with node-gyp against Node's headers in /usr/include/node
# (argon2 from source, node-pty, native-watchdog, spdlog, deviceid).
# @parcel/watcher needs no build: its Linux binary is an npm package.  Left
# out: kerberos (proxy authentication only) and the windows-* modules.
#
# Idempotent: a finished install leaves a stamp and a second run returns at
# once; a run that was interrupted starts again from scratch.  The folder's
# name carries the versions and Node's module ABI, so a new Node or a new pin
# installs beside the old one.  Needs node, npm, g++, make, python3 and rg
# (scripts/install-deps installs them) and the npm registry.
set -euo pipefail
cs_version=4.99.4
pw_version=1.64.1
cache=${WARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ward-e2e}
log() { echo "install-code-server: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in node npm g++ make python3 rg; do
  command -v $tool >/dev/null || die "'$tool' is not installed (scripts/install-deps installs it)"
done
[ -f /usr/include/node/node_api.h ] || die "no Node headers in /usr/include/node"
abi=$(node -p process.versions.modules)
dir=$cache/code-server-$cs_version-playwright-$pw_version-node-abi$abi
stamp=$dir/.installed
if [ -f "$stamp" ]; then echo "$dir"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # another run may be installing the same folder
if [ -f "$stamp" ]; then echo "$dir"; exit 0; fi

# node-gyp: on PATH (Debian's node-gyp package), else the one npm bundles.
gyp=$(command -v node-gyp || true)
if [ -z "$gyp" ]; then
  npm_dir=$(dirname "$(readlink -f "$(command -v npm)")")/..
  gyp=$npm_dir/node_modules/node-gyp/bin/node-gyp.js
  [ -f "$gyp" ] || die "node-gyp not found (apt-get install node-gyp)"
  gyp="node $gyp"
fi
# Against the installed Node's headers: node-gyp would otherwise download them.
build_native() { # module folder, log name, node-gyp arguments...
  local m=$1 name=$2; shift 2
  (cd "$m" && $gyp rebuild --nodedir=/usr --jobs=1 "$@") >"$dir/gyp-$name.log" 2>&1 ||
    { tail -20 "$dir/gyp-$name.log" >&2; die "building $name failed (log: $dir/gyp-$name.log)"; }
}
npm_install() { # log name, npm arguments...
  local name=$1; shift
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$@" >"$dir/npm-$name.log" 2>&1 ||
    { tail -20 "$dir/npm-$name.log" >&2; die "npm install ($name) failed (log: $dir/npm-$name.log)"; }
}

start=$(date +%s)
log "installing code-server $cs_version and playwright-core $pw_version into $dir"
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
printf '{ "private": true, "dependencies": { "code-server": "%s", "playwright-core": "%s" } }\n' \
  "$cs_version" "$pw_version" >package.json
npm_install top
cs=$dir/node_modules/code-server
vs=$cs/lib/vscode
[ -f "$vs/npm-shrinkwrap.json" ] || die "code-server's lib/vscode is missing"

# VS Code's own dependencies download while argon2 (code-server's password
# hashing, loaded at start even with --auth none) compiles; then VS Code's
# modules build, spdlog (the longest) first and with both jobs.
(cd "$vs" && npm_install vscode --omit=dev) & vscode_pid=$!
# Its binding.gyp takes node-pre-gyp's variables (package.json's "binary").
build_native "$dir/node_modules/argon2" argon2 --module_name=argon2 \
  --module_path="$dir/node_modules/argon2/lib/binding/napi-v3" --napi_build_version=3 & pids=($!)
wait $vscode_pid || die "VS Code's dependencies did not install"
build_native "$vs/node_modules/@vscode/spdlog" spdlog --jobs=2 & pids+=($!)
for m in node-pty native-watchdog @vscode/deviceid; do
  build_native "$vs/node_modules/$m" "${m##*/}" & pids+=($!)
done

# What code-server's postinstall.sh does besides installing.
ln -sfn node_modules "$vs/node_modules.asar"
ln -sfn code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vs/bin/helpers/browser.sh"
# VS Code's search (and extensions) run @vscode/ripgrep's bin/rg.
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
ln -sfn "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
for p in "${pids[@]}"; do wait "$p" || die "a native module did not build"; done

# Each module loads in this Node.
(cd "$vs" && node -e '
  for (const m of ["node-pty", "native-watchdog", "@vscode/spdlog", "@parcel/watcher", "@vscode/deviceid"])
    require(m);') || die "a native module does not load"
(cd "$dir" && node -e 'require("argon2"); require("playwright-core")') || die "argon2 or playwright-core does not load"
node "$cs/out/node/entry.js" --version >/dev/null || die "code-server does not run"
touch "$stamp"
log "installed in $(($(date +%s) - start)) s"
echo "$dir"
