/* test_tui_model.c - the model: upsert/prune, sample ring, sorting, JSON record/replay
 * round trip and hostile recordings. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "model_json.h"
#include "sort.h"

static void t_upsert_prune(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    assert_true(m.loading);
    uint64_t g = m.generation;
    struct box *a = model_upsert(&m, "a");
    assert_non_null(a);
    assert_true(m.generation > g);
    assert_ptr_equal(model_upsert(&m, "a"), a);
    for (int i = 0; i < 200; i++) { /* grows past the first allocation */
        char id[16];
        snprintf(id, sizeof(id), "s%d", i);
        model_upsert(&m, id)->seen = 7;
    }
    assert_int_equal(m.n, 201);
    a->seen = 6;
    assert_int_equal(model_prune(&m, 7), 1);
    assert_null(model_find(&m, "a"));
    assert_non_null(model_find(&m, "s199"));
    assert_int_equal(model_remove(&m, "s5"), 0);
    assert_int_equal(model_remove(&m, "s5"), -1);
    assert_int_equal(m.n, 199);
    model_free(&m);
}

static void t_index_many(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    char id[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof(id), "sbx%05d", i);
        assert_non_null(model_upsert(&m, id));
    }
    assert_int_equal(m.n, 10000);
    /* remove every third, then every id is found exactly when it should be */
    for (int i = 0; i < 10000; i += 3) {
        snprintf(id, sizeof(id), "sbx%05d", i);
        assert_int_equal(model_remove(&m, id), 0);
    }
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof(id), "sbx%05d", i);
        struct box *b = model_find(&m, id);
        if (i % 3 == 0)
            assert_null(b);
        else {
            assert_non_null(b);
            assert_string_equal(b->id, id);
        }
    }
    /* re-adding does not duplicate */
    assert_non_null(model_upsert(&m, "sbx00001"));
    assert_non_null(model_upsert(&m, "sbx00000"));
    assert_int_equal(m.n, 10000 - 3334 + 1);
    model_free(&m);
}

static void t_samples_ring(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    struct box *s = model_upsert(&m, "x");
    assert_null(box_latest(s));
    /* a table row keeps MODEL_HISTORY_ROW samples */
    for (int i = 1; i <= MODEL_HISTORY_ROW + 3; i++) {
        struct sample p = {.t_ms = i * 1000, .cpu_pct = i};
        box_add_sample(s, &p);
    }
    assert_int_equal(s->hist_len, MODEL_HISTORY_ROW);
    assert_int_equal((int)box_sample_at(s, 0)->cpu_pct, 4);
    /* growing keeps them in order; the detail view's sandbox keeps MODEL_HISTORY */
    assert_int_equal(box_history_reserve(s, MODEL_HISTORY), 0);
    assert_int_equal(s->hist_len, MODEL_HISTORY_ROW);
    assert_int_equal((int)box_sample_at(s, 0)->cpu_pct, 4);
    assert_int_equal((int)box_latest(s)->cpu_pct, MODEL_HISTORY_ROW + 3);
    for (int i = MODEL_HISTORY_ROW + 4; i <= MODEL_HISTORY + 10; i++) {
        struct sample p = {.t_ms = i * 1000, .cpu_pct = i};
        box_add_sample(s, &p);
    }
    assert_int_equal(s->hist_len, MODEL_HISTORY);
    assert_int_equal((int)box_sample_at(s, 0)->cpu_pct, 11); /* oldest kept */
    assert_int_equal((int)box_latest(s)->cpu_pct, MODEL_HISTORY + 10);
    /* the same (or an older) timestamp again is not a new sample */
    struct sample dup = {.t_ms = (MODEL_HISTORY + 10) * 1000, .cpu_pct = 1};
    box_add_sample(s, &dup);
    assert_int_equal((int)box_latest(s)->cpu_pct, MODEL_HISTORY + 10);
    assert_null(box_sample_at(s, MODEL_HISTORY));
    /* shrinking keeps the newest */
    assert_int_equal(box_history_reserve(s, 4), 0);
    assert_int_equal(s->hist_len, 4);
    assert_int_equal((int)box_latest(s)->cpu_pct, MODEL_HISTORY + 10);
    assert_int_equal((int)box_sample_at(s, 0)->cpu_pct, MODEL_HISTORY + 7);
    model_free(&m);
}

