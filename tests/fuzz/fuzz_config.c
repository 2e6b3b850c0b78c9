/* fuzz_config.c - configuration loading on arbitrary text: a bad config must
 * give an error, never a crash; a good one must give a working engine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

static int count(const ward_finding *f, void *user)
{
    (void)f;
    ++*(int *)user;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* Vectorscan compile time grows with pattern size */
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.config_text = (const char *)data;
    o.config_len = size;
    o.cache_dir = "";
    ward_engine *e;
    char err[256];
    if (ward_engine_new(&o, &e, err, sizeof err) != WARD_OK) {
        if (!memchr(err, '\0', sizeof err))
            abort();
        return 0;
    }
    ward_scanner *s;
    if (ward_scanner_new(e, &s))
        abort();
    int n = 0;
    ward_scan_buffer(s, (const char *)data, size, "config.toml", count, &n);
    ward_scanner_free(s);
    ward_engine_free(e);
    return 0;
}
