/* test_daemon_metrics.c - metric ring and E2B bucketing, team metrics, sandbox log ring,
 * lifecycle events, the creation rate limit and list filtering/paging (all pure). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cJSON.h>

#include "api/dapi_list_filter.h"
#include "events.h"
#include "metrics_ring.h"
#include "ratelimit.h"
#include "sandbox.h"
#include "sblog.h"
#include "team_metrics.h"

static void ring_and_buckets(void **state)
{
    (void)state;
    struct metrics_ring *r = calloc(1, sizeof *r);
    struct metric_sample s = {0}, out[METRICS_RING_CAP];
    int64_t t0 = 1795610400000LL; /* a multiple of 5 s */

    assert_null(metrics_ring_latest(r));
    for (int i = 0; i < METRICS_RING_CAP + 10; i++) {
        s.ts_ms = t0 + i * 5000LL + 1234;
        s.cpu_pct = i % 7;
        s.mem_used = i;
        metrics_ring_push(r, &s);
    }
    assert_int_equal(r->n, METRICS_RING_CAP);
    assert_int_equal(metrics_ring_at(r, 0)->mem_used, 10); /* the oldest 10 were dropped */
    assert_int_equal(metrics_ring_latest(r)->mem_used, METRICS_RING_CAP + 9);
    assert_null(metrics_ring_at(r, METRICS_RING_CAP));
    /* step table */
    assert_int_equal(metrics_step_for(0), 5);
    assert_int_equal(metrics_step_for(3599), 5);
    assert_int_equal(metrics_step_for(3600), 30);
    assert_int_equal(metrics_step_for(6 * 3600), 60);
    assert_int_equal(metrics_step_for(12 * 3600), 120);
    assert_int_equal(metrics_step_for(24 * 3600), 300);
    assert_int_equal(metrics_step_for(7 * 24 * 3600), 900);
    /* under an hour: one point per sample, at the bucket start, ascending */
    int64_t a = (t0 + 100 * 5000LL) / 1000, b = a + 60;
    size_t n = metrics_ring_query(r, a, b, out, METRICS_RING_CAP);
    assert_int_equal(n, 12); /* samples at +1.234 s: 501, 506, ..., 556 */
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(out[i].ts_ms % 5000, 0);
        if (i) assert_true(out[i].ts_ms > out[i - 1].ts_ms);
    }
    /* 2 hours: 30 s buckets with the max of each gauge */
    n = metrics_ring_query(r, t0 / 1000, t0 / 1000 + 7200, out, METRICS_RING_CAP);
    assert_true(n > 0 && n <= 241);
    assert_int_equal(out[1].ts_ms % 30000, 0);
    assert_true(out[1].cpu_pct >= 5); /* 6 samples per bucket cover 6 of the 7 values */
    /* empty window */
    assert_int_equal(metrics_ring_query(r, 0, 10, out, METRICS_RING_CAP), 0);
    free(r);
}

static void team_series(void **state)
{
    (void)state;
    struct team_metrics *t = calloc(1, sizeof *t);
    struct team_bucket b[16];
    int64_t ts;
    double v;
    int64_t t0 = 1795610400000LL;

    assert_int_equal(team_metrics_max(t, 0, 0, 1LL << 40, &ts, &v), 0);
    assert_true(v == 0);
    team_metrics_start(t);
    team_metrics_start(t);
    team_metrics_sample(t, t0, 2);
    team_metrics_sample(t, t0 + 5000, 3);
    team_metrics_start(t);
    team_metrics_sample(t, t0 + 10000, 1);
    size_t n = team_metrics_query(t, t0 / 1000, t0 / 1000 + 60, b, 16);
    assert_int_equal(n, 3);
    assert_int_equal(b[0].concurrent, 2);
    assert_true(b[0].start_rate > 0.39 && b[0].start_rate < 0.41); /* 2 starts / 5 s */
    assert_int_equal(b[1].concurrent, 3);
    assert_true(b[1].start_rate == 0);
    assert_int_equal(team_metrics_max(t, 0, t0 / 1000, t0 / 1000 + 60, &ts, &v), 1);
    assert_true(v == 3);
    assert_int_equal(ts, t0 / 1000 + 5);
    assert_int_equal(team_metrics_max(t, 1, t0 / 1000, t0 / 1000 + 60, &ts, &v), 1);
    assert_true(v > 0.39 && v < 0.41);
    free(t);
}

