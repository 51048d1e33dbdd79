/* backend_e2b_list.c - a round's listing merged into the model (raw scan first, strict parser
 * for what changed), then the round's metrics; the team start rate from GET
 * /teams/{id}/metrics or our own count of new sandboxes.
 *
 * A round lists every running sandbox in one answer (GET /sandboxes, deprecated in the spec
 * but served by E2B cloud and boxtopd) and then the paused ones (GET /v2/sandboxes?state=
 * paused, pages of 100): at 10 000 sandboxes that is a few requests instead of 100 pages,
 * each of which had to wait for the one before (issue 22). The first round, and every round
 * against a server without the unpaged list (404/405/410) or one that pages it, lists through
 * /v2/sandboxes alone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b_int.h"
#include "fastscan.h"
#include "list_memo.h"

static void count_start(struct e2b_backend *b, int64_t started_ms)
{
    int64_t now = loop_wall_ms();
    if (!b->first_done || !started_ms || now - started_ms > 60000) return;
    if (b->nstarts == (int)(sizeof(b->starts) / sizeof(b->starts[0])))
        memmove(b->starts, b->starts + 1, sizeof(b->starts) - sizeof(b->starts[0]));
    else
        b->nstarts++;
    b->starts[b->nstarts - 1] = started_ms;
}

static double starts_per_min(struct e2b_backend *b)
{
    int64_t now = loop_wall_ms();
    int n = 0;
    for (int i = 0; i < b->nstarts; i++)
        if (now - b->starts[i] <= 60000) n++;
    return n;
}

/* Move a parsed string into the model (src is left NULL): the strings then stay where the
 * parser put them instead of being copied and freed, which at 10 000 new sandboxes left
 * megabytes of small holes in the heap. */
static void take_str(char **field, char **src)
{
    if (*field && *src && !strcmp(*field, *src)) return; /* unchanged: src is freed later */
    free(*field);
    *field = *src;
    *src = NULL;
}

/* The same result as box_clear_meta() + box_set_meta() for each pair (a repeated key updates
 * the first one's value), with the parsed strings moved rather than copied. */
static void take_meta(struct box *s, struct kv_list *md)
{
    box_clear_meta(s);
    if (md->n <= 0) return;
    struct box_kv *v = malloc((size_t)md->n * sizeof(*v));
    if (!v) return;
    int k = 0;
    for (int i = 0; i < md->n; i++) {
        struct kv *it = &md->items[i];
        if (!it->key) continue;
        if (!it->value && !(it->value = strdup(""))) continue;
        int j = 0;
        while (j < k && strcmp(v[j].key, it->key))
            j++;
        if (j < k) { /* a repeated key */
            free(v[j].value);
            v[j].value = it->value;
            it->value = NULL;
            continue;
        }
        v[k].key = it->key;
        v[k].value = it->value;
        it->key = it->value = NULL;
        k++;
    }
    s->meta = v;
    s->n_meta = k;
}

static struct box *merge_sandbox(struct e2b_backend *b, struct sandbox *src, struct obj_sig sig)
{
    struct model *m = b->base.model;
    int is_new = model_find(m, src->id) == NULL;
    struct box *s = model_upsert(m, src->id);
    if (!s) return NULL;
    if (is_new) count_start(b, src->started_at_ms);
    take_str(&s->template_id, &src->template_id);
    take_str(&s->alias, &src->alias);
    take_str(&s->envd_version, &src->envd_version);
    s->state = src->state == SANDBOX_PAUSED    ? BOX_PAUSED
               : src->state == SANDBOX_RUNNING ? BOX_RUNNING
                                               : BOX_UNKNOWN;
    s->cpu_count = src->cpu_count;
    s->memory_mb = src->memory_mb;
    s->disk_mb = src->disk_size_mb;
    s->started_ms = src->started_at_ms;
    s->end_ms = src->end_at_ms;
    take_meta(s, &src->metadata);
    b->listed += s->seen != b->round;
    s->seen = b->round;
    s->list_hash = sig.hash;
    s->list_len = sig.len;
    return s;
}

