/* test_tui_fastscan.c - the refresh fast path: list pages split into objects (ids, spans,
 * hostile structure), the change hash, batch metrics read without cJSON (same values as the
 * strict parser, -1 on every shape it leaves to the strict parser), and the packed history. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fastscan.h"
#include "model.h"

struct objs {
    struct scan_obj v[8];
    int n;
};

static int collect(const struct scan_obj *o, void *ud)
{
    struct objs *c = ud;
    if (c->n == 8) return 1;
    c->v[c->n++] = *o;
    return 0;
}

static int scan(const char *text, struct objs *c)
{
    memset(c, 0, sizeof(*c));
    return scan_list_objects(text, strlen(text), collect, c);
}

/* known(): the length of the object at p when it starts with the text in ud's want */
struct known_ctx {
    const char *want; /* a known object's exact bytes */
    int asked, hits;
};

static size_t known_by_prefix(const char *p, size_t avail, void *ud)
{
    struct known_ctx *k = ud;
    size_t n = strlen(k->want);
    k->asked++;
    if (n > avail || memcmp(p, k->want, n)) return 0;
    k->hits++;
    return n;
}

static size_t too_long(const char *p, size_t avail, void *ud)
{
    (void)p;
    (void)ud;
    return avail + 10;
}

struct known_objs {
    struct objs o;
    struct known_ctx k;
};

static size_t known_cb(const char *p, size_t avail, void *ud)
{
    return known_by_prefix(p, avail, &((struct known_objs *)ud)->k);
}

static int collect_known(const struct scan_obj *o, void *ud)
{
    return collect(o, &((struct known_objs *)ud)->o);
}

/* Objects the caller recognises are taken as spans without being read (id = NULL); the rest
 * read as before; the array's own structure is still checked. */
static void t_list_objects_known(void **state)
{
    (void)state;
    const char *body = "[{\"sandboxID\":\"a\",\"x\":1}, {\"sandboxID\":\"b\"},"
                       "{\"sandboxID\":\"a\",\"x\":1}]";
    struct known_objs c = {{{{0}}, 0}, {"{\"sandboxID\":\"a\",\"x\":1}", 0, 0}};
    assert_int_equal(scan_list_objects_known(body, strlen(body), known_cb, collect_known, &c), 0);
    assert_int_equal(c.o.n, 3);
    assert_int_equal(c.k.asked, 3);
    assert_int_equal(c.k.hits, 2);
    assert_null(c.o.v[0].id); /* known: not read */
    assert_int_equal(c.o.v[0].len, strlen(c.k.want));
    assert_non_null(c.o.v[1].id); /* read */
    assert_memory_equal(c.o.v[1].id, "b", 1);
    assert_ptr_equal(c.o.v[2].p, strrchr(body, '{'));

    /* a known span that is not followed by the array's structure fails the page */
    const char *bad = "[{\"sandboxID\":\"a\",\"x\":1} x]";
    memset(&c.o, 0, sizeof(c.o));
    assert_int_equal(scan_list_objects_known(bad, strlen(bad), known_cb, collect_known, &c), -1);
    /* a length beyond the text is not taken: the object is read instead */
    const char *one = "[{\"sandboxID\":\"a\",\"x\":1}]";
    memset(&c.o, 0, sizeof(c.o));
    assert_int_equal(scan_list_objects_known(one, strlen(one), too_long, collect_known, &c), 0);
    assert_int_equal(c.o.n, 1);
    assert_non_null(c.o.v[0].id);
}

