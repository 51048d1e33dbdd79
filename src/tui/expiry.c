/* expiry.c - warnings before a sandbox ends (issue 17): the header's count of sandboxes
 * ending within a minute, and a one-line alert, from any view, when a sandbox the user works
 * with (a terminal, file browser or commands view anywhere in the view stack, or a marked row) is
 * EXPIRY_ALERT_MS from its end, with one key (EXPIRY_KEY) that extends it by EXPIRY_EXTEND_S.
 *
 * Idle costs nothing: the end times within EXPIRY_HORIZON_MS are collected (sorted) only when
 * the model changed, and one timer wakes the app when the next of them crosses a threshold
 * (then once a second while a count or an alert is on screen). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"
#include "expiry.h"

#define EXPIRY_SOON_MS    60000  /* the header counts sandboxes ending within this */
#define EXPIRY_ALERT_MS   30000  /* the alert shows this long before the end */
#define EXPIRY_HORIZON_MS 600000 /* end times further away are not collected */
#define EXPIRY_EXTEND_S   300
#define EXPIRY_QUIET_MS   8000 /* after the key: until the list shows the new end */

struct expiry {
    struct app *a;
    uint64_t gen; /* model generation the ends were collected at (+1) */
    struct expiry_end {
        int64_t end_ms;
        const struct box *box; /* valid until the model changes (then collected again) */
    } * ends;                  /* running sandboxes ending within the horizon, soonest first */
    int n, cap;
    int64_t timer;         /* the next wake-up, 0 = none */
    char id[128];          /* the sandbox of the alert, "" = none */
    int64_t alert_end;     /* its end time */
    int pauses;            /* it is set to pause instead of ending (lifecycle.onTimeout) */
    struct bfetch *detail; /* asking for that */
    int64_t quiet_until;
    char quiet_id[128];
    char line[256];
};

static int soonest_first(const void *pa, const void *pb)
{
    int64_t a = ((const struct expiry_end *)pa)->end_ms,
            b = ((const struct expiry_end *)pb)->end_ms;
    return a < b ? -1 : a > b;
}

static void collect(struct expiry *e, int64_t now)
{
    struct model *m = &e->a->model;
    e->n = 0;
    for (int i = 0; i < m->n; i++) {
        const struct box *s = m->sb[i];
        if (s->state != BOX_RUNNING || !s->end_ms || s->end_ms <= now ||
            s->end_ms > now + EXPIRY_HORIZON_MS)
            continue;
        if (e->n == e->cap) {
            int nc = e->cap ? e->cap * 2 : 64;
            struct expiry_end *nv = realloc(e->ends, (size_t)nc * sizeof(*nv));
            if (!nv) break;
            e->ends = nv, e->cap = nc;
        }
        e->ends[e->n].end_ms = s->end_ms;
        e->ends[e->n++].box = s;
    }
    qsort(e->ends, (size_t)e->n, sizeof(*e->ends), soonest_first);
    e->gen = m->generation + 1;
}

static void on_timer(struct loop *l, void *ud)
{
    (void)l;
    struct expiry *e = ud;
    e->timer = 0;
    app_dirty(e->a, DIRTY_HEADER | DIRTY_STATUS);
}

static int works_with(struct app *a, const struct box *s)
{
    for (int i = 0; i < a->depth; i++) {
        struct view *v = a->stack[i];
        const char *id = v->ops->sandbox_id ? v->ops->sandbox_id(v) : NULL;
        if ((id && !strcmp(id, s->id)) || (v->ops->works_with && v->ops->works_with(v, s->id)))
            return 1;
    }
    return 0;
}

/* The sandbox the user works with (a view in the stack is about it, or its row is marked)
 * that ends soonest, within the alert window. Only the few ending that soon are asked. */
static const struct box *worked_on(struct expiry *e, struct app *a, int64_t now)
{
    for (int i = 0; i < e->n && e->ends[i].end_ms <= now + EXPIRY_ALERT_MS; i++) {
        const struct box *s = e->ends[i].box;
        if (e->ends[i].end_ms > now && s->end_ms == e->ends[i].end_ms && works_with(a, s)) return s;
    }
    return NULL;
}