static void log_ring(void **state)
{
    (void)state;
    struct sblog *l = sblog_new();
    cJSON *f = cJSON_Parse("{\"pid\":12,\"ok\":true,\"s\":\"x\",\"nested\":{\"a\":1},\"n\":null,"
                           "\"big\":1795610400000}");
    for (int i = 0; i < SBLOG_CAP + 5; i++)
        sblog_add(l, 1000, i % 2 ? LOG_WARN : LOG_INFO, "m", i == SBLOG_CAP + 4 ? f : NULL);
    assert_int_equal(sblog_count(l), SBLOG_CAP);
    /* same millisecond: timestamps still strictly increase */
    for (size_t i = 1; i < sblog_count(l); i++)
        assert_true(sblog_at(l, i)->ts_ns > sblog_at(l, i - 1)->ts_ns);
    const struct sblog_entry *e = sblog_at(l, SBLOG_CAP - 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e->fields, "pid")->valuestring, "12");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e->fields, "ok")->valuestring, "true");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e->fields, "big")->valuestring,
                        "1.7956104E+12"); /* Go %G, as E2B serves numbers */
    assert_null(cJSON_GetObjectItemCaseSensitive(e->fields, "nested"));
    assert_null(cJSON_GetObjectItemCaseSensitive(e->fields, "n"));
    assert_string_equal(sblog_level_name(LOG_WARN), "warn");
    /* persistence round trip */
    char *line = sblog_entry_line(e);
    struct sblog *l2 = sblog_new();
    assert_int_equal(sblog_add_line(l2, line, strlen(line)), 0);
    const struct sblog_entry *e2 = sblog_at(l2, 0);
    assert_int_equal(e2->level, e->level);
    assert_string_equal(e2->message, "m");
    assert_int_equal(e2->ts_ns / 1000000, e->ts_ns / 1000000);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e2->fields, "pid")->valuestring, "12");
    static const char *bad_lines[] = {"{\"ts\":1,\"level\":\"info\"}",
                                      "{\"ts\":-1,\"level\":\"info\",\"message\":\"\"}",
                                      "{\"ts\":1,\"level\":5,\"message\":\"x\"}", "[]"};
    for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++)
        assert_int_equal(sblog_add_line(l2, bad_lines[i], strlen(bad_lines[i])), -1);
    assert_int_equal(sblog_add_line(l2, "garbage", 7), -1);
    assert_int_equal(sblog_count(l2), 1);
    free(line);
    sblog_free(l2);
    assert_null(sblog_at(l, SBLOG_CAP));
    cJSON_Delete(f);
    sblog_free(l);
}

static void fake_sbx(struct sbx *s, const char *id, int64_t started, enum sbx_state st,
                     const char *md_json)
{
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "%s", id);
    snprintf(s->template_id, sizeof s->template_id, "base");
    snprintf(s->execution_id, sizeof s->execution_id, "e-%s", id);
    s->started_at_ms = started;
    s->state = st;
    s->metadata = md_json ? cJSON_Parse(md_json) : NULL;
}

