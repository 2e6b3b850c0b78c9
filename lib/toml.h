/* toml.h - a small TOML v1.0 parser for rule catalogs and gitleaks configs.
 *
 * Parses a whole document into an immutable tree.  Supported: comments,
 * bare/quoted/dotted keys, [tables], [[arrays of tables]] (including nested
 * ones such as [[rules.allowlists]] and [rules.allowlist]), basic and literal
 * strings (single- and multi-line, all escapes including \uXXXX and
 * \UXXXXXXXX), integers (decimal, 0x, 0o, 0b, underscores), floats (incl. inf,
 * nan, exponents), booleans, arrays (multi-line, trailing comma, nested,
 * mixed), inline tables, and offset/local date-times kept as strings.
 * Errors are reported, never crashed on: duplicate keys, redefined tables,
 * bad escapes, invalid UTF-8, control characters, nesting deeper than
 * TOML_MAX_DEPTH.  Tables keep their keys in insertion order.
 *
 * Details: the depth cap counts every table and array on the path from the
 * root, including those made by [a.b.c] headers and dotted keys, so a
 * recursive walk of the tree is safe; a document may hold at most 1,000,000
 * values.  Date-times are validated and kept as their source text.  CRLF
 * inside multi-line strings becomes LF.  Floats too large for a double
 * become +-inf.  A key containing U+0000 (only possible through an escape)
 * reads truncated from ward_toml_key_at and cannot be found with ward_toml_get.  The
 * accessors accept NULL, which acts like an empty table (ward_toml_type_of says
 * TOML_TABLE, ward_toml_len is 0, lookups fail).  Each parse is independent; the
 * tree is read-only and may be shared between threads.
 */
#ifndef WARD_TOML_H
#define WARD_TOML_H

#include <stddef.h>
#include <stdint.h>

#define TOML_MAX_DEPTH 64

typedef enum toml_type {
    TOML_STRING, TOML_INT, TOML_FLOAT, TOML_BOOL, TOML_DATETIME,
    TOML_ARRAY, TOML_TABLE
} toml_type;

typedef struct toml_value toml_value;

/* Parses len bytes (need not be NUL-terminated).  Returns the root table, or
 * NULL with a message "line N: what is wrong" in err (errlen may be 0). */
toml_value *ward_toml_parse(const char *text, size_t len, char *err, size_t errlen);
void ward_toml_free(toml_value *root);

toml_type ward_toml_type_of(const toml_value *v);
unsigned ward_toml_line(const toml_value *v);        /* 1-based line of definition */

/* Tables: lookup by key (NULL when absent or v is not a table); iteration
 * in insertion order with ward_toml_len / ward_toml_key_at / ward_toml_value_at. */
const toml_value *ward_toml_get(const toml_value *table, const char *key);
size_t ward_toml_len(const toml_value *v);           /* entries of a table or array; 0 otherwise */
const char *ward_toml_key_at(const toml_value *table, size_t i);
const toml_value *ward_toml_value_at(const toml_value *table_or_array, size_t i);

/* Scalars: return 0 on success, -1 when the type does not fit. */
const char *ward_toml_str(const toml_value *v, size_t *len); /* NUL-terminated; NULL if not a string or datetime */
int ward_toml_int(const toml_value *v, int64_t *out);
int ward_toml_float(const toml_value *v, double *out);       /* ints are converted */
int ward_toml_bool(const toml_value *v, int *out);

#endif
