/* dapi_list_filter.c - sandbox list filtering/paging (see dapi_list_filter.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/json.h"
#include "../sandbox.h"
#include "dapi_list_filter.h"

int list_token_encode(int64_t ms, const char *id, bool asc, char *out, size_t n)
{
    char raw[160];
    int len = snprintf(raw, sizeof raw, "%lld_%s_%s", (long long)ms, id, asc ? "asc" : "desc");
    if (len < 0 || (size_t)len >= sizeof raw || n < (size_t)len * 2 + 1) return -1;
    for (int i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", (unsigned char)raw[i]);
    out[2 * len] = '\0';
    return 0;
}

int list_token_decode(const char *tok, int64_t *ms, char *id, size_t idn, bool *asc)
{
    char raw[160];
    size_t n = strlen(tok);
    if (n == 0 || n % 2 || n / 2 >= sizeof raw) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        char h[3] = {tok[2 * i], tok[2 * i + 1], 0};
        char *end;
        v = (unsigned)strtoul(h, &end, 16);
        if (*end || !((h[0] >= '0' && h[0] <= '9') || (h[0] >= 'a' && h[0] <= 'f')) ||
            !((h[1] >= '0' && h[1] <= '9') || (h[1] >= 'a' && h[1] <= 'f')) || v == 0)
            return -1;
        raw[i] = (char)v;
    }
    raw[n / 2] = '\0';
    char *u1 = strchr(raw, '_');
    char *u2 = u1 ? strrchr(raw, '_') : NULL;
    if (!u1 || u2 == u1) return -1;
    *u1 = *u2 = '\0';
    long long v;
    if (query_parse_int64(raw, &v) < 0) return -1;
    if (!ids_sandbox_valid(u1 + 1) || strlen(u1 + 1) >= idn) return -1;
    if (strcmp(u2 + 1, "asc") == 0)
        *asc = true;
    else if (strcmp(u2 + 1, "desc") == 0)
        *asc = false;
    else
        return -1;
    *ms = v;
    snprintf(id, idn, "%s", u1 + 1);
    return 0;
}

int list_filter_parse(struct list_filter *f, const struct query *q, bool v2, struct error *err)
{
    const char *v;

    memset(f, 0, sizeof f[0]);
    f->started_after_ms = INT64_MIN;
    f->limit = v2 ? 100 : LLONG_MAX; /* v1 answers every running sandbox at once, as E2B does */
    f->want_running = true;
    f->want_paused = v2; /* v1 lists running sandboxes only */
    /* present but empty is parsed too, and fails, as in the API (sandboxes_list.go) */
    if ((v = query_get(q, "metadata")) && query_parse_metadata(v, &f->metadata, err) < 0) {
        if (v2) return error_set(err, ERROR_USAGE, "Error parsing metadata");
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return error_set(err, ERROR_USAGE, "Error parsing metadata: %s", why);
    }
    if (!v2) return 0;
    if ((v = query_get(q, "state"))) {
        f->want_running = f->want_paused = false;
        char *copy = strdup(v), *save = NULL;
        if (!copy) return error_set(err, ERROR_GENERIC, "out of memory");
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (!strcmp(t, "running"))
                f->want_running = true;
            else if (!strcmp(t, "paused"))
                f->want_paused = true;
            else {
                free(copy);
                return error_set(err, ERROR_USAGE,
                                 "validation error: parameter \"state\": value is not one of "
                                 "the allowed values [\"running\",\"paused\"]");
            }
        }
        free(copy);
        if (!f->want_running && !f->want_paused) f->want_running = f->want_paused = true;
    }
    if ((v = query_get(q, "order"))) {
        if (!strcmp(v, "asc"))
            f->asc = true;
        else if (strcmp(v, "desc") != 0)
            return error_set(err, ERROR_USAGE, "Invalid order: must be asc or desc");
    }
    if ((v = query_get(q, "startedAfter"))) {
        int64_t ms;
        if (json_parse_time(v, &ms) < 0)
            return error_set(err, ERROR_USAGE,
                             "validation error: parameter \"startedAfter\" must be RFC 3339");
        f->started_after_ms = ms;
    }
    if ((v = query_get(q, "template"))) {
        if (strchr(v, ':'))
            return error_set(err, ERROR_USAGE, "Template tag is not supported in the filter");
        const char *name = strchr(v, '/') ? strchr(v, '/') + 1 : v;
        if (strcmp(name, "base") != 0) f->template_none = true;
    }
    if ((v = query_get(q, "limit"))) {
        long long l;
        if (query_parse_int64(v, &l) < 0 || l < 1 || l > 100)
            return error_set(err, ERROR_USAGE,
                             "validation error: parameter \"limit\" must be in [1, 100]");
        f->limit = l;
    }
    if ((v = query_get(q, "nextToken")) && *v) {
        bool asc;
        if (list_token_decode(v, &f->cursor_ms, f->cursor_id, sizeof f->cursor_id, &asc) < 0 ||
            asc != f->asc)
            return error_set(err, ERROR_USAGE, "Invalid next token");
        f->has_cursor = true;
    }
    return 0;
}

