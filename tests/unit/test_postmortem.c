/* test_postmortem.c - the post-mortem record (src/e2b/postmortem.c, postmortem_card.c): the
 * cause from lifecycle events and what boxtop saw, the memory evidence, JSON round trip,
 * hostile JSON, and the store (atomic write, prefix lookup, the last PM_STORE_MAX kept). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/changes.h"
#include "boxtop/postmortem.h"

static void add_event(struct postmortem *p, int64_t t, const char *type, const char *detail)
{
    p->events = realloc(p->events, (size_t)(p->n_events + 1) * sizeof(*p->events));
    struct pm_event *e = &p->events[p->n_events++];
    e->t_ms = t;
    e->type = strdup(type);
    e->detail = detail ? strdup(detail) : NULL;
}

static void t_cause(void **state)
{
    (void)state;
    struct postmortem p = {0};
    p.id = strdup("sbx1");
    p.noticed_ms = 100000;
    p.planned_end_ms = 0;
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_UNKNOWN);
    pm_decide_cause(&p, true);
    assert_int_equal(p.cause, PM_CAUSE_UNREACHABLE);
    p.planned_end_ms = 99000; /* its end time passed: said as boxtop's observation */
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_TTL_SEEN);
    p.planned_end_ms = 500000; /* far in the future: not a time-out */
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_UNKNOWN);

    add_event(&p, 1000, "created", NULL);
    add_event(&p, 2000, "updated", "set_timeout=1970-01-01T00:01:35Z");
    pm_decide_cause(&p, false);
    assert_int_equal(p.planned_end_ms, 95000); /* the last end time an update set */
    assert_int_equal(p.cause, PM_CAUSE_TTL_SEEN);
    add_event(&p, 95000, "killed", "kill_reason=timeout execution_time=94.0s");
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_TIMEOUT);
    assert_int_equal(p.ended_ms, 95000); /* the event's time, not when boxtop noticed */
    char buf[160];
    assert_string_equal(pm_cause_text(&p, buf, sizeof buf), "time to live reached");

    free(p.events[2].detail);
    p.events[2].detail = strdup("kill_reason=request");
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_REQUEST);
    assert_string_equal(pm_cause_text(&p, buf, sizeof buf), "killed by a request");

    free(p.events[2].detail);
    p.events[2].detail = strdup("kill_reason=orphaned");
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_KILLED);
    assert_string_equal(p.cause_detail, "orphaned");

    free(p.events[2].detail);
    p.events[2].detail = NULL;
    pm_decide_cause(&p, false);
    assert_int_equal(p.cause, PM_CAUSE_KILLED);
    assert_null(p.cause_detail);
    pm_free(&p);
}

/* A resume after the update set a new time to live: the update's end time is stale (boxtop
 * showed "set to end at" the hour-long timeout a 5-minute resume had replaced). */
static void t_planned_end_after_resume(void **state)
{
    (void)state;
    struct postmortem p = {0};
    p.id = strdup("sbx1");
    p.noticed_ms = 100000;
    p.planned_end_ms = 400000; /* what the listing after the resume showed */
    add_event(&p, 1000, "created", NULL);
    add_event(&p, 2000, "updated", "set_timeout=1970-01-01T01:00:00Z");
    add_event(&p, 3000, "paused", NULL);
    add_event(&p, 4000, "resumed", NULL);
    pm_decide_cause(&p, false);
    assert_int_equal(p.planned_end_ms, 400000);
    add_event(&p, 5000, "updated", "set_timeout=1970-01-01T00:10:00Z");
    pm_decide_cause(&p, false);
    assert_int_equal(p.planned_end_ms, 600000); /* an update after the resume still counts */
    pm_free(&p);
}

static struct postmortem sample_rec(const char *id)
{
    struct postmortem p = {0};
    p.id = strdup(id);
    p.template_id = strdup("base");
    p.cpu_count = 2;
    p.memory_mb = 512;
    p.started_ms = 1000;
    p.ended_ms = p.noticed_ms = 60000;
    p.planned_end_ms = 60000;
    p.cause = PM_CAUSE_TIMEOUT;
    p.n_samples = 3;
    p.samples = calloc(3, sizeof(*p.samples));
    int64_t total = 512LL << 20;
    for (int i = 0; i < 3; i++)
        p.samples[i] =
            (struct pm_sample){40000 + i * 5000, 10.0 * i, total / 10 * (i * 4 + 1), total};
    p.n_cmds = 1;
    p.cmds = calloc(1, sizeof(*p.cmds));
    p.cmds[0].command = strdup("python fill.py");
    p.cmds[0].result = strdup("ended with the sandbox");
    p.cmds[0].running = true;
    p.n_logs = 1;
    p.logs = calloc(1, sizeof(*p.logs));
    p.logs[0].msg = strdup("evil \x1b]0;title\x07 line");
    p.logs[0].level = strdup("info");
    add_event(&p, 1000, "created", NULL);
    return p;
}

