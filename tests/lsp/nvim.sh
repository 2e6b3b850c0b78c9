#!/usr/bin/env bash
# The Neovim client, headless: a file with a fake token (made now) gets a
# diagnostic and an overlay covering exactly the secret; :WardReveal removes
# the overlay, :WardMask restores it; deleting the token clears both; a
# :vimgrep quickfix list shows the secret masked, following :WardReveal and
# :WardMask, which also hold for buffers opened later.
#   nvim.sh BUILD_DIR      (exit 77 = skipped: no nvim)
set -u
bindir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v nvim >/dev/null; then echo "skipped: nvim is not installed"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
token=$("$bindir/ward-fake" --seed 7 'ghp_%{crc62:30}')
printf 'x = 1\nt = "\xc3\xa9\xf0\x9f\x98\x80" + "%s"\n' "$token" >"$tmp/app.py"
cd "$tmp" && HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp \
  WARD_BIN="$bindir/ward" WARD_TEST_TOKEN="$token" timeout 60 \
  nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$here/../../editors/nvim" \
  -c "luafile $here/nvim_test.lua" "$tmp/app.py" 2>&1 </dev/null