static void t_merge_history(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    struct box *s = model_upsert(&m, "x");
    box_history_reserve(s, MODEL_HISTORY);
    struct sample live[2] = {{.t_ms = 100000, .cpu_pct = 1}, {.t_ms = 105000, .cpu_pct = 2}};
    box_add_sample(s, &live[0]);
    box_add_sample(s, &live[1]);
    /* a fetched history, newest first, overlapping the live samples */
    struct sample hist[4] = {{.t_ms = 105000, .cpu_pct = 9},
                             {.t_ms = 95000, .cpu_pct = 5},
                             {.t_ms = 90000, .cpu_pct = 4},
                             {.t_ms = 100000, .cpu_pct = 9}};
    box_merge_samples(s, hist, 4);
    assert_int_equal(s->hist_len, 4);
    assert_int_equal(box_sample_at(s, 0)->t_ms, 90000);
    assert_int_equal(box_sample_at(s, 3)->t_ms, 105000);
    /* the sample already kept wins over the duplicate */
    assert_true(box_latest(s)->cpu_pct == 2);
    /* more than the window: the newest MODEL_HISTORY stay, and adding continues after them */
    struct sample many[MODEL_HISTORY + 5];
    for (int i = 0; i < MODEL_HISTORY + 5; i++)
        many[i] = (struct sample){.t_ms = 200000 + i * 5000, .cpu_pct = i};
    box_merge_samples(s, many, MODEL_HISTORY + 5);
    assert_int_equal(s->hist_len, MODEL_HISTORY);
    assert_int_equal(box_sample_at(s, 0)->t_ms, 200000 + 5 * 5000);
    struct sample next = {.t_ms = 10000000, .cpu_pct = 77};
    box_add_sample(s, &next);
    assert_true(box_latest(s)->cpu_pct == 77);
    assert_int_equal(s->hist_len, MODEL_HISTORY);
    model_free(&m);
}

static void t_sort(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    const char *ids[] = {"b", "a", "c"};
    const int64_t mem[] = {100, 300, 200};
    for (int i = 0; i < 3; i++) {
        struct box *s = model_upsert(&m, ids[i]);
        struct sample p = {.t_ms = 1, .mem_used = mem[i], .cpu_pct = (double)i};
        box_add_sample(s, &p);
        s->end_ms = 1000 * (3 - i);
    }
    struct box *v[3] = {m.sb[0], m.sb[1], m.sb[2]};
    sort_sandboxes(v, 3, SORT_ID, 0, 0);
    assert_string_equal(v[0]->id, "a");
    assert_string_equal(v[2]->id, "c");
    sort_sandboxes(v, 3, SORT_ID, 1, 0);
    assert_string_equal(v[0]->id, "c");
    /* memory: biggest first */
    sort_sandboxes(v, 3, SORT_MEM, 0, 0);
    assert_string_equal(v[0]->id, "a");
    assert_string_equal(v[1]->id, "c");
    assert_string_equal(v[2]->id, "b");
    sort_sandboxes(v, 3, SORT_MEM, 1, 0);
    assert_string_equal(v[0]->id, "b");
    /* TTL: soonest first */
    sort_sandboxes(v, 3, SORT_TTL, 0, 0);
    assert_string_equal(v[0]->id, "c");
    assert_int_equal(sort_key_parse("mem"), SORT_MEM);
    assert_int_equal(sort_key_parse("nope"), -1);
    model_free(&m);
}

/* The numeric columns' merge sort (sort.c sort_numeric) against the definition, on 2 000
 * sandboxes with many equal values (ties break on the id, ascending, in both directions),
 * some without samples (last by CPU), ids sharing their first 8 bytes, and an order that is
 * already right (kept as it is). */
static int64_t key_mem(const struct box *s)
{
    const struct sample *l = box_latest(s);
    return l ? l->mem_used : -1;
}

static void t_sort_numeric_many(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    enum { N = 2000 };
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        char id[32];
        snprintf(id, sizeof id, "isame%05d", (i * 7919) % N); /* a shared 8-byte prefix */
        struct box *s = model_upsert(&m, id);
        seed = seed * 1103515245 + 12345;
        if (i % 10 == 0) continue; /* no sample yet */
        struct sample p = {.t_ms = 1, .mem_used = (seed >> 16) % 50, .cpu_pct = (seed >> 8) % 7};
        box_add_sample(s, &p);
    }
    struct box **v = malloc(N * sizeof *v);
    for (int rev = 0; rev < 2; rev++) {
        for (int i = 0; i < N; i++)
            v[i] = m.sb[i];
        assert_int_equal(sort_sandboxes(v, N, SORT_MEM, rev, 0), 0);
        for (int i = 1; i < N; i++) {
            int64_t a = key_mem(v[i - 1]), b = key_mem(v[i]);
            /* biggest first (no sample counts as least), or the reverse */
            if (a == -1 || b == -1) {
                if (a != b) assert_true(rev ? a == -1 : b == -1);
            } else if (a != b) {
                assert_true(rev ? a < b : a > b);
            }
            if (a == b) assert_true(strcmp(v[i - 1]->id, v[i]->id) < 0);
        }
        struct box *first = v[0];
        assert_int_equal(sort_sandboxes(v, N, SORT_MEM, rev, 0), 0); /* sorted: unchanged */
        assert_ptr_equal(v[0], first);
    }
    /* CPU: the busiest first, sandboxes without a sample after every one with */
    for (int i = 0; i < N; i++)
        v[i] = m.sb[i];
    assert_int_equal(sort_sandboxes(v, N, SORT_CPU, 0, 0), 0);
    int seen_none = 0;
    for (int i = 0; i < N; i++) {
        const struct sample *l = box_latest(v[i]);
        if (!l)
            seen_none = 1;
        else
            assert_false(seen_none);
        if (i && l && box_latest(v[i - 1]))
            assert_true(box_latest(v[i - 1])->cpu_pct >= l->cpu_pct);
    }
    free(v);
    model_free(&m);
}

