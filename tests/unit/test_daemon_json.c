/* test_daemon_json.c - validation of the platform API's JSON request bodies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "api/dapi_validate.h"

#define S(x) x, strlen(x)

static void create_sdk_bodies(void **state)
{
    (void)state;
    struct create_req r;
    struct error err;
    /* sdk-transcripts/create.txt (v2) */
    const char *b = "{\"templateID\":\"base\",\"metadata\":{\"purpose\":\"transcript\",\"odd key\":"
                    "\"a b&c\"},\"envVars\":{\"FOO\":\"bar\"},\"timeout\":300}";
    assert_int_equal(validate_create(S(b), true, &r, &err), 0);
    assert_string_equal(r.template_ref, "base");
    assert_int_equal(r.timeout_s, 300);
    assert_true(r.secure);
    assert_true(r.allow_internet);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r.metadata, "odd key")->valuestring,
                        "a b&c");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r.env_vars, "FOO")->valuestring, "bar");
    create_req_free(&r);
    /* v1 with defaults: timeout 15, secure as sent */
    assert_int_equal(validate_create(S("{\"templateID\":\"base:default\"}"), false, &r, &err), 0);
    assert_int_equal(r.timeout_s, 15);
    assert_false(r.secure);
    create_req_free(&r);
    assert_int_equal(validate_create(S("{\"templateID\":\"base\",\"secure\":true,"
                                       "\"autoPause\":true,\"autoResume\":{\"enabled\":true}}"),
                                     false, &r, &err),
                     0);
    assert_true(r.secure && r.auto_pause && r.auto_resume);
    create_req_free(&r);
    /* v2 default timeout */
    assert_int_equal(validate_create(S(" {\"templateID\":\"team/base\"} \n"), true, &r, &err), 0);
    assert_int_equal(r.timeout_s, 300);
    create_req_free(&r);
}

static void create_rejects(void **state)
{
    (void)state;
    struct create_req r;
    struct error err;
    static const struct {
        const char *body;
        int status;
    } cases[] = {
        {"", 400},
        {"{", 400},
        {"[]", 400},
        {"\"x\"", 400},
        {"{} {}", 400},
        {"{}", 400},
        {"{\"templateID\":5}", 400},
        {"{\"templateID\":\"\"}", 400},
        {"{\"templateID\":\"base\",\"timeout\":\"10\"}", 400},
        {"{\"templateID\":\"base\",\"timeout\":1.5}", 400},
        {"{\"templateID\":\"base\",\"timeout\":0}", 400},
        {"{\"templateID\":\"base\",\"timeout\":-1}", 400},
        {"{\"templateID\":\"base\",\"timeout\":1e12}", 400},
        {"{\"templateID\":\"base\",\"timeout\":90000}", 400},
        {"{\"templateID\":\"base\",\"metadata\":{\"a\":1}}", 400},
        {"{\"templateID\":\"base\",\"metadata\":[\"a\"]}", 400},
        {"{\"templateID\":\"base\",\"metadata\":{\"a\":\"x\",\"a\":\"y\"}}", 400},
        {"{\"templateID\":\"base\",\"envVars\":\"A=1\"}", 400},
        {"{\"templateID\":\"base\",\"secure\":\"yes\"}", 400},
        {"{\"templateID\":\"base\",\"autoResume\":true}", 400},
        {"{\"templateID\":\"base\",\"autoResume\":{\"enabled\":true}}", 400},
        {"{\"templateID\":\"nope\"}", 404},
        {"{\"templateID\":\"base:v2\"}", 404},
        {"{\"templateID\":\"../base\"}", 404},
        {"{\"templateID\":\"a/b/base\"}", 404},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = validate_create(S(cases[i].body), true, &r, &err);
        if (rc != cases[i].status)
            fail_msg("case %zu (%s): got %d, want %d", i, cases[i].body, rc, cases[i].status);
        assert_non_null(err.msg[0] ? err.msg : NULL);
        assert_null(r.metadata);
    }
    /* NUL inside the body */
    assert_int_equal(validate_create("{\"templateID\":\"base\"}\0", 23, true, &r, &err), 400);
}

