/* linediff.h - which lines a change adds (linediff.c).  Private to libward.
 *
 * `ward staged` reports only findings on lines a commit adds, so it needs
 * the new side of a line diff with no context: Myers' algorithm, in linear
 * space, after the lines that occur on one side only are set aside (they
 * are changes whatever the alignment), as git's xdiff does. */
#ifndef WARD_LINEDIFF_H
#define WARD_LINEDIFF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ward_line_range {
    uint64_t first, last; /* 1-based, inclusive */
} ward_line_range;

/* The lines of b that a diff from a to b adds, as ranges in order, in a
 * malloc'd *r of *n (NULL and 0 when none).  A line is its bytes up to and
 * with its '\n'.  When the two differ too much for the search to be cheap,
 * every line of b in the region that differs counts as added (more is
 * reported, never less).  0, or -2 out of memory. */
int ward_added_lines(const char *a, size_t alen, const char *b, size_t blen,
                     ward_line_range **r, size_t *n);

#endif
