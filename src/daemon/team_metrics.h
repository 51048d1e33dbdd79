/* team_metrics.h - team-wide series sampled with the sandbox metrics (every 5 s): running
 * sandboxes and sandbox starts, bucketed like E2B (metrics-logs-events.md §2). */
#ifndef BOXTOPD_TEAM_METRICS_H
#define BOXTOPD_TEAM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define TEAM_METRICS_CAP 17280 /* 24 h at 5 s */

struct team_sample {
    int64_t ts_ms;
    int running;
    int starts; /* sandboxes started since the previous sample */
};

struct team_metrics {
    struct team_sample s[TEAM_METRICS_CAP];
    size_t head, n;
    int pending_starts;
};

struct team_bucket {
    int64_t ts_s;
    int concurrent;
    double start_rate;
};

void team_metrics_start(struct team_metrics *t); /* a sandbox started */
void team_metrics_sample(struct team_metrics *t, int64_t now_ms, int running);
size_t team_metrics_query(const struct team_metrics *t, int64_t start_s, int64_t end_s,
                          struct team_bucket *out, size_t max);
/* metric: 0 = concurrent_sandboxes, 1 = sandbox_start_rate. Returns 0 with no data. */
int team_metrics_max(const struct team_metrics *t, int metric, int64_t start_s, int64_t end_s,
                     int64_t *ts_s, double *value);

#endif
