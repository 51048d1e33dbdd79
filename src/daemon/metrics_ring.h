/* metrics_ring.h - per-sandbox metric samples in a fixed ring (>= 1 hour at 5 s), and the
 * E2B bucketing of GET /sandboxes/{id}/metrics (max of each gauge per bucket). */
#ifndef BOXTOPD_METRICS_RING_H
#define BOXTOPD_METRICS_RING_H

#include <stddef.h>
#include <stdint.h>

#define METRICS_RING_CAP 1024 /* 5 s samples: 85 minutes */

struct metric_sample {
    int64_t ts_ms;
    double cpu_pct; /* 0..100 of the sandbox's cpus */
    int cpu_count;
    int64_t mem_used, mem_total, mem_cache, disk_used, disk_total;
};

struct metrics_ring {
    struct metric_sample s[METRICS_RING_CAP];
    size_t head; /* next write */
    size_t n;
};

void metrics_ring_push(struct metrics_ring *r, const struct metric_sample *s);
const struct metric_sample *metrics_ring_latest(const struct metrics_ring *r);
const struct metric_sample *metrics_ring_at(const struct metrics_ring *r, size_t i); /* oldest=0 */

/* Step (seconds) E2B uses for a window of len seconds. */
int64_t metrics_step_for(int64_t len_s);

/* Buckets over [start_s, end_s] (inclusive, Unix seconds): out gets at most max samples with
 * ts_ms = bucket start; returns the count. */
size_t metrics_ring_query(const struct metrics_ring *r, int64_t start_s, int64_t end_s,
                          struct metric_sample *out, size_t max);

#endif
