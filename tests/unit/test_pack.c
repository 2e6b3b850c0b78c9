/* test_pack.c - ward's pack reader against libgit2's, object for object.
 *
 * A repository with many versions of a few files is repacked by git (deep
 * delta chains, with offset deltas, then with id deltas, then with an index
 * whose offsets all sit in the 64-bit table); every object is read by both
 * readers, with and without a cache, and must agree in type and content.
 * Hand-made deltas check each command and each way a delta can be wrong;
 * every single-byte change to a small pack must give an answer and never a
 * crash (the suite runs under ASan). */
#define _GNU_SOURCE
#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pack.h"

static char root[] = "/tmp/ward-pack-XXXXXX";

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096], full[4600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full,
             "cd '%s' && export GIT_CONFIG_NOSYSTEM=1 HOME='%s' GIT_AUTHOR_NAME=t "
             "GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t "
             "GIT_COMMITTER_EMAIL=t@example.com && (%s) >/dev/null 2>&1",
             root, root, cmd);
    return system(full);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Reads every object of the repository's single pack with ward's reader
 * (cache of cache_bytes) and with libgit2; returns how many agreed, and
 * counts disagreements as failures. */
static size_t compare_all(const char *repo, size_t cache_bytes)
{
    char objdir[512];
    snprintf(objdir, sizeof objdir, "%s/%s/.git/objects", root, repo);
    ward_packs *ps = ward_packs_open(objdir);
    CHECK(ps != NULL);
    if (!ps)
        return 0;
    CHECK_INT(ward_packs_count(ps), 1);
    ward_pack_reader *r = ward_pack_reader_new(ps, cache_bytes);
    git_repository *g = NULL;
    git_odb *odb = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, repo);
    CHECK_INT(git_repository_open(&g, path), 0);
    CHECK_INT(git_repository_odb(&odb, g), 0);
    size_t agreed = 0, n = ward_packs_objects(ps);
    for (size_t i = 0; i < n && r && odb; i++) {
        const unsigned char *id = ward_packs_object_id(ps, i);
        int type;
        unsigned char *data = NULL;
        size_t len;
        uint64_t size;
        char err[256] = "";
        int rc = ward_pack_read(r, id, 0, &type, &data, &len, &size, err, sizeof err);
        git_oid oid;
        git_oid_fromraw(&oid, id);
        git_odb_object *o = NULL;
        CHECK_INT(git_odb_read(&o, odb, &oid), 0);
        if (rc != WARD_PACK_OK)
            fprintf(stderr, "object %zu: rc %d: %s\n", i, rc, err);
        CHECK_INT(rc, WARD_PACK_OK);
        if (rc == WARD_PACK_OK && o) {
            int same = (int)git_odb_object_type(o) == type && git_odb_object_size(o) == len &&
                       !memcmp(git_odb_object_data(o), data, len) && data[len] == 0 &&
                       size == len;
            CHECK(same);
            agreed += same;
        }
        free(data);
        git_odb_object_free(o);
    }
    git_odb_free(odb);
    git_repository_free(g);
    ward_pack_reader_free(r);
    ward_packs_free(ps);
    return agreed;
}

/* How many objects `git verify-pack` says are deltas. */
static int deltas_in(const char *repo)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s/%s' && git verify-pack -v .git/objects/pack/pack-*.idx | "
             "awk 'NF >= 7 && length($1) == 40 {n++} END {print n + 0}'",
             root, repo);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void make_history(void)
{
    /* 40 commits over 6 files that grow and change a little each time: git
     * stores most versions as deltas of their neighbours. */
    CHECK_INT(sh("git init -q r && cd r && for c in $(seq 1 40); do "
                 "for f in 1 2 3 4 5 6; do mkdir -p d$f; "
                 "seq 1 $((c * 20 + f)) | sed \"s/^/line of file $f, commit $c: /\" "
                 "> d$f/file.txt; done; "
                 "git add -A && git commit -qm \"commit $c\"; done"),
             0);
}

static void test_offset_deltas_agree_with_libgit2(void)
{
    CHECK_INT(sh("cp -r r ofs && cd ofs && git repack -q -adf --depth=50 --window=50"), 0);
    int deltas = deltas_in("ofs");
    CHECK(deltas > 100); /* the chains are really exercised */
    size_t n = compare_all("ofs", 8u << 20);
    CHECK(n > 200);
    CHECK_INT(compare_all("ofs", 0), n); /* no cache: every chain from its base */
    CHECK_INT(compare_all("ofs", 4096), n); /* a cache that keeps evicting */
}

