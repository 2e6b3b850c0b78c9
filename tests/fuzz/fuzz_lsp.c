/* fuzz_lsp.c - the language server's framing and dispatch on arbitrary
 * bytes, in-process, output discarded.  The input is fed in two chunks
 * (split at a point chosen by the first byte) so partial headers and bodies
 * are exercised too.  The server must never crash, leak or read out of
 * bounds, whatever arrives.  Replayed by ctest (replay_lsp); to fuzz:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilsp \
 *     tests/fuzz/fuzz_lsp.c lsp/[a-z]*.c \
 *     build/libward.a -lcjson $(pkg-config --libs libhs libpcre2-8 libgit2) -lpthread -lm
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

static int discard(const char *buf, size_t len, void *user)
{
    (void)buf;
    (void)len;
    (void)user;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    lsp_options o = {0};
    o.no_config = 1;
    o.threads = 1;
    o.dry_run = 1;
    lsp_server *s = lsp_server_new(&o, discard, NULL, err, sizeof err);
    if (!s)
        abort();
    size_t cut = size ? (size_t)data[0] * size / 256 : 0;
    if (lsp_feed(s, (const char *)data, cut) == 0)
        lsp_feed(s, (const char *)data + cut, size - cut);
    lsp_server_free(s);
    return 0;
}
