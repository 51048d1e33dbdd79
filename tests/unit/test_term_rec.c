/* test_term_rec.c - asciicast v2 files validated against the format: every line is JSON, the
 * header has version 2 and the size, events are [time, "o"|"r", string] with times that
 * never go backwards, and the "o" data put together equals what was fed (invalid UTF-8
 * replaced as term_rec.h says, whatever the chunking). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <cJSON.h>

#include "boxtop/buf.h"
#include "term_rec.h"

/* Parse and validate a recording; returns the concatenated "o" data and counts "r" events. */
static char *validate(const char *path, int cols, int rows, int *resizes)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;
    double last = 0;
    struct buf data = BUF_INIT;
    *resizes = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        assert_int_equal(line[n - 1], '\n');
        cJSON *j = cJSON_Parse(line);
        assert_non_null(j);
        if (lineno++ == 0) {
            assert_true(cJSON_IsObject(j));
            assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "version")->valueint, 2);
            assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "width")->valueint, cols);
            assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "height")->valueint, rows);
            assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "timestamp")));
            cJSON *env = cJSON_GetObjectItemCaseSensitive(j, "env");
            assert_true(cJSON_IsObject(env));
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(env, "TERM")->valuestring,
                                "xterm-256color");
        } else {
            assert_true(cJSON_IsArray(j));
            assert_int_equal(cJSON_GetArraySize(j), 3);
            cJSON *t = cJSON_GetArrayItem(j, 0), *k = cJSON_GetArrayItem(j, 1),
                  *d = cJSON_GetArrayItem(j, 2);
            assert_true(cJSON_IsNumber(t));
            assert_true(t->valuedouble >= last);
            last = t->valuedouble;
            assert_true(cJSON_IsString(k));
            assert_true(cJSON_IsString(d));
            if (strcmp(k->valuestring, "o") == 0) {
                buf_append_str(&data, d->valuestring);
            } else {
                assert_string_equal(k->valuestring, "r");
                int c, r;
                assert_int_equal(sscanf(d->valuestring, "%dx%d", &c, &r), 2);
                (*resizes)++;
            }
        }
        cJSON_Delete(j);
    }
    assert_true(lineno >= 1);
    free(line);
    fclose(f);
    return buf_steal(&data);
}

static char *tmp_path(void)
{
    static char path[] = "/tmp/test_term_rec.XXXXXX";
    strcpy(path, "/tmp/test_term_rec.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void valid_utf8_any_chunking(void **state)
{
    (void)state;
    const char in[] =
        "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 \x1b[31m\"quoted\"\\\r\n\t\x7f\x01 end";
    size_t len = sizeof in - 1;
    for (size_t split = 0; split <= len; split++) {
        char *path = tmp_path();
        struct term_rec_opts o = {80, 24, 0, "t", "xterm-256color", "/bin/bash"};
        struct term_rec *r = term_rec_open(path, &o, NULL);
        assert_non_null(r);
        assert_int_equal(term_rec_output(r, 0.5, in, split), 0);
        assert_int_equal(term_rec_resize(r, 0.25 /* goes back: clamped */, 100, 30), 0);
        assert_int_equal(term_rec_output(r, 1.0, in + split, len - split), 0);
        assert_int_equal(term_rec_close(r, NULL), 0);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        int resizes;
        char *got = validate(path, 80, 24, &resizes);
        assert_int_equal(resizes, 1);
        assert_string_equal(got, in);
        free(got);
        unlink(path);
    }
}

static void invalid_utf8_replaced(void **state)
{
    (void)state;
    /* bad lead, truncated 3-byte sequence, surrogate (3 ill-formed parts), overlong,
     * and a sequence cut off by the end of the recording */
    const char in[] = "a\xff"
                      "b\xe2\x82"
                      "c\xed\xa0\x80"
                      "d\xc0\xaf"
                      "e\xf0\x9f\x98";
    const char want[] = "a\xef\xbf\xbd"
                        "b\xef\xbf\xbd"
                        "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                        "d\xef\xbf\xbd\xef\xbf\xbd"
                        "e\xef\xbf\xbd";
    size_t len = sizeof in - 1;
    for (size_t chunk = 1; chunk <= len; chunk++) {
        char *path = tmp_path();
        struct term_rec_opts o = {80, 24, 1700000000, NULL, "xterm-256color", NULL};
        struct term_rec *r = term_rec_open(path, &o, NULL);
        assert_non_null(r);
        double t = 0;
        for (size_t off = 0; off < len; off += chunk, t += 0.1)
            assert_int_equal(term_rec_output(r, t, in + off, off + chunk > len ? len - off : chunk),
                             0);
        assert_int_equal(term_rec_close(r, NULL), 0);
        int resizes;
        char *got = validate(path, 80, 24, &resizes);
        assert_string_equal(got, want);
        free(got);
        unlink(path);
    }
}

static void open_errors(void **state)
{
    (void)state;
    struct error err;
    struct term_rec_opts o = {80, 24, 0, NULL, NULL, NULL};
    assert_null(term_rec_open("/nonexistent-dir/x.cast", &o, &err));
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.cast"));
    o.cols = 0;
    assert_null(term_rec_open("/tmp/x.cast", &o, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_utf8_any_chunking),
        cmocka_unit_test(invalid_utf8_replaced),
        cmocka_unit_test(open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
