/* What the generator itself links with: no database and no compiled
 * catalog, so it compiles the one and loads the catalog from its TOML. */
#include <stddef.h>

const unsigned char ward_builtin_db[1];
const size_t ward_builtin_db_len = 0;
const unsigned char ward_builtin_catalog[1];
const size_t ward_builtin_catalog_len = 0;