static void t_json_round_trip(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    struct box *s = model_upsert(&m, "ibx1");
    box_set_str(&s->template_id, "base");
    box_set_str(&s->alias, "b");
    s->state = BOX_PAUSED;
    s->cpu_count = 2;
    s->memory_mb = 512;
    s->started_ms = 1000000;
    s->end_ms = 2000000;
    box_set_meta(s, "owner", "alice");
    box_set_meta(s, "evil", "\x1b[31mred\xe2\x80\xae");
    struct sample p = {1500000, 42.5, 1 << 20, 2 << 20, 3 << 20, 4 << 20};
    box_add_sample(s, &p);
    m.concurrency_limit = 20;
    m.starts_per_min = 1.5;
    struct buf b = BUF_INIT;
    struct error err = {0};
    assert_int_equal(model_to_json(&m, 1600000, &b, &err), 0);

    struct model r;
    model_init(&r);
    /* replayed 10 s later: every time moves by 10 s */
    assert_int_equal(model_from_json(&r, b.data, b.len, 1610000, &err), 0);
    assert_false(r.loading);
    assert_int_equal(r.n, 1);
    struct box *t = model_find(&r, "ibx1");
    assert_non_null(t);
    assert_string_equal(t->template_id, "base");
    assert_string_equal(t->alias, "b");
    assert_int_equal(t->state, BOX_PAUSED);
    assert_int_equal(t->cpu_count, 2);
    assert_int_equal(t->started_ms, 1010000);
    assert_int_equal(t->end_ms, 2010000);
    assert_string_equal(box_meta_get(t, "owner"), "alice");
    /* strings are kept raw; the views sanitize */
    assert_string_equal(box_meta_get(t, "evil"), "\x1b[31mred\xe2\x80\xae");
    assert_int_equal(t->hist_len, 1);
    assert_true(box_latest(t)->cpu_pct == 42.5);
    assert_int_equal(box_latest(t)->disk_total, 4 << 20);
    assert_int_equal(r.concurrency_limit, 20);
    buf_free(&b);
    model_free(&r);
    model_free(&m);
}

static void t_json_hostile(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "[]",
        "{\"version\":2,\"sandboxes\":[]}",
        "{\"version\":1}",
        "{\"version\":1,\"sandboxes\":[1]}",
        "{\"version\":1,\"sandboxes\":[{\"templateID\":\"x\"}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":5}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\",\"metadata\":{\"k\":1}}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\",\"cpuCount\":-1}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\",\"startedAt\":1e300}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\",\"samples\":[{\"cpu\":\"x\"}]}]}",
        "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\"}]} trailing",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct model m;
        model_init(&m);
        struct error err = {0};
        assert_int_equal(model_from_json(&m, bad[i], strlen(bad[i]), 0, &err), -1);
        assert_true(err.msg[0] != '\0');
        model_free(&m);
    }
    /* a later replay drops sandboxes that are no longer listed */
    struct model m;
    model_init(&m);
    struct error err = {0};
    const char *two = "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"a\"},{\"sandboxID\":\"b\"}]}";
    const char *one = "{\"version\":1,\"sandboxes\":[{\"sandboxID\":\"b\"}]}";
    assert_int_equal(model_from_json(&m, two, strlen(two), 0, &err), 0);
    assert_int_equal(m.n, 2);
    assert_int_equal(model_from_json(&m, one, strlen(one), 0, &err), 0);
    assert_int_equal(m.n, 1);
    assert_non_null(model_find(&m, "b"));
    model_free(&m);
}

/* model_want: each sandbox listed once per demand, stamped; a new demand starts over; and
 * model_index_of finds what model_find finds. */
static void t_want(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    struct box *a = model_upsert(&m, "a"), *b = model_upsert(&m, "b");
    m.demand = 1;
    model_want(&m, a);
    model_want(&m, b);
    model_want(&m, a);
    assert_int_equal(m.nwanted, 2);
    assert_ptr_equal(m.wanted[0], a);
    assert_ptr_equal(m.wanted[1], b);
    assert_int_equal(a->wanted, 1);
    m.demand = 2;
    m.nwanted = 0;
    model_want(&m, b);
    assert_int_equal(m.nwanted, 1);
    assert_int_equal(a->wanted, 1); /* not asked for this time */
    assert_int_equal(b->wanted, 2);
    assert_ptr_equal(m.sb[model_index_of(&m, "b")], b);
    assert_int_equal(model_index_of(&m, "zz"), -1);
    model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_upsert_prune),
        cmocka_unit_test(t_index_many),
        cmocka_unit_test(t_want),
        cmocka_unit_test(t_samples_ring),
        cmocka_unit_test(t_merge_history),
        cmocka_unit_test(t_sort),
        cmocka_unit_test(t_sort_numeric_many),
        cmocka_unit_test(t_json_round_trip),
        cmocka_unit_test(t_json_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