static void t_list_objects(void **state)
{
    (void)state;
    const char *body = " [ {\"sandboxID\":\"a1\",\"metadata\":{\"k\":\"}{\\\"][\"},"
                       "\"x\":[1,{\"y\":\"\\\\\"}],\"n\":-1.5e3,\"t\":true} ,"
                       "{\"templateID\":\"t\",\"sandboxID\":\"b\\u0041\"},{}\n] ";
    struct objs c;
    assert_int_equal(scan(body, &c), 0);
    assert_int_equal(c.n, 3);
    assert_non_null(c.v[0].id);
    assert_int_equal(c.v[0].id_len, 2);
    assert_memory_equal(c.v[0].id, "a1", 2);
    /* spans are exactly the objects, braces inside strings included */
    const char *first = strstr(body, "{\"sandboxID\":\"a1\"");
    assert_ptr_equal(c.v[0].p, first);
    assert_int_equal(c.v[0].p[c.v[0].len - 1], '}');
    assert_ptr_equal(c.v[0].p + c.v[0].len, strstr(first, "} ,") + 1);
    assert_null(c.v[1].id); /* an escaped id is left to the strict parser */
    assert_null(c.v[2].id);
    assert_int_equal(c.v[2].len, 2);
    assert_int_equal(scan("[]", &c), 0);
    assert_int_equal(c.n, 0);

    const char *bad[] = {
        "",
        "{}",
        "[1]",
        "[{\"a\":1}",
        "[{\"a\":\"x}]",
        "[{\"a\":1},]",
        "[{\"a\":1}] x",
        "[{\"a\" 1}]",
        "[{\"a\":1,}]",
        "[{\"a\":tru}]",
        "[{\"a\":01x}]",
        "[{\"sandboxID\":\"a\",\"sandboxID\":\"b\"}]", /* which one counts: strict parser */
        "[{\"a\":[1,2}]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        print_message("bad list %zu\n", i);
        assert_int_equal(scan(bad[i], &c), -1);
    }
    /* deep nesting is refused, not recursed into without bound */
    char deep[400];
    size_t k = 0;
    deep[k++] = '[';
    deep[k++] = '{';
    deep[k++] = '"';
    deep[k++] = 'a';
    deep[k++] = '"';
    deep[k++] = ':';
    for (int i = 0; i < 150; i++)
        deep[k++] = '[';
    for (int i = 0; i < 150; i++)
        deep[k++] = ']';
    deep[k++] = '}';
    deep[k++] = ']';
    deep[k] = '\0';
    assert_int_equal(scan(deep, &c), -1);
}

static void t_hash(void **state)
{
    (void)state;
    char a[80], b[80];
    for (int i = 0; i < 80; i++)
        a[i] = (char)('a' + i % 26);
    for (size_t len = 0; len <= 80; len++) {
        memcpy(b, a, sizeof(a));
        assert_true(scan_hash(a, len) == scan_hash(b, len));
        for (size_t pos = 0; pos < len; pos++) {
            b[pos] ^= 1;
            assert_true(scan_hash(a, len) != scan_hash(b, len));
            b[pos] ^= 1;
        }
        if (len) assert_true(scan_hash(a, len) != scan_hash(a, len - 1));
    }
}

struct got {
    char id[8][32];
    struct metric_sample m[8];
    int n;
};

static int on_metric(const char *id, size_t id_len, const struct metric_sample *m, void *ud)
{
    struct got *g = ud;
    if (g->n == 8 || id_len >= 32) return 1;
    memcpy(g->id[g->n], id, id_len);
    g->id[g->n][id_len] = '\0';
    g->m[g->n++] = *m;
    return 0;
}

#define SAMPLE(extra)                                                                              \
    "{\"timestamp\":\"2026-11-25T13:00:05Z\",\"timestampUnix\":1795611605,\"cpuCount\":2,"         \
    "\"cpuUsedPct\":37.45,\"memUsed\":5000000123,\"memTotal\":8589934592,\"memCache\":10,"         \
    "\"diskUsed\":1024,\"diskTotal\":10737418240" extra "}"

static void t_metrics_same_as_strict(void **state)
{
    (void)state;
    const char *body = "{\"sandboxes\":{\"ia\":" SAMPLE(
        "") ",\"ib\":{\"timestampUnix\":7,\"cpuCount\":1,"
            "\"cpuUsedPct\":1.5e1,\"memUsed\":0,\"memTotal\":1,\"diskUsed\":2,\"diskTotal\":3,"
            "\"timestamp\":\"x\\\"y\\ud83d\\ude00\\u00e9\","
            "\"new\":[{\"z\":null}]}},\"other\":[1,2]}";
    struct got g = {0};
    assert_int_equal(scan_metrics_batch(body, strlen(body), on_metric, &g), 0);
    struct sandbox_metric_list l = {0};
    struct error err = {0};
    assert_int_equal(metrics_batch_parse(body, strlen(body), &l, &err), 0);
    assert_int_equal(g.n, l.n);
    for (int i = 0; i < l.n; i++) {
        assert_string_equal(g.id[i], l.items[i].sandbox_id);
        const struct metric_sample *x = &g.m[i], *y = &l.items[i].m;
        assert_true(x->ts == y->ts && x->cpu_count == y->cpu_count && x->cpu_pct == y->cpu_pct);
        assert_true(x->mem_used == y->mem_used && x->mem_total == y->mem_total &&
                    x->mem_cache == y->mem_cache);
        assert_true(x->disk_used == y->disk_used && x->disk_total == y->disk_total);
    }
    assert_true(g.m[0].mem_used == 5000000123LL);
    assert_true(g.m[1].cpu_pct == 15.0);
    sandbox_metric_list_free(&l);

    const char *empty = "{\"sandboxes\":{}}";
    g.n = 0;
    assert_int_equal(scan_metrics_batch(empty, strlen(empty), on_metric, &g), 0);
    assert_int_equal(g.n, 0);
}

