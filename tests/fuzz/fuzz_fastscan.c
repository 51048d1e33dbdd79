/* fuzz_fastscan.c - the sandboxes view's fast readers (src/tui/fastscan.c) on hostile bytes:
 * no crash, every span they hand out lies inside the input, and the fast metrics reader never
 * accepts what the strict parser rejects, nor reads a different number of entries; the window
 * reader (scan_metrics_array) gives exactly the strict parser's samples. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/models.h"
#include "fastscan.h"

struct span_check {
    const char *base;
    size_t len;
    int n;
};

static int inside(const struct span_check *c, const char *p, size_t n)
{
    return p >= c->base && n <= c->len && (size_t)(p - c->base) <= c->len - n;
}

static int on_obj(const struct scan_obj *o, void *ud)
{
    struct span_check *c = ud;
    if (!inside(c, o->p, o->len)) abort();
    if (o->id &&
        (!inside(c, o->id, o->id_len) || o->id < o->p || o->id + o->id_len > o->p + o->len))
        abort();
    c->n++;
    return 0;
}

static int on_metric(const char *id, size_t id_len, const struct metric_sample *m, void *ud)
{
    struct span_check *c = ud;
    (void)m;
    if (!inside(c, id, id_len)) abort();
    c->n++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct span_check c = {text, size, 0};
    scan_list_objects(text, size, on_obj, &c);

    struct span_check mc = {text, size, 0};
    if (scan_metrics_batch(text, size, on_metric, &mc) == 0) {
        struct sandbox_metric_list l = {0};
        struct error err = {0};
        if (metrics_batch_parse(text, size, &l, &err) != 0) abort();
        if (l.n != mc.n) abort();
        sandbox_metric_list_free(&l);
    }
    struct metric_list w = {0}, ws = {0};
    if (scan_metrics_array(text, size, &w) == 0) {
        struct error err = {0};
        if (metrics_parse(text, size, &ws, &err) != 0 || ws.n != w.n) abort();
        for (int i = 0; i < w.n; i++) {
            const struct metric_sample *x = &w.items[i], *y = &ws.items[i];
            if (x->ts != y->ts || x->cpu_count != y->cpu_count || x->cpu_pct != y->cpu_pct ||
                x->mem_used != y->mem_used || x->mem_total != y->mem_total ||
                x->mem_cache != y->mem_cache || x->disk_used != y->disk_used ||
                x->disk_total != y->disk_total)
                abort();
        }
        metric_list_free(&ws);
    } else if (w.n || w.items) {
        abort(); /* refused: nothing left behind */
    }
    metric_list_free(&w);
    return 0;
}