static void t_peak_and_card(void **state)
{
    (void)state;
    struct postmortem p = sample_rec("sbx2");
    assert_int_equal(pm_mem_peak(&p), 2);
    char **lines = NULL;
    int n = pm_card_lines(&p, &lines, 120000);
    assert_true(n > 8);
    assert_non_null(strstr(lines[0], "sbx2 ended"));
    assert_non_null(strstr(lines[0], "time to live reached"));
    int mem = 0, cmd = 0;
    for (int i = 0; i < n; i++) {
        if (strstr(lines[i], "memory peak 460 MiB of 512 MiB (90 %)")) mem = 1;
        if (strstr(lines[i], "python fill.py")) cmd = 1;
    }
    assert_true(mem);
    assert_true(cmd);
    pm_lines_free(lines, n);
    pm_free(&p);
}

/* A sandbox that used under 1 MiB (an idle shell: 292 KiB) read "memory peak 0 MiB". */
static void t_small_memory(void **state)
{
    (void)state;
    struct postmortem p = sample_rec("sbx4");
    for (int i = 0; i < p.n_samples; i++)
        p.samples[i].mem_used = 292 * 1024 + i;
    char **lines = NULL;
    int n = pm_card_lines(&p, &lines, 120000);
    int mem = 0;
    for (int i = 0; i < n; i++)
        if (strstr(lines[i], "memory peak 292 KiB of 512 MiB (0 %)")) mem = 1;
    assert_true(mem);
    pm_lines_free(lines, n);
    pm_free(&p);
}

