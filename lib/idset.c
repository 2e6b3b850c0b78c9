/* idset.c - a set of 20-byte object ids (see idset.h). */
#include "idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char zero[20];

static size_t slot_of(const unsigned char *id, size_t cap)
{
    uint64_t h;
    memcpy(&h, id, sizeof h);
    return (size_t)h & (cap - 1);
}

static int grow(ward_idset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    unsigned char(*v)[20] = calloc(cap, 20);
    if (!v)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (!memcmp(s->v[i], zero, 20))
            continue;
        size_t j = slot_of(s->v[i], cap);
        while (memcmp(v[j], zero, 20))
            j = (j + 1) & (cap - 1);
        memcpy(v[j], s->v[i], 20);
    }
    free(s->v);
    s->v = v;
    s->cap = cap;
    return 0;
}

int ward_idset_put(ward_idset *s, const unsigned char *id)
{
    if (!memcmp(id, zero, 20)) {
        int fresh = !s->zero;
        s->zero = 1;
        return fresh;
    }
    if ((s->n + 1) * 4 > s->cap * 3 && grow(s) < 0)
        return -1;
    size_t j = slot_of(id, s->cap);
    for (; memcmp(s->v[j], zero, 20); j = (j + 1) & (s->cap - 1))
        if (!memcmp(s->v[j], id, 20))
            return 0;
    memcpy(s->v[j], id, 20);
    s->n++;
    return 1;
}

int ward_idset_has(const ward_idset *s, const unsigned char *id)
{
    if (!memcmp(id, zero, 20))
        return s->zero;
    if (!s->cap)
        return 0;
    for (size_t j = slot_of(id, s->cap); memcmp(s->v[j], zero, 20); j = (j + 1) & (s->cap - 1))
        if (!memcmp(s->v[j], id, 20))
            return 1;
    return 0;
}

void ward_idset_free(ward_idset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
