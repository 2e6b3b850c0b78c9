/* idset.h - a set of 20-byte object ids (idset.c).  Private to libward.
 *
 * Open addressing over the bare ids, three quarters full at most; object
 * ids are uniform already, so their first bytes are the hash.  An all-zero
 * slot is empty, and the all-zero id (which no object has, but a damaged
 * tree may name) is a flag of its own. */
#ifndef WARD_IDSET_H
#define WARD_IDSET_H

#include <stddef.h>

typedef struct ward_idset {
    unsigned char (*v)[20];
    size_t n, cap;
    int zero;
} ward_idset;

/* Adds id: 1 when it is new, 0 when held already, -1 out of memory. */
int ward_idset_put(ward_idset *s, const unsigned char *id);
int ward_idset_has(const ward_idset *s, const unsigned char *id);
void ward_idset_free(ward_idset *s);

#endif