static void t_metrics_left_to_strict(void **state)
{
    (void)state;
    const char *bad[] = {
        "{}",
        "[]",
        "{\"sandboxes\":[]}",
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"memUsed\":1") "}}",          /* repeated key */
        "{\"sandboxes\":{\"i\\u0061\":" SAMPLE("") "}}",                  /* escaped id */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":\"5\"}}}",             /* string for a number */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":-5}}}",                /* negative */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1.5}}}",               /* not an integer */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1234567890123456}}}",  /* beyond exact */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":5,\"cpuCount\":1}}}",  /* fields missing */
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"cpu\\u0055sedPct\":1") "}}", /* escaped key */
        "{\"sandboxes\":{\"ia\":" SAMPLE("") "},\"sandboxes\":{}}",       /* repeated member */
        "{\"sandboxes\":{\"ia\":" SAMPLE("") "}} trailing",
        "{\"sandboxes\":{\"ia\":" SAMPLE("") "}",
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1,\"cpuCount\":5000,\"cpuUsedPct\":1,"
        "\"memUsed\":1,\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1}}}", /* cpuCount range */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1,\"cpuCount\":1,\"cpuUsedPct\":-1,"
        "\"memUsed\":1,\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1}}}", /* negative cpu */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1,\"cpuCount\":1,\"cpuUsedPct\":1e999,"
        "\"memUsed\":1,\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1}}}", /* infinite */
        "{\"sandboxes\":{\"ia\":{\"timestampUnix\":1,\"cpuCount\":1,\"cpuUsedPct\":1,"
        "\"memUsed\":1,\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1,\"timestamp\":\"a\nb\"}}}",
        /* surrogates cJSON refuses (fuzz-smoke): a lone low one, a high one alone or before
         * something else than a low one */
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"t\":\"\\ude0d\"") "}}",
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"t\":\"\\ud83d\"") "}}",
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"t\":\"\\ud83d\\u0041\"") "}}",
        "{\"sandboxes\":{\"ia\":" SAMPLE(",\"t\":\"\\ud83dxxxxxx\"") "}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct got g = {0};
        print_message("bad metrics %zu\n", i);
        assert_int_equal(scan_metrics_batch(bad[i], strlen(bad[i]), on_metric, &g), -1);
    }
}

/* A window of samples: the same samples as metrics_parse(), or -1 and nothing left. */
static void t_window_same_as_strict(void **state)
{
    (void)state;
    const char *good[] = {
        "[" SAMPLE("") ", " SAMPLE(",\"new\":{\"a\":[1]}") "]", " [ ] ",
        "[{\"timestampUnix\":0,\"cpuCount\":0,\"cpuUsedPct\":0,\"memUsed\":0,\"memTotal\":0,"
        "\"diskUsed\":0,\"diskTotal\":0},{\"timestampUnix\":0,\"cpuCount\":0,\"cpuUsedPct\":0,"
        "\"memUsed\":0,\"memTotal\":0,\"diskUsed\":0,\"diskTotal\":0}]", /* the shortest */
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct metric_list f = {0}, l = {0};
        struct error err = {0};
        print_message("good window %zu\n", i);
        assert_int_equal(scan_metrics_array(good[i], strlen(good[i]), &f), 0);
        assert_int_equal(metrics_parse(good[i], strlen(good[i]), &l, &err), 0);
        assert_int_equal(f.n, l.n);
        for (int k = 0; k < l.n; k++) {
            const struct metric_sample *x = &f.items[k], *y = &l.items[k];
            assert_true(x->ts == y->ts && x->cpu_count == y->cpu_count &&
                        x->cpu_pct == y->cpu_pct && x->mem_used == y->mem_used &&
                        x->mem_total == y->mem_total && x->mem_cache == y->mem_cache &&
                        x->disk_used == y->disk_used && x->disk_total == y->disk_total);
        }
        metric_list_free(&f);
        metric_list_free(&l);
    }
    const char *bad[] = {
        "",
        "{}",
        "[" SAMPLE("") "",                         /* unterminated */
        "[" SAMPLE("") "] x",                      /* trailing */
        "[" SAMPLE("") ",]",                       /* trailing comma */
        "[" SAMPLE(",\"memUsed\":1") "]",          /* repeated key */
        "[{\"timestampUnix\":5,\"cpuCount\":1}]",  /* fields missing */
        "[" SAMPLE("") ",{\"timestampUnix\":-5}]", /* negative */
        "[1]",
        "[{\"timestampUnix\":1,\"cpuCount\":1,\"cpuUsedPct\":1.8e308,\"memUsed\":1,"
        "\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1}]", /* not a CPU share */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct metric_list f = {0};
        print_message("bad window %zu\n", i);
        assert_int_equal(scan_metrics_array(bad[i], strlen(bad[i]), &f), -1);
        assert_null(f.items);
        assert_int_equal(f.n, 0);
    }
}