static void t_json(void **state)
{
    (void)state;
    struct postmortem p = sample_rec("sbx3"), q;
    char *js = pm_to_json(&p);
    assert_non_null(js);
    struct error err = {0};
    assert_int_equal(pm_from_json(js, strlen(js), &q, &err), 0);
    assert_string_equal(q.id, "sbx3");
    assert_int_equal(q.cause, PM_CAUSE_TIMEOUT);
    assert_int_equal(q.n_samples, 3);
    assert_int_equal(q.samples[2].mem_used, p.samples[2].mem_used);
    assert_string_equal(q.cmds[0].command, "python fill.py");
    assert_string_equal(q.logs[0].msg, p.logs[0].msg); /* raw: sanitized when shown */
    assert_int_equal(q.n_events, 1);
    pm_free(&q);
    free(js);
    pm_free(&p);

    /* hostile: wrong types, huge numbers, no id, not an object */
    const char *bad[] = {"[]", "{}", "{\"sandboxID\":\"\"}", "nul", "{\"sandboxID\":3}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(pm_from_json(bad[i], strlen(bad[i]), &q, &err), -1);
    const char *odd = "{\"sandboxID\":\"x\",\"cause\":99,\"cpuCount\":1e300,\"startedMs\":\"a\","
                      "\"samples\":[1,{\"t\":-1e300}],\"commands\":{},\"logs\":[{\"message\":5}]}";
    assert_int_equal(pm_from_json(odd, strlen(odd), &q, &err), 0);
    assert_int_equal(q.cause, PM_CAUSE_UNKNOWN);
    assert_int_equal(q.cpu_count, 0);
    assert_int_equal(q.n_samples, 2);
    assert_int_equal(q.n_cmds, 0);
    assert_null(q.logs[0].msg);
    pm_free(&q);
}

static void t_store(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/boxtop-pm.XXXXXX";
    char *root = mkdtemp(tmpl);
    assert_non_null(root);
    setenv("XDG_STATE_HOME", root, 1);
    char *dir = pm_store_dir();
    char want[256];
    snprintf(want, sizeof want, "%s/boxtop/postmortems", root);
    assert_string_equal(dir, want);

    struct error err = {0};
    for (int i = 0; i < PM_STORE_MAX + 5; i++) {
        char id[32];
        snprintf(id, sizeof id, "sbx%03d", i);
        struct postmortem p = sample_rec(id);
        assert_int_equal(pm_store_save(dir, &p, &err), 0);
        pm_free(&p);
        char path[512];
        snprintf(path, sizeof path, "%s/%s.json", dir, id);
        /* distinct ages without sleeping: set the mtime */
        struct timespec ts[2] = {{1000 + i, 0}, {1000 + i, 0}};
        utimensat(AT_FDCWD, path, ts, 0);
    }
    struct postmortem p = sample_rec("sbx999");
    assert_int_equal(pm_store_save(dir, &p, &err), 0); /* prunes the oldest six */
    pm_free(&p);
    int count = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') count++;
    closedir(d);
    assert_int_equal(count, PM_STORE_MAX);

    struct postmortem q;
    assert_int_equal(pm_store_load(dir, "sbx000", &q, &err), -1);
    assert_int_equal(err.kind, ERROR_NOT_FOUND);
    assert_int_equal(pm_store_load(dir, "sbx999", &q, &err), 0);
    assert_string_equal(q.id, "sbx999");
    pm_free(&q);
    assert_int_equal(pm_store_load(dir, "sbx99", &q, &err), 0); /* a unique prefix */
    assert_string_equal(q.id, "sbx999");
    pm_free(&q);
    assert_int_equal(pm_store_load(dir, "sbx1", &q, &err), -1); /* ambiguous */
    assert_int_equal(pm_store_load(dir, "../etc", &q, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);

    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* find's records, cut anywhere, hostile paths and fields */
static void t_changes(void **state)
{
    (void)state;
    static const char in[] = "1733561234.5\t19\tuser\t644\t/home/user/notes.txt\0"
                             "1733561235.25\t307200\troot\t4755\t/a b\tc\nd\0"
                             "x\t1\tu\t644\t/bad-time\0"
                             "1.0\t1\tu\t999\t/bad-mode\0"
                             "1.0\t1\tu\t644\trelative\0"
                             "1.0\t-5\tu\t644\t/neg\0";
    for (size_t cut = 0; cut < sizeof(in) - 1; cut += 7) {
        struct chg_parser p = {0};
        struct chg_list l = {0};
        int a = chg_feed(&p, in, cut, &l);
        int b = chg_feed(&p, in + cut, sizeof(in) - 1 - cut, &l);
        assert_int_equal(a + b, 2);
        assert_int_equal(p.bad, 4);
        assert_string_equal(l.v[0].path, "/home/user/notes.txt");
        assert_int_equal(l.v[0].size, 19);
        assert_int_equal(l.v[0].mtime_ms, 1733561234500LL);
        assert_int_equal(l.v[0].mode, 0644);
        assert_string_equal(l.v[1].path, "/a b\tc\nd"); /* tabs, newlines kept */
        assert_int_equal(l.v[1].mode, 04755);
        assert_int_equal(chg_add_deleted(&l, "/home/user/notes.txt", 5), 0); /* still there */
        assert_int_equal(chg_add_deleted(&l, "/gone", 5), 0);
        assert_int_equal(l.n, 3);
        chg_sort(&l);
        assert_string_equal(l.v[0].path, "/a b\tc\nd"); /* newest first */
        assert_true(l.v[2].deleted);                   /* deletions last */
        chg_list_free(&l);
        chg_parser_free(&p);
    }
    /* a record longer than CHG_RECORD_MAX is dropped, the next one kept */
    struct chg_parser p = {0};
    struct chg_list l = {0};
    char *big = malloc(CHG_RECORD_MAX * 2);
    memset(big, 'a', CHG_RECORD_MAX * 2);
    assert_int_equal(chg_feed(&p, big, CHG_RECORD_MAX * 2, &l), 0);
    assert_int_equal(chg_feed(&p, in, sizeof(in) - 1, &l), 1); /* the first one ends the big */
    free(big);
    chg_list_free(&l);
    chg_parser_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_cause),
        cmocka_unit_test(t_planned_end_after_resume),
        cmocka_unit_test(t_peak_and_card),
        cmocka_unit_test(t_small_memory),
        cmocka_unit_test(t_json),
        cmocka_unit_test(t_store),
        cmocka_unit_test(t_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
