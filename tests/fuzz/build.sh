#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (Debian: clang, libclang-rt-14-dev)
# and, with --run SECONDS, fuzzes each for that long on a scratch copy of its
# corpus.  Crashes land in the current folder; add minimised ones to
# tests/fuzz/corpus/TARGET/ so the suite replays them forever.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$top/build-fuzz}
secs=0
[ "${1:-}" = "--run" ] && secs=${2:-60}
mkdir -p "$out"
cmake -S "$top" -B "$out/lib" -DCMAKE_C_COMPILER=clang -DWARD_TESTS=OFF \
  -DCMAKE_C_FLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" >/dev/null
cmake --build "$out/lib" -j"$(nproc)" --target ward_static >/dev/null
libs="$out/lib/libward.a $(pkg-config --libs libhs libpcre2-8 libgit2 zlib) -lpthread -lm"
for t in toml validate scan config pack; do
  # shellcheck disable=SC2086
  clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$top/include" -I"$top/lib" \
    "$top/tests/fuzz/fuzz_$t.c" $libs -o "$out/fuzz_$t"
  echo "built $out/fuzz_$t"
  if [ "$secs" -gt 0 ]; then
    mkdir -p "$out/corpus-$t"
    "$out/fuzz_$t" -max_total_time="$secs" -max_len=8192 "$out/corpus-$t" "$top/tests/fuzz/corpus/$t"
  fi
done