static void other_bodies(void **state)
{
    (void)state;
    struct error err;
    int64_t t;
    bool ap, has;
    assert_int_equal(validate_connect(S("{}"), &t, &err), 0);
    assert_int_equal(t, 300);
    assert_int_equal(validate_connect(S(""), &t, &err), 0);
    assert_int_equal(t, 300);
    assert_int_equal(validate_connect(S("{\"timeout\":60}"), &t, &err), 0);
    assert_int_equal(t, 60);
    assert_int_equal(validate_connect(S("{\"timeout\":-1}"), &t, &err), 400);
    assert_int_equal(validate_connect(S("{\"timeout\":true}"), &t, &err), 400);
    assert_int_equal(validate_timeout(S("{\"timeout\":600}"), &t, &err), 0);
    assert_int_equal(t, 600);
    assert_int_equal(validate_timeout(S("{\"timeout\":-5}"), &t, &err), 0);
    assert_int_equal(t, 0);
    assert_int_equal(validate_timeout(S("{}"), &t, &err), 400);
    assert_int_equal(validate_timeout(S(""), &t, &err), 400);
    assert_int_equal(validate_refresh(S(""), &t, &err), 0);
    assert_int_equal(t, 15);
    assert_int_equal(validate_refresh(S("{\"duration\":3}"), &t, &err), 0);
    assert_int_equal(t, 15);
    assert_int_equal(validate_refresh(S("{\"duration\":3601}"), &t, &err), 400);
    assert_int_equal(validate_resume(S(""), &t, &ap, &has, &err), 0);
    assert_int_equal(t, 15);
    assert_false(has);
    assert_int_equal(validate_resume(S("{\"autoPause\":true,\"timeout\":30}"), &t, &ap, &has, &err),
                     0);
    assert_true(has && ap);
    assert_int_equal(validate_pause(S("{\"memory\":true}"), &err), 0);
    assert_int_equal(validate_pause(S("{}"), &err), 0);
    assert_int_equal(validate_pause(S("{\"memory\":1}"), &err), 400);
    assert_int_equal(validate_pause(S("nul"), &err), 400);
    assert_true(validate_memory_flag(S("{}")));
    assert_true(validate_memory_flag(S("")));
    assert_true(validate_memory_flag(S("{\"memory\":true}")));
    assert_false(validate_memory_flag(S("{\"memory\":false}")));
}

static bool only_snap(void *ud, const char *ref)
{
    return strcmp(ref, ud) == 0;
}

/* issue 21: autoPauseMemory, volumeMounts, snapshot templates */
static void create_today(void **state)
{
    (void)state;
    struct create_req r;
    struct error err;
    assert_int_equal(validate_create(S("{\"templateID\":\"base\",\"autoPause\":true,"
                                       "\"autoPauseMemory\":false}"),
                                     true, &r, &err),
                     0);
    assert_true(r.auto_pause_fs_only);
    create_req_free(&r);
    assert_int_equal(
        validate_create(S("{\"templateID\":\"base\",\"autoPauseMemory\":false}"), true, &r, &err),
        0);
    assert_false(r.auto_pause_fs_only); /* only with autoPause */
    assert_int_equal(
        validate_create(S("{\"templateID\":\"base\",\"autoPause\":true,"
                          "\"autoPauseMemory\":false,\"autoResume\":{\"enabled\":true}}"),
                        true, &r, &err),
        400);
    assert_int_equal(validate_create(S("{\"templateID\":\"base\",\"volumeMounts\":"
                                       "[{\"name\":\"data\",\"path\":\"/mnt/data\"}]}"),
                                     true, &r, &err),
                     0);
    assert_int_equal(cJSON_GetArraySize(r.volume_mounts), 1);
    create_req_free(&r);
    assert_null(r.volume_mounts);
    /* every bad mount is reported, numbered */
    assert_int_equal(validate_create(S("{\"templateID\":\"base\",\"volumeMounts\":["
                                       "{\"name\":\"a b\",\"path\":\"/x\"},"
                                       "{\"name\":\"ok\",\"path\":\"rel\"},"
                                       "{\"name\":\"ok\",\"path\":\"/y/../z\"},"
                                       "{\"name\":\"ok\",\"path\":\"/m\"},"
                                       "{\"name\":\"ok2\",\"path\":\"/m\"},"
                                       "{\"name\":\"ok\",\"path\":\"/\"}]}"),
                                     true, &r, &err),
                     400);
    for (int i = 0; i < 6; i++) {
        char want[32];
        snprintf(want, sizeof want, "volume mount #%d:", i);
        if (i == 3)
            assert_null(strstr(err.msg, want));
        else
            assert_non_null(strstr(err.msg, want));
    }
    /* a snapshot id is a template only where the caller knows it */
    assert_int_equal(validate_create(S("{\"templateID\":\"local/snap:default\"}"), true, &r, &err),
                     404);
    assert_int_equal(validate_create_ex(S("{\"templateID\":\"local/snap:default\"}"), true,
                                        only_snap, "local/snap:default", &r, &err),
                     0);
    assert_string_equal(r.template_ref, "local/snap:default");
    create_req_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_sdk_bodies),
        cmocka_unit_test(create_rejects),
        cmocka_unit_test(other_bodies),
        cmocka_unit_test(create_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
