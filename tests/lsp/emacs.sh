#!/usr/bin/env bash
# The Emacs configuration (editors/emacs/ward.el, eglot), headless: a file
# with a fake token (made now) gets a Flymake diagnostic and ward's code
# actions; applying the ward:allow one clears it.
#   emacs.sh BUILD_DIR   (exit 77 = skipped: no emacs, or no eglot)
set -u
bindir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
command -v emacs >/dev/null || { echo "skipped: emacs is not installed"; exit 77; }
probe='(progn (let ((default-directory "/usr/share/emacs/site-lisp/elpa/"))
  (when (file-directory-p default-directory) (normal-top-level-add-subdirs-to-load-path)))
  (kill-emacs (if (require (quote eglot) nil t) 0 1)))'
emacs -Q --batch --eval "$probe" 2>/dev/null ||
  { echo "skipped: eglot is not available (Debian: elpa-eglot)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
token=$("$bindir/ward-fake" --seed 9 'ghp_%{crc62:30}')
printf 'x = 1\nt = "%s"\n' "$token" >"$tmp/app.py"
cd "$tmp" && HOME=$tmp WARD_BIN="$bindir/ward" WARD_TEST_TOKEN="$token" \
  WARD_EMACS_DIR="$here/../../editors/emacs" timeout 120 \
  emacs -Q --batch -l "$here/emacs_test.el" 2>&1 </dev/null | grep -v '^\[eglot\]\|^\[jsonrpc\]\|^Loading\|^Source file\|^Can.t guess'
exit "${PIPESTATUS[0]}"
