/* The database the generator itself links with: none, so it compiles one. */
#include <stddef.h>

const unsigned char ward_builtin_db[1];
const size_t ward_builtin_db_len = 0;
