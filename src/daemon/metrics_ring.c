/* metrics_ring.c - sample ring and bucketed queries (see metrics-logs-events.md §1.3). */
#include "config.h"

#include "metrics_ring.h"

void metrics_ring_push(struct metrics_ring *r, const struct metric_sample *s)
{
    r->s[r->head] = *s;
    r->head = (r->head + 1) % METRICS_RING_CAP;
    if (r->n < METRICS_RING_CAP) r->n++;
}

const struct metric_sample *metrics_ring_at(const struct metrics_ring *r, size_t i)
{
    if (i >= r->n) return NULL;
    size_t first = (r->head + METRICS_RING_CAP - r->n) % METRICS_RING_CAP;
    return &r->s[(first + i) % METRICS_RING_CAP];
}

const struct metric_sample *metrics_ring_latest(const struct metrics_ring *r)
{
    return r->n ? metrics_ring_at(r, r->n - 1) : NULL;
}

int64_t metrics_step_for(int64_t len_s)
{
    if (len_s < 3600) return 5;
    if (len_s < 6 * 3600) return 30;
    if (len_s < 12 * 3600) return 60;
    if (len_s < 24 * 3600) return 120;
    if (len_s < 7 * 24 * 3600) return 300;
    return 900;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

size_t metrics_ring_query(const struct metrics_ring *r, int64_t start_s, int64_t end_s,
                          struct metric_sample *out, size_t max)
{
    int64_t step = metrics_step_for(end_s - start_s);
    size_t n = 0;

    for (size_t i = 0; i < r->n; i++) {
        const struct metric_sample *s = metrics_ring_at(r, i);
        int64_t ts = floordiv(s->ts_ms, 1000);
        if (ts < start_s || ts > end_s) continue;
        int64_t bucket = floordiv(ts, step) * step * 1000;
        if (n && out[n - 1].ts_ms == bucket) {
            struct metric_sample *o = &out[n - 1];
            if (s->cpu_pct > o->cpu_pct) o->cpu_pct = s->cpu_pct;
            if (s->cpu_count > o->cpu_count) o->cpu_count = s->cpu_count;
#define MAXF(f)                                                                                    \
    if (s->f > o->f) o->f = s->f
            MAXF(mem_used);
            MAXF(mem_total);
            MAXF(mem_cache);
            MAXF(disk_used);
            MAXF(disk_total);
#undef MAXF
            continue;
        }
        if (n >= max) break;
        out[n] = *s;
        out[n].ts_ms = bucket;
        n++;
    }
    return n;
}
