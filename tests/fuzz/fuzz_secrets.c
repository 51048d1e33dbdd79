/* fuzz_secrets.c - the secrets store's readers on arbitrary bytes: secrets.json as the store
 * reads it, and the bytes as a path selector and a name. No crash, no leak; every secret read
 * back has a valid id and a canonical name and is found again by both. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/secret_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct secret_store st;
    struct error err;
    memset(&st, 0, sizeof st);
    if (secret_store_parse(&st, (const char *)data, size, &err) == 0) {
        for (size_t i = 0; i < st.n; i++) {
            char canon[SECRET_NAME_MAX + 1];
            enum secret_rc rc;
            const struct secret *s = st.v[i];
            if (!secret_id_valid(s->id) || !secret_name_normalize(s->name, canon) ||
                strcmp(canon, s->name) != 0 || s->version < 1 || !s->metadata || !s->value)
                abort();
            if (secret_find(&st, s->id, &rc) != s || secret_find(&st, s->name, &rc) != s) abort();
            if (i > 0 && strcmp(st.v[i - 1]->id, s->id) >= 0) abort(); /* sorted, unique */
        }
        secret_store_close(&st);
    }
    char *sel = malloc(size + 1);
    if (!sel) return 0;
    memcpy(sel, data, size);
    sel[size] = '\0';
    char out[SECRET_NAME_MAX + 1];
    if (secret_name_normalize(sel, out) && (strlen(out) == 0 || strncmp(out, "sec_", 4) == 0))
        abort();
    memset(&st, 0, sizeof st);
    enum secret_rc rc;
    if (secret_find(&st, sel, &rc) != NULL || (rc != SECRET_INVALID && rc != SECRET_NOT_FOUND))
        abort();
    free(sel);
    return 0;
}
