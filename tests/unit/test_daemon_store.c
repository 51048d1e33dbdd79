/* test_daemon_store.c - sandbox records: JSON round trip, atomic files, hostile records. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <cJSON.h>

#include "sandbox.h"
#include "store.h"

static void fill(struct sbx *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "iabc123");
    snprintf(s->template_id, sizeof s->template_id, "base");
    snprintf(s->alias, sizeof s->alias, "base");
    memset(s->envd_token, 'a', 64);
    snprintf(s->execution_id, sizeof s->execution_id, "00000000-0000-4000-8000-000000000000");
    s->started_at_ms = 1795610434924LL;
    s->end_at_ms = 1795610734924LL;
    s->paused_at_ms = 0;
    s->exec_started_ms = 1795610434924LL;
    s->cpu_count = 2;
    s->memory_mb = 512;
    s->disk_mb = 2048;
    s->auto_pause = true;
    s->secure = true;
    s->state = SBX_PAUSED;
    s->frozen = true;
    s->metadata = cJSON_CreateObject();
    cJSON_AddStringToObject(s->metadata, "odd key", "a b&c");
}

static void round_trip(void **state)
{
    (void)state;
    struct sbx a, b;
    struct error err;
    fill(&a);
    cJSON *j = store_record_to_json(&a);
    memset(&b, 0, sizeof b);
    assert_int_equal(store_record_from_json(j, &b, &err), 0);
    assert_string_equal(b.id, a.id);
    assert_string_equal(b.envd_token, a.envd_token);
    assert_int_equal(b.started_at_ms, a.started_at_ms); /* ms timestamps beyond INT_MAX */
    assert_int_equal(b.end_at_ms, a.end_at_ms);
    assert_int_equal(b.state, SBX_PAUSED);
    assert_true(b.frozen && b.auto_pause && b.secure && !b.auto_resume);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(b.metadata, "odd key")->valuestring,
                        "a b&c");
    assert_null(b.env_vars);
    cJSON_Delete(j);
    cJSON_Delete(a.metadata);
    cJSON_Delete(b.metadata);
}

static void hostile_records(void **state)
{
    (void)state;
    struct sbx a, b;
    struct error err;
    static const char *mutations[][2] = {
        {"id", "\"../../etc\""},     {"id", "5"},
        {"state", "\"zombie\""},     {"cpuCount", "0"},
        {"memoryMB", "\"1\""},       {"metadata", "{\"a\":1}"},
        {"envdAccessToken", "null"}, {"startedAt", "\"now\""},
    };
    fill(&a);
    for (size_t i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
        cJSON *j = store_record_to_json(&a);
        cJSON_ReplaceItemInObjectCaseSensitive(j, mutations[i][0], cJSON_Parse(mutations[i][1]));
        memset(&b, 0, sizeof b);
        if (store_record_from_json(j, &b, &err) == 0)
            fail_msg("accepted %s=%s", mutations[i][0], mutations[i][1]);
        cJSON_Delete(b.metadata);
        cJSON_Delete(b.env_vars);
        cJSON_Delete(j);
    }
    memset(&b, 0, sizeof b);
    cJSON *arr = cJSON_CreateArray();
    assert_int_equal(store_record_from_json(arr, &b, &err), -1);
    cJSON_Delete(arr);
    cJSON_Delete(a.metadata);
}

static int seen;
static void count_rec(void *ud, const cJSON *rec, const char *file)
{
    (void)file;
    struct sbx *s = ud;
    struct error err;
    memset(s, 0, sizeof *s);
    if (store_record_from_json(rec, s, &err) == 0) seen++;
    cJSON_Delete(s->metadata);
    cJSON_Delete(s->env_vars);
}

static void files_on_disk(void **state)
{
    (void)state;
    char dir[] = "/tmp/boxtopd-store-XXXXXX", path[512];
    struct sbx a, tmp;
    struct error err;
    struct stat st;
    assert_non_null(mkdtemp(dir));
    fill(&a);
    assert_int_equal(store_save(dir, &a, &err), 0);
    snprintf(path, sizeof path, "%s/records/iabc123.json", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* garbage next to it is skipped, not fatal */
    snprintf(path, sizeof path, "%s/records/junk.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{not json", f);
    fclose(f);
    seen = 0;
    assert_int_equal(store_each(dir, count_rec, &tmp, &err), 0);
    assert_int_equal(seen, 1);
    unlink(path);
    store_remove(dir, "iabc123");
    store_remove(dir, "../x"); /* refused, no effect */
    seen = 0;
    store_each(dir, count_rec, &tmp, &err);
    assert_int_equal(seen, 0);
    snprintf(path, sizeof path, "%s/records", dir);
    rmdir(path);
    assert_int_equal(rmdir(dir), 0); /* nothing left behind (no temp files) */
    cJSON_Delete(a.metadata);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(hostile_records),
        cmocka_unit_test(files_on_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
