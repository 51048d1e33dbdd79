/* test_commands.c - the command history (commands.h): cloud-format pages (v1 with exit codes,
 * v2 without), pairing by operation_id then pid (out of order, a reused pid, an end without
 * a start, an envd restart), filters, results, and one command's output with the seam
 * between logged and live lines. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/commands.h"
#include "commands_cloud_fixture.h"

static void hist_from(struct cmd_hist *h, const char *page, bool v1)
{
    struct cmd_evs evs = {0};
    struct cmd_page pg;
    struct error err = {0};
    cmd_hist_init(h);
    assert_int_equal(v1 ? cmd_parse_v1(page, strlen(page), false, &evs, &pg, &err)
                        : cmd_parse_v2(page, strlen(page), false, &evs, &pg, &err),
                     0);
    assert_int_equal(pg.entries, 10);
    cmd_hist_add(h, &evs);
    cmd_hist_rebuild(h);
}

static void cloud_v1(void **state)
{
    (void)state;
    struct cmd_hist h;
    char res[96];
    hist_from(&h, CLOUD_V1, true);
    assert_true(h.saw_process);
    assert_false(h.saw_output); /* E2B cloud keeps no output */
    assert_int_equal(h.n, 5);
    /* sorted by envd's time although the page was not */
    assert_int_equal(h.v[0].pid, 12);
    assert_string_equal(cmd_display(h.v[0].command), "pip install -r requirements.txt");
    assert_int_equal(h.v[0].result, CMD_OK);
    assert_int_equal(h.v[0].stdout_bytes, 1048576);
    assert_int_equal(h.v[0].end_ns - h.v[0].start_ns, 900000000);
    assert_int_equal(h.v[1].pid, 40);
    assert_int_equal(h.v[1].result, CMD_EXIT);
    assert_int_equal(h.v[1].exit_code, 1);
    assert_int_equal(h.v[1].end_ns - h.v[1].start_ns, 2000000001);
    /* an end without a start */
    assert_int_equal(h.v[2].pid, 7);
    assert_null(h.v[2].command);
    assert_int_equal(h.v[2].start_ns, 0);
    assert_int_equal(cmd_exit_status(&h.v[2]), 2);
    /* pid 12 again: a new command, never merged across the first one's end */
    assert_int_equal(h.v[3].pid, 12);
    assert_int_equal(h.v[3].op, 3);
    assert_int_equal(h.v[3].result, CMD_SIGNAL);
    cmd_result_text(&h.v[3], res, sizeof res);
    assert_string_equal(res, "signal: killed");
    assert_int_equal(cmd_exit_status(&h.v[3]), 137);
    assert_int_equal(h.v[4].result, CMD_RUNNING);
    assert_true(cmd_matches(&h.v[4], "state:running train"));
    assert_false(cmd_matches(&h.v[4], "state:failed"));
    assert_true(cmd_matches(&h.v[1], "state:failed PYTEST"));
    size_t failed = 0;
    for (size_t i = 0; i < h.n; i++)
        failed += cmd_failed(&h.v[i]);
    assert_int_equal(failed, 3);
    /* the sandbox is gone: the running one ended with it */
    h.sandbox_gone = true;
    cmd_hist_rebuild(&h);
    assert_int_equal(h.v[4].result, CMD_GONE);
    cmd_hist_free(&h);
}

static void cloud_v2(void **state)
{
    (void)state;
    struct cmd_hist h;
    hist_from(&h, CLOUD_V2, false);
    assert_int_equal(h.n, 5);
    /* v2 drops process_result: ended, result unknown; byte counts in %G form parse */
    assert_int_equal(h.v[0].result, CMD_ENDED);
    assert_int_equal(h.v[0].stdout_bytes, 1048576);
    assert_int_equal(cmd_exit_status(&h.v[0]), -1);
    assert_int_equal(h.v[4].result, CMD_RUNNING);
    /* the same page again (overlapping cursors): nothing new */
    struct cmd_evs evs = {0};
    struct cmd_page pg;
    struct error err = {0};
    assert_int_equal(cmd_parse_v2(CLOUD_V2, strlen(CLOUD_V2), false, &evs, &pg, &err), 0);
    assert_int_equal(cmd_hist_add(&h, &evs), 0);
    cmd_hist_rebuild(&h);
    assert_int_equal(h.n, 5);
    cmd_hist_free(&h);
}

static void add_ev(struct cmd_evs *e, int64_t ts, enum cmd_ev_type t, uint32_t pid, int64_t op,
                   const char *text)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->v = realloc(e->v, e->cap * sizeof *e->v);
    }
    struct cmd_ev *ev = &e->v[e->n++];
    memset(ev, 0, sizeof *ev);
    ev->ts_ns = ts;
    ev->type = t;
    ev->pid = pid;
    ev->op = op;
    ev->text = text ? strdup(text) : NULL;
    if (t == CMD_EV_END) {
        ev->has_result = true;
        ev->exited = true;
    }
}