void list_filter_free(struct list_filter *f)
{
    query_free(&f->metadata);
}

bool list_filter_match(const struct list_filter *f, const struct sbx *s)
{
    if (f->template_none) return false;
    if (s->state == SBX_RUNNING ? !f->want_running : !f->want_paused) return false;
    if (f->started_after_ms != INT64_MIN && s->started_at_ms < f->started_after_ms) return false;
    for (size_t i = 0; i < f->metadata.n; i++) {
        const cJSON *v =
            s->metadata ? cJSON_GetObjectItemCaseSensitive(s->metadata, f->metadata.params[i].name)
                        : NULL;
        if (!cJSON_IsString(v) || strcmp(v->valuestring, f->metadata.params[i].value) != 0)
            return false;
    }
    return true;
}

/* Order: desc = newest first, ties by id asc; asc = oldest first, ties by id desc. */
static int cmp_pos(int64_t ams, const char *aid, int64_t bms, const char *bid, bool asc)
{
    if (ams != bms) return asc ? (ams < bms ? -1 : 1) : (ams > bms ? -1 : 1);
    int c = strcmp(aid, bid);
    return asc ? -c : c;
}

struct sort_ctx {
    const struct sbx *s;
};

static int cmp_desc(const void *a, const void *b)
{
    const struct sbx *x = *(const struct sbx *const *)a, *y = *(const struct sbx *const *)b;
    return cmp_pos(x->started_at_ms, x->id, y->started_at_ms, y->id, false);
}

static int cmp_asc(const void *a, const void *b)
{
    const struct sbx *x = *(const struct sbx *const *)a, *y = *(const struct sbx *const *)b;
    return cmp_pos(x->started_at_ms, x->id, y->started_at_ms, y->id, true);
}

cJSON *list_filter_run(const struct list_filter *f, struct sbx *const *v, size_t n,
                       cJSON *(*to_json)(const struct sbx *, bool), char *next, size_t next_n,
                       size_t *running_total)
{
    const struct sbx **m = calloc(n ? n : 1, sizeof *m);
    size_t k = 0, out = 0;
    cJSON *arr = cJSON_CreateArray();

    next[0] = '\0';
    *running_total = 0;
    if (!m || !arr) {
        free(m);
        cJSON_Delete(arr);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!list_filter_match(f, v[i])) continue;
        if (v[i]->state == SBX_RUNNING) (*running_total)++;
        m[k++] = v[i];
    }
    qsort(m, k, sizeof *m, f->asc ? cmp_asc : cmp_desc);
    for (size_t i = 0; i < k; i++) {
        if (f->has_cursor &&
            cmp_pos(m[i]->started_at_ms, m[i]->id, f->cursor_ms, f->cursor_id, f->asc) <= 0)
            continue;
        if ((long long)out == f->limit) {
            const struct sbx *last = m[i - 1];
            list_token_encode(last->started_at_ms, last->id, f->asc, next, next_n);
            break;
        }
        cJSON_AddItemToArray(arr, to_json(m[i], false));
        out++;
    }
    free(m);
    return arr;
}