/* CPU shares read without strtod (plain decimals up to 15 digits) are strtod's doubles, bit
 * for bit: random decimals of 1 to 17 digits, and the edges, against strtod. */
static void t_decimals_as_strtod(void **state)
{
    (void)state;
    const char *edge[] = {"0",
                          "0.1",
                          "99.99",
                          "100",
                          "0.000000000000001",
                          "123.456789012345",
                          "409.599999999999",
                          "1.2345678901234567",
                          "0.30000000000000004"};
    unsigned seed = 22;
    for (int i = 0; i < 20000 + (int)(sizeof(edge) / sizeof(edge[0])); i++) {
        char num[40];
        if (i < (int)(sizeof(edge) / sizeof(edge[0]))) {
            snprintf(num, sizeof num, "%s", edge[i]);
        } else {
            seed = seed * 1103515245u + 12345u;
            int ip = (int)(seed >> 16) % 1000, fd = (int)(seed >> 8) % 15;
            int l = snprintf(num, sizeof num, "%d", ip);
            if (fd) num[l++] = '.';
            for (int k = 0; k < fd; k++) {
                seed = seed * 1103515245u + 12345u;
                num[l++] = (char)('0' + (seed >> 16) % 10);
            }
            num[l] = '\0';
        }
        char body[300];
        snprintf(body, sizeof body,
                 "[{\"timestampUnix\":1,\"cpuCount\":1,\"cpuUsedPct\":%s,\"memUsed\":1,"
                 "\"memTotal\":1,\"diskUsed\":1,\"diskTotal\":1}]",
                 num);
        struct metric_list f = {0};
        assert_int_equal(scan_metrics_array(body, strlen(body), &f), 0);
        double want = strtod(num, NULL);
        if (memcmp(&f.items[0].cpu_pct, &want, sizeof want)) fail_msg("%s", num);
        metric_list_free(&f);
    }
}

static void t_packed_history(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    struct box *s = model_upsert(&m, "a");
    struct sample x = {5000, 42.37, 5000000123LL, 8589934592LL, -7, (int64_t)1 << 41};
    box_add_sample(s, &x);
    struct sample y = {10000, 12.3456789, 1, 2, 3, 4};
    box_add_sample(s, &y);
    /* the latest is exact */
    assert_true(box_latest(s)->cpu_pct == 12.3456789);
    assert_int_equal(box_latest(s)->disk_total, 4);
    /* kept ones: exact bytes (clamped to 0..2^40-1), cpu back to 4 decimals */
    const struct sample *p = box_sample_at(s, 0);
    assert_int_equal(p->t_ms, 5000);
    assert_true(p->cpu_pct == 42.37);
    assert_true(p->mem_used == 5000000123LL);
    assert_true(p->mem_total == 8589934592LL);
    assert_int_equal(p->disk_used, 0);
    assert_true(p->disk_total == ((int64_t)1 << 40) - 1);
    box_add_sample(s, &(struct sample){15000, 1, 1, 1, 1, 1});
    p = box_sample_at(s, 1);
    assert_true(p->cpu_pct == 12.3457);
    /* resizing (the detail view) keeps them */
    assert_int_equal(box_history_reserve(s, MODEL_HISTORY), 0);
    assert_int_equal(s->hist_len, 3);
    assert_true(box_sample_at(s, 0)->mem_used == 5000000123LL);
    assert_int_equal(box_latest(s)->t_ms, 15000);
    model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_list_objects),           cmocka_unit_test(t_hash),
        cmocka_unit_test(t_list_objects_known),     cmocka_unit_test(t_metrics_same_as_strict),
        cmocka_unit_test(t_metrics_left_to_strict), cmocka_unit_test(t_window_same_as_strict),
        cmocka_unit_test(t_decimals_as_strtod),     cmocka_unit_test(t_packed_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
