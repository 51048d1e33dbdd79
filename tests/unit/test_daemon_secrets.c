/* test_daemon_secrets.c - the secrets store (src/daemon/api/secret_store.c): upstream's name
 * rules, TypeID ids, selectors, versions and metadata, the file kept and refused when damaged,
 * and a failed write that changes nothing. */
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

#include "api/secret_store.h"

static void names(void **state)
{
    (void)state;
    char out[SECRET_NAME_MAX + 1];
    assert_true(secret_name_normalize("  OpenAI_Key-2 ", out));
    assert_string_equal(out, "openai_key-2");
    const char *bad[] = {"", "   ", "a b", "a.b", "na/me", "SEC_x", "sec_", "é", NULL};
    for (int i = 0; bad[i]; i++)
        assert_false(secret_name_normalize(bad[i], out));
    char long_name[SECRET_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[SECRET_NAME_MAX + 1] = '\0';
    assert_false(secret_name_normalize(long_name, out));
    long_name[SECRET_NAME_MAX] = '\0';
    assert_true(secret_name_normalize(long_name, out));
    assert_true(secret_name_normalize("secret-key", out)); /* only "sec_" is reserved */
}

static void ids(void **state)
{
    (void)state;
    assert_true(secret_id_valid("sec_01kyjhkfvse96rg4d2qzd9enft"));
    assert_false(secret_id_valid("sec_81kyjhkfvse96rg4d2qzd9enft")); /* > 128 bits */
    assert_false(secret_id_valid("sec_01kyjhkfvse96rg4d2qzd9enfu")); /* u: not Crockford */
    assert_false(secret_id_valid("sec_01kyjhkfvse96rg4d2qzd9enf"));
    assert_false(secret_id_valid("prj_01kyjhkfvse96rg4d2qzd9enft"));
    assert_false(secret_id_valid(NULL));
}

static char *tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/boxtop-secrets-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void lifecycle(void **state)
{
    (void)state;
    const char *dir = tmpdir();
    struct secret_store st;
    struct error err;
    assert_int_equal(secret_store_open(&st, dir, &err), 0);
    struct secret *a, *b;
    cJSON *meta = cJSON_Parse("{\"k\":\"v\"}");
    int64_t t0 = 1795610434924LL;
    assert_int_equal(secret_create(&st, "Alpha", "v1", 2, meta, t0, &a), SECRET_OK);
    assert_true(secret_id_valid(a->id));
    assert_int_equal(secret_create(&st, "alpha", "x", 1, NULL, t0, &b), SECRET_CONFLICT);
    assert_int_equal(secret_create(&st, "beta", "v", 1, NULL, t0 + 1, &b), SECRET_OK);
    assert_true(strcmp(a->id, b->id) < 0); /* UUIDv7: later ms sorts after */
    cJSON *bad_meta = cJSON_Parse("{\"k\":1}");
    assert_int_equal(secret_create(&st, "gamma", "v", 1, bad_meta, t0, &b), SECRET_INVALID);
    cJSON_Delete(bad_meta);
    enum secret_rc rc;
    assert_ptr_equal(secret_find(&st, " ALPHA ", &rc), a);
    assert_ptr_equal(secret_find(&st, a->id, &rc), a);
    assert_null(secret_find(&st, "sec_zz", &rc));
    assert_int_equal(rc, SECRET_INVALID);
    assert_null(secret_find(&st, "sec_01kyjhkfvse96rg4d2qzd9enft", &rc));
    assert_int_equal(rc, SECRET_NOT_FOUND);
    assert_int_equal(secret_update(&st, a, "v2", 2, NULL, t0 + 5), SECRET_OK);
    assert_int_equal(a->version, 2);
    assert_string_equal(cJSON_GetObjectItem(a->metadata, "k")->valuestring, "v");
    cJSON *js = secret_json(a);
    char *txt = cJSON_PrintUnformatted(js);
    assert_null(strstr(txt, "v2")); /* the value is never in the public shape */
    assert_non_null(strstr(txt, "\"currentVersion\":2"));
    free(txt);
    cJSON_Delete(js);
    assert_int_equal(secret_page_start(&st, ""), 0);
    assert_int_equal(secret_page_start(&st, a->id), 1);
    assert_int_equal(secret_page_start(&st, "junk"), -1);
    char path[128];
    snprintf(path, sizeof path, "%s/secrets.json", dir);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    secret_store_close(&st);

    /* read back */
    assert_int_equal(secret_store_open(&st, dir, &err), 0);
    assert_int_equal(st.n, 2);
    a = secret_find(&st, "alpha", &rc);
    assert_non_null(a);
    assert_int_equal(a->version, 2);
    assert_int_equal(a->value_len, 2);
    assert_memory_equal(a->value, "v2", 2);
    /* a write that fails changes nothing: the directory is gone */
    char moved[160];
    snprintf(moved, sizeof moved, "%s.moved", dir);
    assert_int_equal(rename(dir, moved), 0);
    assert_int_equal(secret_update(&st, a, "v3", 2, NULL, t0 + 9), SECRET_STORAGE);
    assert_int_equal(a->version, 2);
    assert_memory_equal(a->value, "v2", 2);
    assert_int_equal(secret_create(&st, "delta", "v", 1, NULL, t0, &b), SECRET_STORAGE);
    assert_int_equal(secret_delete(&st, a), SECRET_STORAGE);
    assert_int_equal(st.n, 2);
    assert_int_equal(rename(moved, dir), 0);
    assert_int_equal(secret_delete(&st, a), SECRET_OK);
    assert_int_equal(st.n, 1);
    secret_store_close(&st);

    /* a damaged file is refused with a message that quotes nothing of it */
    FILE *f = fopen(path, "w");
    fputs("{\"secrets\":[{\"secretID\":\"x\",\"value\":\"TOPSECRET\"}]}", f);
    fclose(f);
    assert_int_equal(secret_store_open(&st, dir, &err), -1);
    assert_null(strstr(err.msg, "TOPSECRET"));
    unlink(path);
    assert_int_equal(rmdir(dir), 0); /* no temp file left */
    cJSON_Delete(meta);
}

/* Numbers a hand-edited file may hold that no int64_t can: the entry is refused, never cast
 * (fuzz-smoke found createdMs 1e933 reaching the cast, undefined behaviour under UBSan). */
static void numbers_out_of_range(void **state)
{
    (void)state;
    const char *fields[] = {
        "\"version\":1,\"createdMs\":1e999,\"updatedMs\":1",
        "\"version\":1,\"createdMs\":1,\"updatedMs\":-1e999",
        "\"version\":1e300,\"createdMs\":1,\"updatedMs\":1",
        "\"version\":1,\"createdMs\":-5,\"updatedMs\":1",
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"secrets\":[{\"secretID\":\"sec_01kyjhkfvse48rg4d2qzd9enft\","
                 "\"name\":\"a\",%s,\"metadata\":{},\"value\":\"v\"}]}",
                 fields[i]);
        struct secret_store st = {0};
        struct error err = {0};
        print_message("numbers %zu\n", i);
        assert_int_equal(secret_store_parse(&st, text, strlen(text), &err), -1);
        secret_store_close(&st);
    }
    const char *good = "{\"secrets\":[{\"secretID\":\"sec_01kyjhkfvse48rg4d2qzd9enft\","
                       "\"name\":\"a\",\"version\":2,\"createdMs\":5,\"updatedMs\":6,"
                       "\"metadata\":{},\"value\":\"v\"}]}";
    struct secret_store st = {0};
    struct error err = {0};
    assert_int_equal(secret_store_parse(&st, good, strlen(good), &err), 0);
    assert_int_equal(st.n, 1);
    assert_true(st.v[0]->created_ms == 5 && st.v[0]->updated_ms == 6 && st.v[0]->version == 2);
    secret_store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(ids),
        cmocka_unit_test(lifecycle),
        cmocka_unit_test(numbers_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
