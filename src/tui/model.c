/* model.c - the sandbox table and metric history the views draw from (see model.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"

void model_init(struct model *m)
{
    memset(m, 0, sizeof(*m));
    m->loading = 1;
    m->starts_per_min = -1;
}

static void box_free(struct box *s)
{
    if (!s) return;
    free(s->id);
    free(s->template_id);
    free(s->alias);
    free(s->envd_version);
    box_clear_meta(s);
    box_set_procs(s, NULL, 0);
    box_set_logs(s, NULL, 0);
    free(s->procs_err);
    free(s->logs_err);
    free(s);
}

void box_set_procs(struct box *s, struct box_proc *procs, int n)
{
    for (int i = 0; i < s->n_procs; i++) {
        free(s->procs[i].cmd);
        free(s->procs[i].tag);
    }
    free(s->procs);
    s->procs = procs;
    s->n_procs = n;
}

void box_set_logs(struct box *s, struct box_log *logs, int n)
{
    for (int i = 0; i < s->n_logs; i++) {
        free(s->logs[i].level);
        free(s->logs[i].msg);
    }
    free(s->logs);
    s->logs = logs;
    s->n_logs = n;
}

void box_panel_error(char **field, enum panel_state *state, const char *msg)
{
    box_set_str(field, msg);
    *state = PANEL_ERROR;
}

void model_free(struct model *m)
{
    for (int i = 0; i < m->n; i++)
        box_free(m->sb[i]);
    free(m->sb);
    free(m->backend_label);
    free(m->context);
    memset(m, 0, sizeof(*m));
}

void model_touch(struct model *m)
{
    m->generation++;
}

struct box *model_find(const struct model *m, const char *id)
{
    /* Linear: 10 000 sandboxes x one lookup per listed row per 5 s is well under a ms. */
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->sb[i]->id, id)) return m->sb[i];
    return NULL;
}

struct box *model_upsert(struct model *m, const char *id)
{
    struct box *s = model_find(m, id);
    if (s) return s;
    if (m->n == m->cap) {
        int nc = m->cap ? m->cap * 2 : 64;
        struct box **p = realloc(m->sb, (size_t)nc * sizeof(*p));
        if (!p) return NULL;
        m->sb = p;
        m->cap = nc;
    }
    s = calloc(1, sizeof(*s));
    if (!s) return NULL;
    s->id = strdup(id);
    if (!s->id) {
        free(s);
        return NULL;
    }
    s->state = BOX_RUNNING;
    m->sb[m->n++] = s;
    m->generation++;
    return s;
}

static void model_remove_at(struct model *m, int i)
{
    box_free(m->sb[i]);
    m->sb[i] = m->sb[--m->n];
    m->generation++;
}

int model_remove(struct model *m, const char *id)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->sb[i]->id, id)) {
            model_remove_at(m, i);
            return 0;
        }
    return -1;
}

int model_prune(struct model *m, unsigned round)
{
    int removed = 0;
    for (int i = 0; i < m->n;)
        if (m->sb[i]->seen != round) {
            model_remove_at(m, i);
            removed++;
        } else {
            i++;
        }
    return removed;
}

int box_set_str(char **field, const char *value)
{
    if (*field && value && !strcmp(*field, value)) return 0;
    char *d = NULL;
    if (value && !(d = strdup(value))) return -1;
    free(*field);
    *field = d;
    return 0;
}

void box_clear_meta(struct box *s)
{
    for (int i = 0; i < s->n_meta; i++) {
        free(s->meta[i].key);
        free(s->meta[i].value);
    }
    free(s->meta);
    s->meta = NULL;
    s->n_meta = 0;
}

int box_set_meta(struct box *s, const char *key, const char *value)
{
    for (int i = 0; i < s->n_meta; i++)
        if (!strcmp(s->meta[i].key, key)) return box_set_str(&s->meta[i].value, value);
    struct box_kv *p = realloc(s->meta, (size_t)(s->n_meta + 1) * sizeof(*p));
    if (!p) return -1;
    s->meta = p;
    p[s->n_meta].key = strdup(key);
    p[s->n_meta].value = strdup(value ? value : "");
    if (!p[s->n_meta].key || !p[s->n_meta].value) {
        free(p[s->n_meta].key);
        free(p[s->n_meta].value);
        return -1;
    }
    s->n_meta++;
    return 0;
}

const char *box_meta_get(const struct box *s, const char *key)
{
    for (int i = 0; i < s->n_meta; i++)
        if (!strcmp(s->meta[i].key, key)) return s->meta[i].value;
    return NULL;
}

void box_add_sample(struct box *s, const struct sample *smp)
{
    /* The batch metrics endpoint may return the same latest sample twice in a row. */
    const struct sample *last = box_latest(s);
    if (last && last->t_ms >= smp->t_ms && smp->t_ms != 0) return;
    s->hist[s->hist_head] = *smp;
    s->hist_head = (s->hist_head + 1) % MODEL_HISTORY;
    if (s->hist_len < MODEL_HISTORY) s->hist_len++;
}

static int cmp_sample(const void *a, const void *b)
{
    const struct sample *x = a, *y = b;
    return x->t_ms < y->t_ms ? -1 : x->t_ms > y->t_ms;
}

void box_merge_samples(struct box *s, const struct sample *v, int n)
{
    if (n <= 0) return;
    struct sample *all = malloc((size_t)(n + s->hist_len) * sizeof(*all));
    if (!all) return;
    int k = 0;
    for (int i = 0; i < s->hist_len; i++)
        all[k++] = *box_sample_at(s, i);
    memcpy(all + k, v, (size_t)n * sizeof(*v));
    k += n;
    qsort(all, (size_t)k, sizeof(*all), cmp_sample);
    int u = 0;
    for (int i = 0; i < k; i++)
        if (u == 0 || all[i].t_ms != all[u - 1].t_ms) all[u++] = all[i];
    int first = u > MODEL_HISTORY ? u - MODEL_HISTORY : 0;
    s->hist_len = 0;
    s->hist_head = 0;
    for (int i = first; i < u; i++) {
        s->hist[s->hist_head] = all[i];
        s->hist_head = (s->hist_head + 1) % MODEL_HISTORY;
        s->hist_len++;
    }
    free(all);
}

const struct sample *box_sample_at(const struct box *s, int i)
{
    if (i < 0 || i >= s->hist_len) return NULL;
    int start = (s->hist_head - s->hist_len + MODEL_HISTORY) % MODEL_HISTORY;
    return &s->hist[(start + i) % MODEL_HISTORY];
}

const struct sample *box_latest(const struct box *s)
{
    return box_sample_at(s, s->hist_len - 1);
}

const char *box_state_name(enum box_state st)
{
    switch (st) {
    case BOX_RUNNING:
        return "running";
    case BOX_PAUSED:
        return "paused";
    default:
        return "unknown";
    }
}

enum box_state box_state_parse(const char *s)
{
    if (!s) return BOX_UNKNOWN;
    if (!strcmp(s, "running")) return BOX_RUNNING;
    if (!strcmp(s, "paused")) return BOX_PAUSED;
    return BOX_UNKNOWN;
}
