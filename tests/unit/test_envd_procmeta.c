/* test_envd_procmeta.c - the metadata init keeps per process (procmeta.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "procmeta.h"

static void round_trip(void **state)
{
    (void)state;
    cJSON *cfg = cJSON_Parse("{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"sleep 9\"],"
                             "\"envs\":{\"K\":\"v\"},\"cwd\":\"/tmp\"}");
    struct buf b = BUF_INIT;
    assert_int_equal(procmeta_build(&b, "17", 1796000000123, "web", cfg, PROCMETA_MAX), 0);
    char *tag, op[24];
    int64_t dl;
    cJSON *back;
    assert_int_equal(procmeta_parse(b.data, b.len, op, sizeof op, &dl, &tag, &back), 0);
    assert_string_equal(op, "17");
    assert_int_equal(dl, 1796000000123); /* the time limit outlives a boxtopd restart */
    assert_string_equal(tag, "web");
    assert_true(cJSON_Compare(cfg, back, 1));
    free(tag);
    cJSON_Delete(back);
    /* no tag: NULL, config kept */
    assert_int_equal(procmeta_build(&b, NULL, 0, NULL, cfg, PROCMETA_MAX), 0);
    assert_int_equal(procmeta_parse(b.data, b.len, op, sizeof op, &dl, &tag, &back), 0);
    assert_null(tag);
    assert_int_equal(dl, 0);
    assert_string_equal(op, "");
    assert_true(cJSON_Compare(cfg, back, 1));
    cJSON_Delete(back);
    buf_free(&b);
    cJSON_Delete(cfg);
}

/* Over the limit, the envs go first, then the args, then the config: never a cut JSON. */
static void shrinks_to_fit(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cJSON *cfg = cJSON_CreateObject();
    cJSON_AddStringToObject(cfg, "cmd", "/bin/sh");
    cJSON *args = cJSON_AddArrayToObject(cfg, "args");
    cJSON_AddItemToArray(args, cJSON_CreateString("-c"));
    cJSON_AddItemToArray(args, cJSON_CreateString(big));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cfg, "envs"), "E", big);
    struct buf b = BUF_INIT;
    char *tag, op[24];
    int64_t dl;
    cJSON *back;
    assert_int_equal(procmeta_build(&b, "3", 5, "t", cfg, 4000), 0); /* envs dropped */
    assert_true(b.len <= 4000);
    assert_int_equal(procmeta_parse(b.data, b.len, op, sizeof op, &dl, &tag, &back), 0);
    assert_null(cJSON_GetObjectItem(back, "envs"));
    assert_non_null(cJSON_GetObjectItem(back, "args"));
    free(tag);
    cJSON_Delete(back);
    assert_int_equal(procmeta_build(&b, "3", 5, "t", cfg, 1000), 0); /* args dropped too */
    assert_int_equal(procmeta_parse(b.data, b.len, op, sizeof op, &dl, &tag, &back), 0);
    assert_null(cJSON_GetObjectItem(back, "args"));
    assert_int_equal(dl, 5); /* the time limit is never dropped to fit */
    assert_string_equal(cJSON_GetObjectItem(back, "cmd")->valuestring, "/bin/sh");
    free(tag);
    cJSON_Delete(back);
    assert_int_equal(procmeta_build(&b, NULL, 0, big, cfg, 1000),
                     -1); /* the tag alone is too long */
    assert_int_equal(b.len, 0);
    buf_free(&b);
    cJSON_Delete(cfg);
}

static void hostile(void **state)
{
    (void)state;
    const char *bad[] = {
        "",           "[]", "{\"tag\":1}",          "{\"config\":[]}",   "{\"config\":\"x\"}",
        "{\"op\":5}", "{",  "{\"deadline\":\"1\"}", "{\"deadline\":-1}", "{\"deadline\":1e300}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *tag = (char *)1;
        cJSON *c = (cJSON *)1;
        char op[8];
        int64_t dl;
        assert_int_equal(procmeta_parse(bad[i], strlen(bad[i]), op, sizeof op, &dl, &tag, &c), -1);
        assert_null(tag);
        assert_null(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(shrinks_to_fit),
        cmocka_unit_test(hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
