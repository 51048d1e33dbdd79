/* test_models.c - the strict model parsers: good documents parse into the right values, and
 * every required field, when missing or of the wrong type, is an error naming that field. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/models.h"
#include "boxtop/snapvol.h"
#include "boxtop/template_builds.h"

/* Shapes taken from openapi.yml and the SDK transcripts. */
static const char *LISTED =
    "{\"templateID\":\"rki5dems9wqfm4r03t7g\",\"alias\":\"base\",\"sandboxID\":"
    "\"ief70a8ee46668867996\",\"clientID\":\"6532622b\",\"startedAt\":\"2026-11-22T18:40:39.802Z\","
    "\"endAt\":\"2026-11-22T18:45:39.802Z\",\"cpuCount\":2,\"memoryMB\":512,\"diskSizeMB\":2048,"
    "\"metadata\":{\"purpose\":\"transcript\",\"odd key\":\"a b&c\"},\"state\":\"running\","
    "\"envdVersion\":\"0.6.13\",\"volumeMounts\":[]}";
static const char *DETAIL =
    "{\"templateID\":\"t1\",\"sandboxID\":\"i1\",\"clientID\":\"6532622b\","
    "\"startedAt\":\"2026-11-22T18:40:39.802123456Z\",\"endAt\":\"2026-11-22T18:45:39Z\","
    "\"cpuCount\":1,\"memoryMB\":256,\"diskSizeMB\":1024,\"state\":\"paused\",\"envdVersion\":"
    "\"0.6.13\",\"envdAccessToken\":\"tok_secret\",\"allowInternetAccess\":false,\"lifecycle\":"
    "{\"autoResume\":false,\"onTimeout\":\"pause\"}}";
static const char *CREATED =
    "{\"templateID\":\"t1\",\"sandboxID\":\"i1\",\"alias\":\"base\",\"clientID\":\"6532622b\","
    "\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"tok\",\"trafficAccessToken\":null,"
    "\"domain\":null}";
static const char *METRIC =
    "{\"timestamp\":\"2026-11-22T18:40:40Z\",\"timestampUnix\":1795372840,\"cpuCount\":2,"
    "\"cpuUsedPct\":12.5,\"memUsed\":104857600,\"memTotal\":536870912,\"memCache\":1024,"
    "\"diskUsed\":1073741824,\"diskTotal\":2147483648}";
static const char *LOGENTRY =
    "{\"timestamp\":\"2026-11-22T18:40:40.123456789Z\",\"level\":\"warn\",\"message\":\"hi\","
    "\"fields\":{\"logger\":\"process\",\"pid\":\"42\"}}";
static const char *TEMPLATE =
    "{\"templateID\":\"rki5\",\"buildID\":\"b1\",\"cpuCount\":2,\"memoryMB\":512,\"diskSizeMB\":"
    "2048,\"public\":true,\"aliases\":[\"base\"],\"names\":[\"e2b/base\"],\"createdAt\":"
    "\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\",\"createdBy\":null,"
    "\"lastSpawnedAt\":null,\"spawnCount\":7,\"buildCount\":1,\"envdVersion\":\"0.6.13\","
    "\"buildStatus\":\"ready\"}";
static const char *TEAM = "{\"timestamp\":\"2026-11-22T18:40:40Z\",\"timestampUnix\":1795372840,"
                          "\"concurrentSandboxes\":3,\"sandboxStartRate\":0.2}";

typedef int (*parse_fn)(const char *text, size_t len, struct error *err);

static int p_list(const char *t, size_t n, struct error *e)
{
    struct sandbox_list l;
    int rc = sandbox_list_parse(t, n, &l, e);
    if (rc == 0 && l.skipped) /* a bad item is left out and counted: an error here */
        rc = error_set(e, ERROR_PROTOCOL, "%s", l.skip_why);
    sandbox_list_free(&l); /* also after a failed parse: it leaves the list empty */
    return rc;
}

