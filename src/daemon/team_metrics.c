/* team_metrics.c - concurrent sandboxes and start rate over time. */
#include "config.h"

#include "metrics_ring.h"
#include "team_metrics.h"

void team_metrics_start(struct team_metrics *t)
{
    t->pending_starts++;
}

void team_metrics_sample(struct team_metrics *t, int64_t now_ms, int running)
{
    t->s[t->head] = (struct team_sample){now_ms, running, t->pending_starts};
    t->pending_starts = 0;
    t->head = (t->head + 1) % TEAM_METRICS_CAP;
    if (t->n < TEAM_METRICS_CAP) t->n++;
}

static const struct team_sample *at(const struct team_metrics *t, size_t i)
{
    size_t first = (t->head + TEAM_METRICS_CAP - t->n) % TEAM_METRICS_CAP;
    return &t->s[(first + i) % TEAM_METRICS_CAP];
}

size_t team_metrics_query(const struct team_metrics *t, int64_t start_s, int64_t end_s,
                          struct team_bucket *out, size_t max)
{
    int64_t step = metrics_step_for(end_s - start_s);
    size_t n = 0;
    int starts = 0;

    for (size_t i = 0; i < t->n; i++) {
        const struct team_sample *s = at(t, i);
        int64_t ts = s->ts_ms / 1000;
        if (ts < start_s || ts > end_s) continue;
        int64_t b = (ts / step) * step;
        if (n && out[n - 1].ts_s == b) {
            if (s->running > out[n - 1].concurrent) out[n - 1].concurrent = s->running;
            starts += s->starts;
            out[n - 1].start_rate = (double)starts / (double)step;
            continue;
        }
        if (n >= max) break;
        starts = s->starts;
        out[n++] = (struct team_bucket){b, s->running, (double)starts / (double)step};
    }
    return n;
}

int team_metrics_max(const struct team_metrics *t, int metric, int64_t start_s, int64_t end_s,
                     int64_t *ts_s, double *value)
{
    int found = 0;
    *value = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct team_sample *s = at(t, i);
        int64_t ts = s->ts_ms / 1000;
        if (ts < start_s || ts > end_s) continue;
        double v = metric == 0 ? (double)s->running : (double)s->starts / 5.0;
        if (!found || v > *value) {
            *value = v;
            *ts_s = ts;
            found = 1;
        }
    }
    return found;
}
