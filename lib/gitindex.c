/* gitindex.c - git's index file, read without libgit2 (see gitindex.h).
 *
 * "DIRC", a version and a count, then the entries: stat data, mode, id,
 * 16 bits of flags (the path's length up to 0xFFF, the stage), 16 more in
 * version 3 when the extended bit is set, and the path.  Versions 2 and 3
 * pad an entry with 1 to 8 NULs to a multiple of 8 bytes; version 4 writes
 * each path as how many bytes to drop from the previous one and what to
 * add.  Extensions follow, each a signature, a length and its data, and 20
 * bytes of checksum end the file.  Every read below is checked against
 * what is left, so a malformed file is an error, never an overread.
 */
#include "gitindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRY_FIXED 62u             /* stat data, mode, id and flags */
#define MAX_PATHS (256u << 20)      /* version 4 can make paths grow */
#define MAX_TREE_DEPTH 256

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(char *why, size_t whylen, const char *what)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", what);
    return -1;
}

/* git's "offset" varint (version 4 paths): 7 bits a byte, each
 * continuation adding one before the shift so that no value has two
 * encodings. */
static int varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    if (*p >= end)
        return -1;
    unsigned c = *(*p)++;
    uint64_t x = c & 127;
    while (c & 128) {
        if (*p >= end || x > (UINT64_MAX >> 8))
            return -1;
        c = *(*p)++;
        x = ((x + 1) << 7) | (c & 127);
    }
    *v = x;
    return 0;
}

static int path_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* ---------------------------------------------------------------------
 * The cache tree: per folder, its last component NUL-terminated, its
 * entry count in ASCII (-1 when invalid), a space, its number of
 * subfolders, a newline, and its id when valid; subfolders follow, the
 * whole in pre-order.
 * ------------------------------------------------------------------- */

typedef struct tree_parse {
    const unsigned char *p, *end;
    ward_cache_tree *nodes;
    size_t n, cap;
} tree_parse;

static int ascii_int(const unsigned char **p, const unsigned char *end, char stop, int64_t *v)
{
    int neg = 0;
    int64_t x = 0;
    if (*p < end && **p == '-') {
        neg = 1;
        (*p)++;
    }
    const unsigned char *start = *p;
    while (*p < end && **p >= '0' && **p <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return -1;
        x = x * 10 + (**p - '0');
        (*p)++;
    }
    if (*p == start || *p >= end || **p != stop)
        return -1;
    (*p)++;
    *v = neg ? -x : x;
    return 0;
}

static ward_cache_tree *tree_node(tree_parse *t, int depth)
{
    if (depth > MAX_TREE_DEPTH || t->n == t->cap)
        return NULL;
    ward_cache_tree *nd = &t->nodes[t->n++];
    const unsigned char *nul = memchr(t->p, 0, (size_t)(t->end - t->p));
    if (!nul)
        return NULL;
    nd->name = (const char *)t->p;
    nd->name_len = (size_t)(nul - t->p);
    t->p = nul + 1;
    int64_t nsub;
    if (ascii_int(&t->p, t->end, ' ', &nd->entries) || ascii_int(&t->p, t->end, '\n', &nsub) ||
        nsub < 0 || nd->entries < -1)
        return NULL;
    if (nd->entries >= 0) {
        if ((size_t)(t->end - t->p) < 20)
            return NULL;
        memcpy(nd->id, t->p, 20);
        t->p += 20;
    }
    ward_cache_tree **link = &nd->child;
    for (int64_t i = 0; i < nsub; i++) {
        ward_cache_tree *c = tree_node(t, depth + 1);
        if (!c)
            return NULL;
        *link = c;
        link = &c->next;
    }
    return nd;
}

static int parse_tree(ward_index *ix, const unsigned char *d, size_t len)
{
    /* a folder takes 5 bytes at least ("\0" "0 0\n"), which bounds their
     * number; names point into a copy of the extension, which the index keeps */
    unsigned char *copy = malloc(len + 1);
    tree_parse t = {copy, copy + len, NULL, 0, len / 5 + 1};
    t.nodes = calloc(t.cap, sizeof *t.nodes);
    if (!copy || !t.nodes) {
        free(copy);
        free(t.nodes);
        return -2;
    }
    memcpy(copy, d, len);
    ward_cache_tree *root = tree_node(&t, 0);
    if (!root || root->name_len) {
        free(copy);
        free(t.nodes);
        return 0; /* a cache tree is only a shortcut: without it, all is compared */
    }
    ix->nodes = t.nodes;
    ix->tree_data = copy;
    ix->tree = root;
    return 0;
}

/* ---------------------------------------------------------------------
 * Entries.
 * ------------------------------------------------------------------- */

