#!/usr/bin/env bash
# Builds and runs bench/lsp_bench.c against a build tree (default: build/):
#   bench/lsp_bench.sh [BUILD_DIR] [EDITS]
# Prints p50/p99 didChange -> publishDiagnostics for a 1,000-line and a
# 500 KB document, the same 1,000-line edits during a workspace scan of
# LSP_BENCH_TREE (default /usr/share:/usr/include), the scan's time against
# `ward scan`, and the idle RSS of `ward lsp`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=$(cd "${1:-$top/build}" && pwd)
cmake --build "$b" --target ward ward_lsp >/dev/null
# shellcheck disable=SC2046
cc -O2 -g -I"$top/include" -I"$top/lsp" "$top/bench/lsp_bench.c" "$b/libward_lsp.a" \
  "$b/libward.a" $(pkg-config --libs libcjson libhs libpcre2-8 libgit2 zlib) -lpthread -lm \
  -o "$b/lsp_bench"
"$b/lsp_bench" "$b/ward" "${2:-2000}"
