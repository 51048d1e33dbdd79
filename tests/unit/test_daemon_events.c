/* test_daemon_events.c - boxtopd's lifecycle event store (src/daemon/events.c): queries by
 * sandbox, type, order, offset and limit; events survive a reopen (a torn or foreign line in
 * the file is skipped); the last EVENTS_CAP are kept and the file is compacted while running;
 * with no writable state dir the events are still served; and the heap does not grow with
 * the number of events (issue 15: make soak saw boxtopd creep by ~2 kB an event). */
#include "config.h"

#include <malloc.h>
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

#include "events.h"
#include "sandbox.h"

struct fx {
    char dir[64];
    struct sbx a, b;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test-events.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->a.id, sizeof f->a.id, "iaaaaaaaaaaaaaaaaaaaa");
    snprintf(f->b.id, sizeof f->b.id, "ibbbbbbbbbbbbbbbbbbbb");
    snprintf(f->a.template_id, sizeof f->a.template_id, "base");
    snprintf(f->b.template_id, sizeof f->b.template_id, "base");
    snprintf(f->a.execution_id, sizeof f->a.execution_id, "00000000-0000-4000-8000-00000000000a");
    snprintf(f->b.execution_id, sizeof f->b.execution_id, "00000000-0000-4000-8000-00000000000b");
    f->b.metadata = cJSON_CreateObject();
    cJSON_AddStringToObject(f->b.metadata, "owner", "soak");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];
    cJSON_Delete(f->b.metadata);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* "type of sandbox" of every event of a query, e.g. "created a,killed a" */
static void summary(cJSON *arr, char *out, size_t n)
{
    const cJSON *e;
    size_t len = 0;
    out[0] = '\0';
    cJSON_ArrayForEach(e, arr)
    {
        len +=
            (size_t)snprintf(out + len, n - len, "%s%s %c", len ? "," : "",
                             str(e, "type") + strlen("sandbox.lifecycle."), str(e, "sandboxId")[1]);
        assert_true(len < n);
    }
    cJSON_Delete(arr);
}

static void emit_sample(struct events *ev, struct fx *f)
{
    events_emit(ev, &f->a, "created", NULL);
    events_emit(ev, &f->b, "created", NULL);
    events_emit(ev, &f->a, "paused", NULL);
    events_emit(ev, &f->a, "resumed", NULL);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "kill_reason", "request");
    events_emit(ev, &f->b, "killed", data);
}