/* A command the log saw start and never end, that Process.List no longer shows (its
 * processes were stopped: a boxtopd restart, a filesystem-only pause), has ended: it stayed
 * "running" with a growing duration. One that started just before the list (clocks differ)
 * keeps running until a later list; an end line from the log still wins. */
static void unlisted_commands_end(void **state)
{
    (void)state;
    const int64_t S = 1000000000LL;
    struct cmd_hist h;
    struct cmd_evs e = {0};
    cmd_hist_init(&h);
    add_ev(&e, 10 * S, CMD_EV_START, 2, 1, "bash (terminal)");
    add_ev(&e, 11 * S, CMD_EV_START, 5, 2, "sleep 3600");
    add_ev(&e, 19 * S, CMD_EV_START, 8, 3, "just started");
    cmd_hist_add(&h, &e);
    cmd_hist_rebuild(&h);
    struct cmd_listed l[] = {{5, "sleep 3600", NULL, NULL}};
    cmd_hist_set_listed(&h, l, 1, 20 * S);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.v[0].result, CMD_ENDED); /* not listed: ended */
    assert_int_equal(h.v[0].end_ns, 20 * S);
    assert_int_equal(h.v[1].result, CMD_RUNNING); /* listed */
    assert_int_equal(h.v[2].result, CMD_RUNNING); /* too new to tell */
    cmd_hist_rebuild(&h);                         /* the next log round keeps it */
    assert_int_equal(h.v[0].result, CMD_ENDED);
    assert_int_equal(h.v[2].result, CMD_RUNNING);
    cmd_hist_set_listed(&h, l, 1, 40 * S);
    assert_int_equal(h.v[2].result, CMD_ENDED);
    add_ev(&e, 12 * S, CMD_EV_END, 2, 1, "exit status 0"); /* the log says how it ended */
    cmd_hist_add(&h, &e);
    cmd_hist_rebuild(&h);
    assert_int_equal(h.v[0].result, CMD_OK);
    assert_int_equal(h.nlisted, 0);
    cmd_evs_free(&e);
    cmd_hist_free(&h);
}

static void boots_and_late_lines(void **state)
{
    (void)state;
    struct cmd_hist h;
    struct cmd_evs e = {0};
    cmd_hist_init(&h);
    add_ev(&e, 100, CMD_EV_START, 5, 1, "a");
    add_ev(&e, 200, CMD_EV_START, 6, 2, "b");
    /* envd restarted: operation_id counts from 1 again, pid 5 reused */
    add_ev(&e, 300, CMD_EV_START, 5, 1, "c");
    add_ev(&e, 400, CMD_EV_END, 5, 1, "exit status 0");
    cmd_hist_add(&h, &e);
    cmd_hist_rebuild(&h);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.v[2].boot, 1);
    assert_int_equal(h.v[2].result, CMD_OK); /* the end belongs to the new boot's op 1 */
    assert_int_equal(h.v[0].result, CMD_RUNNING);
    /* a line that arrives late but happened earlier lands in the right command */
    add_ev(&e, 150, CMD_EV_END, 5, 1, "exit status 0");
    e.v[0].exit_code = 4;
    cmd_hist_add(&h, &e);
    cmd_hist_rebuild(&h);
    assert_int_equal(h.v[0].result, CMD_EXIT);
    assert_int_equal(h.v[0].exit_code, 4);
    assert_int_equal(h.v[2].result, CMD_OK);
    /* a running process that only Process.List knows */
    struct cmd_listed l[] = {{6, "/bin/bash -l -c b", "/home/user", NULL},
                             {99, "/bin/sh -c x " CMD_INTERNAL_TAG, NULL, CMD_INTERNAL_TAG},
                             {100, "top", NULL, NULL}};
    cmd_hist_set_listed(&h, l, 3, 1000);
    assert_int_equal(h.nlisted, 2);
    assert_string_equal(h.v[1].cwd, "/home/user");
    assert_true(h.listed[0].internal);
    assert_true(h.listed[0].listed_only);
    assert_false(h.listed[1].internal);
    /* the log has process events: a listed process that is gone is simply gone */
    cmd_hist_set_listed(&h, l, 1, 2000);
    assert_int_equal(h.nlisted, 0);
    cmd_hist_free(&h);
    /* an envd that logs no process events: what boxtop saw stays, as ended */
    cmd_hist_init(&h);
    cmd_hist_set_listed(&h, l + 2, 1, 1000);
    assert_int_equal(h.nlisted, 1);
    assert_int_equal(h.listed[0].result, CMD_RUNNING);
    cmd_hist_set_listed(&h, NULL, 0, 5000);
    assert_int_equal(h.nlisted, 1);
    assert_int_equal(h.listed[0].result, CMD_ENDED);
    assert_int_equal(h.listed[0].end_ns, 5000);
    assert_string_equal(h.listed[0].command, "top");
    cmd_hist_set_listed(&h, l + 2, 1, 6000); /* pid 100 again: a new run */
    assert_int_equal(h.nlisted, 2);
    cmd_hist_free(&h);
    assert_true(cmd_is_internal("/bin/sh -c exec /bin/chmod \"$@\" " CMD_INTERNAL_TAG " 644 -- f"));
    assert_false(cmd_is_internal("/bin/bash -l -c echo " CMD_INTERNAL_TAG "x"));
}