/* Team figures from GET /teams/{id}/metrics (E2B cloud and boxtopd): the latest sandbox start
 * rate. Without a team id, or when the endpoint fails, the header uses our own count of new
 * sandboxes seen in the last minute instead. */
static void on_team(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->team_call = NULL;
    if (res->err.kind != ERROR_NONE || res->team.n == 0) {
        b->team_dead = res->err.kind != ERROR_NONE && res->err.kind != ERROR_NETWORK;
        return;
    }
    /* Starts over the last minute: each bucket's rate times its width, summed over the
     * buckets that overlap that minute. The latest bucket's rate times 60 would read one
     * start in a 5 s bucket as 12 a minute. The width is the spacing of the buckets; with a
     * single bucket it is unknown, and our own count of new sandboxes stands. */
    int64_t now_s = loop_wall_ms() / 1000, step = 0;
    for (int i = 1; i < res->team.n; i++) { /* the series comes in time order */
        int64_t d = res->team.items[i].ts - res->team.items[i - 1].ts;
        if (d < 0) d = -d;
        if (d > 0 && (!step || d < step)) step = d;
    }
    if (!step) return;
    double starts = 0;
    for (int i = 0; i < res->team.n; i++)
        if (res->team.items[i].ts + step > now_s - 60 && res->team.items[i].ts <= now_s)
            starts += res->team.items[i].start_rate * (double)step;
    b->team_ok = 1;
    b->base.model->starts_per_min = (double)(long long)(starts + 0.5);
    model_touch(b->base.model);
    backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
}

static void team_fetch(struct e2b_backend *b)
{
    if (!b->team_id || b->team_dead || b->team_call || !b->api) return;
    int64_t now_s = loop_wall_ms() / 1000;
    b->team_call = api_team_metrics(b->api, b->team_id, now_s - 300, now_s, on_team, b);
}

/* One list page, read raw: objects are sorted into unchanged sandboxes (same bytes as last
 * time) and changed or new ones, which are collected into a JSON array for the strict parser
 * and merged a hundred at a time (MERGE_CHUNK). */
struct page_scan {
    struct e2b_backend *b;
    struct box **same;
    int nsame, cap;
    struct buf changed;   /* "[obj,obj" */
    struct obj_sig *sigs; /* of the changed objects, in order */
    int nchanged, sigcap;
    struct box **merged; /* the changed ones merged so far */
    int nmerged, mcap, nparsed;
    int partial;       /* a merged sandbox was not recorded (no memory): the page is not memoised */
    struct box *known; /* the sandbox known_object() recognised, for on_list_object() */
};

/* Changed objects go through the strict parser a page's worth at a time: the one answer of
 * every running sandbox (GET /sandboxes) holds thousands of new ones in a first round or
 * after a burst of creates, and one cJSON tree of 10 000 sandboxes is some 15 MiB. */
#define MERGE_CHUNK 100

/* Parse and merge the collected changed objects; -1 when the strict parser refuses one (the
 * caller then reads the whole page strictly, which names the problem). */
static int flush_changed(struct page_scan *ps)
{
    if (!ps->nchanged) return 0;
    struct sandbox_list l = {0};
    struct error err = {0};
    int rc = -1;
    if (buf_append_byte(&ps->changed, ']') == 0 &&
        sandbox_list_parse(ps->changed.data, ps->changed.len, &l, &err) == 0 &&
        l.n == ps->nchanged && GROW_INT(ps->merged, ps->mcap, ps->nmerged + l.n) == 0) {
        for (int i = 0; i < l.n; i++) {
            struct box *s = merge_sandbox(ps->b, &l.items[i], ps->sigs[i]);
            if (!s || !s->list_hash)
                ps->partial = 1;
            else
                ps->merged[ps->nmerged++] = s;
        }
        ps->nparsed += l.n;
        rc = 0;
    }
    sandbox_list_free(&l);
    buf_reset(&ps->changed);
    ps->nchanged = 0;
    return rc;
}

