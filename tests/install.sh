#!/usr/bin/env bash
# `cmake --install` puts the program, the library, the header, ward.pc and
# ward(1) in place, and a program built against the installed library (via
# pkg-config, using only ward.h) runs.
#   tests/install.sh BUILD_DIR
set -eu
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/ward include/ward.h share/man/man1/ward.1; do
  [ -f "$prefix/$f" ] || { echo "missing $f"; exit 1; }
done
lib=$(find "$prefix" -name libward.a | head -1)
pc=$(find "$prefix" -name ward.pc | head -1)
[ -n "$lib" ] && [ -n "$pc" ] || { echo "missing libward.a or ward.pc"; exit 1; }
cat > "$prefix/hello.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <ward.h>
static int count(const ward_finding *f, void *n) { (void)f; ++*(int *)n; return 0; }
int main(void) {
    ward_engine *e; ward_scanner *s; int n = 0;
    char tok[64]; size_t len, so, sl; uint64_t seed = 1;
    if (ward_engine_new(NULL, &e, NULL, 0) || ward_scanner_new(e, &s)) return 1;
    ward_example_expand("key = npm_%{crc62:30}", &seed, tok, sizeof tok, &len, &so, &sl);
    ward_scan_buffer(s, tok, len, "x", count, &n);
    printf("%d finding(s) from %zu rules\n", n, ward_engine_rule_count(e));
    ward_scanner_free(s); ward_engine_free(e);
    return n == 1 ? 0 : 1;
}
C
# libward.so exports exactly the functions ward.h marks WARD_API
so=$(find "$prefix" -name 'libward.so*' -type f | head -1)
[ -n "$so" ] || { echo "missing libward.so"; exit 1; }
nm -D --defined-only "$so" | awk 'NF==3 && $2 ~ /[TtDdBbRrVvWw]/ {print $3}' | sort -u > "$prefix/exported"
grep -oE '^WARD_API [^(]*\bward_[a-z0-9_]+\(' "$prefix/include/ward.h" | grep -oE 'ward_[a-z0-9_]+\($' |
  tr -d '(' | sort -u > "$prefix/declared"
if ! diff "$prefix/declared" "$prefix/exported" >"$prefix/abi.diff"; then
  echo "libward.so exports differ from ward.h (< declared only, > exported only):"
  cat "$prefix/abi.diff"
  exit 1
fi
# libgit2 is loaded on first use (lib/git2_lazy.h), never linked: a scan
# outside a repository must not pay for mapping it and its dependencies
for f in "$so" "$prefix/bin/ward"; do
  if readelf -d "$f" | grep -q 'NEEDED.*libgit2'; then
    echo "$f links libgit2"
    exit 1
  fi
done
export PKG_CONFIG_PATH=$(dirname "$pc")
sed -i "s|^prefix=.*|prefix=$prefix|" "$pc"
# a sanitized build's library needs the sanitizers' runtime at link time
# (WARD_SANITIZE: ON for ASan + UBSan, thread for ThreadSanitizer)
san=""
case $(sed -n 's/^WARD_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt") in
  thread) san="-fsanitize=thread" ;;
  ON | on | 1 | TRUE | true | YES | yes) san="-fsanitize=address,undefined" ;;
esac
# shellcheck disable=SC2046,SC2086
cc $san -o "$prefix/hello" "$prefix/hello.c" $(pkg-config --cflags ward) \
  $(pkg-config --libs --static ward) -lm
LD_LIBRARY_PATH="$prefix/lib:$(dirname "$lib")" "$prefix/hello"
man -l "$prefix/share/man/man1/ward.1" 2>/dev/null | grep -q "ward scan" || grep -q 'ward scan' "$prefix/share/man/man1/ward.1"
echo "install ok"