static int p_detail(const char *t, size_t n, struct error *e)
{
    struct sandbox s;
    int rc = sandbox_detail_parse(t, n, &s, e);
    if (rc == 0) sandbox_free(&s);
    return rc;
}

static int p_created(const char *t, size_t n, struct error *e)
{
    struct sandbox s;
    int rc = sandbox_created_parse(t, n, &s, e);
    if (rc == 0) sandbox_free(&s);
    return rc;
}

static int p_metrics(const char *t, size_t n, struct error *e)
{
    struct metric_list l;
    int rc = metrics_parse(t, n, &l, e);
    if (rc == 0) metric_list_free(&l);
    return rc;
}

static int p_batch(const char *t, size_t n, struct error *e)
{
    struct sandbox_metric_list l = {0};
    int rc = metrics_batch_parse(t, n, &l, e);
    if (rc == 0) sandbox_metric_list_free(&l);
    return rc;
}

static int p_logs(const char *t, size_t n, struct error *e)
{
    struct log_list l;
    int rc = logs_v2_parse(t, n, &l, e);
    if (rc == 0) log_list_free(&l);
    return rc;
}

static int p_templates(const char *t, size_t n, struct error *e)
{
    struct template_list l;
    int rc = templates_parse(t, n, &l, e);
    if (rc == 0) template_list_free(&l);
    return rc;
}

static int p_team(const char *t, size_t n, struct error *e)
{
    struct team_metric_list l;
    int rc = team_metrics_parse(t, n, &l, e);
    if (rc == 0) team_metric_list_free(&l);
    return rc;
}

/* Wrap an item the way its endpoint sends it. */
enum wrap { W_NONE, W_ARRAY, W_BATCH, W_LOGS };

static char *wrap_doc(cJSON *item, enum wrap w)
{
    char *inner = cJSON_PrintUnformatted(item);
    size_t n = strlen(inner) + 64;
    char *out = malloc(n);
    switch (w) {
    case W_NONE:
        snprintf(out, n, "%s", inner);
        break;
    case W_ARRAY:
        snprintf(out, n, "[%s]", inner);
        break;
    case W_BATCH:
        snprintf(out, n, "{\"sandboxes\":{\"i1\":%s}}", inner);
        break;
    case W_LOGS:
        snprintf(out, n, "{\"logs\":[%s]}", inner);
        break;
    }
    free(inner);
    return out;
}

/* For each required key: the document without it, and with a wrong type, must fail with a
 * message naming the key. */
