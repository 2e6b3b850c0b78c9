#!/usr/bin/env bash
# The VS Code client in the build tree (the source tree is never written):
#   vscode.sh build BUILD_DIR   npm ci, tsc, and a .vsix with @vscode/vsce
#   vscode.sh test BUILD_DIR    Node protocol tests (vscode-jsonrpc) against ward lsp,
#                               and the extension's logic against a fake vscode module
# Needs node and npm and the npm registry (or a warm npm cache); exits 77
# (skipped) when node or npm is missing.
set -eu
what=$1
bindir=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../../editors/vscode
dst=$bindir/vscode
for tool in node npm; do
  command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
case $what in
  build)
    rm -rf "$dst/src" && mkdir -p "$dst"
    cp -R "$src/src" "$src/package.json" "$src/package-lock.json" "$src/tsconfig.json" \
      "$src/.vscodeignore" "$dst/"
    cd "$dst"
    npm ci --no-audit --no-fund --loglevel=error
    npm run --silent compile
    npx --no-install vsce package --skip-license -o ward.vsix >/dev/null
    test -s ward.vsix
    echo "built $dst/ward.vsix"
    ;;
  test)
    test -d "$dst/node_modules" || { echo "run 'vscode.sh build' first"; exit 1; }
    WARD_BIN=$bindir/ward WARD_FAKE=$bindir/ward-fake VSCODE_DIR=$dst \
      node --test "$here/protocol.test.js" "$here/extension.test.js"
    ;;
esac
