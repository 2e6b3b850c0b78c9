/* fuzz_pack.c - libFuzzer target for the pack reader (lib/pack.c).
 *
 * Input: one byte of mode, then for mode 0 a base and a delta (split at the
 * next byte's proportion) given to ward_delta_apply; otherwise a 4-byte
 * little-endian index length, the index, and the pack.  Every object the
 * index lists is read, with a small cache and without one, and must come
 * back with one of the reader's answers; a result must be as long as it
 * says.  Then the objects are read again in pack order (as ward git's sweep
 * reads them), and every tree's entries are parsed.  Each buffer is a heap copy of exactly its length, so ASan flags
 * any read past it.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib \
 *       lib/pack.c tests/fuzz/fuzz_pack.c -lz -o fuzz_pack
 *   ./fuzz_pack -max_len=20000 corpus_dir tests/fuzz/corpus/pack
 */
#define _GNU_SOURCE
#include "gitrepo.h"
#include "pack.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *dup_of(const uint8_t *p, size_t n)
{
    unsigned char *b = malloc(n ? n : 1);
    if (b && n)
        memcpy(b, p, n);
    return b;
}

static void read_all(const ward_packs *ps, size_t cache)
{
    ward_pack_reader *r = ward_pack_reader_new(ps, cache);
    if (!r)
        return;
    for (size_t i = 0; i < ward_packs_objects(ps); i++) {
        int type = 0;
        unsigned char *out = NULL;
        size_t len = 0;
        uint64_t sz = 0;
        char err[256];
        int rc = ward_pack_read(r, ward_packs_object_id(ps, i), 1 << 20, &type, &out, &len, &sz,
                                err, sizeof err);
        if (rc == WARD_PACK_OK) {
            if (!out || type < WARD_OBJ_COMMIT || type > WARD_OBJ_TAG || out[len] != 0 ||
                sz != len)
                abort();
            free(out);
        } else if (out || (rc != WARD_PACK_NOT_FOUND && rc != WARD_PACK_TOO_BIG &&
                           rc != WARD_PACK_CORRUPT && rc != WARD_PACK_NOMEM)) {
            abort();
        }
    }
    ward_pack_reader_free(r);
}

/* In pack order, as the sweep reads: the order must list every object
 * once, a search must find only what it looks for, and a tree must parse
 * or be called malformed. */
static void read_in_order(const ward_packs *ps)
{
    ward_pack_order o;
    if (ward_pack_order_build(ps, &o) < 0)
        return;
    if (o.n != ward_packs_objects(ps))
        abort();
    ward_pack_reader *r = ward_pack_reader_new(ps, 1 << 16);
    for (size_t k = 0; r && k < o.n; k++) {
        /* an index out of order (a damaged one) may hide an id from the
         * search, or list it twice; what is found must be that id */
        size_t back;
        const unsigned char *id = ward_pack_order_id(ps, &o, k);
        if (ward_pack_order_locate(ps, &o, id, &back) &&
            (back >= o.n || memcmp(ward_pack_order_id(ps, &o, back), id, WARD_OID_RAWSZ)))
            abort();
        int type = 0;
        unsigned char *out = NULL;
        size_t len = 0;
        uint64_t sz = 0;
        char err[256];
        int rc = ward_pack_read_order(r, &o, k, 1 << 20, &type, &out, &len, &sz, NULL, err,
                                     sizeof err);
        if (rc != WARD_PACK_OK)
            continue;
        if ((o.type[k] & 7) && (o.type[k] & 7) != type)
            abort(); /* the type the headers promised */
        ward_tree_entry e;
        size_t off = 0;
        int tr;
        while (type == WARD_OBJ_TREE && (tr = ward_tree_next(out, len, &off, &e)) > 0) {
            if (e.name + e.name_len > (const char *)out + len || e.id + 20 > out + len ||
                off > len || e.name[e.name_len] != '\0')
                abort();
        }
        free(out);
    }
    ward_pack_reader_free(r);
    ward_pack_order_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (data[0] == 0) {
        size_t cut = (size - 2) * data[1] / 255;
        unsigned char *base = dup_of(data + 2, cut), *delta = dup_of(data + 2 + cut, size - 2 - cut);
        unsigned char *out = NULL;
        size_t len = 0;
        if (base && delta &&
            ward_delta_apply(base, cut, delta, size - 2 - cut, 1 << 20, &out, &len) == 0) {
            if (!out || out[len] != 0)
                abort();
            free(out);
        }
        free(base);
        free(delta);
        return 0;
    }
    if (size < 5)
        return 0;
    size_t ilen = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)data[3] << 16 |
                  (size_t)data[4] << 24;
    if (ilen > size - 5)
        return 0;
    unsigned char *idx = dup_of(data + 5, ilen), *pack = dup_of(data + 5 + ilen, size - 5 - ilen);
    ward_packs *ps = idx && pack ? ward_packs_from_memory(idx, ilen, pack, size - 5 - ilen) : NULL;
    if (ps) {
        read_all(ps, 1 << 16);
        read_all(ps, 0);
        read_in_order(ps);
        ward_packs_free(ps);
    }
    free(idx);
    free(pack);
    return 0;
}
