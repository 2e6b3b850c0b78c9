/* fuzz_validate.c - libFuzzer target for the offline validators and the
 * decoders beneath them.
 *
 * Validators run on attacker-controlled bytes from every scanned file, so
 * each one gets the raw input, exactly len bytes long (a heap copy of that
 * size, so ASan flags any read past it).  Cheap invariants are asserted as
 * well: every answer is one of the three values with a reason, and base64
 * that decodes re-encodes to the same text when it was canonical.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib \
 *       lib/codec.c lib/validate.c lib/example.c tests/fuzz/fuzz_validate.c -o fuzz_validate
 *   ./fuzz_validate -max_len=20000 corpus_dir tests/fuzz/corpus/validate
 */
#include "codec.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    if (!s) return 0;
    memcpy(s, data, size);

    size_t n = 0;
    const ward_validator *v = ward_validators(&n);
    for (size_t i = 0; i < n; i++) {
        const char *reason = NULL;
        ward_vresult r = v[i].fn(s, size, &reason);
        if ((r != WARD_V_NA && r != WARD_V_VALID && r != WARD_V_INVALID) || !reason)
            abort();
        if (strlen(reason) == 0) abort();
    }

    size_t cap = size / 4 * 3 + 3;
    unsigned char *out = malloc(cap);
    char *back = malloc(size + 4);
    if (out && back) {
        for (int url = 0; url < 2; url++) {
            long k = ward_base64_decode(s, size, url, out, cap);
            if (k < -1 || (k >= 0 && (size_t)k > cap)) abort();
            if (k >= 0) {
                /* A strict decoder accepts only canonical text: re-encoding
                 * (padded or not, as the input was) must give it back. */
                int padded = size > 0 && s[size - 1] == '=';
                long e = ward_base64_encode(out, (size_t)k, url, padded, back, size + 4);
                if (e != (long)size || memcmp(back, s, size) != 0) abort();
            }
            /* Too small a buffer is refused, never overrun. */
            if (k > 0 && ward_base64_decode(s, size, url, out, (size_t)k - 1) != -1) abort();
        }
        long kw = ward_base64_decode_ws(s, size, out, cap);
        if (kw < -1 || (kw >= 0 && (size_t)kw > cap)) abort();
    }
    free(out);
    free(back);

    int obj = ward_json_is_object(s, size);
    if (ward_json_has_key(s, size, "alg") && !obj) abort();

    uint64_t v62;
    (void)ward_base62_decode(s, size, &v62);
    double h = ward_entropy(s, size);
    if (h < 0.0 || h > 8.0 + 1e-9) abort();
    (void)ward_crc32(s, size);

    free(s);
    return 0;
}