/* The sandbox an object of the list is about. Listings come in the same order every round
 * and the model keeps the order they were first listed in, so the next sandbox of the model
 * is tried before the hash index (whose lookups are cache misses at 10 000 sandboxes); a
 * miss finds it through the index and continues from there. */
static struct box *listed_box(struct e2b_backend *b, const char *id, size_t len)
{
    struct model *m = b->base.model;
    if (b->cursor >= 0 && b->cursor < m->n) {
        const char *c = m->sb[b->cursor]->id;
        if (!strncmp(c, id, len) && c[len] == '\0') return m->sb[b->cursor++];
    }
    char key[256];
    if (len >= sizeof(key)) return NULL; /* no sandbox has such an id */
    memcpy(key, id, len);
    key[len] = '\0';
    int i = model_index_of(m, key);
    b->cursor = i < 0 ? b->cursor : i + 1;
    return i < 0 ? NULL : m->sb[i];
}

/* The object at p when it is, byte for byte, the one the next sandbox in listing order had
 * last round (same length and hash): then it is not read at all, only hashed. */
static size_t known_object(const char *p, size_t avail, void *ud)
{
    struct page_scan *ps = ud;
    struct model *m = ps->b->base.model;
    int i = ps->b->cursor;
    ps->known = NULL;
    if (i < 0 || i >= m->n) return 0;
    struct box *s = m->sb[i];
    /* the next sandbox's fields arrive while this object is hashed (a cache miss each) */
    if (i + 1 < m->n) __builtin_prefetch(&m->sb[i + 1]->list_hash);
    size_t n = s->list_len;
    if (!s->list_hash || n < 2 || n > avail || p[n - 1] != '}' ||
        (scan_hash(p, n) | 1) != s->list_hash)
        return 0;
    ps->known = s;
    ps->b->cursor++;
    return n;
}

static int on_list_object(const struct scan_obj *o, void *ud)
{
    struct page_scan *ps = ud;
    if (!o->id && ps->known) {
        if (GROW_INT(ps->same, ps->cap, ps->nsame + 1)) return -1;
        ps->same[ps->nsame++] = ps->known;
        ps->known = NULL;
        return 0;
    }
    uint64_t h = scan_hash(o->p, o->len) | 1; /* never 0, which means "none" */
    if (o->id && !memchr(o->id, '\0', o->id_len)) {
        struct box *s = listed_box(ps->b, o->id, o->id_len);
        if (s && s->list_hash == h) {
            if (GROW_INT(ps->same, ps->cap, ps->nsame + 1)) return -1;
            ps->same[ps->nsame++] = s;
            return 0;
        }
    }
    if (GROW_INT(ps->sigs, ps->sigcap, ps->nchanged + 1)) return -1;
    ps->sigs[ps->nchanged++] = (struct obj_sig){h, o->len > UINT32_MAX ? 0 : (uint32_t)o->len};
    if (buf_append_byte(&ps->changed, ps->changed.len ? ',' : '[') < 0 ||
        buf_append(&ps->changed, o->p, o->len) < 0)
        return -1;
    return ps->nchanged == MERGE_CHUNK ? flush_changed(ps) : 0;
}

/* Merge page k of the round into the model; 0, or -1 with err as the strict parser of the
 * page gives it. *items = the number of sandboxes the page held. A page that came back as it
 * was last round is taken as it is (list_memo.h); a page merged on the fast path is recorded
 * for the next round. */