static void lifecycle_events(void **state)
{
    (void)state;
    char dir[] = "/tmp/boxtopd-events-XXXXXX", path[256];
    struct events *ev;
    struct sbx a, b;
    assert_non_null(mkdtemp(dir));
    fake_sbx(&a, "ia", 1, SBX_RUNNING, "{\"k\":\"v\"}");
    fake_sbx(&b, "ib", 2, SBX_RUNNING, NULL);
    assert_int_equal(events_open(&ev, dir), 0);
    events_emit(ev, &a, "created", NULL);
    events_emit(ev, &b, "created", NULL);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "kill_reason", "request");
    events_emit(ev, &a, "killed", d);
    events_free(ev);
    /* reopened from DIR/events.jsonl */
    assert_int_equal(events_open(&ev, dir), 0);
    cJSON *all = events_query(ev, NULL, 0, 100, false, NULL, 0);
    assert_int_equal(cJSON_GetArraySize(all), 3);
    cJSON *first = cJSON_GetArrayItem(all, 0); /* newest first */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "type")->valuestring,
                        "sandbox.lifecycle.killed");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "eventLabel")->valuestring, "kill");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(first, "eventData");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(data, "kill_reason")->valuestring,
                        "request");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(data, "sandbox_metadata"), "k")
                            ->valuestring,
                        "v");
    assert_int_equal(strlen(cJSON_GetObjectItemCaseSensitive(first, "id")->valuestring), 36);
    cJSON_Delete(all);
    const char *types[] = {"sandbox.lifecycle.created"};
    cJSON *qa = events_query(ev, "ia", 0, 10, true, types, 1);
    assert_int_equal(cJSON_GetArraySize(qa), 1);
    cJSON_Delete(qa);
    cJSON *page = events_query(ev, NULL, 1, 1, true, NULL, 0);
    assert_int_equal(cJSON_GetArraySize(page), 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(page, 0), "sandboxId")->valuestring,
        "ib");
    cJSON_Delete(page);
    events_free(ev);
    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    unlink(path);
    rmdir(dir);
    cJSON_Delete(a.metadata);
}

static void rate_limit(void **state)
{
    (void)state;
    struct limits l;
    limits_init(&l, 2, 0);
    assert_int_equal(limits_take(&l, 0), 0);
    assert_int_equal(limits_take(&l, 0), 0);
    int wait = limits_take(&l, 0);
    assert_true(wait >= 1 && wait <= 30);
    assert_int_equal(limits_take(&l, 30000), 0); /* one token back after 30 s */
    assert_true(limits_take(&l, 30000) >= 1);
}

static cJSON *id_json(const struct sbx *s, bool detail)
{
    (void)detail;
    return cJSON_CreateString(s->id);
}

static void list_paging(void **state)
{
    (void)state;
    struct sbx v[5];
    struct sbx *pv[5];
    struct query q;
    struct list_filter f;
    struct error err;
    char next[256], raw[512];
    size_t running;

    fake_sbx(&v[0], "ia", 1000, SBX_RUNNING, "{\"odd key\":\"a b&c\"}");
    fake_sbx(&v[1], "ib", 3000, SBX_PAUSED, "{\"odd key\":\"a b&c\"}");
    fake_sbx(&v[2], "ic", 2000, SBX_RUNNING, NULL);
    fake_sbx(&v[3], "id", 2000, SBX_RUNNING, "{\"odd key\":\"other\"}");
    fake_sbx(&v[4], "ie", 500, SBX_PAUSED, NULL);
    for (int i = 0; i < 5; i++)
        pv[i] = &v[i];
    /* desc, limit 2: ib(3000), then ic/id (2000, id asc) */
    snprintf(raw, sizeof raw, "limit=2");
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, true, &err), 0);
    cJSON *p1 = list_filter_run(&f, pv, 5, id_json, next, sizeof next, &running);
    assert_int_equal(running, 3);
    assert_int_equal(cJSON_GetArraySize(p1), 2);
    assert_string_equal(cJSON_GetArrayItem(p1, 0)->valuestring, "ib");
    assert_string_equal(cJSON_GetArrayItem(p1, 1)->valuestring, "ic");
    assert_true(next[0]);
    list_filter_free(&f);
    query_free(&q);
    snprintf(raw, sizeof raw, "limit=2&nextToken=%s", next);
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, true, &err), 0);
    cJSON *p2 = list_filter_run(&f, pv, 5, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(p2), 2);
    assert_string_equal(cJSON_GetArrayItem(p2, 0)->valuestring, "id");
    assert_string_equal(cJSON_GetArrayItem(p2, 1)->valuestring, "ia");
    list_filter_free(&f);
    query_free(&q);
    snprintf(raw, sizeof raw, "limit=2&nextToken=%s", next);
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, true, &err), 0);
    cJSON *p3 = list_filter_run(&f, pv, 5, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(p3), 1);
    assert_string_equal(cJSON_GetArrayItem(p3, 0)->valuestring, "ie");
    assert_string_equal(next, ""); /* last page */
    /* a desc token used with order=asc is refused */
    list_filter_free(&f);
    query_free(&q);
    snprintf(raw, sizeof raw, "order=asc&nextToken=%s", "31305f69615f64657363");
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, true, &err), -1);
    list_filter_free(&f);
    query_free(&q);
    /* metadata + state filters (the SDK's encoding) */
    snprintf(raw, sizeof raw, "metadata=odd%%252520key%%3Da%%252520b%%252526c&state=running");
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, true, &err), 0);
    cJSON *p4 = list_filter_run(&f, pv, 5, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(p4), 1);
    assert_string_equal(cJSON_GetArrayItem(p4, 0)->valuestring, "ia");
    list_filter_free(&f);
    query_free(&q);
    /* v1: running only, ignores paging params */
    snprintf(raw, sizeof raw, "state=paused&limit=1");
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, false, &err), 0);
    cJSON *p5 = list_filter_run(&f, pv, 5, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(p5), 3);
    list_filter_free(&f);
    query_free(&q);
    /* bad parameters */
    static const char *bad[] = {
        "state=zombie",           "limit=0",          "limit=101",    "order=up",
        "startedAfter=yesterday", "template=base:v1", "nextToken=xyz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(query_parse(&q, bad[i], strlen(bad[i]), &err), 0);
        if (list_filter_parse(&f, &q, true, &err) != -1) fail_msg("accepted %s", bad[i]);
        list_filter_free(&f);
        query_free(&q);
    }
    cJSON_Delete(p1);
    cJSON_Delete(p2);
    cJSON_Delete(p3);
    cJSON_Delete(p4);
    cJSON_Delete(p5);
    for (int i = 0; i < 5; i++)
        cJSON_Delete(v[i].metadata);
}