static void check_required(const char *item, enum wrap w, parse_fn fn, const char *const *keys)
{
    struct error err = {0};
    cJSON *base = cJSON_Parse(item);
    assert_non_null(base);
    char *good = wrap_doc(base, w);
    assert_int_equal(fn(good, strlen(good), &err), 0);
    free(good);
    for (const char *const *k = keys; *k; k++) {
        cJSON *c = cJSON_Duplicate(base, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(c, *k);
        char *doc = wrap_doc(c, w);
        err = (struct error){0};
        assert_int_equal(fn(doc, strlen(doc), &err), -1);
        assert_int_equal(err.kind, ERROR_PROTOCOL);
        if (!strstr(err.msg, *k))
            fail_msg("missing %s: message \"%s\" does not name it", *k, err.msg);
        free(doc);
        cJSON_Delete(c);

        c = cJSON_Duplicate(base, 1);
        cJSON *orig = cJSON_GetObjectItemCaseSensitive(c, *k);
        cJSON *wrong = cJSON_IsArray(orig) ? cJSON_CreateString("x") : cJSON_CreateArray();
        cJSON_ReplaceItemInObjectCaseSensitive(c, *k, wrong);
        doc = wrap_doc(c, w);
        err = (struct error){0};
        assert_int_equal(fn(doc, strlen(doc), &err), -1);
        if (!strstr(err.msg, *k))
            fail_msg("wrong type %s: message \"%s\" does not name it", *k, err.msg);
        free(doc);
        cJSON_Delete(c);
    }
    cJSON_Delete(base);
}

static void test_listed_sandbox(void **state)
{
    (void)state;
    char doc[2048];
    snprintf(doc, sizeof doc, "[%s]", LISTED);
    struct sandbox_list l;
    struct error err = {0};
    assert_int_equal(sandbox_list_parse(doc, strlen(doc), &l, &err), 0);
    assert_int_equal(l.n, 1);
    struct sandbox *s = &l.items[0];
    assert_string_equal(s->id, "ief70a8ee46668867996");
    assert_string_equal(s->template_id, "rki5dems9wqfm4r03t7g");
    assert_string_equal(s->alias, "base");
    assert_int_equal(s->state, SANDBOX_RUNNING);
    assert_int_equal(s->cpu_count, 2);
    assert_int_equal(s->memory_mb, 512);
    assert_int_equal(s->disk_size_mb, 2048);
    assert_true(s->started_at_ms == 1795372839802LL);
    assert_true(s->end_at_ms == 1795373139802LL);
    assert_int_equal(s->metadata.n, 2);
    assert_string_equal(kv_list_get(&s->metadata, "odd key"), "a b&c");
    assert_null(s->envd_access_token);
    sandbox_list_free(&l);

    static const char *const req[] = {"templateID",  "sandboxID", "startedAt",  "endAt",
                                      "cpuCount",    "memoryMB",  "diskSizeMB", "state",
                                      "envdVersion", NULL};
    check_required(LISTED, W_ARRAY, p_list, req);
}

static void test_listed_bad_values(void **state)
{
    (void)state;
    struct error err = {0};
    struct sandbox_list l;
    const char *bad[] = {
        "{}",                    /* not an array */
        "[{\"sandboxID\":\"x\"", /* truncated */
        "[] trailing",           /* garbage after */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err = (struct error){0};
        assert_int_equal(sandbox_list_parse(bad[i], strlen(bad[i]), &l, &err), -1);
        assert_int_equal(err.kind, ERROR_PROTOCOL);
    }
    /* metadata values must be strings; times must be RFC 3339; counts must be sane */
    const char *fields[][2] = {
        {"\"metadata\":{\"purpose\":\"transcript\"", "\"metadata\":{\"purpose\":5"},
        {"\"startedAt\":\"2026-11-22T18:40:39.802Z\"", "\"startedAt\":\"yesterday\""},
        {"\"cpuCount\":2", "\"cpuCount\":-2"}};
    for (size_t i = 0; i < 3; i++) {
        char doc[2048] = "[";
        const char *at = strstr(LISTED, fields[i][0]);
        assert_non_null(at);
        strncat(doc, LISTED, (size_t)(at - LISTED));
        strcat(doc, fields[i][1]);
        strcat(doc, at + strlen(fields[i][0]));
        strcat(doc, "]");
        err = (struct error){0};
        /* the bad item is left out and counted, with the reason */
        assert_int_equal(sandbox_list_parse(doc, strlen(doc), &l, &err), 0);
        assert_int_equal(l.n, 0);
        assert_int_equal(l.skipped, 1);
        assert_non_null(strstr(l.skip_why, "sandboxes[0]"));
        sandbox_list_free(&l);
    }
    /* one bad item among good ones: the good ones stay, in order */
    char doc[4096];
    snprintf(doc, sizeof doc, "[%s,1,{\"sandboxID\":\"broken\",\"state\":42},%s]", LISTED, LISTED);
    err = (struct error){0};
    assert_int_equal(sandbox_list_parse(doc, strlen(doc), &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.skipped, 2);
    assert_non_null(strstr(l.skip_why, "sandboxes[1]"));
    sandbox_list_free(&l);
}

static void test_detail_and_created(void **state)
{
    (void)state;
    struct sandbox s;
    struct error err = {0};
    assert_int_equal(sandbox_detail_parse(DETAIL, strlen(DETAIL), &s, &err), 0);
    assert_int_equal(s.state, SANDBOX_PAUSED);
    assert_string_equal(s.envd_access_token, "tok_secret");
    assert_int_equal(s.allow_internet, 0);
    assert_string_equal(s.on_timeout, "pause");
    assert_true(s.started_at_ms == 1795372839802LL);
    cJSON *j = sandbox_to_json(&s);
    char *txt = cJSON_PrintUnformatted(j);
    assert_null(strstr(txt, "tok_secret")); /* tokens never reach output */
    assert_non_null(strstr(txt, "\"state\":\"paused\""));
    free(txt);
    cJSON_Delete(j);
    sandbox_free(&s);

    assert_int_equal(sandbox_created_parse(CREATED, strlen(CREATED), &s, &err), 0);
    assert_string_equal(s.id, "i1");
    assert_string_equal(s.envd_access_token, "tok");
    assert_null(s.domain); /* null reads as absent */
    sandbox_free(&s);

    static const char *const req_detail[] = {"templateID", "sandboxID",   "startedAt", "endAt",
                                             "state",      "envdVersion", NULL};
    check_required(DETAIL, W_NONE, p_detail, req_detail);
    static const char *const req_created[] = {"templateID", "sandboxID", "envdVersion", NULL};
    check_required(CREATED, W_NONE, p_created, req_created);
}

static void test_metrics(void **state)
{
    (void)state;
    char doc[1024];
    snprintf(doc, sizeof doc, "[%s,%s]", METRIC, METRIC);
    struct metric_list l;
    struct error err = {0};
    assert_int_equal(metrics_parse(doc, strlen(doc), &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_true(l.items[0].ts == 1795372840);
    assert_true(l.items[0].disk_total == 2147483648LL);
    assert_true(l.items[0].cpu_pct > 12.4 && l.items[0].cpu_pct < 12.6);
    metric_list_free(&l);
    static const char *const req[] = {"timestampUnix", "cpuCount", "cpuUsedPct", "memUsed",
                                      "memTotal",      "diskUsed", "diskTotal",  NULL};
    check_required(METRIC, W_ARRAY, p_metrics, req);
    check_required(METRIC, W_BATCH, p_batch, req);

    snprintf(doc, sizeof doc, "{\"sandboxes\":{\"a\":%s,\"b\":%s}}", METRIC, METRIC);
    struct sandbox_metric_list b = {0};
    assert_int_equal(metrics_batch_parse(doc, strlen(doc), &b, &err), 0);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.items[1].sandbox_id, "b");
    sandbox_metric_list_free(&b);
    err = (struct error){0};
    assert_int_equal(metrics_batch_parse("{}", 2, &b, &err), -1);
    assert_non_null(strstr(err.msg, "sandboxes"));
}

static void test_logs(void **state)
{
    (void)state;
    char doc[1024];
    snprintf(doc, sizeof doc, "{\"logs\":[%s]}", LOGENTRY);
    struct log_list l;
    struct error err = {0};
    assert_int_equal(logs_v2_parse(doc, strlen(doc), &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].level, LOG_ENTRY_WARN);
    assert_string_equal(l.items[0].timestamp, "2026-11-22T18:40:40.123456789Z");
    assert_string_equal(kv_list_get(&l.items[0].fields, "pid"), "42");
    log_list_free(&l);
    snprintf(doc, sizeof doc,
             "{\"logs\":[{\"timestamp\":\"2026-11-22T18:40:40Z\",\"line\":\"{}\"}],"
             "\"logEntries\":[%s]}",
             LOGENTRY);
    assert_int_equal(logs_v1_parse(doc, strlen(doc), &l, &err), 0);
    assert_int_equal(l.n, 1);
    log_list_free(&l);
    assert_int_equal(logs_v1_parse("{\"logs\":[]}", 11, &l, &err), -1);
    assert_non_null(strstr(err.msg, "logEntries"));
    static const char *const req[] = {"timestamp", "level", "message", "fields", NULL};
    check_required(LOGENTRY, W_LOGS, p_logs, req);
    const char *badlvl = "{\"logs\":[{\"timestamp\":\"2026-11-22T18:40:40Z\",\"level\":\"loud\","
                         "\"message\":\"\",\"fields\":{}}]}";
    assert_int_equal(logs_v2_parse(badlvl, strlen(badlvl), &l, &err), -1);
    assert_non_null(strstr(err.msg, "level"));
    enum log_entry_level lv;
    assert_int_equal(log_entry_level_parse("ERROR", &lv), 0);
    assert_int_equal(lv, LOG_ENTRY_ERROR);
    assert_int_equal(log_entry_level_parse("nope", &lv), -1);
}

/* Numbers a server may send that no display should take (issue 25). */
static void test_absurd_numbers(void **state)
{
    (void)state;
    struct error err = {0};
    struct metric_list m;
    char doc[1024];
    const char *at = strstr(METRIC, "12.5");
    snprintf(doc, sizeof doc, "[%.*s1.8e308%s]", (int)(at - METRIC), METRIC, at + 4);
    assert_int_equal(metrics_parse(doc, strlen(doc), &m, &err), -1);
    assert_non_null(strstr(err.msg, "cpuUsedPct: out of range"));
    struct team_metric_list t;
    const char *inf = "[{\"timestampUnix\":1,\"timestamp\":\"2026-01-01T00:00:00Z\","
                      "\"concurrentSandboxes\":1,\"sandboxStartRate\":1e309}]";
    err = (struct error){0};
    assert_int_equal(team_metrics_parse(inf, strlen(inf), &t, &err), -1);
    assert_non_null(strstr(err.msg, "sandboxStartRate: out of range"));
}

static void test_templates_and_team(void **state)
{
    (void)state;
    char doc[2048];
    snprintf(doc, sizeof doc, "[%s]", TEMPLATE);
    struct template_list t;
    struct error err = {0};
    assert_int_equal(templates_parse(doc, strlen(doc), &t, &err), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.items[0].aliases[0], "base");
    assert_string_equal(t.items[0].names[0], "e2b/base");
    assert_true(t.items[0].public_);
    assert_true(t.items[0].last_spawned_at_ms == 0);
    template_list_free(&t);
    static const char *const req[] = {"templateID",  "buildID",    "cpuCount",   "memoryMB",
                                      "diskSizeMB",  "public",     "aliases",    "createdAt",
                                      "updatedAt",   "spawnCount", "buildCount", "envdVersion",
                                      "buildStatus", NULL};
    check_required(TEMPLATE, W_ARRAY, p_templates, req);

    snprintf(doc, sizeof doc, "[%s]", TEAM);
    struct team_metric_list tm;
    assert_int_equal(team_metrics_parse(doc, strlen(doc), &tm, &err), 0);
    assert_int_equal(tm.items[0].concurrent_sandboxes, 3);
    team_metric_list_free(&tm);
    static const char *const req_team[] = {"timestampUnix", "concurrentSandboxes",
                                           "sandboxStartRate", NULL};
    check_required(TEAM, W_ARRAY, p_team, req_team);

    struct team_metric_max mx;
    const char *m = "{\"timestamp\":\"2026-11-22T18:40:40Z\",\"timestampUnix\":5,\"value\":2.5}";
    assert_int_equal(team_metric_max_parse(m, strlen(m), &mx, &err), 0);
    assert_true(mx.value > 2.4 && mx.ts == 5);
    assert_int_equal(team_metric_max_parse("{\"timestampUnix\":5}", 19, &mx, &err), -1);
    assert_non_null(strstr(err.msg, "value"));
}

/* issue 21: snapshots, volumes, fork answers (E2B cloud's shapes and boxtopd's extras) */
static void test_snapvol(void **state)
{
    (void)state;
    struct error err = {0};
    const char *cloud = "[{\"snapshotID\":\"acme/my-snap:default\",\"names\":[\"acme/my-snap\"]},"
                        "{\"snapshotID\":\"k3j2v7q9x0a1b2c3d4e5:default\",\"names\":[]},"
                        "{\"names\":[\"no id: skipped\"]}]";
    struct snapshot_list sl;
    assert_int_equal(snapshot_list_parse(cloud, strlen(cloud), &sl, &err), 0);
    assert_int_equal(sl.n, 2);
    assert_string_equal(sl.items[0].id, "acme/my-snap:default");
    assert_string_equal(sl.items[0].name, "acme/my-snap");
    assert_null(sl.items[1].name);
    assert_null(sl.items[0].sandbox_id);
    assert_int_equal(sl.items[0].size, -1); /* the cloud does not say */
    snapshot_list_free(&sl);
    const char *local = "[{\"snapshotID\":\"local/a:default\",\"names\":[\"local/a\"],"
                        "\"sandboxID\":\"iabc\",\"createdAt\":\"2026-01-02T03:04:05.678Z\","
                        "\"sizeBytes\":53248}]";
    assert_int_equal(snapshot_list_parse(local, strlen(local), &sl, &err), 0);
    assert_string_equal(sl.items[0].sandbox_id, "iabc");
    assert_int_equal(sl.items[0].size, 53248);
    assert_int_equal(sl.items[0].created_ms, 1767323045678LL);
    snapshot_list_free(&sl);
    assert_int_equal(snapshot_list_parse("{}", 2, &sl, &err), -1);

    const char *vols = "[{\"volumeID\":\"v1\",\"name\":\"data\"},"
                       "{\"volumeID\":\"v2\",\"name\":\"x\",\"sizeBytes\":10,"
                       "\"mountedBy\":[\"i1\",7,\"i2\"]}]";
    struct volume_list vl;
    assert_int_equal(volume_list_parse(vols, strlen(vols), &vl, &err), 0);
    assert_int_equal(vl.n, 2);
    assert_int_equal(vl.items[0].n_mounted, -1);
    assert_int_equal(vl.items[1].n_mounted, 2);
    assert_string_equal(vl.items[1].mounted_by[1], "i2");
    volume_list_free(&vl);

    const char *fork = "[{\"sandbox\":{\"sandboxID\":\"iaa\",\"envdAccessToken\":\"t\"}},"
                       "{\"error\":{\"code\":429,\"message\":\"limit\"}}]";
    struct fork_results fr;
    assert_int_equal(fork_results_parse(fork, strlen(fork), &fr, &err), 0);
    assert_int_equal(fr.n, 2);
    assert_string_equal(fr.items[0].sandbox_id, "iaa");
    assert_null(fr.items[1].sandbox_id);
    assert_int_equal(fr.items[1].code, 429);
    assert_string_equal(fr.items[1].message, "limit");
    fork_results_free(&fr);

    const char *detail = "{\"volumeMounts\":[{\"name\":\"o\",\"path\":\"/o\"},"
                         "{\"name\":\"data\",\"path\":\"/mnt/data\"}]}";
    char path[64];
    assert_int_equal(volume_mount_path(detail, strlen(detail), "data", path, sizeof path, &err), 0);
    assert_string_equal(path, "/mnt/data");
    assert_int_equal(volume_mount_path(detail, strlen(detail), "zz", path, sizeof path, &err), -1);
}

/* GET /templates/{id} and /templates/{id}/tags as the cloud sends them (template_get.go):
 * builds newest first, finishedAt only once ended, diskSizeMB/envdVersion optional. */
static void test_template_builds_and_tags(void **state)
{
    (void)state;
    const char *doc =
        "{\"templateID\":\"k3j2\",\"public\":false,\"aliases\":[\"my-app\"],"
        "\"names\":[\"acme/my-app\"],\"createdAt\":\"2025-10-01T00:00:00Z\","
        "\"updatedAt\":\"2025-11-20T08:00:00Z\",\"lastSpawnedAt\":null,\"spawnCount\":0,"
        "\"builds\":[{\"buildID\":\"b2\",\"status\":\"building\",\"createdAt\":"
        "\"2025-11-25T11:58:00Z\",\"updatedAt\":\"2025-11-25T11:59:00Z\",\"cpuCount\":2,"
        "\"memoryMB\":1024},{\"buildID\":\"b1\",\"status\":\"ready\",\"createdAt\":"
        "\"2025-11-20T08:00:00Z\",\"updatedAt\":\"2025-11-20T08:01:12Z\",\"finishedAt\":"
        "\"2025-11-20T08:01:12Z\",\"cpuCount\":2,\"memoryMB\":1024,\"diskSizeMB\":5120,"
        "\"envdVersion\":\"0.2.0\"}]}";
    struct template_detail d;
    struct error err = {0};
    assert_int_equal(template_detail_parse(doc, strlen(doc), &d, &err), 0);
    assert_string_equal(d.id, "k3j2");
    assert_int_equal(d.n_builds, 2);
    assert_string_equal(d.names[0], "acme/my-app");
    assert_string_equal(d.builds[1].status, "ready");
    assert_int_equal(d.builds[1].disk_size_mb, 5120);
    assert_true(d.builds[0].finished_ms == 0 && !d.builds[0].envd_version);
    assert_true(template_build_duration_ms(&d.builds[1], 0) == 72000);
    /* a running build counts up to now; an ended one without finishedAt cannot be told */
    assert_true(template_build_duration_ms(&d.builds[0], d.builds[0].created_ms + 5000) == 5000);
    free(d.builds[0].status);
    d.builds[0].status = strdup("error");
    assert_true(template_build_duration_ms(&d.builds[0], d.builds[0].created_ms + 5000) == -1);
    template_detail_free(&d);

    const char *bad = "{\"templateID\":\"k\",\"public\":false,\"builds\":[{\"buildID\":\"b\","
                      "\"status\":\"ready\",\"createdAt\":\"x\",\"updatedAt\":\"x\","
                      "\"cpuCount\":2,\"memoryMB\":1}]}";
    assert_int_equal(template_detail_parse(bad, strlen(bad), &d, &err), -1);
    assert_non_null(strstr(err.msg, "template.builds[0].createdAt"));
    const char *nobuilds = "{\"templateID\":\"k\",\"public\":false}";
    assert_int_equal(template_detail_parse(nobuilds, strlen(nobuilds), &d, &err), -1);
    assert_non_null(strstr(err.msg, "builds"));

    const char *tags = "[{\"tag\":\"default\",\"buildID\":\"b1\",\"createdAt\":"
                       "\"2025-11-20T08:01:12Z\"},{\"tag\":\"v1\",\"buildID\":\"b1\","
                       "\"createdAt\":\"2025-11-20T08:05:00Z\"}]";
    struct template_tag_list tl;
    assert_int_equal(template_tags_parse(tags, strlen(tags), &tl, &err), 0);
    assert_int_equal(tl.n, 2);
    assert_string_equal(tl.items[1].tag, "v1");
    template_tag_list_free(&tl);
    const char *badtag = "[{\"tag\":7,\"buildID\":\"b1\",\"createdAt\":\"2025-11-20T08:05:00Z\"}]";
    assert_int_equal(template_tags_parse(badtag, strlen(badtag), &tl, &err), -1);
    assert_non_null(strstr(err.msg, "tags[0].tag"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listed_sandbox),
        cmocka_unit_test(test_listed_bad_values),
        cmocka_unit_test(test_detail_and_created),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_logs),
        cmocka_unit_test(test_templates_and_team),
        cmocka_unit_test(test_absurd_numbers),
        cmocka_unit_test(test_snapvol),
        cmocka_unit_test(test_template_builds_and_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