static int merge_page(struct e2b_backend *b, int k, const char *body, size_t len, int *items,
                      struct error *err)
{
    *items = 0;
    int cursor;
    if (list_memo_take(&b->memo, k, body, len, b->base.model, b->round, &b->listed, items,
                       &cursor)) {
        b->cursor = cursor;
        return 0;
    }
    struct page_scan ps = {0};
    ps.b = b;
    ps.changed = (struct buf)BUF_INIT;
    struct sandbox_list l = {0};
    int rc = -1;
    if (scan_list_objects_known(body, len, known_object, on_list_object, &ps) == 0 &&
        flush_changed(&ps) == 0) {
        for (int i = 0; i < ps.nsame; i++) {
            b->listed += ps.same[i]->seen != b->round;
            ps.same[i]->seen = b->round;
        }
        /* the page's sandboxes, for the memo: the unchanged ones, then the merged ones */
        *items = ps.nsame + ps.nparsed;
        int all = ps.nsame + ps.nmerged;
        if (ps.partial || GROW_INT(ps.same, ps.cap, all) < 0) {
            all = -1;
        } else if (ps.nmerged) {
            memcpy(ps.same + ps.nsame, ps.merged, (size_t)ps.nmerged * sizeof *ps.same);
        }
        if (all < 0 || list_memo_record(&b->memo, k, body, len, b->base.model, ps.same, all, *items,
                                        b->cursor) < 0)
            list_memo_drop(&b->memo, k);
        rc = 0;
    } else {
        list_memo_drop(&b->memo, k);
        /* not the plain shape, or a changed object is wrong: the whole page through the
         * strict parser, which merges it or gives the error as it always did (sandboxes
         * merged before the problem was found are merged again: the same result) */
        memset(err, 0, sizeof(*err));
        if (sandbox_list_parse(body, len, &l, err) == 0) {
            for (int i = 0; i < l.n; i++)
                merge_sandbox(b, &l.items[i], (struct obj_sig){0, 0});
            *items = l.n + l.skipped;
            if (l.skipped && !b->list_skipped)
                snprintf(b->skip_why, sizeof b->skip_why, "%.200s", l.skip_why);
            b->list_skipped += l.skipped;
            rc = 0;
        } else {
            err->kind = ERROR_PROTOCOL;
            error_prefix(err, _("unexpected response from %s"), api_base_url(b->api));
        }
    }
    sandbox_list_free(&l);
    buf_free(&ps.changed);
    free(ps.same);
    free(ps.sigs);
    free(ps.merged);
    return rc;
}

/* Say what a round left out (cut, stuck, invalid items) once, and again only when it
 * changes; why NULL = nothing was cut. */
static void list_note(struct e2b_backend *b, const char *why)
{
    char note[sizeof b->note] = "";
    if (why && b->list_skipped)
        snprintf(note, sizeof note, _("%s; %d invalid sandboxes not shown (%s)"), why,
                 b->list_skipped, b->skip_why);
    else if (why)
        snprintf(note, sizeof note, "%s", why);
    else if (b->list_skipped)
        snprintf(note, sizeof note, _("%d invalid sandboxes not shown (the first: %s)"),
                 b->list_skipped, b->skip_why);
    if (!strcmp(note, b->note)) return;
    snprintf(b->note, sizeof b->note, "%s", note);
    if (note[0]) backend_report(&b->base, BACKEND_ACTION_FAILED, "%s", note);
}

static void list_call(struct e2b_backend *b, int phase, const char *next_token);

/* The server has no unpaged list of running sandboxes (E2B may drop the deprecated route at
 * any time), or it pages that list (X-Has-Next-Page, a next token: an older API): taking its
 * first page as the whole would hide sandboxes. */
static int v1_unusable(const struct api_result *res)
{
    if (res->status == 404 || res->status == 405 || res->status == 410) return 1;
    return res->err.kind == ERROR_NONE && (res->more_pages || res->next_token);
}