/* v1 is not paged: every running sandbox in one answer, newest first (E2B's GetSandboxes),
 * with the metadata filter; the TUI lists running sandboxes with it in one request. */
static void list_v1_unpaged(void **state)
{
    (void)state;
    enum { N = 250 };
    struct sbx *v = calloc(N, sizeof *v);
    struct sbx **pv = calloc(N, sizeof *pv);
    assert_non_null(v);
    assert_non_null(pv);
    char id[32], next[256], raw[128];
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "i%03d", i);
        fake_sbx(&v[i], id, 1000 + i, i % 10 == 9 ? SBX_PAUSED : SBX_RUNNING,
                 i % 2 ? "{\"k\":\"odd\"}" : NULL);
        pv[i] = &v[i];
    }
    struct query q;
    struct list_filter f;
    struct error err;
    size_t running;
    assert_int_equal(query_parse(&q, "", 0, &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, false, &err), 0);
    cJSON *all = list_filter_run(&f, pv, N, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(all), N - N / 10); /* the paused ones are not in v1 */
    assert_string_equal(next, "");
    assert_string_equal(cJSON_GetArrayItem(all, 0)->valuestring, "i248"); /* newest first */
    assert_string_equal(cJSON_GetArrayItem(all, N - N / 10 - 1)->valuestring, "i000");
    list_filter_free(&f);
    query_free(&q);
    snprintf(raw, sizeof raw, "metadata=k%%3Dodd");
    assert_int_equal(query_parse(&q, raw, strlen(raw), &err), 0);
    assert_int_equal(list_filter_parse(&f, &q, false, &err), 0);
    cJSON *odd = list_filter_run(&f, pv, N, id_json, next, sizeof next, &running);
    assert_int_equal(cJSON_GetArraySize(odd), N / 2 - N / 10); /* odd, and not i..9 */
    list_filter_free(&f);
    query_free(&q);
    cJSON_Delete(all);
    cJSON_Delete(odd);
    for (int i = 0; i < N; i++)
        cJSON_Delete(v[i].metadata);
    free(v);
    free(pv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ring_and_buckets), cmocka_unit_test(team_series),
        cmocka_unit_test(log_ring),         cmocka_unit_test(lifecycle_events),
        cmocka_unit_test(rate_limit),       cmocka_unit_test(list_paging),
        cmocka_unit_test(list_v1_unpaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
