/* fuzz_query.c - query-string parsing, the triple-decoded metadata filter and list tokens:
 * no crash, no NUL in any decoded name or value. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "query.h"
#include "api/dapi_list_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (!q->params[i].name || !q->params[i].value) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct query q, md;
    struct error err;
    struct list_filter f;
    char *copy = malloc(size + 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    if (query_parse(&q, copy, size, &err) == 0) {
        check(&q);
        const char *m = query_get(&q, "metadata");
        if (m && query_parse_metadata(m, &md, &err) == 0) {
            check(&md);
            query_free(&md);
        }
        if (list_filter_parse(&f, &q, true, &err) == 0 && f.limit > 100) abort();
        list_filter_free(&f);
        query_free(&q);
    }
    if (query_parse_metadata(copy, &md, &err) == 0) query_free(&md);
    int64_t ms;
    char id[80];
    bool asc;
    if (list_token_decode(copy, &ms, id, sizeof id, &asc) == 0 && !ids_sandbox_valid(id)) abort();
    long long v;
    query_parse_int64(copy, &v);
    free(copy);
    return 0;
}