static void on_list(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    struct model *m = b->base.model;
    b->list_call = NULL;
    if (b->list_phase == LIST_RUNNING && v1_unusable(res)) {
        b->v1_gone = 1; /* for the rest of the session: this round starts over on v2 */
        list_call(b, LIST_ALL, NULL);
        return;
    }
    if (b->list_phase == LIST_RUNNING) b->v1_len = res->body_len;
    int items = 0;
    if (res->err.kind == ERROR_NONE)
        merge_page(b, b->paging.pages, res->body ? res->body : "", res->body_len, &items,
                   &res->err);
    if (res->err.kind != ERROR_NONE) {
        /* no listing at all: the table cannot show anything current (a redirect, a 500, a
         * page too large): say so in the status line and the table, keep polling */
        e2b_set_offline(b, &res->err);
        e2b_round_done(b);
        return;
    }
    e2b_set_online(b);
    switch (api_paging_next(&b->paging, items, res->body_len, res->next_token)) {
    case API_PAGING_MORE:
        list_call(b, b->list_phase, b->paging.token);
        return;
    case API_PAGING_DONE:
        if (b->list_phase == LIST_RUNNING) { /* the running ones are in: now the paused */
            list_call(b, LIST_PAUSED, NULL);
            return;
        }
        list_note(b, NULL);
        break;
    case API_PAGING_STUCK:
    case API_PAGING_CUT:
        /* the round ends with what was listed (the rest is pruned: memory stays bounded) */
        list_note(b, b->paging.why);
        break;
    }
    /* every sandbox of the model listed again: nothing to prune (no walk over all of them) */
    if (b->listed != m->n) model_prune(m, b->round);
    m->loading = 0;
    m->updated_ms = loop_wall_ms();
    if (!b->team_ok) m->starts_per_min = b->first_done ? starts_per_min(b) : -1;
    team_fetch(b);
    if (b->first_done) {
        b->changed = 1; /* shown with the round's samples (e2b_round_done) */
    } else {            /* the first listing shows at once */
        model_touch(m);
        backend_report(&b->base, BACKEND_MODEL_CHANGED, NULL);
    }
    b->first_done = 1;
#ifdef __GLIBC__
    /* Sandboxes came or went: parsing them left free space inside the heap (thousands of
     * them are parsed in the first round). Give its pages back before the metrics' history
     * rings are allocated, so they fill the holes instead of growing the heap. Not in steady
     * rounds, which parse nothing new. */
    if (m->members != b->trimmed_members) {
        malloc_trim(0);
        b->trimmed_members = m->members;
    }
#endif
    e2b_metrics_start(b);
}

/* The next request of the round's listing: the unpaged running list, or a page of
 * /v2/sandboxes (the paused ones, or all of them). */
static void list_call(struct e2b_backend *b, int phase, const char *next_token)
{
    b->list_phase = phase;
    if (phase == LIST_RUNNING) {
        if (b->v1_body.cap > 2 * b->v1_len + (1 << 20)) buf_free(&b->v1_body); /* far fewer now */
        b->list_call = api_list_running(b->api, NULL, &b->v1_body, on_list, b);
    } else {
        struct api_list_query q = {0};
        q.states = phase == LIST_PAUSED ? API_STATE_PAUSED : API_STATE_RUNNING | API_STATE_PAUSED;
        q.limit = 100;
        q.next_token = next_token;
        b->list_call = api_list_sandboxes(b->api, &q, on_list, b);
    }
    if (!b->list_call)
        e2b_round_done(b);
    else
        api_call_set_raw(b->list_call);
}

/* The first round goes page by page all the same: its first page of 100 shows at once, where
 * the one answer of every running sandbox would be read whole first (at 10 000 sandboxes a
 * quarter of a second before the first frame, and every one of them parsed at once). */
void e2b_list_start(struct e2b_backend *b)
{
    list_call(b, b->v1_gone || !b->first_done ? LIST_ALL : LIST_RUNNING, NULL);
}