static void test_ref_deltas_agree_with_libgit2(void)
{
    CHECK_INT(sh("cp -r r ref && cd ref && "
                 "git -c repack.useDeltaBaseOffset=false repack -q -adf --depth=50 --window=50"),
              0);
    CHECK(deltas_in("ref") > 100);
    CHECK(compare_all("ref", 1u << 20) > 200);
}

static void test_large_offset_table(void)
{
    /* index-pack --index-version=2,OFF puts every offset above OFF in the
     * 64-bit table */
    CHECK_INT(sh("cp -r ofs big && cd big/.git/objects/pack && for p in pack-*.pack; do "
                 "rm -f ${p%%.pack}.idx && git index-pack --index-version=2,64 $p; done"),
              0);
    CHECK(compare_all("big", 1u << 20) > 200);
}

static void test_missing_object_and_outside_base(void)
{
    char objdir[512];
    snprintf(objdir, sizeof objdir, "%s/ofs/.git/objects", root);
    ward_packs *ps = ward_packs_open(objdir);
    ward_pack_reader *r = ward_pack_reader_new(ps, 1 << 20);
    unsigned char id[WARD_OID_RAWSZ];
    memset(id, 0xab, sizeof id);
    int type;
    unsigned char *data = NULL;
    size_t len;
    uint64_t size;
    CHECK_INT(ward_pack_read(r, id, 0, &type, &data, &len, &size, NULL, 0), WARD_PACK_NOT_FOUND);
    ward_pack_reader_free(r);
    ward_packs_free(ps);
    /* no pack directory at all: an empty set, not an error */
    ps = ward_packs_open("/nonexistent/objects");
    CHECK(ps != NULL);
    CHECK_INT(ward_packs_count(ps), 0);
    ward_packs_free(ps);
}

static void test_size_limit(void)
{
    char objdir[512];
    snprintf(objdir, sizeof objdir, "%s/ofs/.git/objects", root);
    ward_packs *ps = ward_packs_open(objdir);
    ward_pack_reader *r = ward_pack_reader_new(ps, 1 << 20);
    int big = 0, small = 0;
    for (size_t i = 0; i < ward_packs_objects(ps); i++) {
        int type;
        unsigned char *data = NULL;
        size_t len;
        uint64_t size = 0;
        int rc = ward_pack_read(r, ward_packs_object_id(ps, i), 5000, &type, &data, &len, &size,
                                NULL, 0);
        if (rc == WARD_PACK_TOO_BIG) {
            big++;
            CHECK(size > 5000);
            CHECK(data == NULL);
        } else {
            small++;
            CHECK_INT(rc, WARD_PACK_OK);
            CHECK(len <= 5000);
        }
        free(data);
    }
    CHECK(big > 0);
    CHECK(small > 0);
    ward_pack_reader_free(r);
    ward_packs_free(ps);
}

/* Every byte of a small pack changed in turn (and the pack cut short at
 * every length): each read answers, none crashes, and a change inside an
 * object's zlib data is never passed off as that object. */
