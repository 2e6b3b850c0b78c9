/* fuzz_scan.c - the scanner on arbitrary bytes with the built-in catalog.
 * Checks the invariants every consumer relies on: spans inside the input,
 * positions 1-based and ordered, the secret a view of the input (or, when
 * it was found inside encoded text, its decoded copy). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

typedef struct ctx {
    const char *buf;
    size_t len;
    uint64_t last_offset;
} ctx;

static int check(const ward_finding *f, void *user)
{
    ctx *c = user;
    /* the secret is a view of the input, or for a secret found inside
     * encoded text (base64, %-encoding, escapes) its decoded copy */
    if (f->offset + f->length > c->len ||
        (f->encoding ? !f->secret || !f->secret_len : f->secret != c->buf + f->offset) ||
        f->match_offset > f->offset || f->match_offset + f->match_length < f->offset + f->length ||
        f->line < 1 || f->column < 1 || f->end_line < f->line || f->offset < c->last_offset ||
        strlen(f->fingerprint) != WARD_FINGERPRINT_LEN || f->line_col0 > f->line_len)
        abort();
    c->last_offset = f->offset;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ward_engine *e;
    static ward_scanner *s;
    if (!e && (ward_engine_new(NULL, &e, NULL, 0) || ward_scanner_new(e, &s)))
        abort();
    ctx c = {(const char *)data, size, 0};
    if (ward_scan_buffer(s, (const char *)data, size, "fuzz.txt", check, &c) != WARD_OK)
        abort();
    return 0;
}
