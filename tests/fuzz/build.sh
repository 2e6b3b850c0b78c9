#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (Debian: clang, libclang-rt-14-dev)
# and, with --run SECONDS, fuzzes each for that long on a scratch copy of its
# corpus.  Crashes land in the current folder; add minimised ones to
# tests/fuzz/corpus/TARGET/ so the suite replays them forever.
#   tests/fuzz/build.sh [--run SECONDS] [TARGET...]   (default: every target)
# Extra libFuzzer flags come from FUZZ_FLAGS (e.g. FUZZ_FLAGS=-runs=10000000).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$top/build-fuzz}
secs=0
if [ "${1:-}" = "--run" ]; then secs=${2:-60}; shift 2 || shift; fi
targets=("$@")
# Every fuzz_*.c is a target: a new one cannot be forgotten here.
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$top"/tests/fuzz/fuzz_*.c; do t=${f##*/fuzz_}; targets+=("${t%.c}"); done
fi
mkdir -p "$out"
cmake -S "$top" -B "$out/lib" -DCMAKE_C_COMPILER=clang -DWARD_TESTS=OFF \
  -DCMAKE_C_FLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" >/dev/null
cmake --build "$out/lib" -j"$(nproc)" --target ward_static ward_lsp >/dev/null
libs="$out/lib/libward.a $(pkg-config --libs libhs libpcre2-8 zlib libdeflate) -lpthread -ldl -lm"
for t in "${targets[@]}"; do
  extra=""
  # The language server's target links its library and cJSON as well.
  [ "$t" = lsp ] && extra="-I$top/lsp $out/lib/libward_lsp.a $(pkg-config --libs libcjson)"
  # shellcheck disable=SC2086
  clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$top/include" -I"$top/lib" \
    "$top/tests/fuzz/fuzz_$t.c" $extra $libs -o "$out/fuzz_$t"
  echo "built $out/fuzz_$t"
  if [ "$secs" -gt 0 ]; then
    mkdir -p "$out/corpus-$t"
    # shellcheck disable=SC2086
    "$out/fuzz_$t" -max_total_time="$secs" -max_len=8192 ${FUZZ_FLAGS:-} \
      "$out/corpus-$t" "$top/tests/fuzz/corpus/$t"
  fi
done