static void check_sample(struct events *ev)
{
    char s[512];
    const char *killed[] = {"sandbox.lifecycle.killed", "sandbox.lifecycle.paused"};

    summary(events_query(ev, NULL, 0, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "created a,created b,paused a,resumed a,killed b");
    summary(events_query(ev, NULL, 0, 100, false, NULL, 0), s, sizeof s);
    assert_string_equal(s, "killed b,resumed a,paused a,created b,created a");
    summary(events_query(ev, "iaaaaaaaaaaaaaaaaaaaa", 0, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "created a,paused a,resumed a");
    summary(events_query(ev, "iaaaaaaaaaaaaaaaaaaaa", 1, 1, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "paused a");
    summary(events_query(ev, NULL, 1, 2, false, NULL, 0), s, sizeof s);
    assert_string_equal(s, "resumed a,paused a");
    summary(events_query(ev, NULL, 0, 100, true, killed, 2), s, sizeof s);
    assert_string_equal(s, "paused a,killed b");
    summary(events_query(ev, "ibbbbbbbbbbbbbbbbbbbb", 0, 100, true, killed, 1), s, sizeof s);
    assert_string_equal(s, "killed b");
    summary(events_query(ev, "inothere", 0, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "");

    /* the whole event as it was emitted, metadata and eventData included */
    cJSON *arr = events_query(ev, "ibbbbbbbbbbbbbbbbbbbb", 0, 1, false, NULL, 0);
    const cJSON *e = cJSON_GetArrayItem(arr, 0);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "eventData");
    assert_string_equal(str(e, "eventLabel"), "kill");
    assert_string_equal(str(e, "sandboxExecutionId"), "00000000-0000-4000-8000-00000000000b");
    assert_string_equal(str(data, "kill_reason"), "request");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(data, "sandbox_metadata"), "owner"),
                        "soak");
    cJSON_Delete(arr);
}

static void queries_and_reopen(void **state)
{
    struct fx *f = *state;
    struct events *ev;
    char path[128];

    assert_int_equal(events_open(&ev, f->dir), 0);
    emit_sample(ev, f);
    check_sample(ev);
    events_free(ev);

    /* a foreign line and a torn last line (a crash mid-write) are skipped at reopen */
    snprintf(path, sizeof path, "%s/events.jsonl", f->dir);
    FILE *fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("[1,2,3]\n{\"type\":\"sandbox.lifecycle.created\",\"sandboxId\":\"iaaa", fp);
    fclose(fp);
    assert_int_equal(events_open(&ev, f->dir), 0);
    check_sample(ev);
    events_emit(ev, &f->a, "killed", NULL);
    char s[512];
    summary(events_query(ev, "iaaaaaaaaaaaaaaaaaaaa", 0, 1, false, NULL, 0), s, sizeof s);
    assert_string_equal(s, "killed a");
    events_free(ev);
}

static void no_state_dir(void **state)
{
    struct fx *f = *state;
    struct events *ev;
    assert_int_equal(events_open(&ev, "/nonexistent/boxtopd-state"), 0);
    emit_sample(ev, f);
    check_sample(ev); /* kept in memory when the file cannot be written */
    events_free(ev);
}

static size_t count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    size_t n = 0;
    int c;
    assert_non_null(fp);
    while ((c = getc(fp)) != EOF)
        n += c == '\n';
    fclose(fp);
    return n;
}

/* EVENTS_CAP kept, the file compacted, and the heap flat while the events pour in */
static void bounded(void **state)
{
    struct fx *f = *state;
    struct events *ev;
    char path[128], s[512];
    size_t total = 2 * EVENTS_CAP + 500;

    snprintf(path, sizeof path, "%s/events.jsonl", f->dir);
    assert_int_equal(events_open(&ev, f->dir), 0);
    for (size_t i = 0; i < 1000; i++)
        events_emit(ev, i % 2 ? &f->a : &f->b, "updated", NULL);
    struct mallinfo2 m0 = mallinfo2();
    for (size_t i = 1000; i < total; i++)
        events_emit(ev, i % 2 ? &f->a : &f->b, i == total - 1 ? "killed" : "updated", NULL);
    struct mallinfo2 m1 = mallinfo2();
    /* before: ~2 kB of cJSON per event, 20 000 events = ~40 MB */
    assert_true(m1.uordblks < m0.uordblks + (256u << 10));
    assert_true(count_lines(path) <= 2 * EVENTS_CAP);

    cJSON *all = events_query(ev, NULL, 0, 100, true, NULL, 0);
    assert_int_equal(cJSON_GetArraySize(all), 100);
    cJSON_Delete(all);
    /* the oldest kept is event total - EVENTS_CAP: count a's in the last 100 */
    summary(events_query(ev, NULL, EVENTS_CAP - 1, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "killed a");
    summary(events_query(ev, "iaaaaaaaaaaaaaaaaaaaa", 0, 1, false, NULL, 0), s, sizeof s);
    assert_string_equal(s, "killed a");
    summary(events_query(ev, NULL, EVENTS_CAP, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "");
    events_free(ev);

    /* and after a reopen of the compacted file, the same */
    assert_int_equal(events_open(&ev, f->dir), 0);
    summary(events_query(ev, NULL, EVENTS_CAP - 2, 100, true, NULL, 0), s, sizeof s);
    assert_string_equal(s, "updated b,killed a");
    assert_int_equal(count_lines(path), EVENTS_CAP);
    events_free(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(queries_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(no_state_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(bounded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