static void seam(void **state)
{
    (void)state;
    const char *log[] = {"a", "b", "c", "d"};
    const char *live1[] = {"c", "d", "e"};
    const char *live2[] = {"c"};
    const char *live3[] = {"x"};
    assert_int_equal(cmd_seam_split(log, 4, live1, 3), 2);
    assert_int_equal(cmd_seam_split(log, 4, live2, 1), 2); /* the stream lags the log */
    assert_int_equal(cmd_seam_split(log, 4, live3, 1), 4); /* no overlap */
    assert_int_equal(cmd_seam_split(log, 4, NULL, 0), 5);  /* undecided */

    /* a command's output: logged lines before the attach, overlap after it, live tail */
    struct cmd_output o;
    struct cmd_evs e = {0};
    cmd_output_init(&o);
    add_ev(&e, 10, CMD_EV_OUTPUT, 7, 1, "line 1");
    add_ev(&e, 20, CMD_EV_OUTPUT, 7, 1, "line 2");
    cmd_output_add_logged(&o, &e);
    cmd_output_attach(&o, 25);
    add_ev(&e, 30, CMD_EV_OUTPUT, 7, 1, "line 3"); /* before envd saw the attach */
    add_ev(&e, 40, CMD_EV_OUTPUT, 7, 1, "line 4"); /* also sent live */
    add_ev(&e, 20, CMD_EV_OUTPUT, 7, 1, "line 2"); /* a repeat from an overlapping page */
    cmd_output_add_logged(&o, &e);
    cmd_output_add_live(&o, false, "line 4\nli", 9);
    cmd_output_seam(&o, false);
    assert_true(o.seam_done);
    cmd_output_add_live(&o, false, "ne 5\r\npartial", 13);
    cmd_output_add_live(&o, true, "oops\n", 5);
    cmd_output_live_end(&o);
    const char *want[] = {"line 1", "line 2", "line 3", "line 4", "line 5", "oops", "partial"};
    assert_int_equal(o.n, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(o.v[i].text, want[i]);
    assert_true(o.v[5].is_stderr);
    cmd_output_free(&o);
}

static void hostile_pages(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "[]",
        "{\"logs\":{}}",
        "{\"logs\":[1,\"x\",null]}",
        "{\"logs\":[{\"timestamp\":\"2026-13-01T00:00:00Z\",\"line\":\"{}\"}]}",
        "{\"logs\":[{\"timestamp\":\"2026-11-22T10:00:00Z\",\"line\":\"{\\\"logger\\\":"
        "\\\"process\\\",\\\"event_type\\\":\\\"process_end\\\",\\\"pid\\\":-4}\"}]}",
        "{\"logs\":[{\"timestamp\":\"2026-11-22T10:00:00Z\",\"line\":\"{\\\"logger\\\":"
        "\\\"process\\\",\\\"event_type\\\":\\\"process_end\\\",\\\"pid\\\":\\\"1e99\\\"}\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cmd_evs evs = {0};
        struct cmd_page pg;
        struct error err = {0};
        int rc = cmd_parse_v1(bad[i], strlen(bad[i]), true, &evs, &pg, &err);
        assert_int_equal(evs.n, 0);
        if (i < 3) assert_int_equal(rc, -1);
        cmd_evs_free(&evs);
    }
    int64_t ns;
    assert_int_equal(cmd_parse_time_ns("2026-11-22T10:00:01.5+01:00", &ns), 0);
    assert_int_equal(cmd_parse_time_ns("2026-11-22T09:00:01.500000000Z", &ns), 0);
    int64_t ns2;
    cmd_parse_time_ns("2026-11-22T10:00:01.5+01:00", &ns2);
    assert_int_equal(ns, ns2);
    assert_int_equal(cmd_parse_time_ns("2026-11-22T10:00:01.Z", &ns), -1);
    assert_int_equal(cmd_parse_time_ns("2026-11-22 10:00:01Z", &ns), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cloud_v1),
        cmocka_unit_test(cloud_v2),
        cmocka_unit_test(boots_and_late_lines),
        cmocka_unit_test(unlisted_commands_end),
        cmocka_unit_test(seam),
        cmocka_unit_test(hostile_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