int ward_index_parse(const unsigned char *data, size_t len, ward_index *out, char *why,
                     size_t whylen)
{
    memset(out, 0, sizeof *out);
    if (len < 12 + 20 || memcmp(data, "DIRC", 4))
        return fail(why, whylen, "not an index file");
    uint32_t version = be32(data + 4), count = be32(data + 8);
    if (version < 2 || version > 4)
        return fail(why, whylen, "an index version this reader does not take");
    const unsigned char *p = data + 12, *end = data + len - 20;
    if (count > (size_t)(end - p) / (ENTRY_FIXED + 2))
        return fail(why, whylen, "a malformed index (more entries than bytes)");
    size_t *off = malloc(((size_t)count + 1) * sizeof *off);
    out->e = calloc((size_t)count + 1, sizeof *out->e);
    size_t pcap = version == 4 ? 4096 : (size_t)(end - p) + 1, plen = 0;
    out->paths = malloc(pcap);
    if (!off || !out->e || !out->paths) {
        free(off);
        ward_index_free(out);
        return -2;
    }
    const char *bad = NULL;
    size_t prev = 0, prev_len = 0;
    for (uint32_t i = 0; i < count && !bad; i++) {
        if ((size_t)(end - p) < ENTRY_FIXED) {
            bad = "a malformed index (an entry past its end)";
            break;
        }
        const unsigned char *ent = p;
        ward_index_entry *e = &out->e[i];
        e->mode = be32(ent + 24);
        memcpy(e->id, ent + 40, 20);
        unsigned flags = (unsigned)ent[60] << 8 | ent[61];
        const unsigned char *name = ent + ENTRY_FIXED;
        if (flags & 0x4000) {
            if (version < 3 || (size_t)(end - p) < ENTRY_FIXED + 2) {
                bad = "a malformed index (extended flags)";
                break;
            }
            unsigned ext = (unsigned)ent[62] << 8 | ent[63];
            e->intent_to_add = (ext & 0x2000) != 0;
            name += 2;
        }
        if (flags & 0x3000) {
            bad = "a merge conflict in the index";
            break;
        }
        const unsigned char *suffix = name;
        uint64_t strip = 0;
        if (version == 4 && varint(&suffix, end, &strip)) {
            bad = "a malformed index (a path's length)";
            break;
        }
        const unsigned char *nul = memchr(suffix, 0, (size_t)(end - suffix));
        if (!nul) {
            bad = "a malformed index (a path without its end)";
            break;
        }
        size_t slen = (size_t)(nul - suffix);
        if (version == 4) {
            if (strip > prev_len) {
                bad = "a malformed index (a path's prefix)";
                break;
            }
            size_t keep = prev_len - (size_t)strip, need = plen + keep + slen + 1;
            if (need > MAX_PATHS) {
                bad = "an index whose paths are too long";
                break;
            }
            if (need > pcap) {
                while (pcap < need)
                    pcap *= 2;
                char *np = realloc(out->paths, pcap);
                if (!np) {
                    free(off);
                    ward_index_free(out);
                    return -2;
                }
                out->paths = np;
            }
            memmove(out->paths + plen, out->paths + prev, keep);
            memcpy(out->paths + plen + keep, suffix, slen);
            e->path_len = keep + slen;
            p = nul + 1;
        } else {
            /* 1 to 8 NULs pad the entry to a multiple of 8 bytes */
            size_t size = ((size_t)(name - ent) + slen + 8) & ~(size_t)7;
            if (size > (size_t)(end - ent)) {
                bad = "a malformed index (an entry past its end)";
                break;
            }
            memcpy(out->paths + plen, suffix, slen);
            e->path_len = slen;
            p = ent + size;
        }
        if ((flags & 0xFFF) != 0xFFF && (flags & 0xFFF) != e->path_len) {
            bad = "a malformed index (a path's length)";
            break;
        }
        out->paths[plen + e->path_len] = '\0';
        off[i] = plen;
        if (i > 0 && path_cmp(out->paths + prev, prev_len, out->paths + plen, e->path_len) >= 0)
            bad = "entries out of order (a split index, or a damaged one)";
        prev = plen;
        prev_len = e->path_len;
        plen += e->path_len + 1;
    }
    if (bad) {
        free(off);
        ward_index_free(out);
        return fail(why, whylen, bad);
    }
    out->n = count;
    for (uint32_t i = 0; i < count; i++)
        out->e[i].path = out->paths + off[i];
    free(off);
    /* Extensions: an upper-case first letter marks one a reader may
     * ignore; any other it must understand (a split index's "link"; a
     * sparse index's "sdir" is understood: see ward_index). */
    while ((size_t)(end - p) >= 8) {
        uint32_t size = be32(p + 4);
        const unsigned char *x = p + 8;
        if (size > (size_t)(end - x)) {
            ward_index_free(out);
            return fail(why, whylen, "a malformed index (an extension past its end)");
        }
        if (!memcmp(p, "sdir", 4)) {
            out->sparse = 1; /* folders may be entries of their own (mode 040000, "name/") */
        } else if (!memcmp(p, "TREE", 4) && !out->tree) {
            if (parse_tree(out, x, size)) {
                ward_index_free(out);
                return -2;
            }
        } else if (p[0] < 'A' || p[0] > 'Z') {
            char msg[96];
            snprintf(msg, sizeof msg, "an index extension this reader does not take ('%c%c%c%c')",
                     p[0] >= 32 && p[0] < 127 ? p[0] : '?', p[1] >= 32 && p[1] < 127 ? p[1] : '?',
                     p[2] >= 32 && p[2] < 127 ? p[2] : '?', p[3] >= 32 && p[3] < 127 ? p[3] : '?');
            ward_index_free(out);
            return fail(why, whylen, msg);
        }
        p = x + size;
    }
    if (p != end) {
        ward_index_free(out);
        return fail(why, whylen, "a malformed index (bytes after its extensions)");
    }
    return 0;
}

void ward_index_free(ward_index *ix)
{
    if (!ix)
        return;
    free(ix->e);
    free(ix->paths);
    free(ix->nodes);
    free(ix->tree_data);
    memset(ix, 0, sizeof *ix);
}
