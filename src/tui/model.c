/* model.c - the sandbox table and metric history the views draw from (see model.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "model.h"

void model_init(struct model *m)
{
    memset(m, 0, sizeof(*m));
    m->loading = 1;
    m->starts_per_min = -1;
}

void box_free(struct box *s)
{
    if (!s) return;
    if (s->id != (char *)(s + 1)) free(s->id); /* normally allocated with the box */
    free(s->template_id);
    free(s->alias);
    free(s->envd_version);
    box_clear_meta(s);
    free(s->hist);
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
    free(m->idx);
    free(m->wanted);
    free(m->backend_label);
    free(m->context);
    memset(m, 0, sizeof(*m));
}

void model_touch(struct model *m)
{
    m->generation++;
}

static uint32_t hash_id(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void idx_put(struct model *m, int i)
{
    uint32_t mask = (uint32_t)m->idx_cap - 1, hash = hash_id(m->sb[i]->id), h = hash & mask;
    while (m->idx[h])
        h = (h + 1) & mask;
    m->idx[h] = (uint64_t)hash << 32 | (uint32_t)(i + 1);
}

/* Rebuild the index for cap sandboxes; -1 on ENOMEM (lookups then fall back to a scan). */
static int idx_rebuild(struct model *m, int want)
{
    int cap = 64;
    while (cap < 2 * want)
        cap *= 2;
    if (cap != m->idx_cap) {
        uint64_t *p = realloc(m->idx, (size_t)cap * sizeof(*p));
        if (!p) return -1;
        m->idx = p;
        m->idx_cap = cap;
    }
    memset(m->idx, 0, (size_t)cap * sizeof(*m->idx));
    for (int i = 0; i < m->n; i++)
        idx_put(m, i);
    m->idx_stale = 0;
    return 0;
}

static int find_index(struct model *m, const char *id)
{
    if ((m->idx_stale || !m->idx || m->idx_cap < 2 * m->n) && idx_rebuild(m, m->n) < 0) {
        for (int i = 0; i < m->n; i++)
            if (!strcmp(m->sb[i]->id, id)) return i;
        return -1;
    }
    uint32_t mask = (uint32_t)m->idx_cap - 1, hash = hash_id(id), h = hash & mask;
    for (; m->idx[h]; h = (h + 1) & mask) {
        int i = (int)(uint32_t)m->idx[h] - 1;
        if ((uint32_t)(m->idx[h] >> 32) == hash && !strcmp(m->sb[i]->id, id)) return i;
    }
    return -1;
}

struct box *model_find(struct model *m, const char *id)
{
    int i = find_index(m, id);
    return i < 0 ? NULL : m->sb[i];
}

void model_want(struct model *m, struct box *s)
{
    if (s->wanted == m->demand) return;
    /* out of memory: not stamped either, so the list and the stamps agree */
    if (GROW_INT(m->wanted, m->cap_wanted, m->nwanted + 1) < 0) return;
    s->wanted = m->demand;
    m->wanted[m->nwanted++] = s;
}

int model_index_of(struct model *m, const char *id)
{
    return find_index(m, id);
}

struct box *model_upsert(struct model *m, const char *id)
{
    struct box *s = model_find(m, id);
    if (s) return s;
    if (GROW_INT(m->sb, m->cap, m->n + 1) < 0) return NULL;
    /* the id lives right after the struct: one allocation, and the id is next to the fields
     * that lookups and sorting read anyway */
    size_t idlen = strlen(id) + 1;
    s = calloc(1, sizeof(*s) + idlen);
    if (!s) return NULL;
    s->id = memcpy((char *)(s + 1), id, idlen);
    s->state = BOX_RUNNING;
    m->sb[m->n++] = s;
    m->members++;
    if (!m->idx_stale && m->idx && m->idx_cap >= 2 * m->n)
        idx_put(m, m->n - 1);
    else
        m->idx_stale = 1;
    m->generation++;
    return s;
}

static void model_remove_at(struct model *m, int i)
{
    if (m->on_gone)
        m->on_gone(m, m->sb[i], m->gone_ud);
    else
        box_free(m->sb[i]);
    m->sb[i] = m->sb[--m->n];
    m->members++;
    m->removals++;
    m->idx_stale = 1;
    m->generation++;
}

int model_remove(struct model *m, const char *id)
{
    int i = find_index(m, id);
    if (i < 0) return -1;
    model_remove_at(m, i);
    return 0;
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

/* The history ring. A table row keeps 32 samples and there can be 10 000 rows, so kept samples
 * are packed (32 bytes instead of 48): the time as is, cpu_pct as a float, the four byte
 * counts as 40-bit integers (1 TiB). The latest sample, which the table's text and the sort
 * read, is kept exactly next to the ring; `slot` is where box_sample_at() unpacks. */
struct packed_sample {
    int64_t t_ms;
    float cpu_pct;
    uint8_t bytes[4][5]; /* mem_used, mem_total, disk_used, disk_total, little-endian */
};

struct hist {
    struct sample latest, slot;
    struct packed_sample ring[];
};

#define BYTES_MAX ((int64_t)1 << 40) - 1

static void put40(uint8_t *b, int64_t v)
{
    if (v < 0) v = 0;
    if (v > BYTES_MAX) v = BYTES_MAX;
    for (int i = 0; i < 5; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static int64_t get40(const uint8_t *b)
{
    int64_t v = 0;
    for (int i = 0; i < 5; i++)
        v |= (int64_t)b[i] << (8 * i);
    return v;
}

static void pack(struct packed_sample *p, const struct sample *smp)
{
    p->t_ms = smp->t_ms;
    p->cpu_pct = (float)smp->cpu_pct;
    put40(p->bytes[0], smp->mem_used);
    put40(p->bytes[1], smp->mem_total);
    put40(p->bytes[2], smp->disk_used);
    put40(p->bytes[3], smp->disk_total);
}

static void unpack(struct sample *smp, const struct packed_sample *p)
{
    smp->t_ms = p->t_ms;
    /* back to the decimal the API sent (it sends at most a few decimals) */
    smp->cpu_pct = isfinite(p->cpu_pct) ? round((double)p->cpu_pct * 1e4) / 1e4 : p->cpu_pct;
    smp->mem_used = get40(p->bytes[0]);
    smp->mem_total = get40(p->bytes[1]);
    smp->disk_used = get40(p->bytes[2]);
    smp->disk_total = get40(p->bytes[3]);
}

static int ring_index(const struct box *s, int i)
{
    int start = (s->hist_head - s->hist_len + s->hist_cap) % s->hist_cap;
    return (start + i) % s->hist_cap;
}

/* Copy the kept samples, oldest first, into a fresh ring of cap (the newest win). */
static int hist_relayout(struct box *s, int cap)
{
    struct hist *n = malloc(sizeof(*n) + (size_t)cap * sizeof(n->ring[0]));
    if (!n) return -1;
    int keep = s->hist_len < cap ? s->hist_len : cap;
    for (int i = 0; i < keep; i++)
        n->ring[i] = s->hist->ring[ring_index(s, s->hist_len - keep + i)];
    if (s->hist) n->latest = s->hist->latest;
    free(s->hist);
    s->hist = n;
    s->hist_cap = cap;
    s->hist_len = keep;
    s->hist_head = keep % cap;
    s->hist_gen++;
    return 0;
}

int box_history_reserve(struct box *s, int cap)
{
    if (cap < 1) cap = 1;
    if (cap == s->hist_cap) return 0;
    return hist_relayout(s, cap);
}

static void ring_push(struct box *s, const struct sample *smp)
{
    pack(&s->hist->ring[s->hist_head], smp);
    s->hist->latest = *smp;
    s->hist_head = (s->hist_head + 1) % s->hist_cap;
    s->hist_gen++;
    if (s->hist_len < s->hist_cap) s->hist_len++;
}

void box_add_sample(struct box *s, const struct sample *smp)
{
    /* The batch metrics endpoint may return the same latest sample twice in a row. */
    const struct sample *last = box_latest(s);
    if (last && last->t_ms >= smp->t_ms && smp->t_ms != 0) return;
    if (!s->hist && hist_relayout(s, s->hist_cap ? s->hist_cap : MODEL_HISTORY_ROW) < 0) return;
    ring_push(s, smp);
}

static int cmp_sample(const void *a, const void *b)
{
    const struct sample *x = a, *y = b;
    return x->t_ms < y->t_ms ? -1 : x->t_ms > y->t_ms;
}

void box_merge_samples(struct box *s, const struct sample *v, int n)
{
    if (n <= 0) return;
    if (!s->hist && hist_relayout(s, s->hist_cap ? s->hist_cap : MODEL_HISTORY_ROW) < 0) return;
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
    int first = u > s->hist_cap ? u - s->hist_cap : 0;
    s->hist_len = 0;
    s->hist_head = 0;
    s->hist_gen++;
    for (int i = first; i < u; i++)
        ring_push(s, &all[i]);
    free(all);
}

const struct sample *box_sample_at(const struct box *s, int i)
{
    if (i < 0 || i >= s->hist_len || !s->hist) return NULL;
    if (i == s->hist_len - 1) return &s->hist->latest;
    /* boxes are never const objects (model_upsert allocates them): the slot may be written */
    struct hist *h = s->hist;
    unpack(&h->slot, &h->ring[ring_index(s, i)]);
    return &h->slot;
}

const struct sample *box_latest(const struct box *s)
{
    return box_sample_at(s, s->hist_len - 1);
}

const char *box_state_name(enum box_state st)
{
    switch (st) {
    case BOX_RUNNING:
        return N_("running"); /* N_: the views show _(name); filters and JSON use it as is */
    case BOX_PAUSED:
        return N_("paused");
    case BOX_ENDED:
        return N_("ended");
    default:
        return N_("unknown");
    }
}

enum box_state box_state_parse(const char *s)
{
    if (!s) return BOX_UNKNOWN;
    if (!strcmp(s, "running")) return BOX_RUNNING;
    if (!strcmp(s, "paused")) return BOX_PAUSED;
    return BOX_UNKNOWN;
}