/* GET /sandboxes/{id}: lifecycle.onTimeout says whether the end is a pause. */
static void on_detail(struct api_result *res, void *ud)
{
    struct expiry *e = ud;
    e->detail = NULL;
    if (res->err.kind != ERROR_NONE || !res->body) return;
    cJSON *o = cJSON_ParseWithLength(res->body, res->body_len);
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(o, "lifecycle");
    const cJSON *ot = cJSON_GetObjectItemCaseSensitive(lc, "onTimeout");
    const cJSON *ap = cJSON_GetObjectItemCaseSensitive(o, "autoPause");
    int pauses = (cJSON_IsString(ot) && !strcmp(ot->valuestring, "pause")) || cJSON_IsTrue(ap);
    cJSON_Delete(o);
    if (pauses != e->pauses) {
        e->pauses = pauses;
        app_dirty(e->a, DIRTY_STATUS);
    }
}

static struct expiry *get(struct app *a)
{
    if (!a->expiry && (a->expiry = calloc(1, sizeof(*a->expiry)))) a->expiry->a = a;
    return a->expiry;
}

void expiry_frame(struct app *a)
{
    struct expiry *e = get(a);
    if (!e) return;
    int64_t now = loop_wall_ms();
    if (e->gen != a->model.generation + 1) collect(e, now);
    const struct box *s = worked_on(e, a, now);
    if (s && now < e->quiet_until && !strcmp(s->id, e->quiet_id)) s = NULL;
    e->line[0] = '\0';
    if (s) {
        if (strcmp(e->id, s->id)) { /* a new one: ask whether it pauses */
            struct error err = {0};
            e->pauses = 0;
            bfetch_cancel(e->detail);
            e->detail = bfetch_sandbox_detail(a->be, s->id, on_detail, e, &err);
        }
        snprintf(e->id, sizeof(e->id), "%s", s->id);
        e->alert_end = s->end_ms;
        long left = (long)((s->end_ms - now + 999) / 1000);
        snprintf(e->line, sizeof(e->line),
                 e->pauses ? _("%s pauses in %lds — press + to extend it by 5 minutes")
                           : _("%s ends in %lds — press + to extend it by 5 minutes"),
                 s->id, left);
    } else {
        e->id[0] = '\0';
    }
    /* the next moment something on screen changes: a second from now while counting, else
     * when the nearest end enters the header's minute (the alert's 30 s is inside it) */
    int64_t due = -1;
    if (e->line[0] || expiry_soon_count(a) > 0) {
        due = 1000 - now % 1000;
    } else {
        for (int i = 0; i < e->n; i++)
            if (e->ends[i].end_ms - EXPIRY_SOON_MS > now) {
                due = e->ends[i].end_ms - EXPIRY_SOON_MS - now;
                break;
            }
    }
    if (e->timer) loop_timer_cancel(a->loop, e->timer);
    e->timer = due >= 0 ? loop_timer_add(a->loop, due, on_timer, e) : 0;
    /* what the frame draws (app.c reads these: it does not call this file) */
    const char *was = a->expiry_alert;
    a->expiry_alert = e->line[0] ? e->line : NULL;
    if (was || a->expiry_alert) app_dirty(a, DIRTY_STATUS);
    int soon = expiry_soon_count(a);
    if (soon != a->n_expiring) app_dirty(a, DIRTY_HEADER);
    a->n_expiring = soon;
}

int expiry_soon_count(struct app *a)
{
    struct expiry *e = a->expiry;
    if (!e) return 0;
    int64_t now = loop_wall_ms();
    int n = 0;
    for (int i = 0; i < e->n && e->ends[i].end_ms <= now + EXPIRY_SOON_MS; i++)
        if (e->ends[i].end_ms > now) n++;
    return n;
}

int expiry_key(struct app *a, int ch, int is_key)
{
    struct expiry *e = a->expiry;
    if (!e || !e->line[0] || is_key || ch != '+') return 0;
    if (app_refuse_readonly(a, _("extend"))) return 1;
    int64_t left = e->alert_end - loop_wall_ms();
    int secs = (int)((left > 0 ? left : 0) / 1000) + EXPIRY_EXTEND_S;
    a->be->ops->set_timeout(a->be, e->id, secs);
    snprintf(e->quiet_id, sizeof(e->quiet_id), "%s", e->id);
    e->quiet_until = loop_wall_ms() + EXPIRY_QUIET_MS;
    e->line[0] = '\0';
    a->expiry_alert = NULL;
    app_dirty(a, DIRTY_HEADER | DIRTY_STATUS);
    return 1;
}

void expiry_free(struct app *a)
{
    struct expiry *e = a->expiry;
    if (!e) return;
    if (e->timer) loop_timer_cancel(a->loop, e->timer);
    bfetch_cancel(e->detail);
    free(e->ends);
    free(e);
    a->expiry = NULL;
    a->expiry_alert = NULL;
}
