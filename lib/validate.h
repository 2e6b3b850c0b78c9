/* validate.h - offline validators: structure that proves a token is real.
 *
 * A validator looks only at the secret's bytes.  WARD_V_VALID raises a
 * finding to high confidence; WARD_V_INVALID lowers it (a token whose
 * checksum fails is never high confidence); WARD_V_NA leaves it as it was. */
#ifndef WARD_VALIDATE_H
#define WARD_VALIDATE_H

#include <stddef.h>

typedef enum ward_vresult { WARD_V_NA = 0, WARD_V_VALID = 1, WARD_V_INVALID = 2 } ward_vresult;

typedef ward_vresult (*ward_validator_fn)(const char *secret, size_t len, const char **reason);

typedef struct ward_validator {
    const char *name;        /* as written in a rule's `validate = "..."` */
    ward_validator_fn fn;    /* sets *reason to a static phrase, e.g. "checksum valid" */
} ward_validator;

/* NULL when no validator has that name. */
const ward_validator *ward_validator_find(const char *name);
/* The table, for listing; *n gets its size. */
const ward_validator *ward_validators(size_t *n);

#endif