static void test_damaged_packs(void)
{
    CHECK_INT(sh("git init -q s && cd s && for c in 1 2 3; do "
                 "seq 1 $((c * 30)) > a.txt && git add a.txt && git commit -qm c$c; done && "
                 "git repack -q -adf"),
              0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s/s/.git/objects/pack/pack-*.pack", root);
    FILE *p = popen(cmd, "r");
    char pack[512] = "", idx[512];
    if (p) {
        if (!fgets(pack, sizeof pack, p))
            pack[0] = '\0';
        pclose(p);
    }
    pack[strcspn(pack, "\n")] = '\0';
    snprintf(idx, sizeof idx, "%.*s.idx", (int)strlen(pack) - 5, pack);
    size_t plen = 0, ilen = 0;
    unsigned char *pk = slurp(pack, &plen), *ix = slurp(idx, &ilen);
    CHECK(pk && ix && plen > 100);
    if (!pk || !ix) {
        free(pk);
        free(ix);
        return;
    }
    ward_packs *good = ward_packs_from_memory(ix, ilen, pk, plen);
    CHECK(good != NULL);
    size_t n = ward_packs_objects(good);
    CHECK(n >= 9);
    unsigned char *copy = malloc(plen);
    int corrupt = 0, answers = 0;
    for (size_t at = 12; at < plen - 20; at++) {
        memcpy(copy, pk, plen);
        copy[at] ^= 0x5a;
        ward_packs *ps = ward_packs_from_memory(ix, ilen, copy, plen);
        ward_pack_reader *r = ps ? ward_pack_reader_new(ps, 1 << 16) : NULL;
        for (size_t i = 0; r && i < n; i++) {
            int type;
            unsigned char *data = NULL;
            size_t len;
            uint64_t size;
            char err[256];
            int rc = ward_pack_read(r, ward_packs_object_id(ps, i), 0, &type, &data, &len, &size,
                                    err, sizeof err);
            /* (a type changed to a delta by id names a base in no pack) */
            answers += rc == WARD_PACK_OK || rc == WARD_PACK_CORRUPT ||
                       rc == WARD_PACK_TOO_BIG || rc == WARD_PACK_NOT_FOUND;
            if (rc == WARD_PACK_CORRUPT) {
                corrupt++;
                CHECK(strstr(err, "offset") != NULL);
            }
            free(data);
        }
        ward_pack_reader_free(r);
        ward_packs_free(ps);
    }
    CHECK_INT(answers, (int)((plen - 32) * n));
    CHECK(corrupt > (int)(plen - 32)); /* a flip is noticed far more often than not */
    /* a pack cut short: a different length than the index expects, or
     * offsets past the end; never a read beyond the buffer */
    for (size_t cut = 0; cut < plen; cut += 7) {
        unsigned char *t = malloc(cut ? cut : 1);
        memcpy(t, pk, cut);
        ward_packs *ps = ward_packs_from_memory(ix, ilen, t, cut);
        ward_pack_reader *r = ps ? ward_pack_reader_new(ps, 0) : NULL;
        for (size_t i = 0; r && i < n; i++) {
            int type;
            unsigned char *data = NULL;
            size_t len;
            uint64_t size;
            ward_pack_read(r, ward_packs_object_id(ps, i), 0, &type, &data, &len, &size, NULL, 0);
            free(data);
        }
        ward_pack_reader_free(r);
        ward_packs_free(ps);
        free(t);
    }
    /* an index that does not match: wrong magic, wrong count */
    memcpy(copy, ix, 8);
    ix[0] = 'x';
    CHECK(ward_packs_from_memory(ix, ilen, pk, plen) == NULL);
    memcpy(ix, copy, 8);
    CHECK(ward_packs_from_memory(ix, ilen - 8, pk, plen) == NULL);
    ward_packs_free(good);
    free(copy);
    free(pk);
    free(ix);
}

static void test_delta_commands(void)
{
    const unsigned char base[] = "0123456789abcdef";
    unsigned char *out = NULL;
    size_t len = 0;
    /* src 16, dst 9: copy 4 bytes from offset 2, insert "xyz", copy 2 from 14 */
    const unsigned char d1[] = {16, 9, 0x91, 2, 4, 3, 'x', 'y', 'z', 0x91, 14, 2};
    CHECK_INT(ward_delta_apply(base, 16, d1, sizeof d1, 0, &out, &len), 0);
    CHECK_INT(len, 9);
    CHECK(out && !memcmp(out, "2345xyzef", 9) && out[9] == 0);
    free(out);
    /* a copy with no size bytes copies 0x10000 bytes */
    unsigned char *big = calloc(1, 0x10000);
    const unsigned char d2[] = {0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80};
    CHECK_INT(ward_delta_apply(big, 0x10000, d2, sizeof d2, 0, &out, &len), 0);
    CHECK_INT(len, 0x10000);
    free(out);
    free(big);
    /* each way to be wrong */
    const unsigned char bad[][12] = {
        {15, 4, 0x90, 4},          /* source size is not the base's */
        {16, 4, 0x91, 14, 4},      /* copy past the end of the base */
        {16, 4, 0x90, 5},          /* copy more than the target holds */
        {16, 4, 5, 'a', 'b'},      /* insert past the end of the delta */
        {16, 4, 0},                /* the reserved command */
        {16, 5, 0x90, 4},          /* target shorter than announced */
        {16, 4, 0x91},             /* copy with its operands cut off */
        {16, 0x80},                /* size varint cut off */
    };
    const size_t blen[] = {4, 5, 4, 5, 3, 4, 3, 2};
    for (size_t i = 0; i < sizeof blen / sizeof *blen; i++) {
        out = NULL;
        CHECK_INT(ward_delta_apply(base, 16, bad[i], blen[i], 0, &out, &len), -1);
        CHECK(out == NULL);
    }
    /* the target size is held to the limit before anything is allocated */
    const unsigned char huge[] = {16, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x90, 4};
    CHECK_INT(ward_delta_apply(base, 16, huge, sizeof huge, 1 << 20, &out, &len), -1);
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    git_libgit2_init();
    make_history();
    RUN(test_offset_deltas_agree_with_libgit2);
    RUN(test_ref_deltas_agree_with_libgit2);
    RUN(test_large_offset_table);
    RUN(test_missing_object_and_outside_base);
    RUN(test_size_limit);
    RUN(test_damaged_packs);
    RUN(test_delta_commands);
    git_libgit2_shutdown();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return check_summary();
}
